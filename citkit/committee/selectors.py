"""Reads of the committee that need more than one line."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from citkit.committee.models import Seat, SeatType
from citkit.core.models import Program


def program_today(program: Program) -> datetime.date:
    """Today in the program's own time zone (a due date is a local date)."""
    import zoneinfo

    return timezone.now().astimezone(zoneinfo.ZoneInfo(program.time_zone)).date()


def active_seats(program: Program, on: datetime.date | None = None) -> QuerySet[Seat]:
    on = on or program_today(program)
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
    (domain.md §1, Commit). A seat counts by its type or by its agency's type."""
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
