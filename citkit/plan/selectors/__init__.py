"""Reads of the plan: progress per phase, tasks with their measured progress, and
what a task's page shows. The dashboard's figures are in `selectors.dashboard`."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from citkit.committee.models import ActionItem
from citkit.core import freshness, measures
from citkit.core.models import Program
from citkit.plan.models import Phase, Task, TaskAttachment


@dataclass
class TaskView:
    task: Task
    measurement: measures.Measurement | None
    waiting_on: list[Task]
    overdue: bool = False  # as of the day the plan was read for

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
    def retired_tasks(self) -> list[TaskView]:
        return [t for t in self.tasks if t.task.retired]

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


def plan_progress(
    program: Program, *, include_retired: bool = True, today: datetime.date | None = None
) -> PlanProgress:
    """The whole plan in a fixed number of queries, each measure computed once. With
    `today`, each task also says whether it is overdue."""
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
        views[task.phase_id].tasks.append(
            TaskView(
                task=task,
                measurement=measured.get(task.measure),
                waiting_on=task.open_dependencies(),
                overdue=bool(today and task.is_overdue(today)),
            )
        )
    return PlanProgress(phases=list(views.values()))


def kept_plan_progress(program: Program, *, today: datetime.date) -> PlanProgress:
    """`plan_progress` for the plan page, computed once per change of the program's data.

    The page shows the whole plan with every task's measure: about 15 queries and the
    measures' Python, the same for every reader, on every view. Measures read only the
    program's own records, whose every change passes through a service
    (core.freshness), and "overdue" moves with the day, which is part of the key.
    Writes use `plan_progress` itself.
    """
    return freshness.cached(
        program.pk,
        f"plan:progress:{today.isoformat()}",
        lambda: plan_progress(program, today=today),
    )


@dataclass
class TaskPage:
    """Everything a task's own page shows."""

    view: TaskView
    measure_label: str
    dependencies: list[Task]
    dependents: list[Task]
    attachments: list[TaskAttachment]
    action_items: list[ActionItem]
    overdue: bool


def task_page(task: Task, user, *, today: datetime.date) -> TaskPage:
    program = task.program
    dependencies = list(task.depends_on.select_related("phase").order_by("phase__order"))
    found = measures.REGISTRY.get(task.measure)
    return TaskPage(
        view=TaskView(
            task=task,
            measurement=measures.measure(program, task.measure) if task.measure else None,
            waiting_on=[d for d in dependencies if d.is_open],
        ),
        measure_label=found.label if found else "",
        dependencies=dependencies,
        dependents=list(task.dependents.select_related("phase").order_by("phase__order")),
        attachments=list(task.attachments.defer("content").select_related("uploaded_by")),
        # Action items go through their own policy: a task's page shows only those
        # the reader may see.
        action_items=list(
            ActionItem.objects.visible_to(user, program)
            .filter(
                concerns_type=ContentType.objects.get_for_model(Task),
                concerns_id=str(task.pk),
            )
            .select_related("owner")
        ),
        overdue=task.is_overdue(today),
    )
