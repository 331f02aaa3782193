"""Programs (tenants), memberships with roles, and the audit trail."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from citkit.core.policies import ProgramScopedQuerySet


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (e.g. America/Chicago).")


def validate_country(value: str) -> None:
    import phonenumbers

    if value not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError(f"“{value}” is not a two-letter country code (e.g. US).")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Program coordinator"
    COMMITTEE_MEMBER = "committee_member", "Steering committee member"
    AGENCY_ADMIN = "agency_admin", "Agency administrator"
    TRAINER = "trainer", "Trainer"
    OFFICER = "officer", "Officer / staff"
    DISPATCHER = "dispatcher", "Dispatcher"
    ANALYST = "analyst", "Analyst"
    STATE_COORDINATOR = "state_coordinator", "State coordinator"


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProgramQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class Program(models.Model):
    """One community's CIT program. Every other record belongs to exactly one."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    jurisdiction = models.CharField(
        max_length=200, help_text="The county, city or region the program serves."
    )
    time_zone = models.CharField(
        max_length=64, default="America/Chicago", validators=[validate_time_zone]
    )
    country = models.CharField(
        max_length=2,
        default="US",
        validators=[validate_country],
        help_text="Two-letter country code; phone numbers are read and written for it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("program-home", kwargs={"program": self.slug})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> datetime.date:
        """Today where the program is: due dates, "overdue" and weeks are local dates."""
        return timezone.now().astimezone(self.zone).date()


class MembershipQuerySet(ProgramScopedQuerySet):
    pass


class Membership(models.Model):
    """A user's role in one program. One role per user per program."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    # Agency administrators act for one partner agency only.
    agency = models.ForeignKey(
        "partners.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="administrators",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "program"], name="one_role_per_program"),
            models.CheckConstraint(
                condition=~models.Q(role="agency_admin") | models.Q(agency__isnull=False),
                name="agency_admin_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} in {self.program}"


class AuditQuerySet(ProgramScopedQuerySet):
    """Audit entries are append-only: bulk edits and deletes are refused."""

    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """One change to one record: who, when (UTC), what, before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        IMPORT = "import", "Imported"
        UNLOCK = "unlock", "Unlocked account"

    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        db_index=False,  # every composite index below starts with it
    )
    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who acted, in words that survive the account: "jdoe", "command import_roster (jdoe)".
    actor_label = models.CharField(max_length=200)
    source = models.CharField(max_length=20)  # page, api, command, import, system
    action = models.CharField(max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            # Keyset paging walks (program, created_at, id) in either direction. Indexes
            # are declared ascending: a descending one on an ever-growing key puts every
            # insert on its first page and leaves split pages half empty.
            models.Index(fields=["program", "created_at", "id"], name="audit_program_time"),
            models.Index(
                fields=["program", "action", "created_at", "id"], name="audit_program_action"
            ),
            # Equality filters get an index that also gives the order, so that even
            # SQLite without statistics picks it over walking the whole trail.
            models.Index(
                fields=["program", "content_type", "created_at", "id"], name="audit_program_type"
            ),
            models.Index(
                fields=["program", "request_id", "created_at", "id"], name="audit_request"
            ),
            models.Index(fields=["content_type", "object_id", "id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        # Integrity guard, not business logic: the trail is append-only.
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs."""
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
