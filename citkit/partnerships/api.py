"""API of the directory, the crisis responsibilities and the MOUs.

Writes go through the same services as the pages. The directory is also served in
the shapes of the HSDS API (`hsds/...`, see `hsds/api.py`) for a 211 or another
directory to read.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from citkit.core.api import (
    NoUniqueValidation,
    PhoneField,
    ProgramScopedField,
    ProgramScopedViewSet,
    ServiceModelViewSet,
    StrictSerializer,
)
from citkit.core.policies import policy_for
from citkit.partners.models import Agency
from citkit.partnerships import hours, services
from citkit.partnerships.filters import (
    LOCATION_SORTS,
    MOU_SORTS,
    RESPONSIBILITY_SORTS,
    SERVICE_SORTS,
    LocationFilterSet,
    MouFilterSet,
    ResponsibilityFilterSet,
    ServiceFilterSet,
)
from citkit.partnerships.hsds.api import ROUTES as HSDS_ROUTES
from citkit.partnerships.models import (
    Capacity,
    ClauseKind,
    Language,
    Location,
    Mou,
    MouParty,
    MouTemplate,
    MouVersion,
    Phone,
    Responsibility,
    Schedule,
    Service,
    ServiceArea,
    ServiceType,
)

# --- The directory ----------------------------------------------------------------


class PhoneSerializer(NoUniqueValidation):
    number = PhoneField(allow_blank=False, required=True)

    class Meta:
        model = Phone
        fields = ["id", "number", "extension", "phone_type", "description"]


class ScheduleSerializer(NoUniqueValidation):
    class Meta:
        model = Schedule
        fields = [
            "id",
            "description",
            "freq",
            "interval",
            "byday",
            "bymonthday",
            "opens_at",
            "closes_at",
            "dtstart",
            "until",
            "valid_from",
            "valid_to",
            "notes",
        ]


class LanguageSerializer(NoUniqueValidation):
    class Meta:
        model = Language
        fields = ["id", "name", "code", "note"]


class CapacitySerializer(NoUniqueValidation):
    class Meta:
        model = Capacity
        fields = ["id", "unit", "available", "maximum", "description", "updated"]
        read_only_fields = ["updated"]


class ServiceAreaSerializer(NoUniqueValidation):
    class Meta:
        model = ServiceArea
        fields = ["id", "name", "description", "extent", "extent_type"]


class ServiceSerializer(NoUniqueValidation):
    agency = ProgramScopedField(Agency)
    # Named as an agency's web page is; HSDS calls it `url` (see hsds/api.py).
    website = serializers.URLField(source="url", required=False, allow_blank=True, max_length=200)
    phones = PhoneSerializer(many=True, read_only=True)
    schedules = ScheduleSerializer(many=True, read_only=True)
    languages = LanguageSerializer(many=True, read_only=True)
    capacities = CapacitySerializer(many=True, read_only=True)
    areas = ServiceAreaSerializer(many=True, read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "hsds_id",
            "agency",
            "name",
            "alternate_name",
            "service_type",
            "status",
            "description",
            "application_process",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "fees_description",
            "interpretation_services",
            "website",
            "email",
            "created_at",
            "updated_at",
            "phones",
            "schedules",
            "languages",
            "capacities",
            "areas",
        ]
        read_only_fields = ["hsds_id", "created_at", "updated_at"]


class ServiceViewSet(ServiceModelViewSet):
    """Services of the crisis-services directory. Coordinators keep all of them; an
    agency administrator keeps their own agency's."""

    serializer_class = ServiceSerializer
    filterset_class = ServiceFilterSet
    model = Service
    read_capability = "view_directory"
    sorts = SERVICE_SORTS
    default_sort = "name"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Service.objects.none()
        return Service.objects.visible_to(self.request.user, self.program).prefetch_related(
            "phones", "schedules", "languages", "capacities", "areas"
        )

    def create_object(self, data):
        return services.service_create(actor=self.request.user, program=self.program, data=data)

    def update_object(self, instance, data):
        return services.service_update(actor=self.request.user, service=instance, data=data)

    def delete_object(self, instance):
        services.service_delete(actor=self.request.user, service=instance)


