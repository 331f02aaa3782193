"""API for the Steering Committee: seats, subcommittees and the composition check.
Every write goes through committee.services."""

from django.shortcuts import get_object_or_404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from citkit.committee import services
from citkit.committee.api.responses import crud, errors
from citkit.committee.filters import SeatFilterSet
from citkit.committee.models import Seat, Subcommittee, SubcommitteeMember, SubcommitteeReport
from citkit.committee.selectors import balance_view, composition_view
from citkit.core.api import (
    PROGRAM_PARAMETER,
    NoUniqueValidation,
    ProgramMemberField,
    ProgramScopedField,
    ProgramScopedViewSet,
    ServiceModelViewSet,
    ServiceWriteViewSet,
)
from citkit.partners.models import Agency


class CommitteeReading:
    """Committee readers read; coordinators and committee members write (the model's
    policy, asked before the body is read)."""

    read_capability = "view_committee"

    def get_serializer_context(self):
        context = super().get_serializer_context()
        program = context.get("program")
        if program is not None:
            context["today"] = program.today()
        return context


class CommitteeViewSet(CommitteeReading, ServiceModelViewSet):
    pass


# --- Seats -----------------------------------------------------------------------


class SeatSerializer(NoUniqueValidation):
    agency = ProgramScopedField(Agency, required=False, allow_null=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True, default="")
    user = ProgramMemberField(
        required=False,
        allow_null=True,
        help_text="The holder's login (the user name of a program member), if any.",
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


@extend_schema_view(**crud(SeatSerializer))
class SeatViewSet(CommitteeViewSet):
    """Seats on the Steering Committee. Coordinators and committee members write;
    agency administrators and trainers read."""

    serializer_class = SeatSerializer
    filterset_class = SeatFilterSet
    model = Seat
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
    agency = ProgramScopedField(Agency, required=False, allow_null=True)
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
        return bool(today and sub.is_overdue(today))

    @extend_schema_field(BalanceSerializer)
    def get_balance(self, sub) -> dict:
        view = balance_view(sub)
        return {**view["flags"], "missing": view["missing"], "summary": view["sentence"]}


@extend_schema_view(**{k: v for k, v in crud(SubcommitteeSerializer).items() if k != "destroy"})
class SubcommitteeViewSet(CommitteeReading, ServiceWriteViewSet):
    """Subcommittees with their members (read-only here; add one with POST members/),
    reports and balance check. A subcommittee is not deleted through the API."""

    serializer_class = SubcommitteeSerializer
    model = Subcommittee
    # Adding a member or a report changes the subcommittee: asked of its policy
    # when it is found, before the body is read.
    write_actions = {
        **ServiceWriteViewSet.write_actions,
        "add_member": "change",
        "remove_member": "change",
        "add_report": "change",
    }
    sorts = {"name": ["name", "id"]}
    default_sort = "name"
    # No DELETE of a subcommittee: the method is not offered (nor in the Allow header).

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Subcommittee.objects.none()
        return Subcommittee.objects.visible_to(self.request.user, self.program).prefetch_related(
            "members__agency", "reports"
        )

    def create_object(self, data):
        return services.subcommittee_create(
            actor=self.request.user, program=self.program, data=data
        )

    def update_object(self, instance, data):
        return services.subcommittee_update(
            actor=self.request.user, subcommittee=instance, data=data
        )

    @extend_schema(
        summary="Add a member to the subcommittee",
        request=SubcommitteeMemberSerializer,
        responses={201: SubcommitteeMemberSerializer, **errors(400, 403, 404)},
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
        responses={204: OpenApiResponse(description="Removed."), **errors(403, 404)},
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
        responses={201: SubcommitteeReportSerializer, **errors(400, 403, 404)},
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
        responses={200: CompositionSerializer, **errors(403, 404)},
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
