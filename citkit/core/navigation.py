"""Core's entries of the main menu: members, the audit trail and the access log, for
coordinators."""

from citkit.core.permissions import has_capability
from citkit.core.registry import NavEntry, NavSection


def _can(capability):
    return lambda user, program: has_capability(user, program, capability)


NAVIGATION = [
    NavSection("members", "Members", order=80, visible=_can("manage_members")),
    NavEntry("members", "Members", "member-list", order=1),
    NavSection("audit", "Audit trail", order=90, visible=_can("view_audit")),
    NavEntry("audit", "Audit trail", "audit-list", order=1),
    # Beside the trail of changes, the log of reads: the section's second row of links.
    NavEntry("audit", "Access log", "access-list", order=2),
]
