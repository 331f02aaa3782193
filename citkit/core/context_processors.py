"""The menus, built from what each app declares (`navigation` in its AppConfig).

A section of the main menu links to its first entry the member may see; a
section with more than one such entry gets a second row of links while one of
its pages is open.
"""

from django.urls import reverse

from citkit.core.models import Program
from citkit.core.registry import navigation


def citkit(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {"user_programs": list(Program.objects.visible_to(user).only("name", "slug"))}
    program = getattr(request, "program", None)
    if program is None:
        return context
    context.update(program_menus(user, program, request.path))
    return context


def program_menus(user, program, path: str) -> dict:
    sections, entries = navigation()
    home = reverse("program-home", args=[program.slug])
    nav = [{"label": "Home", "url": home, "current": path == home}]
    menus = []  # (section, [(label, url)])
    for section in sections:
        if not section.visible(user, program):
            continue
        links = [
            (e.label, reverse(e.url_name, args=[program.slug]))
            for e in entries
            if e.section == section.key and e.visible(user, program)
        ]
        if links:
            menus.append((section, links))
    # The longest address that the current path starts with is the current page
    # ("Plan" must not claim the dashboard below it).
    all_urls = [url for _, links in menus for _, url in links]
    current = max((u for u in all_urls if path.startswith(u)), key=len, default=None)
    subnav = []
    for section, links in menus:
        label = section.label_for(user, program) if section.label_for else section.label
        is_current = any(url == current for _, url in links)
        nav.append({"label": label, "url": links[0][1], "current": is_current})
        if is_current and len(links) > 1:
            subnav = [{"label": lbl, "url": url, "current": url == current} for lbl, url in links]
            subnav_label = label
    result = {"nav": nav}
    if subnav:
        result["subnav"] = subnav
        result["subnav_label"] = subnav_label
    return result
