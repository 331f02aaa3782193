"""Writes to the committee: seats, subcommittees, meetings, decisions, action items, gaps.

Each service asks the model's permission policy (committee.permissions), applies the
committee's rules and writes through `core.writes` (validation, transaction, audit).
Coordinators and committee members change everything; the owner of an action item
may change its status and notes (`ActionItemPolicy.may_change_fields`).
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

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
from citkit.committee.permissions import ActionItemPolicy
from citkit.core import writes
from citkit.core.audit import Actor
from citkit.core.models import Program
from citkit.core.policies import policy_for
from citkit.core.services import require_member


def _check_agency(obj: models.Model, field: str, program: Program) -> None:
    agency = getattr(obj, field, None)
    if agency is not None and agency.program_id != program.pk:
        raise ValidationError({field: "That agency is not a partner in this program."})


# --- Seats ---------------------------------------------------------------------

SEAT_FIELDS = {"holder_name", "agency", "user", "seat_type", "start_date", "end_date"}


def _check_seat(seat: Seat) -> None:
    _check_agency(seat, "agency", seat.program)
    require_member(seat.user, seat.program, field="user")


def seat_create(*, actor: Actor, program: Program, data: dict) -> Seat:
    policy_for(Seat).require(actor, program, "add")
    seat = Seat(program=program)
    writes.apply_changes(seat, data, SEAT_FIELDS)
    return writes.create(actor, seat, program=program, check=_check_seat)


def seat_update(*, actor: Actor, seat: Seat, data: dict) -> Seat:
    policy_for(Seat).require_on(actor, seat, "change")
    return writes.update(
        actor, seat, program=seat.program, data=data, allowed=SEAT_FIELDS, check=_check_seat
    )


def seat_delete(*, actor: Actor, seat: Seat) -> None:
    policy_for(Seat).require_on(actor, seat, "delete")
    if seat.attendance.exists():
        raise ValidationError(
            "This seat has attendance on record; give it an end date instead of deleting it."
        )
    writes.delete(actor, seat, program=seat.program)


# --- Subcommittees -------------------------------------------------------------

SUBCOMMITTEE_FIELDS = {"name", "charge", "deadline"}
DEFAULT_SUBCOMMITTEES = [
    (
        "Systems",
        "Map how crisis response works today, the links between agencies and their procedures.",
    ),
    ("Data", "Find the data that exists and plan what to collect from now on."),
    (
        "Training",
        "Adapt the 40-hour curriculum, plan special components and begin recruiting speakers.",
    ),
]


def subcommittees_seed(*, actor: Actor, program: Program) -> list[Subcommittee]:
    """The three subcommittees of the CIT model, where missing."""
    policy_for(Subcommittee).require(actor, program, "add")
    created = []
    for name, charge in DEFAULT_SUBCOMMITTEES:
        if not Subcommittee.objects.filter(program=program, name=name).exists():
            created.append(
                subcommittee_create(
                    actor=actor, program=program, data={"name": name, "charge": charge}
                )
            )
    return created


def subcommittee_create(*, actor: Actor, program: Program, data: dict) -> Subcommittee:
    policy_for(Subcommittee).require(actor, program, "add")
    sub = Subcommittee(program=program)
    writes.apply_changes(sub, data, SUBCOMMITTEE_FIELDS)
    return writes.create(actor, sub, program=program)


def subcommittee_update(*, actor: Actor, subcommittee: Subcommittee, data: dict) -> Subcommittee:
    policy_for(Subcommittee).require_on(actor, subcommittee, "change")
    return writes.update(
        actor, subcommittee, program=subcommittee.program, data=data, allowed=SUBCOMMITTEE_FIELDS
    )


def subcommittee_member_add(
    *, actor: Actor, subcommittee: Subcommittee, data: dict
) -> SubcommitteeMember:
    policy_for(SubcommitteeMember).require(actor, subcommittee.program, "add")
    member = SubcommitteeMember(subcommittee=subcommittee)
    writes.apply_changes(member, data, {"name", "agency", "perspective"})
    return writes.create(
        actor,
        member,
        program=subcommittee.program,
        check=lambda m: _check_agency(m, "agency", subcommittee.program),
    )


def subcommittee_member_remove(*, actor: Actor, member: SubcommitteeMember) -> None:
    policy_for(SubcommitteeMember).require_on(actor, member, "delete")
    writes.delete(actor, member, program=member.subcommittee.program)


def subcommittee_report_add(
    *, actor: Actor, subcommittee: Subcommittee, data: dict
) -> SubcommitteeReport:
    policy_for(SubcommitteeReport).require(actor, subcommittee.program, "add")
    report = SubcommitteeReport(subcommittee=subcommittee)
    writes.apply_changes(report, data, {"reported_on", "title", "text"})
    return writes.create(actor, report, program=subcommittee.program)


# --- Meetings ------------------------------------------------------------------

MEETING_FIELDS = {"title", "starts_at", "ends_at", "location", "call_link", "status", "minutes"}
# Meetings happen in living memory or in a plannable future; a year outside this
# range is a typing slip, and calendar apps and ISO 8601 clients choke on it.
MEETING_YEARS = (1900, 2200)


def _check_meeting(meeting: Meeting) -> None:
    first, last = MEETING_YEARS
    errors = {}
    for field in ("starts_at", "ends_at"):
        moment = getattr(meeting, field)
        if isinstance(moment, datetime.datetime) and not first <= moment.year <= last:
            errors[field] = f"Give a date between the years {first} and {last}."
    if errors:
        raise ValidationError(errors)


def meeting_create(*, actor: Actor, program: Program, data: dict) -> Meeting:
    policy_for(Meeting).require(actor, program, "add")
    meeting = Meeting(program=program)
    writes.apply_changes(meeting, data, MEETING_FIELDS)
    return writes.create(actor, meeting, program=program, check=_check_meeting)


def meeting_update(*, actor: Actor, meeting: Meeting, data: dict) -> Meeting:
    policy_for(Meeting).require_on(actor, meeting, "change")
    return writes.update(
        actor,
        meeting,
        program=meeting.program,
        data=data,
        allowed=MEETING_FIELDS,
        check=_check_meeting,
    )


def meeting_delete(*, actor: Actor, meeting: Meeting) -> None:
    policy_for(Meeting).require_on(actor, meeting, "delete")
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(
            "A meeting that was held is part of the record; it cannot be deleted."
        )
    writes.delete(actor, meeting, program=meeting.program)


def agenda_item_add(*, actor: Actor, meeting: Meeting, data: dict) -> AgendaItem:
    policy_for(AgendaItem).require(actor, meeting.program, "add")
    item = AgendaItem(meeting=meeting)
    writes.apply_changes(item, data, {"title", "presenter", "minutes", "notes", "order"})
    if not data.get("order"):
        item.order = meeting.agenda_items.count() + 1
    return writes.create(actor, item, program=meeting.program)


def agenda_item_remove(*, actor: Actor, item: AgendaItem) -> None:
    policy_for(AgendaItem).require_on(actor, item, "delete")
    writes.delete(actor, item, program=item.meeting.program)


def attendance_record(
    *, actor: Actor, meeting: Meeting, statuses: dict[int, str]
) -> list[Attendance]:
    """Set present/absent/excused per seat id; seats must be on this program's committee."""
    program = meeting.program
    policy_for(Attendance).require(actor, program, "change")
    seats = {s.pk: s for s in Seat.objects.filter(program=program, pk__in=list(statuses))}
    unknown = [str(pk) for pk in statuses if pk not in seats]
    if unknown:
        raise ValidationError({"seat": f"Not seats of this committee: {', '.join(unknown)}."})
    valid = set(Attendance.Status.values)
    bad = [s for s in statuses.values() if s not in valid]
    if bad:
        raise ValidationError({"status": f"Use one of: {', '.join(sorted(valid))}."})
    rows = []
    with transaction.atomic():
        for seat_id, status in statuses.items():
            row = Attendance.objects.filter(meeting=meeting, seat_id=seat_id).first()
            if row is None:
                row = writes.create(
                    actor,
                    Attendance(meeting=meeting, seat=seats[seat_id], status=status),
                    program=program,
                )
            elif row.status != status:
                row = writes.update(
                    actor, row, program=program, data={"status": status}, allowed={"status"}
                )
            rows.append(row)
    return rows


def meeting_record(
    *, actor: Actor, meeting: Meeting, statuses: dict[int, str], minutes: str | None
) -> Meeting:
    """Attendance and minutes, as typed together on the meeting page: all or nothing.
    `minutes` None leaves the minutes as they are."""
    with transaction.atomic():
        if statuses:
            attendance_record(actor=actor, meeting=meeting, statuses=statuses)
        if minutes is not None:
            meeting_update(actor=actor, meeting=meeting, data={"minutes": minutes})
        else:
            policy_for(Meeting).require_on(actor, meeting, "change")
    return meeting


DECISION_FIELDS = {"text", "decided_by", "votes_for", "votes_against", "abstentions"}


def decision_record(*, actor: Actor, meeting: Meeting, data: dict) -> Decision:
    policy_for(Decision).require(actor, meeting.program, "add")
    decision = Decision(meeting=meeting)
    writes.apply_changes(decision, data, DECISION_FIELDS)
    return writes.create(actor, decision, program=meeting.program)


# --- Action items --------------------------------------------------------------

ACTION_FIELDS = {"title", "owner", "due_date", "status", "notes", "meeting", "decision"}


def _check_action(item: ActionItem) -> None:
    program = item.program
    require_member(item.owner if item.owner_id else None, program, field="owner")
    if item.meeting is not None and item.meeting.program_id != program.pk:
        raise ValidationError({"meeting": "That meeting belongs to another program."})
    if item.decision is not None and item.decision.meeting.program_id != program.pk:
        raise ValidationError({"decision": "That decision belongs to another program."})
    if item.status == ActionItem.Status.DONE and item.completed_at is None:
        item.completed_at = timezone.now()
    elif item.status != ActionItem.Status.DONE:
        item.completed_at = None


