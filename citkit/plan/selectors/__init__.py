"""Reads of the plan: progress per phase, tasks with their measured progress."""

from dataclasses import dataclass, field

from citkit.core import measures
from citkit.core.models import Program
from citkit.plan.models import Phase, Task


@dataclass
class TaskView:
    task: Task
    measurement: measures.Measurement | None
    waiting_on: list[Task]

    @property
    def disagreement(self) -> str:
        """Typed status and measured progress tell different stories."""
        m = self.measurement
        if m is None:
            return ""
        if self.task.status == Task.Status.DONE and not m.complete:
            return f"Marked done, but the records say {m.text.lower()}."
        if self.task.status != Task.Status.DONE and m.complete:
            return f"The records say this is complete ({m.text.lower()}); mark it done?"
        return ""


@dataclass
class PhaseView:
    phase: Phase
    tasks: list[TaskView] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.phase.key

    @property
    def active_tasks(self) -> list[TaskView]:
        return [t for t in self.tasks if not t.task.retired]

    @property
    def done(self) -> int:
        return sum(1 for t in self.active_tasks if t.task.status == Task.Status.DONE)

    @property
    def total(self) -> int:
        return len(self.active_tasks)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class PlanProgress:
    phases: list[PhaseView]

    @property
    def done(self) -> int:
        return sum(p.done for p in self.phases)

    @property
    def total(self) -> int:
        return sum(p.total for p in self.phases)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def disagreements(self) -> list[TaskView]:
        return [t for p in self.phases for t in p.active_tasks if t.disagreement]


def plan_progress(program: Program, *, include_retired: bool = True) -> PlanProgress:
    """The whole plan in a fixed number of queries, each measure computed once."""
    phases = list(Phase.objects.filter(program=program).order_by("order"))
    tasks = list(
        Task.objects.filter(program=program)
        .select_related("owner", "subcommittee")
        .prefetch_related("depends_on")
        .order_by("phase__order", "order", "id")
    )
    measured = measures.measure_all(program, (t.measure for t in tasks))
    views = {p.pk: PhaseView(phase=p) for p in phases}
    for task in tasks:
        if task.retired and not include_retired:
            continue
        waiting = [
            d for d in task.depends_on.all() if d.status != Task.Status.DONE and not d.retired
        ]
        views[task.phase_id].tasks.append(
            TaskView(task=task, measurement=measured.get(task.measure), waiting_on=waiting)
        )
    return PlanProgress(phases=list(views.values()))
