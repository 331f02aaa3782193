"""The HSDS 3 read API: the directory as Open Referral's API answers it, for a 211 or
another directory to read.

`/api/programs/<program>/hsds/services/` (and `organizations/`, `locations/`) list
with HSDS paging (`page`, `per_page`; `total_items`, `total_pages`, `page_number`,
`size`, `first_page`, `last_page`, `empty`, `contents`) and a `search` over names and
descriptions; `.../<id>/` is the full HSDS object, named by its HSDS id (a UUID).
Every read goes through the models' `visible_to()`; the prefetches keep the number
of queries the same for one service and for a hundred.
"""

import math

from django.db.models import Prefetch, Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from citkit.core.api import ProgramScopedViewSet
from citkit.core.writes import clean_text
from citkit.partners.models import Agency
from citkit.partnerships.hsds import organization_id
from citkit.partnerships.hsds.export import (
    address_id,
    attribute_id,
    has_address,
    taxonomy_id,
    term_id,
    unit_id,
)
from citkit.partnerships.hsds.tables import PARTNER_TYPE_TAXONOMY, SERVICE_TYPE_TAXONOMY
from citkit.partnerships.models import (
    Capacity,
    Contact,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)

UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
# Far past any directory; a larger page would only ask the database for a huge offset.
MAX_PAGE = 100_000


# --- Paging as HSDS pages ------------------------------------------------------------


def _positive(request, name: str, default: int, highest: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= highest:
        raise exceptions.ValidationError({name: [f"Give a whole number from 1 to {highest}."]})
    return int(raw)


class HsdsPagination(BasePagination):
    """HSDS paging: `page` (from 1) and `per_page`; the totals come with every page."""

    def paginate_queryset(self, queryset, request, view=None):
        self.per_page = _positive(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
        self.page = _positive(request, "page", 1, MAX_PAGE)
        self.total = queryset.count()
        start = (self.page - 1) * self.per_page
        return list(queryset[start : start + self.per_page])

    def get_paginated_response(self, data):
        pages = math.ceil(self.total / self.per_page)
        return Response(
            {
                "total_items": self.total,
                "total_pages": pages,
                "page_number": self.page,
                "size": self.per_page,
                "first_page": self.page == 1,
                "last_page": self.page >= pages,
                "empty": not data,
                "contents": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        number = {"type": "integer", "minimum": 0}
        return {
            "type": "object",
            "required": [
                "total_items",
                "total_pages",
                "page_number",
                "size",
                "first_page",
                "last_page",
                "empty",
                "contents",
            ],
            "properties": {
                "total_items": {**number, "description": "How many records match."},
                "total_pages": {**number, "description": "How many pages they fill."},
                "page_number": {"type": "integer", "minimum": 1},
                "size": {"type": "integer", "minimum": 1, "description": "Records per page."},
                "first_page": {"type": "boolean"},
                "last_page": {"type": "boolean"},
                "empty": {"type": "boolean", "description": "True when this page holds none."},
                "contents": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": "The page, from 1.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            },
            {
                "name": "per_page",
                "in": "query",
                "required": False,
                "description": f"Records per page (default {DEFAULT_PER_PAGE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            },
        ]


SEARCH = OpenApiParameter(
    "search",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    description="Text to find in the name or the description.",
)
ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The record's HSDS id."
)


# --- HSDS objects ----------------------------------------------------------------


def _address(**kwargs) -> serializers.CharField:
    """An e-mail or web address, or "" for none: plain text in the schema, since an
    empty string is no valid "email" or "uri"."""
    return serializers.CharField(read_only=True, **kwargs)


def _org_id(serializer, agency_pk) -> str | None:
    program = serializer.context["program"]
    return str(organization_id(program.slug, agency_pk)) if agency_pk else None


def _attribute(link_id, entity: str, taxonomy: str, code: str, label: str) -> dict:
    term = str(term_id(taxonomy, code))
    return {
        "id": str(attribute_id(link_id, taxonomy)),
        "link_id": str(link_id),
        "link_type": "service_type" if entity == "service" else "organization_type",
        "link_entity": entity,
        "taxonomy_term_id": term,
        "value": code,
        "label": taxonomy,
        "taxonomy_term": {
            "id": term,
            "code": code,
            "name": label,
            "description": label,
            "taxonomy": taxonomy,
            "taxonomy_id": str(taxonomy_id(taxonomy)),
        },
    }


class TaxonomyTermSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    taxonomy = serializers.CharField()
    taxonomy_id = serializers.UUIDField()


class AttributeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    link_id = serializers.UUIDField()
    link_type = serializers.CharField()
    link_entity = serializers.CharField()
    taxonomy_term_id = serializers.UUIDField()
    value = serializers.CharField()
    label = serializers.CharField()
    taxonomy_term = TaxonomyTermSerializer()


class HsdsPhoneSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="hsds_id", read_only=True)
    type = serializers.CharField(source="phone_type", read_only=True)

    class Meta:
        model = Phone
        fields = ["id", "number", "extension", "type", "description"]
        read_only_fields = fields


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^[0-2][0-9]:[0-5][0-9]$",
        "nullable": True,
        "description": "HH:MM in the program's time zone, as HSDS writes times.",
    }
)
class HoursField(serializers.TimeField):
    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", allow_null=True, read_only=True, **kwargs)


class HsdsScheduleSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="hsds_id", read_only=True)
    opens_at = HoursField()
    closes_at = HoursField()

    class Meta:
        model = Schedule
        fields = [
            "id",
            "freq",
            "interval",
            "byday",
            "bymonthday",
            "dtstart",
            "until",
            "valid_from",
            "valid_to",
            "opens_at",
            "closes_at",
            "description",
            "notes",
        ]
        read_only_fields = fields


class HsdsServiceAreaSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="hsds_id", read_only=True)

    class Meta:
        model = ServiceArea
        fields = ["id", "name", "description", "extent", "extent_type"]
        read_only_fields = fields


class HsdsLanguageSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="hsds_id", read_only=True)

    class Meta:
        model = Language
        fields = ["id", "name", "code", "note"]
        read_only_fields = fields


class HsdsContactSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="hsds_id", read_only=True)
    email = _address()
    phones = HsdsPhoneSerializer(many=True, read_only=True)

    class Meta:
        model = Contact
        fields = ["id", "name", "title", "department", "email", "phones"]
        read_only_fields = fields


class UnitSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class HsdsCapacitySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="hsds_id", read_only=True)
    unit = serializers.SerializerMethodField()
    unit_id = serializers.SerializerMethodField()

    class Meta:
        model = Capacity
        fields = ["id", "unit", "unit_id", "available", "maximum", "description", "updated"]
        read_only_fields = fields

    @extend_schema_field(UnitSerializer)
    def get_unit(self, obj) -> dict:
        return {"id": str(unit_id(obj.unit)), "name": obj.unit}

    @extend_schema_field(OpenApiTypes.UUID)
    def get_unit_id(self, obj) -> str:
        return str(unit_id(obj.unit))


class AddressSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    location_id = serializers.UUIDField()
    address_1 = serializers.CharField(allow_blank=True)
    address_2 = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)
    region = serializers.CharField(allow_blank=True)
    state_province = serializers.CharField(allow_blank=True)
    postal_code = serializers.CharField(allow_blank=True)
    country = serializers.CharField(allow_blank=True)
    address_type = serializers.CharField()


class HsdsLocationSerializer(serializers.ModelSerializer):
    """A location as HSDS has it: the address as its one `addresses` entry."""

    id = serializers.UUIDField(source="hsds_id", read_only=True)
    organization_id = serializers.SerializerMethodField()
    latitude = serializers.FloatField(allow_null=True, read_only=True)
    longitude = serializers.FloatField(allow_null=True, read_only=True)
    addresses = serializers.SerializerMethodField()

    class Meta:
        model = Location
        fields = [
            "id",
            "location_type",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "transportation",
            "latitude",
            "longitude",
            "addresses",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uuid", "nullable": True})
    def get_organization_id(self, obj) -> str | None:
        return _org_id(self, obj.agency_id)

    @extend_schema_field(AddressSerializer(many=True))
    def get_addresses(self, obj) -> list[dict]:
        if not has_address(obj):
            return []
        return [
            {
                "id": str(address_id(obj.hsds_id)),
                "location_id": str(obj.hsds_id),
                "address_1": obj.address_1,
                "address_2": obj.address_2,
                "city": obj.city,
                "region": obj.region,
                "state_province": obj.state_province,
                "postal_code": obj.postal_code,
                "country": obj.country,
                "address_type": obj.location_type,
            }
        ]


class HsdsFullLocationSerializer(HsdsLocationSerializer):
    phones = HsdsPhoneSerializer(many=True, read_only=True)
    schedules = HsdsScheduleSerializer(many=True, read_only=True)
    contacts = HsdsContactSerializer(many=True, read_only=True)

    class Meta(HsdsLocationSerializer.Meta):
        fields = [*HsdsLocationSerializer.Meta.fields, "phones", "schedules", "contacts"]
        read_only_fields = fields


class HsdsServiceAtLocationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="hsds_id", read_only=True)
    location_id = serializers.UUIDField(source="location.hsds_id", read_only=True)
    location = HsdsLocationSerializer(read_only=True)

    class Meta:
        model = ServiceAtLocation
        fields = ["id", "location_id", "description", "location"]
        read_only_fields = fields


