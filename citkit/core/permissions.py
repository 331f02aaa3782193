"""Who may do what in a program: one table of capabilities per role.

A role's capabilities are the platform's (below) plus those each feature app
declares. Whether an action on a model needs which capability is the model's
permission policy (`core.policies`); reads go through `visible_to()`, which asks
the policy, and services call `policy.require(...)`. Pages, API and commands
therefore answer the same way. A user outside the program never gets this far:
`get_program_for_user` answers 404 first.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404

from citkit.core.models import (
    AccessEntry,
    AuditEntry,
    Invitation,
    Job,
    Membership,
    Program,
    Role,
)
from citkit.core.policies import Policy, register

# The capabilities of the platform itself, by role. Each feature app adds its own
# (its `capabilities` declaration, e.g. `citkit/partners/permissions.py`); the
# merged table is `capabilities_of(role)`.
CORE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(
        {"view_program", "change_program", "view_audit", "manage_members", "view_aggregates"}
    ),
    Role.COMMITTEE_MEMBER: frozenset({"view_program", "view_aggregates"}),
    Role.AGENCY_ADMIN: frozenset({"view_program", "view_aggregates"}),
    Role.TRAINER: frozenset({"view_program"}),
    Role.OFFICER: frozenset({"view_program"}),
    Role.DISPATCHER: frozenset({"view_program"}),
    # Analysts and state coordinators see aggregates, never individual people.
    Role.ANALYST: frozenset({"view_program", "view_aggregates"}),
    Role.STATE_COORDINATOR: frozenset({"view_program", "view_aggregates"}),
}


@functools.cache
def capabilities_of(role: str) -> frozenset[str]:
    """Everything a role may do: the platform's capabilities and every app's."""
    from citkit.core.registry import declared_capabilities

    return CORE_CAPABILITIES.get(role, frozenset()) | declared_capabilities().get(role, frozenset())


def membership_for(user, program: Program) -> Membership | None:
    """The user's membership in the program, cached on the user object per request."""
    if user is None or not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_citkit_memberships", {})
    if program.pk not in cache:
        cache[program.pk] = (
            Membership.objects.filter(user=user, program=program).select_related("agency").first()
        )
    return cache[program.pk]


def has_capability(user, program: Program, capability: str) -> bool:
    membership = membership_for(user, program)
    if membership is None:
        return False
    return capability in capabilities_of(membership.role)


def own_agency_id(user, program: Program) -> int | None:
    """The agency an agency administrator acts for (None for other roles)."""
    membership = membership_for(user, program)
    return membership.agency_id if membership is not None else None


def require(user, program: Program, capability: str) -> Membership:
    """Raise 404 for outsiders and 403 for members whose role lacks the capability."""
    membership = membership_for(user, program)
    if membership is None:
        raise Http404("No such program.")
    if capability not in capabilities_of(membership.role):
        raise PermissionDenied(
            f"Your role ({membership.get_role_display()}) may not do this in {program.name}."
        )
    return membership


def get_program_for_user(user, slug: str) -> Program:
    """The program named by slug, if the user belongs to it; 404 otherwise."""
    program = Program.objects.filter(slug=slug).first()
    if program is None or membership_for(user, program) is None:
        raise Http404("No such program.")
    return program


# --- Policies of core's own models -------------------------------------------------


@register
class MembershipPolicy(Policy):
    model = Membership
    capabilities = {
        "view": {"manage_members"},
        "add": {"manage_members"},
        "change": {"manage_members"},
        "delete": {"manage_members"},
        "unlock": {"manage_members"},
        "reset_second_factor": {"manage_members"},
    }


@register
class InvitationPolicy(Policy):
    """Invitations to the program: seen, sent and withdrawn by those who manage members.
    The invitee answers their own invitation; that is not a program right (services)."""

    model = Invitation
    capabilities = {
        "view": {"manage_members"},
        "add": {"manage_members"},
        "revoke": {"manage_members"},
    }


@register
class AuditEntryPolicy(Policy):
    model = AuditEntry
    capabilities = {"view": {"view_audit"}}


@register
class AccessEntryPolicy(Policy):
    """Who read whom: for those who see the audit trail (coordinators). State
    coordinators and analysts see aggregates only, never who looked at a person."""

    model = AccessEntry
    capabilities = {"view": {"view_audit"}}


@register
class JobPolicy(Policy):
    """A job (an import, an export) belongs to whoever asked for it: its counts and its
    file are theirs alone, and only while they are still a member of the program."""

    model = Job
    capabilities = {"view": {"view_program"}}

    def may_on(self, user, obj, action: str) -> bool:
        return user is not None and obj.requested_by_id == user.pk

    def visible(self, user, program, queryset):
        if not self.may(user, program, "view"):
            return queryset.none()
        return queryset.filter(program=program, requested_by=user)


@register
class ProgramPolicy(Policy):
    """A program's own settings (name, jurisdiction, time zone): its coordinators."""

    model = Program
    capabilities = {"view": {"view_program"}, "change": {"change_program"}}

    def program_of(self, obj):
        return obj

    def visible(self, user, program, queryset):
        return (
            queryset.filter(pk=program.pk) if self.may(user, program, "view") else queryset.none()
        )
