"""What the plan lends the committee: action items may concern a plan task."""

from citkit.committee.concerns import ConcernKind, register_concern
from citkit.plan.models import Task


def _offered(queryset):
    # A retired task has left the plan: nothing new is meant to move it forward.
    return queryset.filter(retired=False).order_by("phase__order", "order", "id")


TASK_CONCERN = register_concern(
    ConcernKind(
        key="task",
        model=Task,
        label="Concerns plan task",
        help_text="Optional: the implementation-plan task this item moves forward.",
        api_help_text="On create only: the plan task this item concerns.",
        choices=_offered,
    )
)
