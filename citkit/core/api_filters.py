"""How the API reads list filters (the DEFAULT_FILTER_BACKENDS of the API).

In a module of its own: DRF reads this setting while its generic views are being
defined, so the backend must not live beside them in core.api.
"""

import django_filters
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions


class StrictFilterBackend(DjangoFilterBackend):
    """The list filters, read as the schema documents them.

    - A filter that takes one value refuses two (`?active=true&active=false`).
    - A yes/no filter takes `true` or `false`, nothing else (django-filter would
      quietly ignore "null" or "maybe" and list everything).
    - An id that names no record of the program (`?agency=0`) matches nothing,
      as an agency without people would; an id that is not a number is refused.
    """

    BOOLEAN_VALUES = {"true", "false"}

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        errors: dict[str, list[str]] = {}
        for name, filter_ in filterset.filters.items():
            values = request.query_params.getlist(name)
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
            return filterset.qs
        missing_records = {
            name
            for name, messages in filterset.errors.as_data().items()
            if isinstance(filterset.filters.get(name), django_filters.ModelChoiceFilter)
            and all(m.code == "invalid_choice" for m in messages)
            and request.query_params.get(name, "").lstrip("-").isdigit()
        }
        if missing_records and missing_records == set(filterset.errors):
            return queryset.none()
        raise utils.translate_validation(filterset.errors)
