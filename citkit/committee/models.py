"""The Steering Committee: seats, subcommittees, meetings, decisions, action items,
and the register of missing crisis services (gaps)."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import reverse
from django.utils import timezone

from citkit.core.models import Program
from citkit.core.policies import ProgramScopedQuerySet


class SeatType(models.TextChoices):
    CHAIR = "chair", "Chair"
    CO_CHAIR = "co_chair", "Co-chair"
    LE_COORDINATOR = "le_coordinator", "Law-enforcement CIT coordinator"
    MH_COORDINATOR = "mh_coordinator", "Mental-health CIT coordinator"
    ADVOCATE = "advocate", "Advocate / person with lived experience / family member"
    AGENCY_EXECUTIVE = "agency_executive", "Agency executive"
    CHAMPION = "champion", "Champion (e.g. judge, mayor)"
    MEMBER = "member", "Member"


class Seat(models.Model):
    """A seat on the Steering Committee, held by one person for a period."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="seats")
    holder_name = models.CharField("held by", max_length=200)
    agency = models.ForeignKey(
        "partners.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="seats"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_seats",
        help_text="The holder's login, if they have one (for attendance and action items).",
    )
    seat_type = models.CharField(max_length=32, choices=SeatType.choices, default=SeatType.MEMBER)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = ProgramScopedQuerySet.as_manager()

    # Which field a check constraint's message belongs next to (see core.writes).
    constraint_fields = {"seat_ends_early": "end_date"}

    class Meta:
        ordering = ["seat_type", "holder_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="seat_ends_after_it_starts",
                violation_error_code="seat_ends_early",
                violation_error_message="A seat cannot end before it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} ({self.get_seat_type_display()})"

    def get_absolute_url(self) -> str:
        return reverse("committee-home", kwargs={"program": self.program.slug}) + f"#seat-{self.pk}"


class Perspective(models.TextChoices):
    OFFICER = "officer", "Officer / law enforcement"
    PROVIDER = "provider", "Mental-health provider"
    ADVOCATE = "advocate", "Advocate / lived experience / family"
    OTHER = "other", "Other"


class SubcommitteeQuerySet(ProgramScopedQuerySet):
    def overdue(self, today: datetime.date):
        """Subcommittees whose deadline to report back has passed."""
        return self.filter(deadline__lt=today)


class Subcommittee(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="subcommittees")
    name = models.CharField(max_length=120)
    charge = models.TextField(blank=True, help_text="What the committee asked it to do.")
    deadline = models.DateField(null=True, blank=True)

    objects = SubcommitteeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"],
                name="subcommittee_name_unique",
                violation_error_code="name_taken",
                violation_error_message="A subcommittee with this name already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("subcommittee-detail", kwargs={"program": self.program.slug, "pk": self.pk})

    def is_overdue(self, today: datetime.date) -> bool:
        """The deadline to report back has passed."""
        return self.deadline is not None and self.deadline < today


class SubcommitteeMember(models.Model):
    subcommittee = models.ForeignKey(Subcommittee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    agency = models.ForeignKey(
        "partners.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    perspective = models.CharField(max_length=20, choices=Perspective.choices)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.subcommittee})"


class SubcommitteeReport(models.Model):
    subcommittee = models.ForeignKey(Subcommittee, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField()
    title = models.CharField(max_length=200)
    text = models.TextField()

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200, default="Steering Committee meeting")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    call_link = models.URLField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(blank=True)

    objects = ProgramScopedQuerySet.as_manager()

    constraint_fields = {"meeting_ends_early": "ends_at"}
    # Shown in the meeting's history with it (see core.history).
    history_children = ("agenda_items", "attendance", "decisions", "action_items")

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["program", "starts_at"], name="meeting_by_time")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_code="meeting_ends_early",
                violation_error_message="A meeting must end after it starts.",
            )
        ]

    def __str__(self) -> str:
        # The local date (of the program's zone, active in its pages), not the UTC one.
        return f"{self.title}, {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("meeting-detail", kwargs={"program": self.program.slug, "pk": self.pk})


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    presenter = models.CharField(max_length=200, blank=True)
    minutes = models.PositiveIntegerField("time (minutes)", null=True, blank=True)
    notes = models.TextField(blank=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        EXCUSED = "excused", "Excused"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=20, choices=Status.choices)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["seat__holder_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="one_attendance_per_seat")
        ]

    def __str__(self) -> str:
        return f"{self.seat.holder_name}: {self.get_status_display()}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField("what was decided")
    decided_by = models.CharField(
        max_length=200, blank=True, help_text="Who decided, e.g. 'the committee' or 'the chair'."
    )
    votes_for = models.PositiveIntegerField(null=True, blank=True)
    votes_against = models.PositiveIntegerField(null=True, blank=True)
    abstentions = models.PositiveIntegerField(null=True, blank=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]


