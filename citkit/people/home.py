"""The roster's block of the program's home page: counts only, never names."""

from django.db.models import Count, Q

from citkit.core import freshness
from citkit.core.permissions import has_capability
from citkit.core.registry import HomePanel
from citkit.people.models import Person, PersonKind, PersonStatus, Shift


def panel(request, program) -> HomePanel | None:
    user = request.user
    if not (
        has_capability(user, program, "view_aggregates")
        or has_capability(user, program, "view_people")
    ):
        return None
    # Two aggregates over the whole roster (about 100 ms at 50,000 officers), the same
    # for every reader who may see them: kept until the program's data changes.
    context = freshness.cached(program.pk, "people:home-panel", lambda: _counts(program))
    return HomePanel("people/_home_panel.html", context)


def _counts(program) -> dict:
    people = Person.objects.filter(program=program, status=PersonStatus.ACTIVE)
    by_kind = dict(people.values_list("kind").annotate(n=Count("id")).order_by())
    shifts = {shift: Count("id", filter=Q(shift=shift)) for shift in Shift.values}
    by_district = list(
        people.filter(kind=PersonKind.OFFICER)
        .values("district")
        .annotate(total=Count("id"), **shifts)
        .order_by("district")
    )
    for row in by_district:
        # "All" is the sum of the columns shown; officers without a shift get their own.
        row["unassigned"] = row["total"] - sum(row[s] for s in Shift.values)
    return {
        "people_kinds": [
            (str(label), by_kind.get(value, 0)) for value, label in PersonKind.choices
        ],
        "by_district": by_district,
        "shifts": [(value, str(label)) for value, label in Shift.choices],
        "with_unassigned": any(row["unassigned"] for row in by_district),
    }