def _part_viewset(model, serializer, doc: str):
    """A view set for one kind of part of a service: /services/<service>/<parts>/."""

    class PartViewSet(ServiceModelViewSet):
        __doc__ = doc
        serializer_class = serializer
        read_capability = "view_directory"
        sorts = {"id": ["id"]}
        default_sort = "id"

        def get_service(self) -> Service:
            if not hasattr(self, "_service"):
                self._service = get_object_or_404(
                    Service.objects.visible_to(self.request.user, self.program),
                    pk=self.kwargs["service"],
                )
            return self._service

        def get_queryset(self):
            if getattr(self, "swagger_fake_view", False):
                return model.objects.none()
            return model.objects.filter(service=self.get_service())

        def initial(self, request, *args, **kwargs):
            super().initial(request, *args, **kwargs)
            if self.action == "create":
                part = services.new_part(model, self.get_service())
                policy_for(model).require_on(request.user, part, "add")

        def create_object(self, data):
            return services.part_create(
                actor=self.request.user, parent=self.get_service(), model=model, data=data
            )

        def update_object(self, instance, data):
            return services.part_update(actor=self.request.user, part=instance, data=data)

        def delete_object(self, instance):
            services.part_delete(actor=self.request.user, part=instance)

    PartViewSet.model = model
    PartViewSet.__name__ = PartViewSet.__qualname__ = f"{model.__name__}ViewSet"
    return PartViewSet


PhoneViewSet = _part_viewset(Phone, PhoneSerializer, "Phones of a service.")
ScheduleViewSet = _part_viewset(
    Schedule, ScheduleSerializer, "Opening hours of a service (RFC 5545 rules, HSDS schedules)."
)
LanguageViewSet = _part_viewset(Language, LanguageSerializer, "Languages a service is offered in.")
CapacityViewSet = _part_viewset(
    Capacity, CapacitySerializer, "Capacity of a service (beds, slots); a change stamps its time."
)
ServiceAreaViewSet = _part_viewset(ServiceArea, ServiceAreaSerializer, "Areas a service covers.")


class LocationSerializer(NoUniqueValidation):
    agency = ProgramScopedField(Agency, allow_null=True, required=False)
    # Degrees as numbers; kept to six decimals (about 10 cm), which the service rounds to.
    latitude = serializers.FloatField(allow_null=True, required=False, min_value=-90, max_value=90)
    longitude = serializers.FloatField(
        allow_null=True, required=False, min_value=-180, max_value=180
    )

    class Meta:
        model = Location
        fields = [
            "id",
            "hsds_id",
            "agency",
            "name",
            "location_type",
            "description",
            "transportation",
            "address_1",
            "address_2",
            "city",
            "state_province",
            "postal_code",
            "country",
            "latitude",
            "longitude",
        ]
        read_only_fields = ["hsds_id"]


class LocationViewSet(ServiceModelViewSet):
    """Locations where services are given."""

    serializer_class = LocationSerializer
    filterset_class = LocationFilterSet
    model = Location
    read_capability = "view_directory"
    sorts = LOCATION_SORTS
    default_sort = "name"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Location.objects.none()
        return Location.objects.visible_to(self.request.user, self.program)

    def create_object(self, data):
        return services.location_create(actor=self.request.user, program=self.program, data=data)

    def update_object(self, instance, data):
        return services.location_update(actor=self.request.user, location=instance, data=data)

    def delete_object(self, instance):
        services.location_delete(actor=self.request.user, location=instance)


class ResponsibilitySerializer(NoUniqueValidation):
    agency = ProgramScopedField(Agency)
    service = ProgramScopedField(Service, allow_null=True, required=False)
    contact_phone = PhoneField()

    class Meta:
        model = Responsibility
        fields = [
            "id",
            "agency",
            "kind",
            "title",
            "applies_when",
            "available_24_7",
            "service",
            "hours_text",
            "contact_phone",
            "handoff",
            "escalation",
            "details",
            "position",
        ]


class ResponsibilityViewSet(ServiceModelViewSet):
    """What each partner commits to do during a crisis, and how to hand off."""

    serializer_class = ResponsibilitySerializer
    filterset_class = ResponsibilityFilterSet
    model = Responsibility
    read_capability = "view_directory"
    sorts = RESPONSIBILITY_SORTS
    default_sort = "agency"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Responsibility.objects.none()
        return Responsibility.objects.visible_to(self.request.user, self.program).select_related(
            "agency"
        )

    def create_object(self, data):
        return services.responsibility_create(
            actor=self.request.user, program=self.program, data=data
        )

    def update_object(self, instance, data):
        return services.responsibility_update(actor=self.request.user, item=instance, data=data)

    def delete_object(self, instance):
        services.responsibility_delete(actor=self.request.user, item=instance)


