"""People of a CIT program: officers, dispatchers, clinicians, advocates, peers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from citkit.core.models import Program
from citkit.core.policies import ProgramScopedQuerySet


class PersonKind(models.TextChoices):
    OFFICER = "officer", "Officer"
    DISPATCHER = "dispatcher", "Dispatcher"
    CLINICIAN = "clinician", "Clinician"
    ADVOCATE = "advocate", "Advocate"
    PEER = "peer", "Peer specialist"


class Shift(models.TextChoices):
    DAY = "day", "Day"
    EVENING = "evening", "Evening"
    NIGHT = "night", "Night"
    ROTATING = "rotating", "Rotating"


class PersonStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"


class Person(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="people")
    kind = models.CharField(max_length=20, choices=PersonKind.choices, default=PersonKind.OFFICER)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    agency = models.ForeignKey(
        "partners.Agency", on_delete=models.PROTECT, related_name="people", null=True, blank=True
    )
    badge_number = models.CharField(max_length=30, blank=True)
    rank = models.CharField(max_length=60, blank=True)
    district = models.CharField(max_length=60, blank=True)
    shift = models.CharField(max_length=20, choices=Shift.choices, blank=True)
    hire_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="The login account of this person, if they have one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "badge_number"],
                condition=~Q(badge_number=""),
                name="badge_unique_per_agency",
                violation_error_code="badge_taken",
                violation_error_message=(
                    "Another person of this agency already has this badge number."
                ),
            )
        ]
        indexes = [
            # Keyset paging for each sort offered on the list, within a program.
            models.Index(
                fields=["program", "last_name", "first_name", "id"], name="person_by_name"
            ),
            models.Index(fields=["program", "badge_number", "id"], name="person_by_badge"),
            models.Index(
                fields=["program", "district", "last_name", "id"], name="person_by_district"
            ),
            models.Index(fields=["program", "updated_at", "id"], name="person_by_updated"),
            models.Index(fields=["program", "kind", "status"], name="person_kind_status"),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    def get_absolute_url(self) -> str:
        return reverse("person-detail", kwargs={"program": self.program.slug, "pk": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class RosterUpload(models.Model):
    """A roster file waiting between upload and column mapping.

    Kept in the database, not on a server's disk, so any app server can
    finish the import. Deleted once the import is written.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename
