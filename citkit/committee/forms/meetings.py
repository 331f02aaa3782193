"""Forms for meetings: the meeting itself, agenda, attendance and minutes, decisions,
action items.

Times are typed in the program's zone (the page activates it) and stored in UTC.
"""

from django import forms

from citkit.committee.forms.fields import DATE, MemberChoiceField
from citkit.committee.models import ActionItem, AgendaItem, Attendance, Decision, Meeting
from citkit.core.forms import InputModelForm
from citkit.core.selectors import program_members

LOCAL_INPUT = ["%Y-%m-%dT%H:%M"]


def local_datetime_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=LOCAL_INPUT,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT[0]),
    )


class MeetingForm(InputModelForm):
    starts_at = local_datetime_field("Starts")
    ends_at = local_datetime_field("Ends")
    call_link = forms.URLField(
        label="Call link",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="A video or phone conference link, if people can join remotely.",
    )

    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "location", "call_link", "status"]


class MeetingRecordForm(forms.Form):
    """What happened in the meeting, typed on one form: who attended (one present /
    absent / excused choice per seat; a seat left blank is not recorded) and the
    minutes. Saving either keeps the other, so nothing typed is lost."""

    minutes = forms.CharField(
        label="Minutes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What was discussed. Decisions and action items are recorded below.",
    )

    def __init__(self, *args, seats, recorded: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = list(seats)
        for seat in self.seats:
            self.fields[f"seat_{seat.pk}"] = forms.ChoiceField(
                label=seat.holder_name,
                choices=Attendance.Status.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=recorded.get(seat.pk),
            )

    def rows(self):
        """(seat, bound field) for the template's table."""
        return [(seat, self[f"seat_{seat.pk}"]) for seat in self.seats]

    def statuses(self) -> dict[int, str]:
        return {
            seat.pk: self.cleaned_data[f"seat_{seat.pk}"]
            for seat in self.seats
            if self.cleaned_data.get(f"seat_{seat.pk}")
        }

    def typed_minutes(self) -> str | None:
        """The minutes, if the request carried them (None: leave them as they are)."""
        return self.cleaned_data["minutes"] if "minutes" in self.data else None


class AgendaItemForm(InputModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "minutes", "notes"]
        labels = {"title": "Item", "minutes": "Time (minutes)"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "agenda")
        super().__init__(*args, **kwargs)
        self.fields["minutes"].widget.attrs["min"] = 1


class DecisionForm(InputModelForm):
    class Meta:
        model = Decision
        fields = ["text", "decided_by", "votes_for", "votes_against", "abstentions"]
        labels = {
            "text": "What was decided",
            "votes_for": "Votes for",
            "votes_against": "Votes against",
            "abstentions": "Abstentions",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)


class MeetingActionItemForm(InputModelForm):
    """An action item agreed in the meeting: who does what by when."""

    owner = MemberChoiceField(label="Owner")
    decision = forms.ModelChoiceField(
        queryset=Decision.objects.none(),
        required=False,
        label="From decision",
        empty_label="(none)",
    )

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_date", "decision"]
        labels = {"title": "Action", "due_date": "Due"}
        widgets = {"due_date": DATE}

    def __init__(self, *args, program, meeting, **kwargs):
        kwargs.setdefault("prefix", "action")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = program_members(program).filter(is_active=True)
        self.fields["owner"].help_text = "A member of the program; they see it in their items."
        self.fields["decision"].queryset = meeting.decisions.all()


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Meeting.Status.choices)