class OpenServiceSerializer(serializers.Serializer):
    service = serializers.IntegerField(source="service.pk")
    name = serializers.CharField(source="service.name")
    agency = serializers.CharField(source="service.agency.name")
    service_type = serializers.CharField(source="service.service_type")
    open = serializers.BooleanField(allow_null=True, help_text="Null: its hours are not known.")
    open_24_7 = serializers.BooleanField()
    closes_at = serializers.DateTimeField(
        allow_null=True, help_text="While open: when it next closes (within 8 days)."
    )
    opens_at = serializers.DateTimeField(
        allow_null=True, help_text="While closed: when it next opens (within 8 days)."
    )
    hours = serializers.CharField(help_text="Its opening hours in words.")
    capacities = CapacitySerializer(many=True)


class OpenNowViewSet(mixins.ListModelMixin, ProgramScopedViewSet):
    """Which services are open at a moment (now by default), in the program's time
    zone, with their current capacity: the dispatcher's question."""

    serializer_class = OpenServiceSerializer
    read_capability = "view_directory"
    pagination_class = None
    queryset = Service.objects.none()  # for the schema; the list is computed from schedules

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "at",
                OpenApiTypes.DATETIME,
                description="The moment asked about (ISO 8601 with offset); now if left out.",
            ),
            OpenApiParameter(
                "service_type",
                OpenApiTypes.STR,
                enum=ServiceType.values,
                description="Only services of this type.",
            ),
        ],
        responses={200: OpenServiceSerializer(many=True)},
    )
    def list(self, request, *args, **kwargs):
        at = timezone.now()
        raw = request.query_params.get("at")
        if raw is not None:
            field = serializers.DateTimeField()
            try:
                at = field.to_internal_value(raw)
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"at": exc.detail}) from exc
            if not hours.within_reach(at):
                raise serializers.ValidationError(
                    {"at": ["Ask about a moment within fifty years of now."]}
                )
        kind = request.query_params.get("service_type")
        if kind is not None and kind not in ServiceType.values:
            raise serializers.ValidationError(
                {"service_type": [f"Choose one of: {', '.join(ServiceType.values)}."]}
            )
        found = hours.open_now(self.program, at=at, service_types=[kind] if kind else None)
        return Response(OpenServiceSerializer(found, many=True).data)


# --- MOUs ---------------------------------------------------------------------------


class ClauseSerializer(StrictSerializer):
    key = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=ClauseKind.choices, default=ClauseKind.OTHER)
    heading = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=50_000, help_text="Markdown.")


class ClauseChangeSerializer(ClauseSerializer):
    summary = serializers.CharField(max_length=300, required=False, allow_blank=True)


class SignatureStateSerializer(serializers.Serializer):
    signed = serializers.BooleanField()
    signer_name = serializers.CharField(allow_blank=True)
    signed_on = serializers.DateField(allow_null=True)
    method = serializers.CharField(allow_blank=True)


class MouPartySerializer(NoUniqueValidation):
    agency = ProgramScopedField(Agency)
    responsibilities = serializers.SerializerMethodField()

    class Meta:
        model = MouParty
        fields = [
            "id",
            "agency",
            "signatory_name",
            "signatory_title",
            "position",
            "responsibilities",
        ]

    def get_responsibilities(self, party) -> list[int]:
        return [c.responsibility_id for c in party.commitments.all()]


class MouVersionSerializer(serializers.ModelSerializer):
    clauses = ClauseSerializer(many=True, read_only=True)

    class Meta:
        model = MouVersion
        fields = ["number", "change_summary", "created_at", "clauses"]


class MouSerializer(NoUniqueValidation):
    parties = MouPartySerializer(many=True, read_only=True)
    version = serializers.SerializerMethodField(help_text="The current version's number.")
    supersedes = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The MOU this one amends."
    )

    class Meta:
        model = Mou
        fields = [
            "id",
            "title",
            "kind",
            "status",
            "effective_date",
            "term_months",
            "auto_renew",
            "renewal_months",
            "notice_days",
            "review_date",
            "ends_on",
            "supersedes",
            "notes",
            "version",
            "parties",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "ends_on", "created_at", "updated_at"]

    def get_version(self, mou) -> int | None:
        numbers = [v.number for v in mou.versions.all()]
        return max(numbers) if numbers else None


class MouCreateSerializer(MouSerializer):
    template = ProgramScopedField(MouTemplate, required=False, allow_null=True, write_only=True)

    class Meta(MouSerializer.Meta):
        fields = [*MouSerializer.Meta.fields, "template"]


