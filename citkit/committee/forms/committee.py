"""Forms and the gap filter for the committee's seats, subcommittees and service gaps.

The forms only parse input; the services validate (the same rules for pages and API)
and their errors are put back on the form with `form_errors_from`.
"""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Case, DateField, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from citkit.committee.models import (
    Seat,
    ServiceGap,
    Subcommittee,
    SubcommitteeMember,
    SubcommitteeReport,
)
from citkit.partners.models import Agency

User = get_user_model()

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A gap without a target date sorts after every dated one.
NO_TARGET = datetime.date(9999, 12, 31)


def program_agencies(program):
    return Agency.objects.filter(program=program).order_by("name", "id")


def program_users(program):
    """The users who are members of the program (owners, seat holders' logins)."""
    return User.objects.filter(memberships__program=program).order_by(
        "first_name", "last_name", "username", "id"
    )


def user_label(user) -> str:
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class MemberUserField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_label(obj)


class _ParseOnly:
    def _post_clean(self):
        # The service validates the record (constraints, program checks) and its errors
        # are put back on this form, so pages and API answer the same way.
        pass


def _check_dates(form, start: str, end: str, message: str) -> None:
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if first and last and last < first:
        form.add_error(end, message)


class SeatForm(_ParseOnly, forms.ModelForm):
    user = MemberUserField(
        queryset=User.objects.none(),
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
        self.fields["user"].queryset = program_users(program)

    def clean(self):
        super().clean()
        _check_dates(self, "start_date", "end_date", "A seat cannot end before it starts.")
        return self.cleaned_data


class SeatEndForm(forms.Form):
    end_date = forms.DateField(label="Last day in the seat", widget=DATE)

    def __init__(self, *args, seat, **kwargs):
        super().__init__(*args, **kwargs)
        self.seat = seat

    def clean_end_date(self):
        value = self.cleaned_data["end_date"]
        if value < self.seat.start_date:
            raise forms.ValidationError("A seat cannot end before it starts.")
        return value


class SubcommitteeForm(_ParseOnly, forms.ModelForm):
    class Meta:
        model = Subcommittee
        fields = ["name", "charge", "deadline"]
        widgets = {"charge": forms.Textarea(attrs={"rows": 4}), "deadline": DATE}
        help_texts = {"deadline": "When it should report back to the committee."}


class SubcommitteeMemberForm(_ParseOnly, forms.ModelForm):
    class Meta:
        model = SubcommitteeMember
        fields = ["name", "perspective", "agency"]

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = program_agencies(program)


class SubcommitteeReportForm(_ParseOnly, forms.ModelForm):
    class Meta:
        model = SubcommitteeReport
        fields = ["reported_on", "title", "text"]
        widgets = {"reported_on": DATE, "text": forms.Textarea(attrs={"rows": 5})}
        labels = {"reported_on": "Reported on", "text": "Report"}


class ServiceGapForm(_ParseOnly, forms.ModelForm):
    affected_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label="Affected partner agencies",
        help_text="Hold Ctrl (or ⌘) to choose more than one.",
    )
    owner = MemberUserField(queryset=User.objects.none(), required=False)

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
        self.fields["owner"].queryset = program_users(program)


# --- The gap register's filter and sorts (list page and API) ----------------------

# Sort keys, each ending in a unique column for keyset paging. `status_rank` and
# `target_key` are annotations (see gap_queryset): open gaps first, undated ones last.
GAP_SORTS = {
    "status": ["status_rank", "target_key", "id"],
    "target": ["target_key", "id"],
    "title": ["title", "id"],
    "updated": ["-updated_at", "-id"],
}
GAP_SORT_LABELS = {
    "status": "Open first",
    "target": "Target date",
    "title": "Title A–Z",
    "updated": "Recently changed",
}


def gap_queryset(queryset):
    """Gaps with the annotations the sorts need and what a row shows, in fixed queries."""
    rank = Case(
        *(When(status=s, then=Value(i)) for i, s in enumerate(ServiceGap.Status.values)),
        default=Value(len(ServiceGap.Status.values)),
        output_field=IntegerField(),
    )
    return (
        queryset.annotate(
            status_rank=rank,
            target_key=Coalesce("target_date", Value(NO_TARGET), output_field=DateField()),
        )
        .select_related("owner")
        .prefetch_related("affected_agencies")
    )


class GapFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(
        empty_label="Any", choices=ServiceGap.Status.choices, label="Status"
    )
    agency = django_filters.ModelChoiceFilter(
        field_name="affected_agencies",
        queryset=Agency.objects.none(),
        empty_label="Any",
        label="Affects",
    )

    class Meta:
        model = ServiceGap
        fields = ["q", "status", "agency"]

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        if program is None and self.request is not None:
            program = getattr(self.request, "program", None)
        if program is not None:
            self.filters["agency"].queryset = program_agencies(program)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(workaround__icontains=value)
        )
