"""The partner directory's block of the program's home page."""

from django.db.models import Count, Q

from citkit.core.registry import HomePanel
from citkit.partners.models import Agency, AgencyType


def panel(request, program) -> HomePanel | None:
    agencies = Agency.objects.visible_to(request.user, program).filter(active=True)
    rows = agencies.values_list("agency_type").annotate(
        n=Count("id"), round_the_clock=Count("id", filter=Q(operates_24_7=True))
    )
    by_type = {t: (n, n24) for t, n, n24 in rows.order_by()}
    return HomePanel(
        "partners/_home_panel.html",
        {
            "agencies_total": sum(n for n, _ in by_type.values()),
            "agencies_24_7": sum(n24 for _, n24 in by_type.values()),
            "missing_types": [label for value, label in AgencyType.choices if value not in by_type],
        },
    )
