"""The roster in the main menu; an officer sees "My record" instead."""

from citkit.core.permissions import has_capability
from citkit.core.registry import NavEntry, NavSection


def _sees_roster(user, program) -> bool:
    return has_capability(user, program, "view_people") or has_capability(
        user, program, "view_own_people"
    )


def _sees_people(user, program) -> bool:
    return _sees_roster(user, program) or has_capability(user, program, "view_self")


NAVIGATION = [
    NavSection(
        "people",
        "Officers & classes",
        order=40,
        visible=_sees_people,
        label_for=lambda user, program: (
            "Officers & classes" if _sees_roster(user, program) else "My record"
        ),
    ),
    NavEntry("people", "Roster", "person-list", order=1),
]
