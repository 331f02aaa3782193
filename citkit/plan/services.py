"""Writes to the implementation plan: seeding, tasks, dependencies, order, snapshots."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from citkit.committee.services import _check_member
from citkit.core import audit, measures
from citkit.core.models import AuditEntry, Program
from citkit.core.permissions import require
from citkit.core.services import apply_changes, full_clean
from citkit.plan.models import Phase, ProgressSnapshot, Task, TaskAttachment
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
EXCLUDE = ("updated_at", "completed_at")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def _manage(actor, program: Program) -> None:
    if actor is not None:
        require(actor, program, "manage_committee")


def plan_seed(*, actor, program: Program) -> int:
    """Give the program the CIT roadmap: five phases and their steps. Idempotent."""
    _manage(actor, program)
    created = 0
    with transaction.atomic():
        by_key = {}
        for phase_order, (phase_key, phase_name, steps) in enumerate(ROADMAP, start=1):
            phase, _ = Phase.objects.get_or_create(
                program=program,
                key=phase_key,
                defaults={"name": phase_name, "order": phase_order},
            )
            for order, (key, title, measure) in enumerate(steps, start=1):
                task = Task.objects.filter(program=program, key=key).first()
                if task is None:
                    task = Task.objects.create(
                        program=program,
                        phase=phase,
                        key=key,
                        title=title,
                        order=order,
                        measure=measure,
                    )
                    created += 1
                    audit.record(
                        actor=actor,
                        action=AuditEntry.Action.CREATE,
                        obj=task,
                        program=program,
                        after=audit.snapshot(task, exclude=EXCLUDE),
                    )
                by_key[key] = task
        for key, needs in DEPENDENCIES.items():
            by_key[key].depends_on.add(*(by_key[n] for n in needs))
    return created


def _open_dependencies(task: Task) -> list[Task]:
    return [d for d in task.depends_on.all() if d.status != Task.Status.DONE and not d.retired]


def _check_task(task: Task) -> None:
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
    _check_member(task.owner, task.program, "owner")
    # A task cannot be done while a task it depends on is still open: the plan would
    # claim, say, "training held" before the curriculum it needs exists.
    if task.status == Task.Status.DONE and task.pk:
        waiting = _open_dependencies(task)
        if waiting:
            names = "; ".join(t.title for t in waiting)
            raise ValidationError({"status": f"It still waits on: {names}."})
    if task.status == Task.Status.DONE and task.completed_at is None:
        task.completed_at = timezone.now()
    elif task.status != Task.Status.DONE:
        task.completed_at = None


def task_create(*, actor, program: Program, data: dict) -> Task:
    _manage(actor, program)
    task = Task(program=program)
    apply_changes(task, data, TASK_FIELDS)
    if task.phase_id:
        last = Task.objects.filter(phase=task.phase).aggregate(m=Max("order"))["m"] or 0
        task.order = last + 1
    _check_task(task)
    full_clean(task)
    with transaction.atomic():
        task.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=task,
            program=program,
            after=audit.snapshot(task, exclude=EXCLUDE),
        )
    return task


def task_update(*, actor, task: Task, data: dict) -> Task:
    _manage(actor, task.program)
    with transaction.atomic():
        before = audit.snapshot(task, exclude=EXCLUDE)
        apply_changes(task, data, TASK_FIELDS)
        _check_task(task)
        full_clean(task)
        task.save()
        after = audit.snapshot(task, exclude=EXCLUDE)
        if after != before:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=task,
                program=task.program,
                before=before,
                after=after,
            )
    return task


def task_set_dependencies(*, actor, task: Task, depends_on: list[Task]) -> Task:
    """Replace what the task waits on. Same program only, and no cycles."""
    _manage(actor, task.program)
    if any(d.program_id != task.program_id for d in depends_on):
        raise ValidationError({"depends_on": "Tasks of another program cannot be dependencies."})
    if task in depends_on:
        raise ValidationError({"depends_on": "A task cannot wait on itself."})
    # Walk what each new dependency waits on; finding the task means a cycle.
    seen, frontier = set(), [d.pk for d in depends_on]
    while frontier:
        if task.pk in frontier:
            raise ValidationError({"depends_on": "That would make tasks wait on each other."})
        seen.update(frontier)
        frontier = [
            pk
            for pk in Task.depends_on.through.objects.filter(from_task_id__in=frontier).values_list(
                "to_task_id", flat=True
            )
            if pk not in seen
        ]
    if task.status == Task.Status.DONE:
        waiting = [d for d in depends_on if d.status != Task.Status.DONE and not d.retired]
        if waiting:
            raise ValidationError({"depends_on": "A done task cannot wait on open tasks."})
    with transaction.atomic():
        before = sorted(task.depends_on.values_list("pk", flat=True))
        task.depends_on.set(depends_on)
        after = sorted(d.pk for d in depends_on)
        if before != after:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=task,
                program=task.program,
                before={"depends_on": before},
                after={"depends_on": after},
            )
    return task


def task_move(*, actor, task: Task, direction: str) -> Task:
    """Move a task up or down within its phase."""
    _manage(actor, task.program)
    siblings = list(Task.objects.filter(phase=task.phase).order_by("order", "id"))
    index = next(i for i, t in enumerate(siblings) if t.pk == task.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Use up or down."})
    if not 0 <= other < len(siblings):
        return task
    siblings[index], siblings[other] = siblings[other], siblings[index]
    with transaction.atomic():
        for order, sibling in enumerate(siblings, start=1):
            if sibling.order != order:
                Task.objects.filter(pk=sibling.pk).update(order=order)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=task,
            program=task.program,
            before={"order": task.order},
            after={"order": other + 1},
        )
    task.refresh_from_db()
    return task


def task_retire(*, actor, task: Task, retired: bool = True) -> Task:
    """Take a task out of the plan (or back in); kept for the record, not deleted."""
    _manage(actor, task.program)
    with transaction.atomic():
        before = audit.snapshot(task, exclude=EXCLUDE)
        task.retired = retired
        task.save(update_fields=["retired", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=task,
            program=task.program,
            before=before,
            after=audit.snapshot(task, exclude=EXCLUDE),
        )
    return task


def attachment_add(
    *, actor, task: Task, filename: str, content: bytes, content_type: str
) -> TaskAttachment:
    _manage(actor, task.program)
    if not content:
        raise ValidationError({"file": "The file is empty."})
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": "Attachments may be at most 10 MB."})
    attachment = TaskAttachment(
        task=task,
        filename=filename[:255],
        content=content,
        size=len(content),
        content_type=content_type[:100] or "application/octet-stream",
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    with transaction.atomic():
        attachment.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=attachment,
            program=task.program,
            after={"task": task.pk, "filename": attachment.filename, "size": attachment.size},
        )
    return attachment


def snapshot_take(*, program: Program, on: datetime.date | None = None) -> ProgressSnapshot:
    """Record this week's completion (run weekly by a scheduler; safe to run again)."""
    from citkit.plan.selectors import plan_progress

    on = on or timezone.localdate()
    week = on - datetime.timedelta(days=on.weekday())
    progress = plan_progress(program)
    snapshot, _ = ProgressSnapshot.objects.update_or_create(
        program=program,
        week=week,
        defaults={
            "overall": progress.percent,
            "by_phase": {p.key: p.percent for p in progress.phases},
            "taken_at": timezone.now(),
        },
    )
    return snapshot
