"""Partnerships: the crisis-services directory, each partner's crisis
responsibilities, and memoranda of understanding between partner agencies.

The directory follows Open Referral's Human Services Data Specification (HSDS 3):
an organization (here, a partner agency) offers services, at locations, with
phones, contacts, schedules, service areas, languages and capacity. Every
directory record keeps its HSDS `id` (a UUID) so that a data package exported and
imported again describes the same records.

An MOU moves draft → in review → approved by the committee → out for signature →
executed → expired / terminated / superseded. Its text is a list of clauses kept
in numbered versions: a change to the clauses writes a new version, and a
signature is given to one version, so text that changes after signing has begun
needs new signatures.
"""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from citkit.core.models import Program
from citkit.core.policies import ProgramScopedQuerySet

# --- The directory (HSDS 3) ------------------------------------------------------


class ServiceType(models.TextChoices):
    """What kind of help a service is, in the words of the crisis continuum
    (someone to call, someone to respond, somewhere to go)."""

    CRISIS_LINE = "crisis_line", "Crisis line / 988"
    MOBILE_CRISIS = "mobile_crisis", "Mobile crisis team"
    CO_RESPONDER = "co_responder", "Co-responder team"
    CRISIS_STABILIZATION = "crisis_stabilization", "Crisis stabilization / receiving facility"
    EMERGENCY_DEPARTMENT = "emergency_department", "Emergency department"
    INPATIENT = "inpatient", "Inpatient psychiatric care"
    OUTPATIENT = "outpatient", "Outpatient mental-health care"
    SUBSTANCE_USE = "substance_use", "Substance-use treatment / detox"
    PEER_SUPPORT = "peer_support", "Peer and family support"
    YOUTH = "youth", "Youth services"
    VETERANS = "veterans", "Veterans' services"
    HOUSING = "housing", "Shelter and housing"
    SOCIAL_SERVICES = "social_services", "Social services"
    EMS = "ems", "EMS / medical transport"
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    OTHER = "other", "Other"


class ServiceStatus(models.TextChoices):
    # HSDS 3 service.status values.
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class AgeGroup(models.TextChoices):
    """The age groups the directory search offers, by the ages a service takes."""

    CHILDREN = "children", "Children (under 13)"
    YOUTH = "youth", "Youth (13–17)"
    ADULTS = "adults", "Adults (18–64)"
    OLDER_ADULTS = "older_adults", "Older adults (65 and over)"


AGE_GROUP_RANGES = {
    AgeGroup.CHILDREN: (0, 12),
    AgeGroup.YOUTH: (13, 17),
    AgeGroup.ADULTS: (18, 64),
    AgeGroup.OLDER_ADULTS: (65, 200),
}


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class Service(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="services")
    hsds_id = models.UUIDField("HSDS id", default=new_id, editable=False)
    agency = models.ForeignKey(
        "partners.Agency",
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name="organization",
    )
    name = models.CharField(max_length=200)
    alternate_name = models.CharField(max_length=200, blank=True)
    service_type = models.CharField(
        "type", max_length=32, choices=ServiceType.choices, default=ServiceType.OTHER
    )
    description = models.TextField(blank=True)
    url = models.URLField("web page", blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    eligibility_description = models.TextField("eligibility", blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(150)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(150)]
    )
    fees_description = models.TextField("fees", blank=True)
    application_process = models.TextField(
        "how to get the service",
        blank=True,
        help_text="How a person, an officer or a dispatcher gets this service.",
    )
    interpretation_services = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "hsds_id"],
                name="service_hsds_id_unique",
                violation_error_message="Another service has this HSDS id.",
            ),
            models.UniqueConstraint(
                fields=["program", "agency", "name"],
                name="service_name_unique_per_agency",
                violation_error_code="name_taken",
                violation_error_message="This agency already has a service with this name.",
            ),
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="service_ages_in_order",
                violation_error_code="service_ages_in_order",
                violation_error_message="The maximum age is below the minimum age.",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "name", "id"]),
            models.Index(fields=["program", "service_type", "name", "id"]),
            models.Index(fields=["program", "-updated_at", "-id"]),
        ]

    constraint_fields = {"service_ages_in_order": "maximum_age"}

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("service-detail", kwargs={"program": self.program.slug, "pk": self.pk})

    def takes_age_group(self, group: str) -> bool:
        low, high = AGE_GROUP_RANGES[AgeGroup(group)]
        return (self.minimum_age is None or self.minimum_age <= high) and (
            self.maximum_age is None or self.maximum_age >= low
        )

    @property
    def age_range(self) -> str:
        if self.minimum_age is None and self.maximum_age is None:
            return "All ages"
        if self.maximum_age is None:
            return f"{self.minimum_age} and over"
        if self.minimum_age is None:
            return f"Up to {self.maximum_age}"
        return f"{self.minimum_age}–{self.maximum_age}"


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "Physical (people go there)"
    POSTAL = "postal", "Postal only"
    VIRTUAL = "virtual", "Virtual (phone, web)"