def action_item_create(
    *, actor: Actor, program: Program, data: dict, concerns: models.Model | None = None
) -> ActionItem:
    """A new item; `concerns` is the record it moves forward (any model with a policy)."""
    policy_for(ActionItem).require(actor, program, "add")
    item = ActionItem(program=program)
    writes.apply_changes(item, data, ACTION_FIELDS)
    if concerns is not None:
        if policy_for(concerns).program_of(concerns) != program:
            raise ValidationError({"concerns": "That record belongs to another program."})
        item.concerns_type = ContentType.objects.get_for_model(concerns)
        item.concerns_id = str(concerns.pk)
    return writes.create(actor, item, program=program, check=_check_action)


def action_item_update(*, actor: Actor, item: ActionItem, data: dict) -> ActionItem:
    """Committee managers change anything; the owner changes status and notes."""
    policy = policy_for(ActionItem)
    policy.require_on(actor, item, "change")
    assert isinstance(policy, ActionItemPolicy)
    if not policy.may_change_fields(actor, item, data):
        raise PermissionDenied("As its owner you may change the status and notes only.")
    return writes.update(
        actor, item, program=item.program, data=data, allowed=ACTION_FIELDS, check=_check_action
    )


def action_item_delete(*, actor: Actor, item: ActionItem) -> None:
    policy_for(ActionItem).require_on(actor, item, "delete")
    writes.delete(actor, item, program=item.program)


# --- Service gaps --------------------------------------------------------------

GAP_FIELDS = {"title", "description", "workaround", "owner", "target_date", "status"}


def _check_gap(gap: ServiceGap) -> None:
    require_member(gap.owner, gap.program, field="owner")


def _check_affected(program: Program, affected) -> None:
    if any(a.program_id != program.pk for a in affected):
        raise ValidationError(
            {"affected_agencies": "Only this program's partners can be affected."}
        )


def gap_create(*, actor: Actor, program: Program, data: dict, affected=()) -> ServiceGap:
    policy_for(ServiceGap).require(actor, program, "add")
    gap = ServiceGap(program=program)
    writes.apply_changes(gap, data, GAP_FIELDS)
    _check_affected(program, affected)
    with transaction.atomic():
        writes.create(actor, gap, program=program, check=_check_gap)
        writes.set_many(actor, gap, "affected_agencies", affected, program=program)
    return gap


def gap_update(*, actor: Actor, gap: ServiceGap, data: dict, affected=None) -> ServiceGap:
    policy_for(ServiceGap).require_on(actor, gap, "change")
    if affected is not None:
        _check_affected(gap.program, affected)
    with transaction.atomic():
        writes.update(
            actor, gap, program=gap.program, data=data, allowed=GAP_FIELDS, check=_check_gap
        )
        if affected is not None:
            writes.set_many(actor, gap, "affected_agencies", affected, program=gap.program)
    return gap


def gap_delete(*, actor: Actor, gap: ServiceGap) -> None:
    policy_for(ServiceGap).require_on(actor, gap, "delete")
    writes.delete(actor, gap, program=gap.program)