class TransitionSerializer(StrictSerializer):
    name = serializers.ChoiceField(choices=sorted(services.TRANSITIONS))
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class TypedSignatureSerializer(StrictSerializer):
    party = serializers.IntegerField(help_text="The id of the party signing.")
    attestation = serializers.CharField(max_length=200, help_text="The signatory's typed name.")
    signer_title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ReviewSerializer(StrictSerializer):
    comment = serializers.CharField(max_length=5000)
    clause_key = serializers.CharField(max_length=40, required=False, allow_blank=True)


class PartyInputSerializer(StrictSerializer):
    agency = ProgramScopedField(Agency)
    signatory_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    signatory_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    responsibilities = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        help_text="Ids of the agency's crisis responsibilities the party takes on.",
    )


class MouViewSet(ServiceModelViewSet):
    """MOUs between partner agencies: drafted by coordinators, reviewed by the committee,
    signed by each party's administrator; executed MOUs are readable by every member."""

    serializer_class = MouSerializer
    filterset_class = MouFilterSet
    model = Mou
    read_capability = "view_mous"
    sorts = MOU_SORTS
    default_sort = "updated"
    write_actions = {
        **ServiceModelViewSet.write_actions,
        "add_clause": "change",
        "change_clause": "change",
        "remove_clause": "change",
        "add_party": "change",
        "remove_party": "change",
        "review": "review",
        "sign": "sign",
        "renew": "change",
        "amend": "change",
    }

    def get_serializer_class(self):
        return MouCreateSerializer if self.action == "create" else MouSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Mou.objects.none()
        return Mou.objects.visible_to(self.request.user, self.program).prefetch_related(
            "versions", "parties__commitments"
        )

    def create_object(self, data):
        template = data.pop("template", None)
        return services.mou_create(
            actor=self.request.user, program=self.program, data=data, template=template
        )

    def update_object(self, instance, data):
        return services.mou_update(actor=self.request.user, mou=instance, data=data)

    def delete_object(self, instance):
        services.mou_delete(actor=self.request.user, mou=instance)

    def _answer(self, mou, code=status.HTTP_200_OK):
        mou = self.get_queryset().get(pk=mou.pk)
        return Response(MouSerializer(mou, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        summary="The MOU's versions, newest first", responses={200: MouVersionSerializer(many=True)}
    )
    @action(detail=True, methods=["get"], url_path="versions", url_name="versions")
    def versions(self, request, *args, **kwargs):
        mou = self.get_object()
        data = MouVersionSerializer(mou.versions.order_by("-number"), many=True).data
        return Response(data)

    @extend_schema(
        summary="Add a clause (a new version)",
        request=ClauseChangeSerializer,
        responses={201: MouVersionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="clauses", url_name="clauses")
    def add_clause(self, request, *args, **kwargs):
        mou = self.get_object()
        form = ClauseChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        summary = data.pop("summary", "")
        version = services.clause_save(actor=request.user, mou=mou, data=data, summary=summary)
        return Response(MouVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a clause (a new version)",
        parameters=[OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request=ClauseChangeSerializer,
        responses={200: MouVersionSerializer},
    )
    @action(
        detail=True,
        methods=["put"],
        url_path=r"clauses/(?P<key>[0-9a-f]{1,40})",
        url_name="clause",
    )
    def change_clause(self, request, *args, **kwargs):
        mou = self.get_object()
        form = ClauseChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        summary = data.pop("summary", "")
        version = services.clause_save(
            actor=request.user, mou=mou, data=data, key=kwargs["key"], summary=summary
        )
        return Response(MouVersionSerializer(version).data)

    @extend_schema(
        summary="Remove a clause (a new version)",
        parameters=[OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request=None,
        responses={200: MouVersionSerializer},
    )
    @change_clause.mapping.delete
    def remove_clause(self, request, *args, **kwargs):
        mou = self.get_object()
        version = services.clause_remove(actor=request.user, mou=mou, key=kwargs["key"])
        return Response(MouVersionSerializer(version).data)

    @extend_schema(
        summary="Add a party, with the responsibilities it takes on",
        request=PartyInputSerializer,
        responses={201: MouSerializer},
    )
    @action(detail=True, methods=["post"], url_path="parties", url_name="parties")
    def add_party(self, request, *args, **kwargs):
        mou = self.get_object()
        form = PartyInputSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        wanted = data.pop("responsibilities", [])
        chosen = list(
            Responsibility.objects.filter(
                program=self.program, agency=data["agency"], pk__in=wanted
            )
        )
        if len(chosen) != len(set(wanted)):
            raise serializers.ValidationError(
                {"responsibilities": ["Name only the agency's own crisis responsibilities."]}
            )
        from django.db import transaction

        with transaction.atomic():
            party = services.party_add(actor=request.user, mou=mou, data=data)
            for item in chosen:
                services.commitment_add(actor=request.user, party=party, responsibility=item)
        return self._answer(mou, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a party",
        parameters=[OpenApiParameter("party_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=None,
        responses={204: OpenApiResponse(description="Removed.")},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"parties/(?P<party_id>\d+)",
        url_name="party-remove",
    )
    def remove_party(self, request, *args, **kwargs):
        mou = self.get_object()
        party = get_object_or_404(MouParty.objects.filter(mou=mou), pk=kwargs["party_id"])
        services.party_remove(actor=request.user, party=party)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Take a step of the MOU's life (submit, approve, request_changes, "
        "send_for_signature, reopen, terminate)",
        request=TransitionSerializer,
        responses={200: MouSerializer},
    )
    @action(detail=True, methods=["post"], url_path="transitions", url_name="transitions")
    def transition(self, request, *args, **kwargs):
        form = TransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        mou = super().get_object()
        needed = services.TRANSITIONS[form.validated_data["name"]].action
        policy_for(Mou).require_on(request.user, mou, needed)
        services.mou_transition(
            actor=request.user,
            mou=mou,
            name=form.validated_data["name"],
            comment=form.validated_data.get("comment", ""),
        )
        return self._answer(mou)

    @extend_schema(
        summary="Comment on the current version (committee review)",
        request=ReviewSerializer,
        responses={201: OpenApiResponse(description="Comment added.")},
    )
    @action(detail=True, methods=["post"], url_path="comments", url_name="comments")
    def review(self, request, *args, **kwargs):
        mou = self.get_object()
        form = ReviewSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.review_add(
            actor=request.user,
            mou=mou,
            comment=form.validated_data["comment"],
            clause_key=form.validated_data.get("clause_key", ""),
        )
        return Response({"detail": "Comment added."}, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Sign for your agency by typed attestation (a scan is uploaded on the page)",
        request=TypedSignatureSerializer,
        responses={200: MouSerializer},
    )
    @action(detail=True, methods=["post"], url_path="signatures", url_name="signatures")
    def sign(self, request, *args, **kwargs):
        mou = self.get_object()
        form = TypedSignatureSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        party = MouParty.objects.filter(mou=mou, pk=form.validated_data["party"]).first()
        if party is None:
            raise serializers.ValidationError({"party": ["No such party to this MOU."]})
        services.mou_sign(
            actor=request.user,
            party=party,
            method="typed",
            signer_title=form.validated_data.get("signer_title", ""),
            attestation=form.validated_data["attestation"],
        )
        return self._answer(mou)

    @extend_schema(summary="Renew for another term", request=None, responses={200: MouSerializer})
    @action(detail=True, methods=["post"], url_path="renew", url_name="renew")
    def renew(self, request, *args, **kwargs):
        mou = self.get_object()
        services.mou_renew(actor=request.user, mou=mou)
        return self._answer(mou)

    @extend_schema(
        summary="Draft an amendment that supersedes this MOU once executed",
        request=None,
        responses={201: MouSerializer},
    )
    @action(detail=True, methods=["post"], url_path="amend", url_name="amend")
    def amend(self, request, *args, **kwargs):
        mou = self.get_object()
        amendment = services.mou_amend(actor=request.user, mou=mou)
        return self._answer(amendment, status.HTTP_201_CREATED)


ROUTES = [
    ("directory/services", ServiceViewSet, "api-service"),
    (r"directory/services/(?P<service>\d+)/phones", PhoneViewSet, "api-service-phone"),
    (r"directory/services/(?P<service>\d+)/schedules", ScheduleViewSet, "api-service-schedule"),
    (r"directory/services/(?P<service>\d+)/languages", LanguageViewSet, "api-service-language"),
    (r"directory/services/(?P<service>\d+)/capacities", CapacityViewSet, "api-service-capacity"),
    (r"directory/services/(?P<service>\d+)/areas", ServiceAreaViewSet, "api-service-area"),
    ("directory/locations", LocationViewSet, "api-location"),
    ("directory/open-now", OpenNowViewSet, "api-open-now"),
    ("responsibilities", ResponsibilityViewSet, "api-responsibility"),
    ("mous", MouViewSet, "api-mou"),
    *HSDS_ROUTES,
]
