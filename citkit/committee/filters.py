"""One filter definition per list, serving both its page and its API endpoint, with the
sorts each offers (every sort ends in a unique column, for keyset paging)."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from citkit.committee.models import ActionItem, Meeting, Seat, SeatType, ServiceGap
from citkit.core.permissions import has_capability
from citkit.core.selectors import program_members, user_choice_label
from citkit.partners.models import Agency

User = get_user_model()

YES_NO_ANY = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])


def _program_of(filterset, program):
    if program is None and filterset.request is not None:
        program = getattr(filterset.request, "program", None)
    return program


class MemberChoiceFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_choice_label(obj)


# --- Action items ----------------------------------------------------------------------

# "open" needs the `closed` annotation of selectors.action_items_for_list().
ACTION_SORTS = {
    "due": ["due_date", "id"],
    "-due": ["-due_date", "-id"],
    "open": ["closed", "due_date", "id"],
    "updated": ["-updated_at", "-id"],
}
ACTION_SORT_LABELS = {
    "due": "Due date, soonest first",
    "-due": "Due date, latest first",
    "open": "Open first, then by due date",
    "updated": "Recently changed",
}


class ActionItemFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search title")
    status = django_filters.ChoiceFilter(empty_label="Any", choices=ActionItem.Status.choices)
    # By user name: the API names people by user name everywhere.
    owner = django_filters.ModelChoiceFilter(
        empty_label="Anyone", queryset=User.objects.none(), to_field_name="username"
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Overdue", widget=YES_NO_ANY
    )

    class Meta:
        model = ActionItem
        fields = ["q", "status", "owner", "overdue"]

    def __init__(self, *args, program=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        program = _program_of(self, program)
        if user is None and self.request is not None:
            user = self.request.user
        self.program = program
        if program is not None and "owner" in self.filters:
            owners = program_members(program)
            # Members who see only their own items must not learn from the list of
            # owners who else belongs to the program.
            if user is None or not has_capability(user, program, "view_committee"):
                owners = owners.filter(pk=getattr(user, "pk", None))
            self.filters["owner"].queryset = owners
            self.filters["owner"].field_class = MemberChoiceFilterField

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None or self.program is None:
            return queryset
        overdue = queryset.overdue(self.program.today())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class MyActionItemFilterSet(ActionItemFilterSet):
    """The filters of "My action items": the same, less the owner (it is always you)."""

    class Meta(ActionItemFilterSet.Meta):
        fields = ["q", "status", "overdue"]

    def __init__(self, *args, **kwargs):
        self.base_filters = {k: v for k, v in self.base_filters.items() if k != "owner"}
        super().__init__(*args, **kwargs)


# --- Service gaps ----------------------------------------------------------------------

# `status_rank` and `target_key` are annotations of selectors.gaps_for_list().
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
        self.program = _program_of(self, program)
        if self.program is not None:
            self.filters["agency"].queryset = Agency.objects.filter(program=self.program).order_by(
                "name", "id"
            )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(workaround__icontains=value)
        )


# --- Meetings --------------------------------------------------------------------------


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


# --- Seats -----------------------------------------------------------------------------


class SeatFilterSet(django_filters.FilterSet):
    seat_type = django_filters.ChoiceFilter(choices=SeatType.choices, empty_label="Any")
    current = django_filters.BooleanFilter(
        method="filter_current", label="Held today (true) or ended (false)"
    )

    class Meta:
        model = Seat
        fields = ["seat_type", "current"]

    def filter_current(self, queryset, name, value):
        program = getattr(self.request, "program", None)
        if value is None or program is None:
            return queryset
        today = program.today()
        held = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
        return queryset.filter(held) if value else queryset.exclude(held)
