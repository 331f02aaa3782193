"""The implementation plan: the CIT model's five phases, their tasks, and weekly
snapshots of progress."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse

from citkit.core.models import Program
from citkit.core.policies import ProgramScopedQuerySet


class Phase(models.Model):
    """One of the toolkit's five phases (Lay the foundation … Sustain & expand)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="phases")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    order = models.PositiveIntegerField()

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="phase_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class TaskQuerySet(ProgramScopedQuerySet):
    """Tasks by where they stand. "Open" is what the plan still has to do: not done
    and not retired (a retired task left the plan; it blocks nothing)."""

    def active(self):
        return self.filter(retired=False)

    def open(self):
        return self.active().exclude(status=Task.Status.DONE)

    def overdue(self, today: datetime.date):
        return self.open().filter(due_date__lt=today)


class Task(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="plan_tasks")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="tasks")
    # Seeded tasks keep the key of the step of the CIT model they come from.
    key = models.SlugField(max_length=60, blank=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_tasks",
    )
    subcommittee = models.ForeignKey(
        "committee.Subcommittee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_tasks",
    )
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents"
    )
    notes = models.TextField(blank=True)
    # Key of a registered measure (citkit.core.measures) that reports progress from the data.
    measure = models.CharField(max_length=60, blank=True)
    retired = models.BooleanField(
        default=False, help_text="No longer part of this program's plan; kept for the record."
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["phase__order", "order", "id"]
        indexes = [models.Index(fields=["program", "status", "due_date"], name="task_by_due")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("task-detail", kwargs={"program": self.program.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DONE and not self.retired

    def is_overdue(self, today: datetime.date) -> bool:
        return bool(self.is_open and self.due_date and self.due_date < today)

    def open_dependencies(self) -> list["Task"]:
        """What this task still waits on (a prefetched `depends_on` costs no query)."""
        return [d for d in self.depends_on.all() if d.is_open]


class TaskAttachment(models.Model):
    """A file attached to a task. Kept in the database so any app server can serve it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.filename


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the day's week: snapshots are filed by it."""
    return day - datetime.timedelta(days=day.weekday())


class ProgressSnapshot(models.Model):
    """Share of plan tasks done, per phase and overall, as of one week."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="snapshots")
    week = models.DateField(help_text="The Monday of the week.")
    overall = models.PositiveSmallIntegerField(help_text="Percent of tasks done.")
    by_phase = models.JSONField(default=dict)
    taken_at = models.DateTimeField()

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(fields=["program", "week"], name="one_snapshot_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.overall}% in week of {self.week}"
