"""Filters and sorts of the plan's task list (the API's; the plan page shows every task)."""

import django_filters

from citkit.plan.models import Task

# Sort keys, each ending in a unique column for keyset paging.
TASK_SORTS = {
    "plan": ["phase__order", "order", "id"],
    "updated": ["-updated_at", "-id"],
}


class TaskFilterSet(django_filters.FilterSet):
    # By id; an id of no phase of the program simply matches nothing.
    phase = django_filters.NumberFilter(field_name="phase_id", label="Phase")
    status = django_filters.ChoiceFilter(
        empty_label="Any", choices=Task.Status.choices, label="Status"
    )
    retired = django_filters.BooleanFilter(label="Retired")

    class Meta:
        model = Task
        fields = ["phase", "status", "retired"]
