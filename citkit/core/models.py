"""Programs (tenants), memberships with roles, and the audit trail."""

import datetime
import uuid
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


def default_second_factor_roles() -> list[str]:
    """Roles that must use a second factor unless a program says otherwise (CJIS, ASVS L2)."""
    return [Role.COORDINATOR.value, Role.AGENCY_ADMIN.value, Role.STATE_COORDINATOR.value]


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
    # Roles whose members must sign in with a second factor (TOTP) to act in this program.
    second_factor_roles = models.JSONField(
        default=default_second_factor_roles,
        blank=True,
        help_text="Roles that must use two-factor sign-in; see Role.",
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


class AccessEntry(models.Model):
    """One read of names: a person's record viewed, a roster exported, a report downloaded.

    The audit trail records changes; this records who *saw* whom (HIPAA 164.312(b),
    CJIS 5.4). Append-only, like the audit trail.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        DOWNLOAD = "download", "Downloaded"

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="access_entries", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user_label = models.CharField(max_length=200)
    source = models.CharField(max_length=20)  # page, api, command
    action = models.CharField(max_length=20, choices=Action.choices)
    # What was read, in words ("Roster export", "Officer Ana Díaz") and, for one record, which.
    what = models.CharField(max_length=300)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    # The filters or query that chose the rows, as the user gave them.
    query = models.CharField(max_length=500, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "access entries"
        indexes = [
            models.Index(fields=["program", "created_at", "id"], name="access_program_time"),
            models.Index(fields=["content_type", "object_id", "id"], name="access_object"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.what}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Access entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Access entries cannot be deleted.")


class Job(models.Model):
    """Long work done off the request (an import, a large export), with its progress.

    The django-tasks result holds the queue's view; this row holds what people see:
    who asked, for which program, how far it got, and the outcome. Live counters
    during a run live in the cache (see core/jobs.py) because an import's single
    transaction keeps SQLite's write lock for its whole length.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    kind = models.CharField(max_length=60)
    label = models.CharField(max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # Last progress written to the row (at the end, or when a phase ends).
    progress = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    # An export's file, or an import's upload, kept in the database so any server can serve it.
    content = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # An export's result, written to storage (var/media, or a shared store) as it streams.
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["program", "kind", "created_at"], name="job_program_kind")]

    def __str__(self) -> str:
        return self.label

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}


class ScheduledRun(models.Model):
    """One run of a periodic job for one period: the unique key makes it happen once,
    however many workers see the period start."""

    name = models.CharField(max_length=100)
    period = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["name", "period"], name="one_run_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.period:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """The last time each worker process said it was alive; /readyz reads it."""

    worker_id = models.CharField(max_length=100, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker_id


class SignedInSession(models.Model):
    """A session a user signed in with, so they (and the system) can list and end them.

    Django's session table has no user column; this maps user → session key.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"


# --- Accounts that belong to people: invitations, API tokens, calendar addresses -------


class InvitationQuerySet(ProgramScopedQuerySet):
    def open(self, now=None) -> "InvitationQuerySet":
        """Waiting for an answer and not yet expired."""
        return self.filter(status=Invitation.Status.PENDING, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """A role in a program offered to an account, which the account's owner accepts.

    A coordinator types a user name and perhaps an e-mail address; the invitation
    is addressed to what they typed, whether or not it named an account, so the
    answer never tells them which accounts exist. `user` is the account it reached
    (None when it reached nobody): only that account's owner and the deployment's
    administrators ever see it. The link in the e-mail carries a random token of
    which only the SHA-256 is kept.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Withdrawn"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=32, choices=Role.choices)
    agency = models.ForeignKey(
        "partners.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the coordinator typed, shown on the Members page.
    username = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["program", "status", "created_at"], name="invitation_program"),
            models.Index(fields=["user", "status", "expires_at"], name="invitation_user"),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.addressed_to} as {self.get_role_display()}"

    @property
    def addressed_to(self) -> str:
        """What the coordinator typed: "jdoe", "jdoe (j.doe@example.org)"."""
        if self.username and self.email:
            return f"{self.username} ({self.email})"
        return self.username or self.email

    def is_open(self, now=None) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > (now or timezone.now())

    @property
    def expired(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now=None) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    """A named key to the API, one of several a person may hold.

    Only the key's SHA-256 is stored (a key is 256 random bits, so a fast hash is
    enough; nothing can be guessed from it); the key itself is shown once, when it
    is made. `prefix` is its first characters, so people can tell their keys apart.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # Written at most once a minute, so a busy client does not write on every request.
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=100, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at", "expires_at"], name="api_token_user")]

    def __str__(self) -> str:
        return f"API token “{self.name}” ({self.prefix}…)"

    def is_active(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class FeedKey(models.Model):
    """The secret inside a person's calendar-feed addresses.

    Every address is signed with it; replacing it (the owner asks for a new
    address, or the account's credentials are revoked) retires every old address
    at once. An account without a row still uses the addresses made before there
    were keys.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_key"
    )
    secret = models.CharField(max_length=64)
    replaced_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar address key of {self.user}"
