"""Plan measures over the committee's own records: seats, subcommittees, meetings, gaps."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from citkit.committee.models import Meeting, ServiceGap, Subcommittee
from citkit.committee.selectors import active_seats, committee_composition
from citkit.core.measures import Measurement, register
from citkit.core.models import Program


@register("committee_core_partners", "Steering committee has its core partners")
def committee_core_partners(program: Program) -> Measurement:
    check = committee_composition(program)
    done = sum(1 for _, present in check.required if present)
    missing = ", ".join(label for label, present in check.required if not present)
    text = f"{done} of {len(check.required)} core partners seated"
    return Measurement(
        done, len(check.required), text + (f" (missing: {missing})" if missing else "")
    )


@register("committee_chair", "A chair is selected")
def committee_chair(program: Program) -> Measurement:
    chairs = active_seats(program).filter(seat_type="chair").count()
    return Measurement(min(chairs, 1), 1, "Chair selected" if chairs else "No chair yet")


@register("cit_coordinators", "Law-enforcement and mental-health CIT coordinators designated")
def cit_coordinators(program: Program) -> Measurement:
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
    rows = Subcommittee.objects.filter(program=program).annotate(n=Count("reports"))
    total = len(rows)
    done = sum(1 for r in rows if r.n)
    return Measurement(done, total, f"{done} of {total} subcommittees have reported")


@register("meets_regularly", "The committee meets regularly (3 meetings in 90 days)")
def meets_regularly(program: Program) -> Measurement:
    since = timezone.now() - datetime.timedelta(days=90)
    held = Meeting.objects.filter(
        program=program, status=Meeting.Status.HELD, starts_at__gte=since
    ).count()
    return Measurement(min(held, 3), 3, f"{held} meetings held in the last 90 days")


@register("gaps_managed", "Service gaps have a workaround or are resolved")
def gaps_managed(program: Program) -> Measurement:
    gaps = ServiceGap.objects.filter(program=program).exclude(status=ServiceGap.Status.ACCEPTED)
    total = gaps.count()
    done = gaps.filter(
        status__in=[ServiceGap.Status.WORKAROUND, ServiceGap.Status.RESOLVED]
    ).count()
    return Measurement(done, total, f"{done} of {total} gaps managed")