class HsdsOrganizationSerializer(serializers.ModelSerializer):
    id = serializers.SerializerMethodField()
    email = _address()
    website = _address()
    alternate_name = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    attributes = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = ["id", "name", "alternate_name", "description", "email", "website", "attributes"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.UUID)
    def get_id(self, obj) -> str:
        return _org_id(self, obj.pk) or ""

    def get_alternate_name(self, obj) -> str:
        return ""

    def get_description(self, obj) -> str:
        return obj.get_agency_type_display()

    @extend_schema_field(AttributeSerializer(many=True))
    def get_attributes(self, obj) -> list[dict]:
        label = str(obj.get_agency_type_display())
        link = organization_id(self.context["program"].slug, obj.pk)
        return [_attribute(link, "organization", PARTNER_TYPE_TAXONOMY, obj.agency_type, label)]


class HsdsServiceBriefSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="hsds_id", read_only=True)
    url = _address()
    email = _address()

    class Meta:
        model = Service
        fields = ["id", "name", "alternate_name", "description", "status", "url", "email"]
        read_only_fields = fields


class HsdsFullOrganizationSerializer(HsdsOrganizationSerializer):
    services = serializers.SerializerMethodField()
    locations = serializers.SerializerMethodField()
    phones = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()

    class Meta(HsdsOrganizationSerializer.Meta):
        fields = [
            *HsdsOrganizationSerializer.Meta.fields,
            "services",
            "locations",
            "phones",
            "contacts",
        ]
        read_only_fields = fields

    def _part(self, name):
        return self.context["parts"][name]

    @extend_schema_field(HsdsServiceBriefSerializer(many=True))
    def get_services(self, obj) -> list:
        return HsdsServiceBriefSerializer(self._part("services"), many=True).data

    @extend_schema_field(HsdsLocationSerializer(many=True))
    def get_locations(self, obj) -> list:
        return HsdsLocationSerializer(self._part("locations"), many=True, context=self.context).data

    @extend_schema_field(HsdsPhoneSerializer(many=True))
    def get_phones(self, obj) -> list:
        return HsdsPhoneSerializer(self._part("phones"), many=True).data

    @extend_schema_field(HsdsContactSerializer(many=True))
    def get_contacts(self, obj) -> list:
        return HsdsContactSerializer(self._part("contacts"), many=True).data


class HsdsServiceSerializer(serializers.ModelSerializer):
    """The full HSDS service: its organization, locations, phones, schedules, areas,
    languages, contacts, capacities and its citkit-service-type attribute."""

    id = serializers.UUIDField(source="hsds_id", read_only=True)
    organization_id = serializers.SerializerMethodField()
    url = _address()
    email = _address()
    last_modified = serializers.DateTimeField(source="updated_at", read_only=True)
    organization = HsdsOrganizationSerializer(source="agency", read_only=True)
    phones = HsdsPhoneSerializer(many=True, read_only=True)
    schedules = HsdsScheduleSerializer(many=True, read_only=True)
    service_areas = HsdsServiceAreaSerializer(source="areas", many=True, read_only=True)
    service_at_locations = HsdsServiceAtLocationSerializer(
        source="at_locations", many=True, read_only=True
    )
    languages = HsdsLanguageSerializer(many=True, read_only=True)
    contacts = HsdsContactSerializer(many=True, read_only=True)
    capacities = HsdsCapacitySerializer(many=True, read_only=True)
    attributes = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = [
            "id",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "interpretation_services",
            "application_process",
            "fees_description",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "last_modified",
            "organization",
            "phones",
            "schedules",
            "service_areas",
            "service_at_locations",
            "languages",
            "contacts",
            "capacities",
            "attributes",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.UUID)
    def get_organization_id(self, obj) -> str | None:
        return _org_id(self, obj.agency_id)

    @extend_schema_field(AttributeSerializer(many=True))
    def get_attributes(self, obj) -> list[dict]:
        label = str(obj.get_service_type_display())
        return [_attribute(obj.hsds_id, "service", SERVICE_TYPE_TAXONOMY, obj.service_type, label)]


# --- Reads ---------------------------------------------------------------------------


