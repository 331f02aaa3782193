"""The readiness dashboard's figures as JSON: the same as the page shows."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response

from citkit.core.api import ProgramScopedViewSet
from citkit.plan.api.tasks import ERROR
from citkit.plan.models import ProgressSnapshot
from citkit.plan.selectors.dashboard import as_figures, build_dashboard


class DashboardOverall(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="Share of the plan's tasks done (0-100).")


class DashboardPhase(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


class DashboardFlaggedTask(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    phase = serializers.CharField(help_text="The phase's key.")
    status = serializers.CharField()
    measured = serializers.CharField(help_text="The progress measured from the records.")
    disagreement = serializers.CharField()


class DashboardOverdueTask(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    phase = serializers.CharField()
    status = serializers.CharField()
    owner = serializers.CharField(help_text="User name; empty if nobody owns it.")
    due_date = serializers.DateField()
    days_overdue = serializers.IntegerField()


class DashboardOverdueAction(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    owner = serializers.CharField(help_text="User name; empty if nobody owns it.")
    due_date = serializers.DateField()
    days_overdue = serializers.IntegerField()
    meeting = serializers.IntegerField(allow_null=True)


class DashboardMeeting(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    location = serializers.CharField()
    call_link = serializers.CharField()


class DashboardGap(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="open or workaround")
    workaround = serializers.CharField()
    owner = serializers.CharField(help_text="User name; empty if nobody owns it.")
    target_date = serializers.DateField(allow_null=True)


class DashboardComposition(serializers.Serializer):
    complete = serializers.BooleanField(
        help_text="At least one law-enforcement, one mental-health and one advocate seat."
    )
    has_chair = serializers.BooleanField()
    active_seats = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.CharField())


class DashboardSubcommittee(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    officer = serializers.BooleanField()
    provider = serializers.BooleanField()
    advocate = serializers.BooleanField()
    balanced = serializers.BooleanField()


class DashboardSnapshot(serializers.Serializer):
    week = serializers.DateField(help_text="The Monday of the week.")
    overall = serializers.IntegerField()
    by_phase = serializers.DictField(child=serializers.IntegerField(), help_text="key -> percent")


@extend_schema_serializer(many=False)  # one object, though served by the `list` action
class DashboardSerializer(serializers.Serializer):
    program = serializers.CharField()
    today = serializers.DateField(help_text="Today in the program's time zone.")
    has_plan = serializers.BooleanField()
    overall = DashboardOverall()
    phases = DashboardPhase(many=True)
    flagged_tasks = DashboardFlaggedTask(many=True)
    overdue_tasks = DashboardOverdueTask(many=True)
    overdue_action_items = DashboardOverdueAction(many=True)
    next_meetings = DashboardMeeting(many=True)
    open_gaps = DashboardGap(many=True)
    composition = DashboardComposition()
    subcommittees = DashboardSubcommittee(many=True)
    progress_over_time = DashboardSnapshot(many=True)


class DashboardViewSet(ProgramScopedViewSet):
    """The readiness dashboard's figures (committee readers: coordinators, committee
    members, agency administrators, trainers)."""

    read_capability = "view_committee"
    pagination_class = None
    serializer_class = DashboardSerializer
    queryset = ProgressSnapshot.objects.none()  # names the model for the schema generator

    @extend_schema(
        operation_id="programs_plan_dashboard_retrieve",
        summary="Readiness dashboard",
        description=(
            "Plan completion per phase and overall, tasks whose typed status and measured "
            "progress disagree, overdue plan tasks and action items, the next three meetings, "
            "open service gaps, the committee composition check and weekly progress "
            "snapshots. The current week's point is drawn from the plan as it stands until the "
            "weekly job records it; viewing the dashboard writes nothing."
        ),
        responses={
            200: DashboardSerializer,
            403: OpenApiResponse(
                response=ERROR, description="Your role does not follow the committee."
            ),
            404: OpenApiResponse(
                response=ERROR, description="No such program, or you are not a member."
            ),
        },
    )
    def list(self, request, *args, **kwargs):
        dashboard = build_dashboard(self.program, request.user)
        return Response(DashboardSerializer(as_figures(dashboard)).data)