class Location(models.Model):
    """Where services are delivered. The HSDS address table is folded in: one
    physical address per location is what a dispatcher needs."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="locations")
    hsds_id = models.UUIDField("HSDS id", default=new_id, editable=False)
    agency = models.ForeignKey(
        "partners.Agency",
        on_delete=models.PROTECT,
        related_name="locations",
        null=True,
        blank=True,
        verbose_name="organization",
    )
    location_type = models.CharField(
        "type", max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(max_length=200)
    alternate_name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    transportation = models.TextField(
        blank=True, help_text="How to get there: entrances, the ambulance or police bay, parking."
    )
    address_1 = models.CharField("street address", max_length=200, blank=True)
    address_2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField("state", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 code, e.g. US.")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "hsds_id"],
                name="location_hsds_id_unique",
                violation_error_message="Another location has this HSDS id.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
                violation_error_code="location_latitude_range",
                violation_error_message="A latitude lies between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
                violation_error_code="location_longitude_range",
                violation_error_message="A longitude lies between -180 and 180.",
            ),
        ]
        indexes = [models.Index(fields=["program", "name", "id"])]

    constraint_fields = {
        "location_latitude_range": "latitude",
        "location_longitude_range": "longitude",
    }

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("location-detail", kwargs={"program": self.program.slug, "pk": self.pk})

    @property
    def address(self) -> str:
        parts = [self.address_1, self.address_2, self.city, self.state_province, self.postal_code]
        return ", ".join(p for p in parts if p)


class ServiceAtLocation(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    hsds_id = models.UUIDField("HSDS id", default=new_id, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="at_locations")
    description = models.TextField(blank=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "service at location"
        constraints = [
            models.UniqueConstraint(
                fields=["program", "hsds_id"],
                name="service_at_location_hsds_id_unique",
                violation_error_message="Another service at location has this HSDS id.",
            ),
            models.UniqueConstraint(
                fields=["service", "location"],
                name="service_at_location_once",
                violation_error_message="The service is already offered at this location.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Contact(models.Model):
    """A person to ask for at an organization or service (HSDS contact)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    hsds_id = models.UUIDField("HSDS id", default=new_id, editable=False)
    agency = models.ForeignKey(
        "partners.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    department = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "hsds_id"],
                name="contact_hsds_id_unique",
                violation_error_message="Another contact has this HSDS id.",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.title or "Contact"


class PhoneType(models.TextChoices):
    # HSDS 3 phone.type values.
    VOICE = "voice", "Voice"
    TEXT = "text", "Text"
    CELL = "cell", "Cell"
    FAX = "fax", "Fax"
    VIDEO = "video", "Video"
    PAGER = "pager", "Pager"
    TEXTPHONE = "textphone", "Textphone (TTY)"


class Phone(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    hsds_id = models.UUIDField("HSDS id", default=new_id, editable=False)
    agency = models.ForeignKey(
        "partners.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField(max_length=40)
    extension = models.CharField(max_length=20, blank=True)
    phone_type = models.CharField(
        "type", max_length=10, choices=PhoneType.choices, default=PhoneType.VOICE
    )
    description = models.CharField(
        max_length=300, blank=True, help_text="e.g. 'Officer drop-off line, answered 24/7'."
    )

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "hsds_id"],
                name="phone_hsds_id_unique",
                violation_error_message="Another phone has this HSDS id.",
            )
        ]

    def __str__(self) -> str:
        return self.number + (f" ext. {self.extension}" if self.extension else "")


