"""Forms for the committee's seats, subcommittees and service gaps."""

from django import forms

from citkit.committee.forms.fields import DATE, MemberChoiceField
from citkit.committee.models import (
    Seat,
    ServiceGap,
    Subcommittee,
    SubcommitteeMember,
    SubcommitteeReport,
)
from citkit.core.forms import InputModelForm
from citkit.core.selectors import program_members
from citkit.partners.models import Agency


def program_agencies(program):
    return Agency.objects.filter(program=program).order_by("name", "id")


class SeatForm(InputModelForm):
    user = MemberChoiceField(
        required=False,
        label="Login (optional)",
        help_text="The holder's citkit login, if they have one (for attendance and action items).",
    )

    class Meta:
        model = Seat
        fields = ["holder_name", "seat_type", "agency", "user", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}
        help_texts = {"end_date": "Leave empty while the seat is held."}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = program_agencies(program)
        self.fields["user"].queryset = program_members(program)


class SeatEndForm(forms.Form):
    end_date = forms.DateField(label="Last day in the seat", widget=DATE)


class SubcommitteeForm(InputModelForm):
    class Meta:
        model = Subcommittee
        fields = ["name", "charge", "deadline"]
        widgets = {"charge": forms.Textarea(attrs={"rows": 4}), "deadline": DATE}
        help_texts = {"deadline": "When it should report back to the committee."}


class SubcommitteeMemberForm(InputModelForm):
    class Meta:
        model = SubcommitteeMember
        fields = ["name", "perspective", "agency"]

    def __init__(self, *args, program, **kwargs):
        kwargs.setdefault("prefix", "member")
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = program_agencies(program)


class SubcommitteeReportForm(InputModelForm):
    class Meta:
        model = SubcommitteeReport
        fields = ["reported_on", "title", "text"]
        widgets = {"reported_on": DATE, "text": forms.Textarea(attrs={"rows": 5})}
        labels = {"reported_on": "Reported on", "text": "Report"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "report")
        super().__init__(*args, **kwargs)


class ServiceGapForm(InputModelForm):
    affected_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label="Affected partner agencies",
        help_text="Hold Ctrl (or ⌘) to choose more than one.",
    )
    owner = MemberChoiceField(required=False)

    class Meta:
        model = ServiceGap
        fields = [
            "title",
            "description",
            "affected_agencies",
            "workaround",
            "owner",
            "target_date",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "workaround": forms.Textarea(attrs={"rows": 3}),
            "target_date": DATE,
        }
        help_texts = {
            "workaround": "What partners do meanwhile, so the gap does not stall implementation.",
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = self.fields["affected_agencies"]
        agencies.queryset = program_agencies(program)
        agencies.widget.attrs["size"] = min(max(agencies.queryset.count(), 3), 8)
        self.fields["owner"].queryset = program_members(program)

    def gap_data(self) -> tuple[dict, list]:
        """(the gap's fields, the affected agencies): the service takes them apart."""
        data = dict(self.cleaned_data)
        affected = list(data.pop("affected_agencies", []) or [])
        return data, affected
