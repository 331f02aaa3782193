"""The committee's pages in the menu. The section "Committee & plan" is the
committee's; the plan adds its dashboard and plan to it."""

from citkit.core.permissions import has_capability
from citkit.core.registry import NavEntry, NavSection


def follows_committee(user, program) -> bool:
    return has_capability(user, program, "view_committee")


NAVIGATION = [
    NavSection("committee", "Committee & plan", order=20, visible=follows_committee),
    NavEntry("committee", "Committee", "committee-home", order=30),
    NavEntry("committee", "Meetings", "meeting-list", order=40),
    NavEntry("committee", "Action items", "action-list", order=50),
    NavEntry("committee", "My action items", "my-actions", order=60),
    NavEntry("committee", "Service gaps", "gap-list", order=70),
    # Whoever cannot follow the committee still owns action items.
    NavSection(
        "my-actions",
        "My action items",
        order=95,
        visible=lambda user, program: not follows_committee(user, program),
    ),
    NavEntry("my-actions", "My action items", "my-actions", order=1),
]
