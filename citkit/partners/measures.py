"""Plan measures over the partner directory."""

from citkit.core.measures import Measurement, register
from citkit.core.models import Program
from citkit.partners.models import Agency

# The partners the toolkit brings in for a 24-hour program.
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
    present = set(
        Agency.objects.filter(program=program, active=True, agency_type__in=IMPLEMENTATION_PARTNERS)
        .values_list("agency_type", flat=True)
        .distinct()
    )
    total = len(IMPLEMENTATION_PARTNERS)
    return Measurement(len(present), total, f"{len(present)} of {total} kinds of partner engaged")
