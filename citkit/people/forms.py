from django import forms

from citkit.partners.models import Agency
from citkit.people.models import Person


class PersonForm(forms.ModelForm):
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

    def _post_clean(self):
        # The form only parses input; the service validates the person (the same rules
        # for pages, API and imports) and its errors are put back on this form.
        pass
