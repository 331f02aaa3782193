"""Writes to the committee: seats, subcommittees, meetings, decisions, action items, gaps.

Coordinators and committee members (manage_committee) change everything; the
owner of an action item may update its status and notes.
"""

from typing import TypeVar

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
from citkit.core import audit
from citkit.core.models import AuditEntry, Membership, Program
from citkit.core.permissions import require
from citkit.core.services import apply_changes, full_clean

TIMESTAMPS = ("created_at", "updated_at")


def _manage(actor, program: Program) -> None:
    if actor is not None:
        require(actor, program, "manage_committee")


def _check_agency(obj, field: str, program: Program) -> None:
    agency = getattr(obj, field, None)
    if agency is not None and agency.program_id != program.pk:
        raise ValidationError({field: "That agency is not a partner in this program."})


def _check_member(user, program: Program, field: str) -> None:
    if user is not None and not Membership.objects.filter(user=user, program=program).exists():
        raise ValidationError({field: f"{user.get_username()} is not a member of this program."})


M = TypeVar("M", bound=models.Model)


def _create(actor, obj: M, program: Program) -> M:
    full_clean(obj)
    with transaction.atomic():
        obj.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=obj,
            program=program,
            after=audit.snapshot(obj, exclude=TIMESTAMPS),
        )
    return obj


def _update(actor, obj: M, program: Program, data: dict, allowed: set[str], check=None) -> M:
    with transaction.atomic():
        before = audit.snapshot(obj, exclude=TIMESTAMPS)
        apply_changes(obj, data, allowed)
        if check:
            check(obj)
        full_clean(obj)
        obj.save()
        after = audit.snapshot(obj, exclude=TIMESTAMPS)
        if after != before:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=obj,
                program=program,
                before=before,
                after=after,
            )
    return obj


def _delete(actor, obj: models.Model, program: Program) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=obj,
            program=program,
            before=audit.snapshot(obj, exclude=TIMESTAMPS),
        )
        obj.delete()


# --- Seats ---------------------------------------------------------------------

SEAT_FIELDS = {"holder_name", "agency", "user", "seat_type", "start_date", "end_date"}


def seat_create(*, actor, program: Program, data: dict) -> Seat:
    _manage(actor, program)
    seat = Seat(program=program)
    apply_changes(seat, data, SEAT_FIELDS)
    _check_agency(seat, "agency", program)
    _check_member(seat.user, program, "user")
    return _create(actor, seat, program)


def seat_update(*, actor, seat: Seat, data: dict) -> Seat:
    _manage(actor, seat.program)

    def check(s):
        _check_agency(s, "agency", s.program)
        _check_member(s.user, s.program, "user")

    return _update(actor, seat, seat.program, data, SEAT_FIELDS, check)


def seat_delete(*, actor, seat: Seat) -> None:
    _manage(actor, seat.program)
    if seat.attendance.exists():
        raise ValidationError(
            "This seat has attendance on record; give it an end date instead of deleting it."
        )
    _delete(actor, seat, seat.program)


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


def subcommittees_seed(*, actor, program: Program) -> list[Subcommittee]:
    """The three subcommittees of the CIT model, where missing."""
    _manage(actor, program)
    created = []
    for name, charge in DEFAULT_SUBCOMMITTEES:
        if not Subcommittee.objects.filter(program=program, name=name).exists():
            created.append(
                subcommittee_create(
                    actor=actor, program=program, data={"name": name, "charge": charge}
                )
            )
    return created


def subcommittee_create(*, actor, program: Program, data: dict) -> Subcommittee:
    _manage(actor, program)
    sub = Subcommittee(program=program)
    apply_changes(sub, data, SUBCOMMITTEE_FIELDS)
    return _create(actor, sub, program)


def subcommittee_update(*, actor, subcommittee: Subcommittee, data: dict) -> Subcommittee:
    _manage(actor, subcommittee.program)
    return _update(actor, subcommittee, subcommittee.program, data, SUBCOMMITTEE_FIELDS)


def subcommittee_member_add(*, actor, subcommittee: Subcommittee, data: dict) -> SubcommitteeMember:
    _manage(actor, subcommittee.program)
    member = SubcommitteeMember(subcommittee=subcommittee)
    apply_changes(member, data, {"name", "agency", "perspective"})
    _check_agency(member, "agency", subcommittee.program)
    return _create(actor, member, subcommittee.program)


def subcommittee_member_remove(*, actor, member: SubcommitteeMember) -> None:
    _manage(actor, member.subcommittee.program)
    _delete(actor, member, member.subcommittee.program)


def subcommittee_report_add(*, actor, subcommittee: Subcommittee, data: dict) -> SubcommitteeReport:
    _manage(actor, subcommittee.program)
    report = SubcommitteeReport(subcommittee=subcommittee)
    apply_changes(report, data, {"reported_on", "title", "text"})
    return _create(actor, report, subcommittee.program)


# --- Meetings ------------------------------------------------------------------

MEETING_FIELDS = {"title", "starts_at", "ends_at", "location", "call_link", "status", "minutes"}


def meeting_create(*, actor, program: Program, data: dict) -> Meeting:
    _manage(actor, program)
    meeting = Meeting(program=program)
    apply_changes(meeting, data, MEETING_FIELDS)
    return _create(actor, meeting, program)


def meeting_update(*, actor, meeting: Meeting, data: dict) -> Meeting:
    _manage(actor, meeting.program)
    return _update(actor, meeting, meeting.program, data, MEETING_FIELDS)


