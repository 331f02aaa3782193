"""Who may see and change the committee's records.

Coordinators and committee members run the committee (manage_committee);
agency administrators and trainers follow it read-only (view_committee). The
owner of an action item may change its status and notes, whatever their role:
everyone owns items, even those who cannot see the committee.
"""

from citkit.committee.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Seat,
    ServiceGap,
    Subcommittee,
    SubcommitteeMember,
    SubcommitteeReport,
)
from citkit.core.models import Role
from citkit.core.permissions import has_capability, membership_for
from citkit.core.policies import Policy, register

CAPABILITIES = {
    Role.COORDINATOR: {"view_committee", "manage_committee"},
    Role.COMMITTEE_MEMBER: {"view_committee", "manage_committee"},
    Role.AGENCY_ADMIN: {"view_committee"},
    Role.TRAINER: {"view_committee"},
}

COMMITTEE = {
    "view": {"view_committee"},
    "add": {"manage_committee"},
    "change": {"manage_committee"},
    "delete": {"manage_committee"},
}


class CommitteePolicy(Policy):
    capabilities = COMMITTEE


@register
class SeatPolicy(CommitteePolicy):
    model = Seat


@register
class SubcommitteePolicy(CommitteePolicy):
    model = Subcommittee


@register
class SubcommitteeMemberPolicy(CommitteePolicy):
    model = SubcommitteeMember
    program_path = "subcommittee__program"


@register
class SubcommitteeReportPolicy(CommitteePolicy):
    model = SubcommitteeReport
    program_path = "subcommittee__program"


@register
class MeetingPolicy(CommitteePolicy):
    model = Meeting


@register
class AgendaItemPolicy(CommitteePolicy):
    model = AgendaItem
    program_path = "meeting__program"


@register
class AttendancePolicy(CommitteePolicy):
    model = Attendance
    program_path = "meeting__program"


@register
class DecisionPolicy(CommitteePolicy):
    model = Decision
    program_path = "meeting__program"


@register
class ServiceGapPolicy(CommitteePolicy):
    model = ServiceGap


# What the owner of an action item may change without running the committee.
OWNER_FIELDS = frozenset({"status", "notes"})


@register
class ActionItemPolicy(Policy):
    """Committee readers see every item; every other member sees the items they own.
    The owner may change an item's status and notes ("update_own"); the
    committee changes anything."""

    model = ActionItem
    capabilities = {
        "view": {"view_program"},
        "add": {"manage_committee"},
        # Any member may own an item, so any member may reach the change service;
        # `may_on` decides per item.
        "change": {"view_program"},
        "delete": {"manage_committee"},
    }

    def may_on(self, user, obj, action):
        if user is None:
            return True
        program = obj.program
        if action == "view":
            return has_capability(user, program, "view_committee") or obj.owner_id == user.pk
        if action == "change":
            return has_capability(user, program, "manage_committee") or obj.owner_id == user.pk
        return super().may_on(user, obj, action)

    def may_change_fields(self, user, obj, fields) -> bool:
        """The owner may change status and notes only; the committee anything."""
        if user is None or has_capability(user, obj.program, "manage_committee"):
            return True
        return obj.owner_id == user.pk and set(fields) <= OWNER_FIELDS

    def visible(self, user, program, queryset):
        items = queryset.filter(program=program)
        if user is None or has_capability(user, program, "view_committee"):
            return items
        if membership_for(user, program) is not None:
            return items.filter(owner=user)
        return queryset.none()

    def refusal(self, obj, action):
        return "Only the owner or the committee may change this item."