class Frequency(models.TextChoices):
    # HSDS 3 schedule.freq (RFC 5545 FREQ).
    WEEKLY = "WEEKLY", "Weekly"
    MONTHLY = "MONTHLY", "Monthly"


WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class Schedule(models.Model):
    """Opening hours as an RFC 5545 recurrence (HSDS 3 schedule): the days the rule
    gives, from `opens_at` to `closes_at` in the program's time zone. A closing time
    at or before the opening time ends the next day (a night shift, 19:00 to 07:00);
    00:00 to 00:00 on every day is open 24 hours."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    hsds_id = models.UUIDField("HSDS id", default=new_id, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    freq = models.CharField(
        "repeats", max_length=7, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    interval = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        default=1,
        help_text="Every 1, 2, … weeks or months.",
    )
    byday = models.CharField(
        "days",
        max_length=40,
        blank=True,
        help_text=(
            "Days of the week, e.g. MO,TU,WE,TH,FR; in a monthly rule 1MO is the first Monday."
        ),
    )
    bymonthday = models.CharField(
        "days of the month", max_length=60, blank=True, help_text="e.g. 1,15"
    )
    dtstart = models.DateField("first day", null=True, blank=True)
    until = models.DateField("last day", null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "hsds_id"],
                name="schedule_hsds_id_unique",
                violation_error_message="Another schedule has this HSDS id.",
            ),
            models.CheckConstraint(
                condition=Q(service__isnull=False) | Q(location__isnull=False),
                name="schedule_belongs_somewhere",
                violation_error_code="schedule_belongs_somewhere",
                violation_error_message="A schedule belongs to a service or a location.",
            ),
            models.CheckConstraint(
                condition=Q(interval__gte=1),
                name="schedule_interval_positive",
                violation_error_code="schedule_interval_positive",
                violation_error_message="The interval is at least 1.",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="schedule_valid_in_order",
                violation_error_code="schedule_valid_in_order",
                violation_error_message="The schedule ends before it starts.",
            ),
        ]

    constraint_fields = {
        "schedule_belongs_somewhere": "service",
        "schedule_interval_positive": "interval",
        "schedule_valid_in_order": "valid_to",
    }

    def __str__(self) -> str:
        return self.description or f"{self.freq} {self.byday} {self.opens_at}–{self.closes_at}"

    @property
    def is_24_7(self) -> bool:
        """Every day around the clock, with no last day (whatever its first day:
        `hours.is_open_24_7` asks whether it has begun)."""
        return (
            self.freq == Frequency.WEEKLY
            and self.interval == 1
            and not self.bymonthday
            and set(d.strip() for d in self.byday.split(",") if d.strip()) == set(WEEKDAYS)
            and self.opens_at == datetime.time(0)
            and self.closes_at in (None, datetime.time(0))
            and self.valid_to is None
            and self.until is None
        )


class ServiceArea(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    hsds_id = models.UUIDField("HSDS id", default=new_id, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    extent = models.TextField(blank=True, help_text="GeoJSON or a list of postal codes.")
    extent_type = models.CharField(max_length=20, blank=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "hsds_id"],
                name="service_area_hsds_id_unique",
                violation_error_message="Another service area has this HSDS id.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    hsds_id = models.UUIDField("HSDS id", default=new_id, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100)
    code = models.CharField(
        max_length=8, blank=True, help_text="ISO 639 code, e.g. es for Spanish."
    )
    note = models.CharField(max_length=200, blank=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "hsds_id"],
                name="language_hsds_id_unique",
                violation_error_message="Another language has this HSDS id.",
            ),
            models.UniqueConstraint(
                fields=["service", "name"],
                name="language_once_per_service",
                violation_error_message="The service already lists this language.",
            ),
        ]
        indexes = [models.Index(fields=["program", "code"])]

    def __str__(self) -> str:
        return self.name


class Capacity(models.Model):
    """How much of a service is free now (HSDS 3.1 service_capacity): beds, chairs,
    slots. Staff update it; `updated` says how old the figure is."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    hsds_id = models.UUIDField("HSDS id", default=new_id, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="capacities")
    unit = models.CharField(max_length=60, help_text="What is counted, e.g. beds.")
    available = models.PositiveIntegerField(validators=[MaxValueValidator(1_000_000)])
    maximum = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(1_000_000)]
    )
    description = models.CharField(max_length=300, blank=True)
    updated = models.DateTimeField("updated at")

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "id"]
        verbose_name_plural = "capacities"
        constraints = [
            models.UniqueConstraint(
                fields=["program", "hsds_id"],
                name="capacity_hsds_id_unique",
                violation_error_message="Another capacity has this HSDS id.",
            ),
            models.UniqueConstraint(
                fields=["service", "unit"],
                name="capacity_unit_once_per_service",
                violation_error_message="The service already counts this unit.",
            ),
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(available__lte=models.F("maximum")),
                name="capacity_within_maximum",
                violation_error_code="capacity_within_maximum",
                violation_error_message="More are available than the maximum.",
            ),
        ]

    constraint_fields = {"capacity_within_maximum": "available"}

    def __str__(self) -> str:
        if self.maximum is not None:
            return f"{self.available} of {self.maximum} {self.unit} available"
        return f"{self.available} {self.unit} available"


