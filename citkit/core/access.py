"""The access log: who *read* names (a person's record, a roster export, a report).

The audit trail (core.audit) records changes; this records reads, as HIPAA
164.312(b) and CJIS 5.4 ask: who, what, when, from where, how many rows. A view
that shows or hands out names calls `record_access()` once per read (never once
per row), after it has checked that the reader may see them: one INSERT a read,
whatever the number of rows.

The source (page, api, command) and the request id come from the audit context
that the middleware or a command opens, as for the audit trail.
"""

import django_filters
from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import QueryDict
from django.utils import timezone

from citkit.core.audit import Actor, current_context
from citkit.core.forms import LocalDaysFilterSet
from citkit.core.models import AccessEntry, Program
from citkit.core.registry import audited_models

Action = AccessEntry.Action

# Query parameters that say which page, not which rows.
_NOT_A_FILTER = ("cursor", "format")


def _label(user) -> str:
    """As the audit trail names its actor: `dwhitfield`, `command x (dwhitfield)`."""
    ctx = current_context()
    who = user.get_username() if user is not None else "system"
    if ctx.label:
        who = f"{ctx.label} ({who})" if user is not None else ctx.label
    return who[:200]


def record_access(
    *,
    user: Actor,
    program: Program,
    action: str,
    what: str,
    obj: models.Model | None = None,
    rows: int | None = None,
    query: str = "",
) -> AccessEntry:
    """Write one access entry: `user` read `what` in `program`.

    `obj` is the one record read (a person, a meeting), if it was one; `rows`
    how many records a list or export handed out; `query` the filters that chose
    them, as the reader gave them (see `query_of`).
    """
    if action not in Action.values:
        raise ValueError(f"Unknown access action {action!r}; use one of {Action.values}.")
    reader = user if user is not None and user.is_authenticated else None
    ctx = current_context()
    return AccessEntry.objects.create(
        program=program,
        created_at=timezone.now(),
        user=reader,
        user_label=_label(reader),
        source=ctx.source,
        action=action,
        what=what[:300],
        content_type=(
            ContentType.objects.get_for_model(obj, for_concrete_model=True)
            if obj is not None
            else None
        ),
        object_id=str(obj.pk) if obj is not None else "",
        rows=rows,
        query=query[:500],
        request_id=ctx.request_id,
    )


def query_of(params: QueryDict) -> str:
    """The filters of a list request in words a person reads: `q=ortiz&sort=badge`,
    without the page cursor or the export format, and without empty fields."""
    parts = [
        f"{key}={value}"
        for key, values in params.lists()
        if key not in _NOT_A_FILTER
        for value in values
        if value != ""
    ]
    return "&".join(parts)


# --- The filters of the access log (page and API) -----------------------------------


def record_type_choices() -> list[tuple[str, str]]:
    """`app_label.model` of every record kind the trail knows, by its name."""
    choices = []
    for app_label, model_name in audited_models():
        model = apps.get_model(app_label, model_name)
        choices.append((f"{app_label}.{model_name}", str(model._meta.verbose_name).capitalize()))
    return sorted(choices, key=lambda c: c[1])


class AccessFilterSet(LocalDaysFilterSet):
    """Filters of the program's access log (page and API)."""

    q = django_filters.CharFilter(
        field_name="what",
        lookup_expr="icontains",
        label="What",
    )
    action = django_filters.ChoiceFilter(empty_label="Any", choices=Action.choices)
    user = django_filters.CharFilter(
        field_name="user_label",
        lookup_expr="icontains",
        label="By",
    )
    # A callable: read when the form is made, once every app is loaded (a filter's
    # field, once made, is copied to every later filter set).
    record_type = django_filters.ChoiceFilter(
        empty_label="Any",
        choices=record_type_choices,
        method="filter_record_type",
        label="Record type",
    )
    # One record's readers ("Who viewed this record"); with record_type.
    object_id = django_filters.CharFilter(
        label="Record id",
        widget=forms.HiddenInput,
    )
    request_id = django_filters.CharFilter(label="Request id")

    class Meta:
        model = AccessEntry
        fields = ["q", "action", "user", "since", "until", "record_type", "object_id", "request_id"]

    def filter_record_type(self, queryset, name, value: str):
        app_label, model_name = value.split(".", 1)
        # Cached by Django after the first look-up: no query per request.
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
        return queryset.filter(content_type=content_type)
