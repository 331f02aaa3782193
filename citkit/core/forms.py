"""Forms for programs, members and the audit-trail filters."""

import datetime

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from citkit.core.models import AuditEntry, Membership, Program, Role
from citkit.core.registry import audited_models

User = get_user_model()


def _program_agencies(program: Program):
    """The program's partner agencies (an agency administrator acts for one of them)."""
    agency_model = Membership._meta.get_field("agency").related_model
    return agency_model.objects.filter(program=program)


class InputModelForm(forms.ModelForm):
    """A ModelForm that only parses input: the service validates and decides.

    Django's ModelForm would copy the input onto the instance and run model
    validation itself; here the service does both, on the real record, inside
    its transaction. The instance only supplies the values an edit form shows.
    """

    def _post_clean(self):
        pass


class ProgramForm(InputModelForm):
    second_factor_roles = forms.MultipleChoiceField(
        label="Roles that must use two-factor sign-in",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Members with these roles sign in with a code from an authenticator app "
        "as well as their password (deployment administrators always do).",
    )

    class Meta:
        model = Program
        fields = ["name", "jurisdiction", "time_zone", "country", "second_factor_roles"]


class MemberAddForm(forms.Form):
    """An invitation: who (as typed), and the role offered."""

    username = forms.CharField(
        label="User name",
        max_length=150,
        help_text="Their citkit user name, or the one to give a new account.",
    )
    email = forms.EmailField(
        label="E-mail address",
        required=False,
        help_text="Finds their account if it has this address; for a new account, where "
        "the link to set a password goes.",
    )
    first_name = forms.CharField(
        max_length=150, required=False, help_text="For a new account only."
    )
    last_name = forms.CharField(max_length=150, required=False, help_text="For a new account only.")
    # The least powerful role is the default: giving more is a choice made on purpose.
    role = forms.ChoiceField(choices=Role.choices, initial=Role.OFFICER)
    agency = forms.ModelChoiceField(
        queryset=Program.objects.none(),
        required=False,
        help_text="Required for an agency administrator.",
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _program_agencies(program)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    agency = forms.ModelChoiceField(queryset=Program.objects.none(), required=False)

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _program_agencies(program)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    """Start of `day` in the active (program's) time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class LocalDaysFilterSet(django_filters.FilterSet):
    """From/To filters on `created_at` in whole days of the program's time zone.

    Compared on the bare column so the (program, created_at, id) index answers; a
    __date lookup would compute the local date of every row of a million-row trail.
    The first and last days a calendar holds (0001-01-01, 9999-12-31) have no
    midnight on the other side of a time zone: from the first day is everything,
    up to the last day is everything.
    """

    since = django_filters.DateFilter(method="filter_since", label="From")
    until = django_filters.DateFilter(method="filter_until", label="To")

    def filter_since(self, queryset, name, value):
        try:
            start = _local_midnight(value).astimezone(datetime.UTC)
        except OverflowError:
            return queryset
        return queryset.filter(created_at__gte=start)

    def filter_until(self, queryset, name, value):
        try:
            end = _local_midnight(value + datetime.timedelta(days=1)).astimezone(datetime.UTC)
        except OverflowError:
            return queryset
        return queryset.filter(created_at__lt=end)


class AuditFilterSet(LocalDaysFilterSet):
    """Filters of the program-wide audit trail (page and API)."""

    q = django_filters.CharFilter(field_name="object_repr", lookup_expr="icontains", label="Record")
    action = django_filters.ChoiceFilter(empty_label="Any", choices=AuditEntry.Action.choices)
    record_type = django_filters.ModelChoiceFilter(
        empty_label="Any",
        field_name="content_type",
        queryset=ContentType.objects.none(),
        label="Record type",
    )
    actor = django_filters.CharFilter(field_name="actor_label", lookup_expr="icontains", label="By")
    request_id = django_filters.CharFilter(label="Request id")

    class Meta:
        model = AuditEntry
        fields = ["q", "action", "record_type", "actor", "since", "until", "request_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # ContentType's own cache knows the ids: one plain query, not twenty ORs.
        types = ContentType.objects.get_for_models(
            *(apps.get_model(app_label, model) for app_label, model in audited_models())
        )
        self.filters["record_type"].queryset = ContentType.objects.filter(
            pk__in=[t.pk for t in types.values()]
        ).order_by("app_label", "model")
        self.filters["record_type"].field.label_from_instance = lambda ct: ct.name.capitalize()
