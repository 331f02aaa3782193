"""The partner directory in the main menu."""

from citkit.core.permissions import has_capability
from citkit.core.registry import NavEntry, NavSection

NAVIGATION = [
    NavSection(
        "partners",
        "Partners",
        order=30,
        visible=lambda user, program: has_capability(user, program, "view_agencies"),
    ),
    NavEntry("partners", "Partner agencies", "agency-list", order=1),
]
