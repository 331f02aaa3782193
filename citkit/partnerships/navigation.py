"""The partnerships pages in the menu: "Crisis services" for everyone (the page a
dispatcher opens at 2 a.m. comes first), "MOUs" for those who read them."""

from citkit.core.permissions import has_capability
from citkit.core.registry import NavEntry, NavSection


def reads_directory(user, program) -> bool:
    return has_capability(user, program, "view_directory")


def reads_mous(user, program) -> bool:
    return has_capability(user, program, "view_mous")


def reads_templates(user, program) -> bool:
    return has_capability(user, program, "view_all_mous")


NAVIGATION = [
    NavSection("crisis-services", "Crisis services", order=15, visible=reads_directory),
    NavEntry("crisis-services", "Who takes a person now", "crisis-now", order=10),
    NavEntry("crisis-services", "Directory", "service-list", order=20),
    NavEntry("crisis-services", "Locations", "location-list", order=30),
    NavEntry("crisis-services", "Crisis responsibilities", "responsibility-list", order=40),
    NavSection("mous", "MOUs", order=25, visible=reads_mous),
    NavEntry("mous", "MOUs", "mou-list", order=10),
    NavEntry("mous", "Templates", "mou-template-list", order=20, visible=reads_templates),
]