def services_for(user, program):
    """The services the user may see, with everything the full object shows (a fixed
    number of queries, whatever the number of services)."""

    def seen(model):
        return model.objects.visible_to(user, program)

    return (
        seen(Service)
        .select_related("agency")
        .prefetch_related(
            Prefetch("phones", queryset=seen(Phone).order_by("id")),
            Prefetch("schedules", queryset=seen(Schedule).order_by("id")),
            Prefetch("areas", queryset=seen(ServiceArea)),
            Prefetch(
                "at_locations",
                queryset=seen(ServiceAtLocation).select_related("location").order_by("id"),
            ),
            Prefetch("languages", queryset=seen(Language)),
            Prefetch(
                "contacts",
                queryset=seen(Contact).prefetch_related(
                    Prefetch("phones", queryset=seen(Phone).order_by("id"))
                ),
            ),
            Prefetch("capacities", queryset=seen(Capacity)),
        )
    )


def _search(request, queryset, fields: tuple[str, ...]):
    text = clean_text(request.query_params.get("search", "")).strip()
    if not text:
        return queryset
    match = Q()
    for name in fields:
        match |= Q(**{f"{name}__icontains": text})
    return queryset.filter(match)


class _HsdsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProgramScopedViewSet):
    pagination_class = HsdsPagination
    read_capability = "view_directory"
    lookup_field = "hsds_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN
    filter_backends: list = []
    search_fields: tuple[str, ...] = ("name", "description")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["program"] = getattr(self, "program", None)
        return context

    def filter_queryset(self, queryset):
        if self.action == "list":
            queryset = _search(self.request, queryset, self.search_fields)
        return queryset


@extend_schema(tags=["hsds"])
class HsdsServiceViewSet(_HsdsViewSet):
    """Services as HSDS 3 service objects, named by their HSDS id."""

    serializer_class = HsdsServiceSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Service.objects.none()
        return services_for(self.request.user, self.program).order_by("name", "id")

    @extend_schema(parameters=[SEARCH], summary="List services (HSDS)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[ID_PARAMETER], summary="A service as the full HSDS object")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["hsds"])
class HsdsLocationViewSet(_HsdsViewSet):
    """Locations as HSDS 3 location objects, with their address, phones, schedules."""

    serializer_class = HsdsFullLocationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Location.objects.none()
        user, program = self.request.user, self.program

        def seen(model):
            return model.objects.visible_to(user, program)

        return (
            seen(Location)
            .prefetch_related(
                Prefetch("phones", queryset=seen(Phone).order_by("id")),
                Prefetch("schedules", queryset=seen(Schedule).order_by("id")),
                Prefetch(
                    "contacts",
                    queryset=seen(Contact).prefetch_related(
                        Prefetch("phones", queryset=seen(Phone).order_by("id"))
                    ),
                ),
            )
            .order_by("name", "id")
        )

    @extend_schema(parameters=[SEARCH], summary="List locations (HSDS)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[ID_PARAMETER], summary="A location as the full HSDS object")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["hsds"])
class HsdsOrganizationViewSet(_HsdsViewSet):
    """Partner agencies as HSDS 3 organizations. Their ids are derived from the program
    and the agency, the same in every answer and every export."""

    serializer_class = HsdsOrganizationSerializer
    search_fields = ("name",)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return HsdsFullOrganizationSerializer
        return HsdsOrganizationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Agency.objects.none()
        return Agency.objects.visible_to(self.request.user, self.program).order_by("name", "id")

    def get_object(self):
        wanted = str(self.kwargs["id"]).lower()
        for pk in self.get_queryset().values_list("pk", flat=True):
            if str(organization_id(self.program.slug, pk)) == wanted:
                return self.get_queryset().get(pk=pk)
        raise Http404("No such organization.")

    @extend_schema(parameters=[SEARCH], summary="List organizations (HSDS)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[ID_PARAMETER], summary="An organization with its services and locations"
    )
    def retrieve(self, request, *args, **kwargs):
        agency = self.get_object()
        user, program = request.user, self.program

        def seen(model):
            return model.objects.visible_to(user, program)

        parts = {
            "services": seen(Service).filter(agency=agency).order_by("name", "id"),
            "locations": seen(Location).filter(agency=agency).order_by("name", "id"),
            "phones": seen(Phone).filter(agency=agency).order_by("id"),
            "contacts": seen(Contact)
            .filter(agency=agency)
            .prefetch_related(Prefetch("phones", queryset=seen(Phone).order_by("id"))),
        }
        context = {**self.get_serializer_context(), "parts": parts}
        return Response(HsdsFullOrganizationSerializer(agency, context=context).data)


ROUTES = [
    ("hsds/services", HsdsServiceViewSet, "api-hsds-service"),
    ("hsds/organizations", HsdsOrganizationViewSet, "api-hsds-organization"),
    ("hsds/locations", HsdsLocationViewSet, "api-hsds-location"),
]
