"""Writes to the implementation plan: seeding, tasks, dependencies, order, snapshots.

Pages, API and the demo call these, so a task follows the same rules wherever it
is changed. Each checks the plan's policy, validates and writes through
`core.writes` (one transaction, one audit entry).
"""

import datetime
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from citkit.core import measures, writes
from citkit.core.audit import Actor
from citkit.core.models import Program
from citkit.core.policies import policy_for
from citkit.core.services import require_member
from citkit.plan.models import Phase, ProgressSnapshot, Task, TaskAttachment, week_of
from citkit.plan.seed import DEPENDENCIES, ROADMAP

TASK_FIELDS = {
    "phase",
    "title",
    "description",
    "owner",
    "subcommittee",
    "start_date",
    "due_date",
    "status",
    "notes",
    "measure",
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def plan_seed(*, actor: Actor, program: Program) -> int:
    """Give the program the CIT roadmap: five phases and their steps. Idempotent.
    Returns how many tasks were added."""
    policy_for(Task).require(actor, program, "add")
    created = 0
    with transaction.atomic():
        by_key = {}
        for phase_order, (phase_key, phase_name, steps) in enumerate(ROADMAP, start=1):
            phase = Phase.objects.filter(program=program, key=phase_key).first()
            if phase is None:
                phase = writes.create(
                    actor,
                    Phase(program=program, key=phase_key, name=phase_name, order=phase_order),
                    program=program,
                )
            for order, (key, title, measure) in enumerate(steps, start=1):
                task = Task.objects.filter(program=program, key=key).first()
                if task is None:
                    task = Task(
                        program=program,
                        phase=phase,
                        key=key,
                        title=title,
                        order=order,
                        measure=measure,
                    )
                    writes.create(actor, task, program=program)
                    created += 1
                by_key[key] = task
        for key, needs in DEPENDENCIES.items():
            task = by_key[key]
            # Added to what the task already waits on (a program may have added its own).
            wanted = {*task.depends_on.all(), *(by_key[n] for n in needs)}
            writes.set_many(actor, task, "depends_on", list(wanted), program=program)
    return created


# --- Tasks ---------------------------------------------------------------------------


def _waiting_message(waiting: Iterable[Task]) -> str:
    return "It still waits on: " + "; ".join(t.title for t in waiting) + "."


def _check_task(task: Task, *, depends_on: list[Task] | None = None) -> None:
    """The rules of a task. `depends_on` is what it will wait on once saved (None: as
    it is now)."""
    errors = {}
    if task.phase_id and task.phase.program_id != task.program_id:
        errors["phase"] = "That phase belongs to another program."
    if task.subcommittee is not None and task.subcommittee.program_id != task.program_id:
        errors["subcommittee"] = "That subcommittee belongs to another program."
    if task.measure and task.measure not in measures.REGISTRY:
        errors["measure"] = f"There is no measure named “{task.measure}”."
    if task.start_date and task.due_date and task.due_date < task.start_date:
        errors["due_date"] = "The due date is before the start date."
    if errors:
        raise ValidationError(errors)
    require_member(task.owner, task.program, field="owner")
    # A task cannot be done while a task it depends on is still open: the plan would
    # claim, say, "training held" before the curriculum it needs exists.
    if task.status == Task.Status.DONE:
        if depends_on is not None:
            waiting = [d for d in depends_on if d.is_open]
        else:
            waiting = task.open_dependencies() if task.pk else []
        if waiting:
            raise ValidationError({"status": _waiting_message(waiting)})
        if task.completed_at is None:
            task.completed_at = timezone.now()
    else:
        task.completed_at = None


def _check_dependencies(task: Task, depends_on: list[Task]) -> None:
    """Same program only, and no cycles."""
    if any(d.program_id != task.program_id for d in depends_on):
        raise ValidationError({"depends_on": "Tasks of another program cannot be dependencies."})
    if task.pk is None:
        return  # nothing waits on a new task yet, so it closes no cycle
    if any(d.pk == task.pk for d in depends_on):
        raise ValidationError({"depends_on": "A task cannot wait on itself."})
    # Walk what each new dependency waits on; finding the task means a cycle.
    seen: set[int] = set()
    frontier = [d.pk for d in depends_on]
    links = Task.depends_on.through.objects
    while frontier:
        if task.pk in frontier:
            raise ValidationError({"depends_on": "That would make tasks wait on each other."})
        seen.update(frontier)
        frontier = [
            pk
            for pk in links.filter(from_task_id__in=frontier).values_list("to_task_id", flat=True)
            if pk not in seen
        ]


def _replace_dependencies(actor: Actor, task: Task, depends_on: list[Task]) -> None:
    writes.set_many(actor, task, "depends_on", depends_on, program=task.program)


def task_create(*, actor: Actor, program: Program, data: dict) -> Task:
    """Add a task at the end of its phase; `data` may name what it waits on
    (`depends_on`)."""
    policy_for(Task).require(actor, program, "add")
    data = dict(data)
    depends_on = data.pop("depends_on", None)
    depends_on = list(depends_on) if depends_on is not None else None
    task = Task(program=program)
    writes.apply_changes(task, data, TASK_FIELDS)
    with transaction.atomic():
        if depends_on is not None:
            _check_dependencies(task, depends_on)
        if task.phase_id:
            last = Task.objects.filter(phase=task.phase).aggregate(m=Max("order"))["m"] or 0
            task.order = last + 1
        writes.create(
            actor, task, program=program, check=partial(_check_task, depends_on=depends_on or [])
        )
        if depends_on:
            _replace_dependencies(actor, task, depends_on)
    return task


def task_update(*, actor: Actor, task: Task, data: dict) -> Task:
    """Change a task's fields and, if `data` has `depends_on`, what it waits on, all or
    nothing. The dependency rule is judged on the status and dependencies it will have."""
    policy_for(Task).require_on(actor, task, "change")
    data = dict(data)
    depends_on = data.pop("depends_on", None)
    depends_on = list(depends_on) if depends_on is not None else None
    with transaction.atomic():
        if depends_on is not None:
            _check_dependencies(task, depends_on)
        writes.update(
            actor,
            task,
            program=task.program,
            data=data,
            allowed=TASK_FIELDS,
            check=partial(_check_task, depends_on=depends_on),
        )
        if depends_on is not None:
            _replace_dependencies(actor, task, depends_on)
    return task


def task_set_status(*, actor: Actor, task: Task, status: str) -> Task:
    """Only the status (the plan page's in-place change); the same rules as an edit."""
    return task_update(actor=actor, task=task, data={"status": status})


def task_set_dependencies(*, actor: Actor, task: Task, depends_on: list[Task]) -> Task:
    """Replace what the task waits on. Same program only, no cycles, and a done task
    cannot be made to wait on open ones."""
    policy_for(Task).require_on(actor, task, "change")
    depends_on = list(depends_on)
    _check_dependencies(task, depends_on)
    if task.status == Task.Status.DONE:
        waiting = [d for d in depends_on if d.is_open]
        if waiting:
            names = "; ".join(t.title for t in waiting)
            raise ValidationError(
                {"depends_on": f"A done task cannot wait on open tasks: {names}."}
            )
    with transaction.atomic():
        _replace_dependencies(actor, task, depends_on)
    return task


def task_move(*, actor: Actor, task: Task, direction: str) -> Task:
    """Move a task up or down within its phase (at either end it stays put)."""
    policy_for(Task).require_on(actor, task, "change")
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Use up or down."})
    with transaction.atomic():
        siblings = list(
            Task.objects.select_for_update().filter(phase=task.phase).order_by("order", "id")
        )
        index = next(i for i, t in enumerate(siblings) if t.pk == task.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            return task
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for order, sibling in enumerate(siblings, start=1):
            if sibling.order != order:
                writes.update(
                    actor,
                    sibling,
                    program=task.program,
                    data={"order": order},
                    allowed={"order"},
                )
    task.refresh_from_db()
    return task


def task_retire(*, actor: Actor, task: Task, retired: bool = True) -> Task:
    """Take a task out of the plan (or back in); kept for the record, not deleted."""
    policy_for(Task).require_on(actor, task, "change")
    return writes.update(
        actor, task, program=task.program, data={"retired": retired}, allowed={"retired"}
    )


# --- Attachments -----------------------------------------------------------------------


def attachment_add(
    *, actor: Actor, task: Task, filename: str, content: bytes, content_type: str
) -> TaskAttachment:
    attachment = TaskAttachment(
        task=task,
        filename=filename[:255],
        content=content,
        size=len(content),
        content_type=content_type[:100] or "application/octet-stream",
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    policy_for(TaskAttachment).require_on(actor, attachment, "add")
    if not content:
        raise ValidationError({"file": "The file is empty."})
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": "Attachments may be at most 10 MB."})
    # The uploader is empty when the system attaches a file. The trail keeps the
    # file's name, type and size, not its bytes (see audit.picture).
    return writes.create(actor, attachment, program=task.program, exclude=["uploaded_by"])


# --- Snapshots ---------------------------------------------------------------------------


def snapshot_take(*, program: Program, on: datetime.date | None = None) -> ProgressSnapshot:
    """Record this week's completion (run weekly by a scheduler; safe to run again).
    The week is the program's: "today" where the program is."""
    from citkit.plan.selectors import plan_progress

    on = on or program.today()
    progress = plan_progress(program)
    snapshot, _ = ProgressSnapshot.objects.update_or_create(
        program=program,
        week=week_of(on),
        defaults={
            "overall": progress.percent,
            "by_phase": {p.key: p.percent for p in progress.phases},
            "taken_at": timezone.now(),
        },
    )
    return snapshot
