from django import forms

from citkit.core.forms import InputModelForm
from citkit.partners.models import Agency, AgencyContact


class AgencyForm(InputModelForm):
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Agency
        fields = [
            "name",
            "agency_type",
            "operates_24_7",
            "main_phone",
            "crisis_phone",
            "email",
            "website",
            "street",
            "city",
            "state",
            "postal_code",
            "notes",
            "active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class AgencyContactForm(InputModelForm):
    class Meta:
        model = AgencyContact
        fields = ["name", "title", "email", "phone", "is_primary"]
