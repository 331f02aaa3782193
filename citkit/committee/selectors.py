"""Reads of the committee that need more than one line, and how the pages and the API
present them (the composition and balance checks, the sort annotations)."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import Case, DateField, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from citkit.committee.models import ActionItem, Meeting, Seat, SeatType, ServiceGap
from citkit.core.models import Program


def active_seats(program: Program, on: datetime.date | None = None) -> QuerySet[Seat]:
    on = on or program.today()
    return Seat.objects.filter(program=program, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )


@dataclass(frozen=True)
class Composition:
    """Whether the committee has the core partners the CIT model asks for."""

    required: list[tuple[str, bool]]
    has_chair: bool
    seats: int

    @property
    def complete(self) -> bool:
        return all(present for _, present in self.required)

    @property
    def missing(self) -> list[str]:
        return [label for label, present in self.required if not present]


def committee_composition(program: Program) -> Composition:
    """At least one law-enforcement, one mental-health provider and one advocate seat
    (the toolkit's Commit phase). A seat counts by its type or by its agency's type."""
    seats = list(active_seats(program).select_related("agency"))

    def any_seat(seat_types, agency_types) -> bool:
        return any(
            s.seat_type in seat_types
            or (s.agency is not None and s.agency.agency_type in agency_types)
            for s in seats
        )

    required = [
        ("Law enforcement", any_seat({SeatType.LE_COORDINATOR}, {"law_enforcement"})),
        ("Mental-health provider", any_seat({SeatType.MH_COORDINATOR}, {"mental_health"})),
        ("Advocate (lived experience or family)", any_seat({SeatType.ADVOCATE}, {"advocacy"})),
    ]
    return Composition(
        required=required,
        has_chair=any(s.seat_type == SeatType.CHAIR for s in seats),
        seats=len(seats),
    )


def subcommittee_balance(subcommittee) -> dict[str, bool]:
    """Whether a subcommittee includes an officer, a provider and an advocate (§1)."""
    perspectives = {m.perspective for m in subcommittee.members.all()}
    return {
        "officer": "officer" in perspectives,
        "provider": "provider" in perspectives,
        "advocate": "advocate" in perspectives,
    }


# --- How the checks read on the pages and in the API ---------------------------------

BALANCE_LABELS = {
    "officer": "an officer",
    "provider": "a mental-health provider",
    "advocate": "an advocate",
}
# What the committee needs, phrased for the sentence under the composition check.
COMPOSITION_NEEDS = {
    "Law enforcement": "a law-enforcement seat",
    "Mental-health provider": "a mental-health provider seat",
    "Advocate (lived experience or family)": "an advocate seat (lived experience or family)",
    "Chair": "a chair",
}


def join_words(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def balance_view(subcommittee) -> dict:
    """The balance check of a subcommittee, with the sentence that names what is missing."""
    balance = subcommittee_balance(subcommittee)
    missing = [BALANCE_LABELS[key] for key, present in balance.items() if not present]
    if missing:
        sentence = f"It still needs {join_words(missing)}."
    else:
        sentence = "It includes an officer, a mental-health provider and an advocate."
    return {
        "flags": balance,
        "checks": [(BALANCE_LABELS[key], present) for key, present in balance.items()],
        "missing": missing,
        "sentence": sentence,
    }


def composition_view(program: Program) -> dict:
    """The composition check for the page: one row per requirement and a sentence."""
    check = committee_composition(program)
    missing = list(check.missing)
    if not check.has_chair:
        missing.append("Chair")
    if missing:
        needs = [COMPOSITION_NEEDS.get(m, f"a {m.lower()} seat") for m in missing]
        sentence = f"The committee still needs {join_words(needs)}."
    else:
        sentence = (
            "The committee has the core partners the CIT model asks for "
            "(law enforcement, a mental-health provider and an advocate) and a chair."
        )
    return {
        "rows": [*check.required, ("Chair", check.has_chair)],
        "complete": not missing,
        "missing": missing,
        "sentence": sentence,
        "seats": check.seats,
    }


# --- List querysets with what their sorts and rows need ------------------------------


def action_items_for_list(queryset: QuerySet[ActionItem], today: datetime.date) -> QuerySet:
    """Items with `closed` (0 while open or in progress, 1 after) to sort open first, and
    `overdue` to flag late ones."""
    return queryset.with_overdue(today).annotate(  # type: ignore[attr-defined]
        closed=Case(
            When(status__in=ActionItem.OPEN_STATUSES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


# A gap without a target date sorts after every dated one.
NO_TARGET = datetime.date(9999, 12, 31)


def gaps_for_list(queryset: QuerySet[ServiceGap], today: datetime.date) -> QuerySet[ServiceGap]:
    """Gaps with the annotations the sorts need and what a row shows, in fixed queries:
    `status_rank` (open first), `target_key` (undated last) and `overdue`."""
    rank = Case(
        *(When(status=s, then=Value(i)) for i, s in enumerate(ServiceGap.Status.values)),
        default=Value(len(ServiceGap.Status.values)),
        output_field=IntegerField(),
    )
    return (
        queryset.with_overdue(today)  # type: ignore[attr-defined]
        .annotate(
            status_rank=rank,
            target_key=Coalesce("target_date", Value(NO_TARGET), output_field=DateField()),
        )
        .select_related("owner")
        .prefetch_related("affected_agencies")
    )


def seats_and_attendance(meeting: Meeting) -> tuple[list[Seat], dict[int, str]]:
    """Seats active on the meeting's (local) date, plus any other seat with attendance
    recorded for it, in roll-call order; and the recorded status per seat id."""
    program = meeting.program
    day = meeting.starts_at.astimezone(zoneinfo.ZoneInfo(program.time_zone)).date()
    recorded = list(meeting.attendance.select_related("seat__agency"))
    seats = list(active_seats(program, on=day).select_related("agency"))
    listed = {s.pk for s in seats}
    seats += [a.seat for a in recorded if a.seat_id not in listed]
    seats.sort(key=lambda s: (s.holder_name.casefold(), s.pk))
    return seats, {a.seat_id: a.status for a in recorded}
