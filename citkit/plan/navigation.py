"""The readiness dashboard and the plan, first in the committee's section."""

from citkit.core.permissions import has_capability
from citkit.core.registry import NavEntry


def _follows(user, program) -> bool:
    return has_capability(user, program, "view_committee")


NAVIGATION = [
    NavEntry("committee", "Dashboard", "readiness-dashboard", order=10, visible=_follows),
    NavEntry("committee", "Plan", "plan-home", order=20, visible=_follows),
]
