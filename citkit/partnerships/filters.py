"""One filter definition per list, shared by the page and the API.

The directory's "open now" and "open 24 hours" are answered from the services'
schedules in the program's time zone (`hours.open_now`); the FilterSet reaches the
program through the request, which both the pages and the API give it.
"""

import django_filters
from django.db.models import Q

from citkit.partners.models import Agency, AgencyType
from citkit.partnerships import hours
from citkit.partnerships.models import (
    AGE_GROUP_RANGES,
    AgeGroup,
    Location,
    LocationType,
    Mou,
    MouKind,
    MouStatus,
    Responsibility,
    ResponsibilityKind,
    Service,
    ServiceStatus,
    ServiceType,
)

SERVICE_SORTS = {
    "name": ["name", "id"],
    "-name": ["-name", "-id"],
    "type": ["service_type", "name", "id"],
    "updated": ["-updated_at", "-id"],
}
LOCATION_SORTS = {"name": ["name", "id"], "-name": ["-name", "-id"]}
RESPONSIBILITY_SORTS = {
    "agency": ["agency__name", "position", "id"],
    "kind": ["kind", "id"],
}
MOU_SORTS = {
    "updated": ["-updated_at", "-id"],
    "title": ["title", "id"],
    "status": ["status", "id"],
}


class _AgencyChoices:
    """Agency filters choose among the program's agencies (names only are loaded)."""

    agency_filters: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        program = _program(self)
        if program is not None:
            agencies = Agency.objects.filter(program=program).only("id", "name")
            for name in self.agency_filters:
                self.filters[name].queryset = agencies


def _program(filterset):
    request = getattr(filterset, "request", None)
    return getattr(request, "program", None)


class ServiceFilterSet(_AgencyChoices, django_filters.FilterSet):
    agency_filters = ("agency",)

    q = django_filters.CharFilter(method="search", label="Search")
    service_type = django_filters.ChoiceFilter(
        empty_label="Any", choices=ServiceType.choices, label="Type of service"
    )
    partner_type = django_filters.ChoiceFilter(
        field_name="agency__agency_type",
        empty_label="Any",
        choices=AgencyType.choices,
        label="Partner type",
    )
    age_group = django_filters.ChoiceFilter(
        method="for_age_group", empty_label="Any", choices=AgeGroup.choices, label="Age group"
    )
    language = django_filters.CharFilter(
        method="in_language", label="Language", help_text="A name (Spanish) or a code (es)."
    )
    status = django_filters.ChoiceFilter(
        empty_label="Any", choices=ServiceStatus.choices, label="Status"
    )
    open_now = django_filters.BooleanFilter(method="opened_now", label="Open now")
    open_24_7 = django_filters.BooleanFilter(method="opened_24_7", label="Open 24 hours")
    agency = django_filters.ModelChoiceFilter(
        empty_label="Any", queryset=Agency.objects.none(), label="Agency"
    )

    class Meta:
        model = Service
        fields = [
            "q",
            "service_type",
            "partner_type",
            "age_group",
            "language",
            "status",
            "open_now",
            "open_24_7",
            "agency",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(alternate_name__icontains=value)
            | Q(description__icontains=value)
            | Q(agency__name__icontains=value)
        )

    def for_age_group(self, queryset, name, value):
        low, high = AGE_GROUP_RANGES[AgeGroup(value)]
        return queryset.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=high),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=low),
        )

    def in_language(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Service.objects.filter(
                Q(languages__name__iexact=value) | Q(languages__code__iexact=value)
            ).values("pk")
        )

    def _open_ids(self, queryset, *, all_week: bool) -> set[int]:
        program = _program(self)
        if program is None:
            return set()
        found = hours.open_now(program)
        if all_week:
            return {o.service.pk for o in found if o.open_24_7}
        return {o.service.pk for o in found if o.open}

    def opened_now(self, queryset, name, value):
        if value is None:
            return queryset
        ids = self._open_ids(queryset, all_week=False)
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)

    def opened_24_7(self, queryset, name, value):
        if value is None:
            return queryset
        ids = self._open_ids(queryset, all_week=True)
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)


class LocationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    location_type = django_filters.ChoiceFilter(
        empty_label="Any", choices=LocationType.choices, label="Type"
    )

    class Meta:
        model = Location
        fields = ["q", "location_type"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(address_1__icontains=value) | Q(city__icontains=value)
        )


class ResponsibilityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    kind = django_filters.ChoiceFilter(
        empty_label="Any", choices=ResponsibilityKind.choices, label="Responsibility"
    )
    partner_type = django_filters.ChoiceFilter(
        field_name="agency__agency_type",
        empty_label="Any",
        choices=AgencyType.choices,
        label="Partner type",
    )
    available_24_7 = django_filters.BooleanFilter(label="24/7")

    class Meta:
        model = Responsibility
        fields = ["q", "kind", "partner_type", "available_24_7"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(applies_when__icontains=value)
            | Q(agency__name__icontains=value)
        )


class MouFilterSet(_AgencyChoices, django_filters.FilterSet):
    agency_filters = ("party",)

    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(
        empty_label="Any", choices=MouStatus.choices, label="Status"
    )
    kind = django_filters.ChoiceFilter(empty_label="Any", choices=MouKind.choices, label="Kind")
    party = django_filters.ModelChoiceFilter(
        field_name="parties__agency",
        distinct=True,
        empty_label="Any",
        queryset=Agency.objects.none(),
        label="Party",
    )

    class Meta:
        model = Mou
        fields = ["q", "status", "kind", "party"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset
