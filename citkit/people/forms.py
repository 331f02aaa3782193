"""Forms for people and roster imports: they parse input; services decide."""

from django import forms
from django.conf import settings

from citkit.core.forms import InputModelForm
from citkit.partners.models import Agency
from citkit.people import importing
from citkit.people.models import Person


class PersonForm(InputModelForm):
    class Meta:
        model = Person
        fields = [
            "kind",
            "first_name",
            "last_name",
            "agency",
            "badge_number",
            "rank",
            "district",
            "shift",
            "hire_date",
            "status",
            "email",
            "phone",
        ]
        widgets = {"hire_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, program, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            agencies if agencies is not None else Agency.objects.filter(program=program)
        )


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster file",
        help_text=(
            f"CSV saved as 'CSV UTF-8', or an Excel workbook (.xlsx); up to "
            f"{settings.CITKIT_IMPORT_MAX_BYTES // (1024 * 1024)} MB, any number of rows. "
            "The first row names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            importing.check_size(upload.size)
        except importing.RosterImportError as exc:
            raise forms.ValidationError([p.message for p in exc.problems]) from exc
        return upload


class RosterMappingForm(forms.Form):
    """One select per column of the file: which Person field it holds, if any."""

    IGNORE = ("", "— ignore —")

    def __init__(self, *args, headers: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [self.IGNORE, *importing.IMPORT_FIELDS.items()]
        for i, header in enumerate(headers):
            self.fields[f"column_{i}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=initial_mapping.get(header, ""),
            )

    def mapping(self) -> dict[str, str]:
        return {h: self.cleaned_data[f"column_{i}"] for i, h in enumerate(self.headers)}
