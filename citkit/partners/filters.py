"""One filter definition for the agency list page and the agency API."""

import django_filters
from django.db.models import Q

from citkit.partners.models import Agency, AgencyType

# Sort keys offered to people, each ending in a unique column for keyset paging.
AGENCY_SORTS = {
    "name": ["name", "id"],
    "-name": ["-name", "-id"],
    "type": ["agency_type", "name", "id"],
    "updated": ["-updated_at", "-id"],
}


class AgencyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    agency_type = django_filters.ChoiceFilter(
        empty_label="Any", choices=AgencyType.choices, label="Type"
    )
    operates_24_7 = django_filters.BooleanFilter(label="Operates 24/7")
    active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = Agency
        fields = ["q", "agency_type", "operates_24_7", "active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(city__icontains=value) | Q(contacts__name__icontains=value)
        ).distinct()
