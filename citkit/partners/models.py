"""Partner agencies of a CIT program and their contacts."""

from django.db import models
from django.urls import reverse

from citkit.core.models import Program
from citkit.core.policies import ProgramScopedQuerySet


class AgencyType(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    DISPATCH = "dispatch", "911 / dispatch"
    MENTAL_HEALTH = "mental_health", "Mental-health provider"
    CRISIS_LINE = "crisis_line", "988 / crisis line"
    MOBILE_CRISIS = "mobile_crisis", "Mobile crisis"
    RECEIVING_FACILITY = "receiving_facility", "Receiving facility / crisis stabilization unit"
    EMERGENCY_DEPARTMENT = "emergency_department", "Emergency department"
    EMS = "ems", "EMS"
    SOCIAL_SERVICES = "social_services", "Social services"
    YOUTH_SERVICES = "youth_services", "Youth services"
    VETERANS_SERVICES = "veterans_services", "Veterans' services"
    ADVOCACY = "advocacy", "Advocacy"
    COURTS_JAIL = "courts_jail", "Courts / jail"
    SCHOOLS = "schools", "Schools"
    OTHER = "other", "Other"


class Agency(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=200)
    agency_type = models.CharField("type", max_length=32, choices=AgencyType.choices)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=50, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    main_phone = models.CharField(max_length=40, blank=True)
    crisis_phone = models.CharField(
        "crisis / after-hours phone",
        max_length=40,
        blank=True,
        help_text="The number dispatch or officers call during a crisis.",
    )
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    operates_24_7 = models.BooleanField(
        "operates 24/7",
        default=False,
        help_text="Takes calls or people at any hour, every day.",
    )
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"],
                name="agency_name_unique_in_program",
                violation_error_code="name_taken",
                violation_error_message=(
                    "A partner agency with this name already exists in this program."
                ),
            )
        ]
        indexes = [models.Index(fields=["program", "agency_type", "name", "id"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agency-detail", kwargs={"program": self.program.slug, "pk": self.pk})

    @property
    def address(self) -> str:
        return ", ".join(p for p in [self.street, self.city, self.state, self.postal_code] if p)


class AgencyContact(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_primary = models.BooleanField("primary contact", default=False)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"
