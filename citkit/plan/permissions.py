"""Who may see and change the implementation plan: the committee's readers see it,
coordinators and committee members keep it."""

from citkit.core.policies import Policy, register
from citkit.plan.models import Phase, ProgressSnapshot, Task, TaskAttachment

PLAN = {
    "view": {"view_committee"},
    "add": {"manage_committee"},
    "change": {"manage_committee"},
    "delete": {"manage_committee"},
}


@register
class PhasePolicy(Policy):
    model = Phase
    capabilities = PLAN


@register
class TaskPolicy(Policy):
    model = Task
    capabilities = PLAN


@register
class TaskAttachmentPolicy(Policy):
    model = TaskAttachment
    program_path = "task__program"
    capabilities = PLAN


@register
class ProgressSnapshotPolicy(Policy):
    model = ProgressSnapshot
    capabilities = {**PLAN, "add": {"view_committee"}}
