"""One filter definition for the people list page and the people API."""

import django_filters
from django.db.models import Q

from citkit.partners.models import Agency
from citkit.people import search
from citkit.people.models import Person, PersonKind, PersonStatus, Shift

PERSON_SORTS = {
    "name": ["last_name", "first_name", "id"],
    "-name": ["-last_name", "-first_name", "-id"],
    "badge": ["badge_number", "id"],
    "district": ["district", "last_name", "id"],
    "updated": ["-updated_at", "-id"],
}


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search name or badge")
    kind = django_filters.ChoiceFilter(empty_label="Any", choices=PersonKind.choices)
    agency = django_filters.ModelChoiceFilter(empty_label="Any", queryset=Agency.objects.none())
    district = django_filters.CharFilter(lookup_expr="iexact")
    shift = django_filters.ChoiceFilter(empty_label="Any", choices=Shift.choices)
    status = django_filters.ChoiceFilter(empty_label="Any", choices=PersonStatus.choices)

    class Meta:
        model = Person
        fields = ["q", "kind", "agency", "district", "shift", "status"]

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        if program is None and self.request is not None:
            program = getattr(self.request, "program", None)
        if program is not None:
            # The choices show names only: no need to load every column of every agency.
            self.filters["agency"].queryset = Agency.objects.filter(program=program).only(
                "id", "name"
            )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # A badge number is matched from its start (index-friendly); names anywhere.
        terms = value.split()
        ids = search.matching_ids(value, terms)  # None when a word is too short for it
        if ids is not None and search.indexed(queryset.db):
            return queryset.filter(pk__in=ids)  # SQLite's trigram index (people/search.py)
        condition = Q(badge_number__istartswith=value)
        name_match = Q()
        for term in terms:
            name_match &= Q(first_name__icontains=term) | Q(last_name__icontains=term)
        return queryset.filter(condition | name_match)
