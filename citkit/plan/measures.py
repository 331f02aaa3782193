"""Progress measured from the records, not typed in.

A measure is a named function of a program returning how much of something is
done out of how much ("MOU: 5 of 7 parties signed"). Plan tasks name a measure;
the plan shows it next to the typed status and flags disagreement. Each
capability registers the measures its data supports:

    @register("mou_signatures", "MOU signatures collected")
    def mou_signatures(program) -> Measurement: ...
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from citkit.core.models import Program


@dataclass(frozen=True)
class Measurement:
    done: int
    total: int
    text: str

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def percent(self) -> int:
        if self.total <= 0:
            return 0
        return min(100, round(100 * self.done / self.total))


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    compute: Callable[[Program], Measurement]


REGISTRY: dict[str, Measure] = {}


def register(key: str, label: str):
    def decorator(function: Callable[[Program], Measurement]):
        if key in REGISTRY:
            raise ValueError(f"A measure named {key!r} is already registered.")
        REGISTRY[key] = Measure(key=key, label=label, compute=function)
        return function

    return decorator


def choices() -> list[tuple[str, str]]:
    return [
        ("", "— none —"),
        *sorted(((m.key, m.label) for m in REGISTRY.values()), key=lambda c: c[1]),
    ]


def measure(program: Program, key: str) -> Measurement | None:
    """The measurement of one measure, or None for an unknown key."""
    found = REGISTRY.get(key)
    return found.compute(program) if found else None


def measure_all(program: Program, keys) -> dict[str, Measurement]:
    """Each distinct key computed once (a plan names the same measure on several tasks)."""
    return {key: m for key in set(keys) if key and (m := measure(program, key)) is not None}


# --- Measures whose data citkit already holds ---------------------------------


@register("committee_core_partners", "Steering committee has its core partners")
def committee_core_partners(program: Program) -> Measurement:
    from citkit.committee.selectors import committee_composition

    check = committee_composition(program)
    done = sum(1 for _, present in check.required if present)
    missing = ", ".join(label for label, present in check.required if not present)
    text = f"{done} of {len(check.required)} core partners seated"
    return Measurement(
        done, len(check.required), text + (f" (missing: {missing})" if missing else "")
    )


@register("committee_chair", "A chair is selected")
def committee_chair(program: Program) -> Measurement:
    from citkit.committee.selectors import active_seats

    chairs = active_seats(program).filter(seat_type="chair").count()
    return Measurement(min(chairs, 1), 1, "Chair selected" if chairs else "No chair yet")


@register("cit_coordinators", "Law-enforcement and mental-health CIT coordinators designated")
def cit_coordinators(program: Program) -> Measurement:
    from citkit.committee.selectors import active_seats

    types = set(
        active_seats(program)
        .filter(seat_type__in=["le_coordinator", "mh_coordinator"])
        .values_list("seat_type", flat=True)
    )
    return Measurement(len(types), 2, f"{len(types)} of 2 CIT coordinators designated")


@register(
    "subcommittees_balanced", "Subcommittees each include an officer, a provider and an advocate"
)
def subcommittees_balanced(program: Program) -> Measurement:
    from citkit.committee.models import Subcommittee

    rows = Subcommittee.objects.filter(program=program).annotate(
        officers=Count("members", filter=Q(members__perspective="officer")),
        providers=Count("members", filter=Q(members__perspective="provider")),
        advocates=Count("members", filter=Q(members__perspective="advocate")),
    )
    total = len(rows)
    done = sum(1 for r in rows if r.officers and r.providers and r.advocates)
    return Measurement(done, total, f"{done} of {total} subcommittees balanced")


@register("subcommittee_reports", "Subcommittees have reported back")
def subcommittee_reports(program: Program) -> Measurement:
    from citkit.committee.models import Subcommittee

    rows = Subcommittee.objects.filter(program=program).annotate(n=Count("reports"))
    total = len(rows)
    done = sum(1 for r in rows if r.n)
    return Measurement(done, total, f"{done} of {total} subcommittees have reported")


# The partners the toolkit brings in for a 24-hour program (domain.md §1).
IMPLEMENTATION_PARTNERS = [
    "law_enforcement",
    "dispatch",
    "mental_health",
    "receiving_facility",
    "emergency_department",
    "ems",
    "social_services",
    "youth_services",
    "veterans_services",
    "advocacy",
]


@register("partners_engaged", "Implementation partners engaged")
def partners_engaged(program: Program) -> Measurement:
    from citkit.partners.models import Agency

    present = set(
        Agency.objects.filter(program=program, active=True, agency_type__in=IMPLEMENTATION_PARTNERS)
        .values_list("agency_type", flat=True)
        .distinct()
    )
    total = len(IMPLEMENTATION_PARTNERS)
    return Measurement(len(present), total, f"{len(present)} of {total} kinds of partner engaged")


@register("meets_regularly", "The committee meets regularly (3 meetings in 90 days)")
def meets_regularly(program: Program) -> Measurement:
    from citkit.committee.models import Meeting

    since = timezone.now() - datetime.timedelta(days=90)
    held = Meeting.objects.filter(
        program=program, status=Meeting.Status.HELD, starts_at__gte=since
    ).count()
    return Measurement(min(held, 3), 3, f"{held} meetings held in the last 90 days")


@register("gaps_managed", "Service gaps have a workaround or are resolved")
def gaps_managed(program: Program) -> Measurement:
    from citkit.committee.models import ServiceGap

    gaps = ServiceGap.objects.filter(program=program).exclude(status=ServiceGap.Status.ACCEPTED)
    total = gaps.count()
    done = gaps.filter(
        status__in=[ServiceGap.Status.WORKAROUND, ServiceGap.Status.RESOLVED]
    ).count()
    return Measurement(done, total, f"{done} of {total} gaps managed")