ACTION_OPEN_STATUSES = ("open", "in_progress")


class ActionItemQuerySet(ProgramScopedQuerySet):
    def open(self):
        """Items still to do: open or in progress."""
        return self.filter(status__in=ACTION_OPEN_STATUSES)

    def overdue(self, today: datetime.date):
        """Open items whose due date is before `today` (the program's local date)."""
        return self.filter(_action_overdue(today))

    def with_overdue(self, today: datetime.date):
        """Each item with `overdue` (bool), for lists that flag late items."""
        return self.annotate(
            overdue=ExpressionWrapper(_action_overdue(today), output_field=BooleanField())
        )


def _action_overdue(today: datetime.date) -> Q:
    return Q(status__in=ACTION_OPEN_STATUSES, due_date__lt=today)


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    # The record it concerns (a plan task, a gap, an agency, ...), if any.
    concerns_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    concerns_id = models.CharField(max_length=64, blank=True)
    concerns = GenericForeignKey("concerns_type", "concerns_id")
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["program", "status", "due_date"], name="action_by_due"),
            models.Index(fields=["owner", "status", "due_date"], name="action_by_owner"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("action-detail", kwargs={"program": self.program.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        """Still to do and due before `today` (the program's local date)."""
        return self.is_open and self.due_date < today


class ReminderLog(models.Model):
    """One reminder sent. The unique constraint is what makes re-runs send nothing twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"

    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_date = models.DateField(help_text="The due date the reminder was about.")
    recipient = models.EmailField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action_item", "kind", "due_date"], name="one_reminder_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for {self.action_item}"


GAP_OPEN_STATUSES = ("open", "workaround")


class ServiceGapQuerySet(ProgramScopedQuerySet):
    def open(self):
        """Gaps not yet resolved or accepted (a workaround does not close a gap)."""
        return self.filter(status__in=GAP_OPEN_STATUSES)

    def overdue(self, today: datetime.date):
        """Open gaps whose target date has passed."""
        return self.open().filter(target_date__lt=today)

    def with_overdue(self, today: datetime.date):
        """Each gap with `overdue` (bool), for lists that flag late gaps."""
        late = Q(status__in=GAP_OPEN_STATUSES, target_date__lt=today)
        return self.annotate(overdue=ExpressionWrapper(late, output_field=BooleanField()))


class ServiceGap(models.Model):
    """A service the crisis system lacks, managed so it does not stall implementation."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WORKAROUND = "workaround", "Interim workaround in place"
        RESOLVED = "resolved", "Resolved"
        ACCEPTED = "accepted", "Accepted (no action)"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="service_gaps")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    affected_agencies = models.ManyToManyField("partners.Agency", blank=True, related_name="+")
    workaround = models.TextField("interim workaround", blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_gaps",
    )
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceGapQuerySet.as_manager()

    class Meta:
        ordering = ["status", "target_date", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("gap-detail", kwargs={"program": self.program.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in GAP_OPEN_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        """Still open and the target date has passed."""
        return self.is_open and self.target_date is not None and self.target_date < today
