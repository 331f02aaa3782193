"""Forms of the directory, the responsibilities and the MOUs. They parse input;
the services decide."""

from django import forms
from django.contrib.auth import get_user_model

from citkit.core.forms import InputModelForm
from citkit.core.models import Membership, Role
from citkit.core.permissions import has_capability, own_agency_id
from citkit.partners.models import Agency
from citkit.partnerships.models import (
    Capacity,
    ClauseKind,
    Contact,
    Language,
    Location,
    Mou,
    MouParty,
    MouTemplate,
    Phone,
    Responsibility,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    SignatureMethod,
    TemplateClause,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def agencies_kept_by(user, program):
    """The agencies this member may file directory records under."""
    agencies = Agency.objects.filter(program=program).order_by("name", "id")
    if user is None or has_capability(user, program, "manage_directory"):
        return agencies
    return agencies.filter(pk=own_agency_id(user, program))


class _ProgramForm(InputModelForm):
    """A form whose choices are the program's own records (and the member's own agency)."""

    def __init__(self, *args, program, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.user = user
        if "agency" in self.fields:
            self.fields["agency"].queryset = agencies_kept_by(user, program)


class ServiceForm(_ProgramForm):
    url = forms.URLField(label="Web page", required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Service
        fields = [
            "agency",
            "name",
            "alternate_name",
            "service_type",
            "status",
            "description",
            "application_process",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "fees_description",
            "interpretation_services",
            "url",
            "email",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "application_process": forms.Textarea(attrs={"rows": 3}),
            "eligibility_description": forms.Textarea(attrs={"rows": 2}),
            "fees_description": forms.Textarea(attrs={"rows": 2}),
        }


class LocationForm(_ProgramForm):
    class Meta:
        model = Location
        fields = [
            "agency",
            "name",
            "location_type",
            "description",
            "transportation",
            "address_1",
            "address_2",
            "city",
            "state_province",
            "postal_code",
            "country",
            "latitude",
            "longitude",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "transportation": forms.Textarea(attrs={"rows": 2}),
        }


class ResponsibilityForm(_ProgramForm):
    class Meta:
        model = Responsibility
        fields = [
            "agency",
            "kind",
            "title",
            "applies_when",
            "available_24_7",
            "service",
            "hours_text",
            "contact_phone",
            "handoff",
            "escalation",
            "details",
            "position",
        ]
        widgets = {
            "applies_when": forms.Textarea(attrs={"rows": 2}),
            "handoff": forms.Textarea(attrs={"rows": 3}),
            "escalation": forms.Textarea(attrs={"rows": 2}),
            "details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        services = Service.objects.filter(program=self.program).select_related("agency")
        if self.user is not None and not has_capability(
            self.user, self.program, "manage_directory"
        ):
            services = services.filter(agency_id=own_agency_id(self.user, self.program))
        self.fields["service"].queryset = services.order_by("agency__name", "name", "id")
        self.fields["service"].label_from_instance = lambda s: f"{s.agency.name}: {s.name}"


# --- Parts of a service or location -------------------------------------------------


class PhoneForm(InputModelForm):
    class Meta:
        model = Phone
        fields = ["number", "extension", "phone_type", "description"]


class ScheduleForm(InputModelForm):
    WEEKDAY_CHOICES = [
        ("MO", "Monday"),
        ("TU", "Tuesday"),
        ("WE", "Wednesday"),
        ("TH", "Thursday"),
        ("FR", "Friday"),
        ("SA", "Saturday"),
        ("SU", "Sunday"),
    ]

    class Meta:
        model = Schedule
        fields = [
            "description",
            "freq",
            "interval",
            "byday",
            "bymonthday",
            "opens_at",
            "closes_at",
            "dtstart",
            "until",
            "valid_from",
            "valid_to",
            "notes",
        ]
        widgets = {
            "opens_at": TIME,
            "closes_at": TIME,
            "dtstart": DATE,
            "until": DATE,
            "valid_from": DATE,
            "valid_to": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "closes_at": "At or before the opening time: it closes the next day. "
            "00:00 to 00:00 is the whole day.",
        }


class LanguageForm(InputModelForm):
    class Meta:
        model = Language
        fields = ["name", "code", "note"]


class ServiceAreaForm(InputModelForm):
    class Meta:
        model = ServiceArea
        fields = ["name", "description", "extent", "extent_type"]
        widgets = {"extent": forms.Textarea(attrs={"rows": 2})}


class CapacityForm(InputModelForm):
    class Meta:
        model = Capacity
        fields = ["unit", "available", "maximum", "description"]


class CapacityReportForm(forms.Form):
    available = forms.IntegerField(label="Available now", min_value=0)


class ContactForm(InputModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "department", "email"]


class ServiceAtLocationForm(InputModelForm):
    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(program=program)

    class Meta:
        model = ServiceAtLocation
        fields = ["location", "description"]


# --- MOUs -------------------------------------------------------------------------


class MouTemplateForm(InputModelForm):
    class Meta:
        model = MouTemplate
        fields = ["name", "kind", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class TemplateClauseForm(InputModelForm):
    class Meta:
        model = TemplateClause
        fields = ["kind", "heading", "body", "position"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}


class MouForm(InputModelForm):
    class Meta:
        model = Mou
        fields = [
            "title",
            "kind",
            "effective_date",
            "term_months",
            "auto_renew",
            "renewal_months",
            "notice_days",
            "review_date",
            "notes",
        ]
        widgets = {
            "effective_date": DATE,
            "review_date": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class MouCreateForm(MouForm):
    template = forms.ModelChoiceField(
        queryset=MouTemplate.objects.none(),
        required=False,
        empty_label="No template: start from an empty text",
        help_text="The template's clauses become the first version's text.",
    )

    class Meta(MouForm.Meta):
        fields = ["template", *MouForm.Meta.fields]

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = MouTemplate.objects.filter(program=program)
        self.order_fields(["template", "title"])

    def clean(self):
        data = super().clean()
        # The template is an argument of the service, not a field of the record.
        self.template = data.pop("template", None)
        return data


class ClauseForm(forms.Form):
    kind = forms.ChoiceField(choices=ClauseKind.choices, initial=ClauseKind.OTHER)
    heading = forms.CharField(max_length=200)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Markdown: **bold**, *italic*, lists with - or 1., headings with ###.",
    )
    summary = forms.CharField(
        label="What changed",
        max_length=300,
        required=False,
        help_text="For the version history, e.g. 'Notice period 60 → 90 days'.",
    )


class PartyForm(InputModelForm):
    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(program=program).order_by("name")
        admins = Membership.objects.filter(program=program, role=Role.AGENCY_ADMIN)
        self.fields["signatory"].queryset = (
            get_user_model()
            .objects.filter(pk__in=admins.values("user_id"))
            .order_by("last_name", "first_name", "username")
        )
        self.fields["signatory"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )

    class Meta:
        model = MouParty
        fields = ["agency", "signatory_name", "signatory_title", "signatory", "position"]


class CommitmentForm(forms.Form):
    responsibility = forms.ModelChoiceField(queryset=Responsibility.objects.none())
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, party, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsibility"].queryset = Responsibility.objects.filter(
            program=party.mou.program, agency=party.agency
        )


class TransitionForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReviewForm(forms.Form):
    clause_key = forms.ChoiceField(label="About the clause", required=False)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, clauses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause_key"].choices = [("", "The whole MOU")] + [
            (c["key"], c["heading"]) for c in clauses
        ]


class SignForm(forms.Form):
    method = forms.ChoiceField(choices=SignatureMethod.choices, widget=forms.RadioSelect)
    signer_name = forms.CharField(label="Signed by", max_length=200, required=False)
    signer_title = forms.CharField(label="Title", max_length=200, required=False)
    signed_on = forms.DateField(label="Signed on", required=False, widget=DATE)
    attestation = forms.CharField(
        label="Typed signature",
        max_length=200,
        required=False,
        help_text="Type your full name: it is your signature of this version.",
    )
    scan = forms.FileField(
        label="Scan of the signed page",
        required=False,
        help_text="PDF, PNG or JPEG, up to 10 MB.",
    )


class AmendForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
