"""API for the Steering Committee: seats, subcommittees, the service-gap register and the
composition check. Every write goes through committee.services."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from citkit.committee import services
from citkit.committee.forms_committee import GAP_SORTS, GapFilterSet, gap_queryset
from citkit.committee.models import (
    Seat,
    SeatType,
    ServiceGap,
    Subcommittee,
    SubcommitteeMember,
    SubcommitteeReport,
)
from citkit.committee.selectors import program_today
from citkit.committee.views_committee import balance_view, composition_view
from citkit.core.api import (
    PROGRAM_PARAMETER,
    NoUniqueValidation,
    ProgramScopedViewSet,
    ServiceModelViewSet,
)
from citkit.core.permissions import require
from citkit.people.api import ProgramAgencyField

User = get_user_model()


class ProgramMemberField(serializers.PrimaryKeyRelatedField):
    """A user id, looked up among the program's members only."""

    def get_queryset(self):
        program = self.context.get("program")
        if program is None:
            return User.objects.none()
        return User.objects.filter(memberships__program=program)


class CommitteeWrites:
    """Committee readers may read; only committee managers may write (403 before any
    validation, so a read-only role never learns more from a 400)."""

    read_capability = "view_committee"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, "swagger_fake_view", False):
            return
        if request.method not in SAFE_METHODS:
            require(request.user, self.program, "manage_committee")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        program = context.get("program")
        if program is not None:
            context["today"] = program_today(program)
        return context


# --- Seats -----------------------------------------------------------------------


class SeatSerializer(NoUniqueValidation):
    agency = ProgramAgencyField(required=False, allow_null=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True, default="")
    user = ProgramMemberField(
        required=False,
        allow_null=True,
        help_text="The holder's login (a user id of a program member), if any.",
    )
    current = serializers.SerializerMethodField(
        help_text="Whether the seat is held today (started and not ended)."
    )

    class Meta:
        model = Seat
        fields = [
            "id",
            "holder_name",
            "seat_type",
            "agency",
            "agency_name",
            "user",
            "start_date",
            "end_date",
            "current",
        ]

    def get_current(self, seat) -> bool:
        today = self.context.get("today")
        if today is None:
            return False
        return seat.start_date <= today and (seat.end_date is None or seat.end_date >= today)

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "A seat cannot end before it starts."})
        return attrs


class SeatFilterSet(django_filters.FilterSet):
    seat_type = django_filters.ChoiceFilter(choices=SeatType.choices)
    current = django_filters.BooleanFilter(
        method="filter_current", label="Held today (true) or ended (false)"
    )

    class Meta:
        model = Seat
        fields = ["seat_type", "current"]

    def filter_current(self, queryset, name, value):
        program = getattr(self.request, "program", None)
        if value is None or program is None:
            return queryset
        today = program_today(program)
        held = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
        return queryset.filter(held) if value else queryset.exclude(held)


class SeatViewSet(CommitteeWrites, ServiceModelViewSet):
    """Seats on the Steering Committee. Coordinators and committee members write;
    agency administrators and trainers read."""

    serializer_class = SeatSerializer
    filterset_class = SeatFilterSet
    sorts = {
        "type": ["seat_type", "holder_name", "id"],
        "name": ["holder_name", "id"],
        "start": ["-start_date", "-id"],
    }
    default_sort = "type"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Seat.objects.none()
        return Seat.objects.visible_to(self.request.user, self.program).select_related("agency")

    def create_object(self, data):
        return services.seat_create(actor=self.request.user, program=self.program, data=data)

    def update_object(self, instance, data):
        return services.seat_update(actor=self.request.user, seat=instance, data=data)

    def delete_object(self, instance):
        services.seat_delete(actor=self.request.user, seat=instance)


# --- Subcommittees ------------------------------------------------------------------


class SubcommitteeMemberSerializer(NoUniqueValidation):
    agency = ProgramAgencyField(required=False, allow_null=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True, default="")

    class Meta:
        model = SubcommitteeMember
        fields = ["id", "name", "perspective", "agency", "agency_name"]


class SubcommitteeReportSerializer(NoUniqueValidation):
    class Meta:
        model = SubcommitteeReport
        fields = ["id", "reported_on", "title", "text"]


class BalanceSerializer(serializers.Serializer):
    officer = serializers.BooleanField()
    provider = serializers.BooleanField()
    advocate = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()


class SubcommitteeSerializer(NoUniqueValidation):
    members = SubcommitteeMemberSerializer(many=True, read_only=True)
    reports = SubcommitteeReportSerializer(many=True, read_only=True)
    balance = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField(help_text="The deadline has passed.")

    class Meta:
        model = Subcommittee
        fields = ["id", "name", "charge", "deadline", "overdue", "balance", "members", "reports"]

    def get_overdue(self, sub) -> bool:
        today = self.context.get("today")
        return bool(today and sub.deadline and sub.deadline < today)

    @extend_schema_field(BalanceSerializer)
    def get_balance(self, sub) -> dict:
        view = balance_view(sub)
        return {**view["flags"], "missing": view["missing"], "summary": view["sentence"]}