def meeting_delete(*, actor, meeting: Meeting) -> None:
    _manage(actor, meeting.program)
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(
            "A meeting that was held is part of the record; it cannot be deleted."
        )
    _delete(actor, meeting, meeting.program)


def agenda_item_add(*, actor, meeting: Meeting, data: dict) -> AgendaItem:
    _manage(actor, meeting.program)
    item = AgendaItem(meeting=meeting)
    apply_changes(item, data, {"title", "presenter", "minutes", "notes", "order"})
    if not data.get("order"):
        item.order = meeting.agenda_items.count() + 1
    return _create(actor, item, meeting.program)


def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    _manage(actor, item.meeting.program)
    _delete(actor, item, item.meeting.program)


def attendance_record(*, actor, meeting: Meeting, statuses: dict[int, str]) -> list[Attendance]:
    """Set present/absent/excused per seat id; seats must be on this program's committee."""
    program = meeting.program
    _manage(actor, program)
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
                row = _create(
                    actor, Attendance(meeting=meeting, seat=seats[seat_id], status=status), program
                )
            elif row.status != status:
                row = _update(actor, row, program, {"status": status}, {"status"})
            rows.append(row)
    return rows


DECISION_FIELDS = {"text", "decided_by", "votes_for", "votes_against", "abstentions"}


def decision_record(*, actor, meeting: Meeting, data: dict) -> Decision:
    _manage(actor, meeting.program)
    decision = Decision(meeting=meeting)
    apply_changes(decision, data, DECISION_FIELDS)
    return _create(actor, decision, meeting.program)


# --- Action items --------------------------------------------------------------

ACTION_FIELDS = {"title", "owner", "due_date", "status", "notes", "meeting", "decision"}
OWNER_FIELDS = {"status", "notes"}


def _check_action(item: ActionItem) -> None:
    program = item.program
    _check_member(item.owner if item.owner_id else None, program, "owner")
    if item.meeting is not None and item.meeting.program_id != program.pk:
        raise ValidationError({"meeting": "That meeting belongs to another program."})
    if item.decision is not None and item.decision.meeting.program_id != program.pk:
        raise ValidationError({"decision": "That decision belongs to another program."})
    if item.status == ActionItem.Status.DONE and item.completed_at is None:
        item.completed_at = timezone.now()
    elif item.status != ActionItem.Status.DONE:
        item.completed_at = None


def action_item_create(*, actor, program: Program, data: dict, concerns=None) -> ActionItem:
    _manage(actor, program)
    item = ActionItem(program=program)
    apply_changes(item, data, ACTION_FIELDS)
    if concerns is not None:
        if getattr(concerns, "program_id", program.pk) != program.pk:
            raise ValidationError({"concerns": "That record belongs to another program."})
        item.concerns_type = ContentType.objects.get_for_model(concerns)
        item.concerns_id = str(concerns.pk)
    _check_action(item)
    return _create(actor, item, program)


def action_item_update(*, actor, item: ActionItem, data: dict) -> ActionItem:
    """Committee managers change anything; the owner changes status and notes."""
    program = item.program
    if actor is not None:
        require(actor, program, "view_program")
        from citkit.core.permissions import has_capability

        if not has_capability(actor, program, "manage_committee"):
            if item.owner_id != actor.pk:
                raise PermissionDenied("Only the owner or the committee may change this item.")
            if set(data) - OWNER_FIELDS:
                raise PermissionDenied("As its owner you may change the status and notes only.")
    return _update(actor, item, program, data, ACTION_FIELDS, _check_action)


def action_item_delete(*, actor, item: ActionItem) -> None:
    _manage(actor, item.program)
    _delete(actor, item, item.program)


# --- Service gaps --------------------------------------------------------------

GAP_FIELDS = {"title", "description", "workaround", "owner", "target_date", "status"}


def gap_create(*, actor, program: Program, data: dict, affected=()) -> ServiceGap:
    _manage(actor, program)
    gap = ServiceGap(program=program)
    apply_changes(gap, data, GAP_FIELDS)
    _check_member(gap.owner, program, "owner")
    if any(a.program_id != program.pk for a in affected):
        raise ValidationError(
            {"affected_agencies": "Only this program's partners can be affected."}
        )
    with transaction.atomic():
        _create(actor, gap, program)
        gap.affected_agencies.set(affected)
    return gap


def gap_update(*, actor, gap: ServiceGap, data: dict, affected=None) -> ServiceGap:
    _manage(actor, gap.program)
    if affected is not None and any(a.program_id != gap.program_id for a in affected):
        raise ValidationError(
            {"affected_agencies": "Only this program's partners can be affected."}
        )
    with transaction.atomic():
        _update(
            actor,
            gap,
            gap.program,
            data,
            GAP_FIELDS,
            lambda g: _check_member(g.owner, g.program, "owner"),
        )
        if affected is not None:
            before = sorted(gap.affected_agencies.values_list("pk", flat=True))
            after = sorted(a.pk for a in affected)
            if before != after:
                gap.affected_agencies.set(affected)
                audit.record(
                    actor=actor,
                    action=AuditEntry.Action.UPDATE,
                    obj=gap,
                    program=gap.program,
                    before={"affected_agencies": before},
                    after={"affected_agencies": after},
                )
    return gap


def gap_delete(*, actor, gap: ServiceGap) -> None:
    _manage(actor, gap.program)
    _delete(actor, gap, gap.program)
