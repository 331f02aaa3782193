"""How the API reads list filters (the DEFAULT_FILTER_BACKENDS of the API).

In a module of its own: DRF reads this setting while its generic views are being
defined, so the backend must not live beside them in core.api.
"""

import django_filters
from django.http import QueryDict
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions

from citkit.core.writes import clean_text


class StrictFilterBackend(DjangoFilterBackend):
    """The list filters, read as the schema documents them.

    - A filter that takes one value refuses two (`?active=true&active=false`).
    - A yes/no filter takes `true` or `false`, nothing else (django-filter would
      quietly ignore "null" or "maybe" and list everything).
    - An empty value is refused where the filter wants a date, a number, a choice
      or yes/no: leave the filter out instead.
    - A record named that does not exist (`?agency=0`, `?owner=nobody`) matches
      nothing, as an agency without people would; an id that is not a number is
      refused.
    - Control characters (a NUL byte) are dropped from every value, as they are
      from everything written.
    """

    BOOLEAN_VALUES = {"true", "false"}

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = QueryDict(mutable=True)
        for key, values in request.query_params.lists():
            data.setlist(key, [clean_text(v) for v in values])
        kwargs["data"] = data
        return kwargs

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        errors: dict[str, list[str]] = {}
        for name, filter_ in filterset.filters.items():
            values = filterset.data.getlist(name)
            if values == [""] and not self._takes_text(filter_):
                errors[name] = ["Give a value, or leave this filter out."]
                continue
            if len(values) > 1 and not isinstance(filter_, django_filters.MultipleChoiceFilter):
                errors[name] = ["Give this filter one value."]
            elif (
                values
                and isinstance(filter_, django_filters.BooleanFilter)
                and values[0] not in self.BOOLEAN_VALUES
            ):
                errors[name] = ["Use true or false."]
        if errors:
            raise exceptions.ValidationError(errors)
        if filterset.is_valid():
            if self._beyond_any_id(filterset):
                return queryset.none()
            return filterset.qs
        missing_records = {
            name
            for name, messages in filterset.errors.as_data().items()
            if self._names_no_record(filterset, name, messages)
        }
        if missing_records and missing_records == set(filterset.errors):
            return queryset.none()
        raise utils.translate_validation(filterset.errors)

    @staticmethod
    def _takes_text(filter_) -> bool:
        """A filter whose value is any text (a search, a user name): "" is no filter."""
        if isinstance(filter_, django_filters.CharFilter):
            return True
        return isinstance(filter_, django_filters.ModelChoiceFilter) and filter_.extra.get(
            "to_field_name"
        ) not in (None, "pk", "id")

    @staticmethod
    def _names_no_record(filterset, name, messages) -> bool:
        """A well-formed reference to a record that is not there (not a malformed one)."""
        filter_ = filterset.filters.get(name)
        if not isinstance(filter_, django_filters.ModelChoiceFilter):
            return False
        if not all(m.code == "invalid_choice" for m in messages):
            return False
        value = filterset.data.get(name, "")
        by_id = filter_.extra.get("to_field_name") in (None, "pk", "id")
        return value.lstrip("-").isdigit() if by_id else bool(value)

    LARGEST_ID = 2**63 - 1

    def _beyond_any_id(self, filterset) -> bool:
        """A number past what an id column holds names no record (and would make
        the database fail): the filter matches nothing."""
        for name, filter_ in filterset.filters.items():
            value = filterset.form.cleaned_data.get(name)
            numeric = isinstance(filter_, django_filters.NumberFilter) and value is not None
            if numeric and (not value.is_finite() or abs(value) > self.LARGEST_ID):
                return True
        return False