class SubcommitteeViewSet(
    CommitteeWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ProgramScopedViewSet,
):
    """Subcommittees with their members (read-only here; add one with POST members/),
    reports and balance check."""

    serializer_class = SubcommitteeSerializer
    sorts = {"name": ["name", "id"]}
    default_sort = "name"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Subcommittee.objects.none()
        return Subcommittee.objects.visible_to(self.request.user, self.program).prefetch_related(
            "members__agency", "reports"
        )

    def perform_create(self, serializer):
        serializer.instance = services.subcommittee_create(
            actor=self.request.user, program=self.program, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.subcommittee_update(
            actor=self.request.user,
            subcommittee=serializer.instance,
            data=serializer.validated_data,
        )

    @extend_schema(
        summary="Add a member to the subcommittee",
        request=SubcommitteeMemberSerializer,
        responses={201: SubcommitteeMemberSerializer},
    )
    @action(detail=True, methods=["post"], url_path="members", url_name="members")
    def add_member(self, request, *args, **kwargs):
        sub = self.get_object()
        serializer = SubcommitteeMemberSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        member = services.subcommittee_member_add(
            actor=request.user, subcommittee=sub, data=serializer.validated_data
        )
        return Response(
            SubcommitteeMemberSerializer(member, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Remove a member from the subcommittee",
        parameters=[OpenApiParameter("member_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=None,
        responses={204: OpenApiResponse(description="Removed.")},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<member_id>\d+)",
        url_name="member-remove",
    )
    def remove_member(self, request, *args, **kwargs):
        sub = self.get_object()
        member = get_object_or_404(SubcommitteeMember, subcommittee=sub, pk=kwargs["member_id"])
        services.subcommittee_member_remove(actor=request.user, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Add a report of the subcommittee",
        request=SubcommitteeReportSerializer,
        responses={201: SubcommitteeReportSerializer},
    )
    @action(detail=True, methods=["post"], url_path="reports", url_name="reports")
    def add_report(self, request, *args, **kwargs):
        sub = self.get_object()
        serializer = SubcommitteeReportSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        report = services.subcommittee_report_add(
            actor=request.user, subcommittee=sub, data=serializer.validated_data
        )
        return Response(SubcommitteeReportSerializer(report).data, status=status.HTTP_201_CREATED)


# --- Service gaps --------------------------------------------------------------------


class ServiceGapSerializer(NoUniqueValidation):
    affected_agencies = ProgramAgencyField(
        many=True, required=False, help_text="Ids of the program's partner agencies."
    )
    owner = ProgramMemberField(
        required=False, allow_null=True, help_text="A user id of a program member."
    )
    owner_username = serializers.CharField(source="owner.username", read_only=True, default="")
    overdue = serializers.SerializerMethodField(
        help_text="Still open and the target date has passed."
    )

    class Meta:
        model = ServiceGap
        fields = [
            "id",
            "title",
            "description",
            "affected_agencies",
            "workaround",
            "owner",
            "owner_username",
            "target_date",
            "status",
            "is_open",
            "overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["is_open", "created_at", "updated_at"]

    def get_overdue(self, gap) -> bool:
        today = self.context.get("today")
        return bool(today and gap.is_open and gap.target_date and gap.target_date < today)


class ServiceGapViewSet(CommitteeWrites, ServiceModelViewSet):
    """The register of services the crisis system lacks, with workaround, owner and target."""

    serializer_class = ServiceGapSerializer
    filterset_class = GapFilterSet
    sorts = GAP_SORTS
    default_sort = "status"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ServiceGap.objects.none()
        return gap_queryset(ServiceGap.objects.visible_to(self.request.user, self.program))

    def create_object(self, data):
        data = dict(data)
        affected = list(data.pop("affected_agencies", []))
        return services.gap_create(
            actor=self.request.user, program=self.program, data=data, affected=affected
        )

    def update_object(self, instance, data):
        data = dict(data)
        affected = data.pop("affected_agencies", None)
        gap = services.gap_update(
            actor=self.request.user,
            gap=instance,
            data=data,
            affected=list(affected) if affected is not None else None,
        )
        # The affected agencies were prefetched before the change.
        return self.get_queryset().get(pk=gap.pk)

    def delete_object(self, instance):
        services.gap_delete(actor=self.request.user, gap=instance)


# --- Composition check -------------------------------------------------------------------


class RequirementSerializer(serializers.Serializer):
    label = serializers.CharField()
    present = serializers.BooleanField()


class CompositionSerializer(serializers.Serializer):
    complete = serializers.BooleanField(
        help_text="Law enforcement, mental-health provider, advocate and a chair are all seated."
    )
    seats = serializers.IntegerField(help_text="Seats held today.")
    requirements = RequirementSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField(help_text="One sentence saying what is missing.")


class _OneObjectSchema(AutoSchema):
    """The composition endpoint answers one object, though the router calls it `list`."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class CompositionViewSet(ProgramScopedViewSet):
    """Whether the committee has the core partners the CIT model asks for."""

    read_capability = "view_committee"
    pagination_class = None
    serializer_class = CompositionSerializer
    queryset = Seat.objects.none()  # for the schema only; the check reads the seats itself
    schema = _OneObjectSchema()

    @extend_schema(
        summary="The committee composition check",
        operation_id="programs_committee_composition_retrieve",
        parameters=[PROGRAM_PARAMETER],
        responses=CompositionSerializer,
    )
    def list(self, request, *args, **kwargs):
        check = composition_view(self.program)
        data = {
            "complete": check["complete"],
            "seats": check["seats"],
            "requirements": [
                {"label": label, "present": present} for label, present in check["rows"]
            ],
            "missing": check["missing"],
            "summary": check["sentence"],
        }
        return Response(CompositionSerializer(data).data)
