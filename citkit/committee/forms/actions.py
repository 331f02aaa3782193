"""Forms and the one filter definition for action items (list pages and API)."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Q, Value, When

from citkit.committee.models import ActionItem, Decision, Meeting
from citkit.committee.selectors import program_today
from citkit.core.permissions import has_capability
from citkit.plan.models import Task

User = get_user_model()

# Sort keys, each ending in a unique column for keyset paging. "open" needs the
# `closed` annotation of with_open_rank().
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


def with_open_rank(queryset):
    """Annotate `closed` (0 for open and in-progress items, 1 otherwise) to sort open first."""
    return queryset.annotate(
        closed=Case(
            When(status__in=ActionItem.OPEN_STATUSES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


def program_users(program):
    """The users who are members of the program, in any role (possible owners)."""
    return User.objects.filter(memberships__program=program).order_by("username")


def user_label(user) -> str:
    return user.get_full_name() or user.get_username()


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_label(obj)


class ActionItemFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search title")
    status = django_filters.ChoiceFilter(empty_label="Any", choices=ActionItem.Status.choices)
    # By username: the API names owners the way the members API names users.
    owner = django_filters.ModelChoiceFilter(
        empty_label="Anyone", queryset=User.objects.none(), to_field_name="username"
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label="Overdue",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )

    class Meta:
        model = ActionItem
        fields = ["q", "status", "owner", "overdue"]

    def __init__(self, *args, program=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            program = program or getattr(self.request, "program", None)
            user = user or self.request.user
        self.program = program
        if program is not None and "owner" in self.filters:
            owners = program_users(program)
            # Members outside the committee see only their own items; the list of
            # owners must not show them who else belongs to the program.
            if user is None or not has_capability(user, program, "view_committee"):
                owners = owners.filter(pk=getattr(user, "pk", None))
            self.filters["owner"].queryset = owners
            self.filters["owner"].field_class = MemberChoiceField

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None or self.program is None:
            return queryset
        overdue = Q(status__in=ActionItem.OPEN_STATUSES, due_date__lt=program_today(self.program))
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class MyActionItemFilterSet(ActionItemFilterSet):
    """The filters of "My action items": the same, less the owner (it is always you)."""

    class Meta(ActionItemFilterSet.Meta):
        fields = ["q", "status", "overdue"]

    def __init__(self, *args, **kwargs):
        self.base_filters = {k: v for k, v in self.base_filters.items() if k != "owner"}
        super().__init__(*args, **kwargs)


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.meeting.starts_at:%Y-%m-%d}: {obj.text[:80]}"


class ActionItemForm(forms.ModelForm):
    """Everything about an item, for coordinators and committee members."""

    concerns_task = forms.ModelChoiceField(
        queryset=Task.objects.none(),
        required=False,
        label="Concerns plan task",
        help_text="Optional: the implementation-plan task this item moves forward.",
    )

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_date", "status", "notes", "meeting", "decision"]
        field_classes = {"owner": MemberChoiceField, "decision": DecisionChoiceField}
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, program, with_concerns=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = program_users(program)
        self.fields["owner"].help_text = "Any member of the program."
        self.fields["meeting"].queryset = Meeting.objects.filter(program=program)
        self.fields["decision"].queryset = Decision.objects.filter(
            meeting__program=program
        ).select_related("meeting")
        if with_concerns:
            self.fields["concerns_task"].queryset = Task.objects.filter(
                program=program, retired=False
            ).order_by("phase__order", "order", "id")
        else:
            del self.fields["concerns_task"]

    def _post_clean(self):
        # The form parses input; the service validates the item and its errors are
        # put back on this form.
        pass


class OwnerActionItemForm(forms.ModelForm):
    """What the owner of an item may change: its status and notes."""

    class Meta:
        model = ActionItem
        fields = ["status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass


class ActionStatusForm(forms.Form):
    """The one-click status change on "My action items"."""

    status = forms.ChoiceField(choices=ActionItem.Status.choices)
