"""Forms for meetings: the meeting itself, agenda, attendance, minutes, decisions, actions.

Times are typed in the program's zone (the page activates it) and stored in UTC.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from citkit.committee.documents import person_name
from citkit.committee.models import ActionItem, AgendaItem, Attendance, Decision, Meeting

LOCAL_INPUT = ["%Y-%m-%dT%H:%M"]


def local_datetime_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=LOCAL_INPUT,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT[0]),
    )


class MeetingForm(forms.ModelForm):
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

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "A meeting must end after it starts.")
        return cleaned


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Minutes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What was discussed. Decisions and action items are recorded below.",
    )


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "minutes", "notes"]
        labels = {"title": "Item", "minutes": "Time (minutes)"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "agenda")
        super().__init__(*args, **kwargs)
        self.fields["minutes"].widget.attrs["min"] = 1


class AttendanceForm(forms.Form):
    """One present / absent / excused choice per seat; a seat left blank is not recorded."""

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


class DecisionForm(forms.ModelForm):
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


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class MeetingActionItemForm(forms.ModelForm):
    """An action item agreed in the meeting: who does what by when."""

    owner = OwnerChoiceField(queryset=get_user_model().objects.none(), label="Owner")
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
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, program, meeting, **kwargs):
        kwargs.setdefault("prefix", "action")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(memberships__program=program, is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["owner"].help_text = "A member of the program; they see it in their items."
        self.fields["decision"].queryset = meeting.decisions.all()


class MeetingFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        empty_label="Any", choices=Meeting.Status.choices, label="Status"
    )

    class Meta:
        model = Meeting
        fields = ["status"]


class MeetingApiFilterSet(MeetingFilterSet):
    """The API also splits upcoming from past (the page shows both, one after the other)."""

    when = django_filters.ChoiceFilter(
        choices=[("upcoming", "Upcoming (not yet over)"), ("past", "Past (over)")],
        method="filter_when",
        label="When",
    )

    class Meta:
        model = Meeting
        fields = ["status", "when"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(ends_at__gte=now)
        return queryset.filter(ends_at__lt=now)


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Meeting.Status.choices)
