"""Navigation built around the CIT work; an entry appears only once its pages exist."""

from django.urls import reverse

from citkit.core.models import Program
from citkit.core.permissions import has_capability


def citkit(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {"user_programs": list(Program.objects.visible_to(user).only("name", "slug"))}
    program = getattr(request, "program", None)
    if program is None:
        return context
    path = request.path
    items = [("Home", reverse("program-home", args=[program.slug]), None)]
    committee_url = reverse("readiness-dashboard", args=[program.slug])
    items.append(("Committee & plan", committee_url, "view_committee"))
    items.append(("Partners & MOU", reverse("agency-list", args=[program.slug]), "view_agencies"))
    people_label = "Officers & classes"
    if not (
        has_capability(user, program, "view_people")
        or has_capability(user, program, "view_own_people")
    ):
        people_label = "My record"
    items.append((people_label, reverse("person-list", args=[program.slug]), "_people"))
    items.append(("Members", reverse("member-list", args=[program.slug]), "manage_members"))
    items.append(("Audit trail", reverse("audit-list", args=[program.slug]), "view_audit"))
    # Whoever cannot follow the committee still owns action items.
    if not has_capability(user, program, "view_committee"):
        items.append(("My action items", reverse("my-actions", args=[program.slug]), None))
    nav = []
    for label, url, capability in items:
        if capability == "_people":
            allowed = any(
                has_capability(user, program, c)
                for c in ("view_people", "view_own_people", "view_self")
            )
        else:
            allowed = capability is None or has_capability(user, program, capability)
        if allowed:
            current = path == url if label == "Home" else path.startswith(url)
            nav.append({"label": label, "url": url, "current": current})
    context["nav"] = nav
    if has_capability(user, program, "view_committee") and (
        path.startswith(f"/p/{program.slug}/committee/")
        or path.startswith(f"/p/{program.slug}/plan/")
    ):
        context["subnav"] = _committee_subnav(program, path)
    return context


def _committee_subnav(program, path: str) -> list[dict]:
    entries = [
        ("Dashboard", "readiness-dashboard"),
        ("Plan", "plan-home"),
        ("Committee", "committee-home"),
        ("Meetings", "meeting-list"),
        ("Action items", "action-list"),
        ("My action items", "my-actions"),
        ("Service gaps", "gap-list"),
    ]
    urls = [(label, reverse(name, args=[program.slug])) for label, name in entries]
    # The longest matching address is the current one ("Plan" must not claim the dashboard).
    current = max((u for _, u in urls if path.startswith(u)), key=len, default=None)
    return [{"label": label, "url": url, "current": url == current} for label, url in urls]