# --- Crisis responsibilities ------------------------------------------------------


class ResponsibilityKind(models.TextChoices):
    RESPOND = "respond", "Respond on scene"
    ASSESS = "assess", "Assess"
    TRANSPORT = "transport", "Transport"
    RECEIVE = "receive", "Receive the person (custody transfer)"
    TREAT = "treat", "Treat / admit"
    FOLLOW_UP = "follow_up", "Follow up after the crisis"
    ADVISE = "advise", "Advise officers and dispatch"
    TRAIN = "train", "Train"
    SHARE_INFORMATION = "share_information", "Share information"
    OTHER = "other", "Other"


class Responsibility(models.Model):
    """What one partner commits to do during a crisis, and how to reach them for it."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="crisis_responsibilities"
    )
    agency = models.ForeignKey(
        "partners.Agency", on_delete=models.PROTECT, related_name="crisis_responsibilities"
    )
    kind = models.CharField(max_length=20, choices=ResponsibilityKind.choices)
    title = models.CharField("responsibility", max_length=200)
    applies_when = models.TextField(
        "when it applies",
        blank=True,
        help_text="Who and what situations, e.g. 'adults under an emergency custody order'.",
    )
    details = models.TextField(blank=True)
    available_24_7 = models.BooleanField("24/7", default=False)
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsibilities",
        help_text="When not 24/7, the service whose opening hours it follows.",
    )
    hours_text = models.CharField(
        "hours", max_length=200, blank=True, help_text="In words, e.g. 'Mon–Fri 8:00–17:00'."
    )
    contact_phone = models.CharField("call", max_length=40, blank=True)
    handoff = models.TextField(
        "how to hand off",
        blank=True,
        help_text="What the officer does on arrival: the door, who signs, what paperwork.",
    )
    escalation = models.TextField(
        "if nobody answers",
        blank=True,
        help_text="The escalation path: who to call next, after how long.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "position", "id"]
        verbose_name_plural = "responsibilities"
        indexes = [models.Index(fields=["program", "kind", "id"])]

    def __str__(self) -> str:
        return f"{self.agency}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "responsibility-detail", kwargs={"program": self.program.slug, "pk": self.pk}
        )


# --- Memoranda of understanding ---------------------------------------------------


class MouKind(models.TextChoices):
    # The CIT toolkit's two kinds (domain.md §2).
    GENERAL = "general", "General: CIT as a shared community effort"
    SPECIFIC = "specific", "Specific: the roles of each party and the policies they need"


class ClauseKind(models.TextChoices):
    PURPOSE = "purpose", "Purpose"
    PARTIES = "parties", "Parties"
    TERM = "term", "Term and renewal"
    ROLES = "roles", "Roles and responsibilities"
    CUSTODY_TRANSFER = "custody_transfer", "Custody transfer"
    CONFIDENTIALITY = "confidentiality", "Information sharing and confidentiality"
    DATA = "data", "Data sharing and reporting"
    TRAINING = "training", "Training commitments"
    DISPUTES = "disputes", "Dispute resolution"
    TERMINATION = "termination", "Termination"
    SIGNATURES = "signatures", "Signatures"
    OTHER = "other", "Other"


class MouTemplate(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="mou_templates")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=MouKind.choices)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"],
                name="mou_template_name_unique",
                violation_error_code="name_taken",
                violation_error_message="A template with this name already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mou-template-detail", kwargs={"program": self.program.slug, "pk": self.pk})


class TemplateClause(models.Model):
    template = models.ForeignKey(MouTemplate, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=ClauseKind.choices)
    heading = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.heading


class MouStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In committee review"
    APPROVED = "approved", "Approved by the committee"
    OUT_FOR_SIGNATURE = "out_for_signature", "Out for signature"
    EXECUTED = "executed", "Executed"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"
    SUPERSEDED = "superseded", "Superseded"


# States whose text may still change; from "out for signature" on it is locked.
EDITABLE_STATUSES = {MouStatus.DRAFT, MouStatus.IN_REVIEW, MouStatus.APPROVED}
# What every member of the program may read.
PUBLISHED_STATUSES = {
    MouStatus.EXECUTED,
    MouStatus.EXPIRED,
    MouStatus.TERMINATED,
    MouStatus.SUPERSEDED,
}


class MouQuerySet(ProgramScopedQuerySet):
    def in_force(self):
        return self.filter(status=MouStatus.EXECUTED)


class Mou(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="mous")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=MouKind.choices, default=MouKind.SPECIFIC)
    template = models.ForeignKey(
        MouTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="mous"
    )
    status = models.CharField(max_length=20, choices=MouStatus.choices, default=MouStatus.DRAFT)
    effective_date = models.DateField(
        null=True, blank=True, help_text="Empty: the day the last party signs."
    )
    term_months = models.PositiveSmallIntegerField(
        "term (months)", default=12, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    auto_renew = models.BooleanField(
        "renews automatically",
        default=True,
        help_text="Renews for another term unless a party gives notice.",
    )
    renewal_months = models.PositiveSmallIntegerField(
        "each renewal (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    notice_days = models.PositiveSmallIntegerField(
        "notice (days)",
        default=60,
        validators=[MaxValueValidator(3650)],
        help_text="Notice a party gives to end or not renew it.",
    )
    review_date = models.DateField(null=True, blank=True)
    ends_on = models.DateField("current term ends", null=True, blank=True, editable=False)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        help_text="The MOU this one amends and replaces once executed.",
    )
    notes = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    terminated_on = models.DateField(null=True, blank=True, editable=False)
    termination_reason = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MouQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "MOU"
        verbose_name_plural = "MOUs"
        indexes = [
            models.Index(fields=["program", "-updated_at", "-id"]),
            models.Index(fields=["program", "status", "id"]),
            models.Index(fields=["program", "title", "id"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mou-detail", kwargs={"program": self.program.slug, "pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED_STATUSES

    def notice_deadline(self) -> datetime.date | None:
        """The last day a party may give notice before the term renews or ends."""
        if self.ends_on is None:
            return None
        return self.ends_on - datetime.timedelta(days=self.notice_days)


class MouVersion(models.Model):
    """The text of an MOU at one moment: its clauses, in order. Never changed once written."""

    mou = models.ForeignKey(Mou, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # [{"key": "...", "kind": "...", "heading": "...", "body": "markdown"}, ...]
    clauses = models.JSONField(default=list, blank=True)
    change_summary = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["mou", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["mou", "number"],
                name="mou_version_number_unique",
                violation_error_message="This version number is taken.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mou} — version {self.number}"

    def clause(self, key: str) -> dict | None:
        return next((c for c in self.clauses if c["key"] == key), None)


class MouParty(models.Model):
    mou = models.ForeignKey(Mou, on_delete=models.CASCADE, related_name="parties")
    agency = models.ForeignKey("partners.Agency", on_delete=models.PROTECT, related_name="+")
    signatory_name = models.CharField("signs for the agency", max_length=200, blank=True)
    signatory_title = models.CharField("signatory's title", max_length=200, blank=True)
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="signatory's account",
        help_text=(
            "The account that may sign by typed attestation (an administrator of the agency)."
        ),
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "MOU party"
        verbose_name_plural = "MOU parties"
        constraints = [
            models.UniqueConstraint(
                fields=["mou", "agency"],
                name="mou_party_once",
                violation_error_code="party_taken",
                violation_error_message="This agency is already a party to the MOU.",
            )
        ]

    def __str__(self) -> str:
        return str(self.agency)


class MouCommitment(models.Model):
    """A crisis responsibility a party takes on in this MOU."""

    party = models.ForeignKey(MouParty, on_delete=models.CASCADE, related_name="commitments")
    responsibility = models.ForeignKey(
        Responsibility, on_delete=models.PROTECT, related_name="commitments"
    )
    note = models.CharField(max_length=300, blank=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["responsibility__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "responsibility"],
                name="mou_commitment_once",
                violation_error_message="The party already takes on this responsibility.",
            )
        ]

    def __str__(self) -> str:
        return self.responsibility.title


class SignatureMethod(models.TextChoices):
    TYPED = "typed", "Typed attestation by the signatory's account"
    SCAN = "scan", "Wet-ink signature, scan uploaded"


class MouSignature(models.Model):
    party = models.ForeignKey(MouParty, on_delete=models.CASCADE, related_name="signatures")
    version = models.ForeignKey(MouVersion, on_delete=models.PROTECT, related_name="signatures")
    method = models.CharField(max_length=10, choices=SignatureMethod.choices)
    signer_name = models.CharField(max_length=200)
    signer_title = models.CharField(max_length=200, blank=True)
    signed_on = models.DateField()
    attestation = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    scan_name = models.CharField(max_length=255, blank=True)
    scan_type = models.CharField(max_length=100, blank=True)
    scan = models.BinaryField(null=True, blank=True, editable=False)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "version"],
                name="mou_signature_once",
                violation_error_message="This party has already signed this version.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} for {self.party}"


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", "Approve"
    CHANGES = "changes", "Request changes"
    COMMENT = "comment", "Comment"


class MouReview(models.Model):
    """A committee member's comment on, or decision about, one version."""

    mou = models.ForeignKey(Mou, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(MouVersion, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewer_name = models.CharField(max_length=200)
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices)
    clause_key = models.CharField("about the clause", max_length=40, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.reviewer_name}: {self.get_decision_display()}"


class MouReminderLog(models.Model):
    """One reminder sent: the unique row makes a second run send nothing again."""

    class Kind(models.TextChoices):
        REVIEW = "review", "Review date"
        NOTICE = "notice", "Notice deadline before renewal or expiry"
        EXPIRY = "expiry", "Term ends"
        SIGNATURES = "signatures", "Signatures outstanding"

    mou = models.ForeignKey(Mou, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    key_date = models.DateField()
    recipient = models.EmailField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mou", "kind", "key_date", "recipient"], name="mou_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.mou_id} to {self.recipient}"
