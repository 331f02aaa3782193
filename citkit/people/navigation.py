"""The roster in the main menu; an officer sees "My record" instead."""

from citkit.core.policies import policy_for
from citkit.core.registry import NavEntry, NavSection
from citkit.people.models import Person


def _sees_roster(user, program) -> bool:
    return policy_for(Person).may(user, program, "view_roster")


def _sees_people(user, program) -> bool:
    return policy_for(Person).may(user, program, "view")


NAVIGATION = [
    NavSection(
        "people",
        "People",
        order=40,
        visible=_sees_people,
        label_for=lambda user, program: "People" if _sees_roster(user, program) else "My record",
    ),
    NavEntry("people", "Roster", "person-list", order=1),
]
