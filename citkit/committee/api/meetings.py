"""API for committee meetings: CRUD, plus agenda items, attendance and decisions.

/api/programs/<program>/committee/meetings/[<id>/[agenda/|attendance/|decisions/]]
Readers: view_committee. Writes: manage_committee, through committee.services.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from citkit.committee import services
from citkit.committee.api.responses import crud, errors
from citkit.committee.filters import MeetingApiFilterSet
from citkit.committee.models import AgendaItem, Attendance, Decision, Meeting
from citkit.core.api import NoUniqueValidation, ServiceModelViewSet
from citkit.core.views.base import parse_id


class AgendaItemSerializer(NoUniqueValidation):
    class Meta:
        model = AgendaItem
        fields = ["id", "order", "title", "presenter", "minutes", "notes"]
        extra_kwargs = {
            "order": {
                "required": False,
                "help_text": "Position on the agenda; left out, the item goes last.",
            },
            "minutes": {"min_value": 1, "help_text": "Planned time in minutes."},
        }


class AttendanceSerializer(serializers.ModelSerializer):
    seat = serializers.IntegerField(source="seat_id", read_only=True)
    holder_name = serializers.CharField(source="seat.holder_name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["seat", "holder_name", "status"]
        read_only_fields = fields


class DecisionSerializer(NoUniqueValidation):
    class Meta:
        model = Decision
        fields = ["id", "text", "decided_by", "votes_for", "votes_against", "abstentions"]


class MeetingSerializer(NoUniqueValidation):
    agenda_items = AgendaItemSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "call_link",
            "status",
            "minutes",
            "agenda_items",
            "attendance",
            "decisions",
        ]
        extra_kwargs = {
            "starts_at": {
                "help_text": "ISO 8601 with an offset; stored in UTC. Years 1900 to 2200."
            },
            "ends_at": {"help_text": "Must be after starts_at. Years 1900 to 2200."},
        }


class AttendanceInputSerializer(serializers.Serializer):
    seats = serializers.DictField(
        child=serializers.ChoiceField(choices=Attendance.Status.choices),
        allow_empty=False,
        help_text="Seat id -> present, absent or excused. Seats left out keep what they had.",
    )

    def validate_seats(self, value):
        statuses = {}
        for key, state in value.items():
            seat = parse_id(key)
            if seat is None:
                raise serializers.ValidationError(f"“{key}” is not a seat id.")
            statuses[seat] = state
        return statuses


def _meetings_with_children(queryset):
    return queryset.prefetch_related(
        "agenda_items",
        Prefetch("attendance", queryset=Attendance.objects.select_related("seat")),
        "decisions",
    )


@extend_schema_view(**crud(MeetingSerializer))
class MeetingViewSet(ServiceModelViewSet):
    """Steering Committee meetings with their agenda, attendance and decisions (read-only
    here; use the agenda/, attendance/ and decisions/ actions to add to them). Times are
    UTC in ISO 8601."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingApiFilterSet
    model = Meeting
    read_capability = "view_committee"
    sorts = {
        "-starts": ["-starts_at", "-id"],
        "starts": ["starts_at", "id"],
    }
    default_sort = "-starts"
    # Adding to a meeting's agenda, attendance or decisions changes the meeting: asked
    # of its policy when the meeting is found, before the body is read.
    write_actions = {
        **ServiceModelViewSet.write_actions,
        "agenda": "change",
        "agenda_remove": "change",
        "attendance": "change",
        "decisions": "change",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Meeting.objects.none()
        meetings = Meeting.objects.visible_to(self.request.user, self.program)
        return _meetings_with_children(meetings)

    def create_object(self, data):
        return services.meeting_create(actor=self.request.user, program=self.program, data=data)

    def update_object(self, instance, data):
        return services.meeting_update(actor=self.request.user, meeting=instance, data=data)

    def delete_object(self, instance):
        services.meeting_delete(actor=self.request.user, meeting=instance)

    def _reloaded(self, meeting) -> Meeting:
        return _meetings_with_children(Meeting.objects.filter(pk=meeting.pk)).get()

    def perform_create(self, serializer):
        super().perform_create(serializer)
        serializer.instance = self._reloaded(serializer.instance)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        serializer.instance = self._reloaded(serializer.instance)

    @extend_schema(
        summary="Add an agenda item",
        request=AgendaItemSerializer,
        responses={201: AgendaItemSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="agenda", url_name="agenda")
    def agenda(self, request, *args, **kwargs):
        meeting = self.get_object()
        form = AgendaItemSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        item = services.agenda_item_add(
            actor=request.user, meeting=meeting, data=form.validated_data
        )
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove an agenda item",
        request=None,
        responses={204: OpenApiResponse(description="Removed."), **errors(403, 404)},
        parameters=[OpenApiParameter("item", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"agenda/(?P<item>\d+)",
        url_name="agenda-item",
    )
    def agenda_remove(self, request, *args, **kwargs):
        meeting = self.get_object()
        item = get_object_or_404(AgendaItem, meeting=meeting, pk=kwargs["item"])
        services.agenda_item_remove(actor=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Record attendance",
        description="Sets present, absent or excused for each seat given; all or nothing.",
        request=AttendanceInputSerializer,
        responses={
            200: AttendanceSerializer(many=True),
            400: OpenApiResponse(description="An unknown seat or status; nothing written."),
            **errors(403, 404),
        },
        examples=[
            OpenApiExample(
                "Two seats", value={"seats": {"12": "present", "13": "excused"}}, request_only=True
            )
        ],
    )
    # The whole roll of the meeting, as a plain list (not paged).
    @action(
        detail=True,
        methods=["post"],
        url_path="attendance",
        url_name="attendance",
        pagination_class=None,
    )
    def attendance(self, request, *args, **kwargs):
        meeting = self.get_object()
        form = AttendanceInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            services.attendance_record(
                actor=request.user, meeting=meeting, statuses=form.validated_data["seats"]
            )
        except ValidationError as exc:
            # The request names one field, "seats"; say which seats or statuses were wrong.
            raise serializers.ValidationError({"seats": exc.messages}) from exc
        rows = Attendance.objects.filter(meeting=meeting).select_related("seat")
        return Response(AttendanceSerializer(rows, many=True).data)

    @extend_schema(
        summary="Record a decision",
        request=DecisionSerializer,
        responses={201: DecisionSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="decisions", url_name="decisions")
    def decisions(self, request, *args, **kwargs):
        meeting = self.get_object()
        form = DecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        decision = services.decision_record(
            actor=request.user, meeting=meeting, data=form.validated_data
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
