"""API for the implementation plan: phases with their completion, tasks with measured
progress. Writes go through plan.services (coordinators and committee members)."""

import django_filters
from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from citkit.committee.api_actions import ProgramMemberField, _ProgramScopedField
from citkit.committee.models import Subcommittee
from citkit.committee.selectors import program_today
from citkit.core import measures
from citkit.core.api import NoUniqueValidation, ProgramScopedViewSet
from citkit.plan import services
from citkit.plan.models import Phase, Task
from citkit.plan.selectors import TaskView

TASK_SORTS = {
    "plan": ["phase__order", "order", "id"],
    "updated": ["-updated_at", "-id"],
}


class ProgramPhaseField(_ProgramScopedField):
    model = Phase

    def scoped(self, program):
        return Phase.objects.filter(program=program)


class ProgramSubcommitteeField(_ProgramScopedField):
    model = Subcommittee

    def scoped(self, program):
        return Subcommittee.objects.filter(program=program)


class ProgramTaskField(_ProgramScopedField):
    model = Task

    def scoped(self, program):
        return Task.objects.filter(program=program)


class MeasurementSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    text = serializers.CharField()
    complete = serializers.BooleanField()
    percent = serializers.IntegerField()


class TaskRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class MeasureCache(dict):
    """Each measure computed once per request, however many tasks name it."""

    def __init__(self, program):
        super().__init__()
        self.program = program

    def __missing__(self, key):
        value = measures.measure(self.program, key) if key else None
        self[key] = value
        return value


def _task_view(task: Task, context) -> TaskView:
    cache = context.setdefault("_task_views", {})
    if task.pk not in cache:
        measured = context["measurements"][task.measure] if "measurements" in context else None
        waiting = [
            d for d in task.depends_on.all() if d.status != Task.Status.DONE and not d.retired
        ]
        cache[task.pk] = TaskView(task=task, measurement=measured, waiting_on=waiting)
    return cache[task.pk]


class TaskSerializer(NoUniqueValidation):
    phase = ProgramPhaseField()
    owner = ProgramMemberField(
        required=False, allow_null=True, help_text="Username of a member of the program."
    )
    subcommittee = ProgramSubcommitteeField(required=False, allow_null=True)
    measure = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Key of a registered measure (progress computed from the records), or empty.",
    )
    depends_on = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Change with POST …/depends_on/."
    )
    waiting_on = serializers.SerializerMethodField(
        help_text="Dependencies still open: the task cannot be marked done before them."
    )
    measurement = serializers.SerializerMethodField(
        help_text="Progress from the records, if the task names a measure."
    )
    disagreement = serializers.SerializerMethodField(
        help_text="Non-empty when the typed status and the measured progress disagree."
    )
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "phase",
            "key",
            "title",
            "description",
            "order",
            "owner",
            "subcommittee",
            "start_date",
            "due_date",
            "status",
            "notes",
            "measure",
            "measurement",
            "disagreement",
            "depends_on",
            "waiting_on",
            "overdue",
            "retired",
            "completed_at",
            "updated_at",
        ]
        read_only_fields = ["key", "order", "retired", "completed_at", "updated_at"]

    @extend_schema_field(TaskRefSerializer(many=True))
    def get_waiting_on(self, task):
        return [{"id": d.pk, "title": d.title} for d in _task_view(task, self.context).waiting_on]

    @extend_schema_field(MeasurementSerializer(allow_null=True))
    def get_measurement(self, task):
        m = _task_view(task, self.context).measurement
        if m is None:
            return None
        return {
            "done": m.done,
            "total": m.total,
            "text": m.text,
            "complete": m.complete,
            "percent": m.percent,
        }

    def get_disagreement(self, task) -> str:
        return _task_view(task, self.context).disagreement

    def get_overdue(self, task) -> bool:
        today = self.context.get("today")
        return bool(
            today
            and task.due_date
            and task.status != Task.Status.DONE
            and not task.retired
            and task.due_date < today
        )


class TaskDependenciesSerializer(serializers.Serializer):
    depends_on = serializers.ListField(
        child=ProgramTaskField(), allow_empty=True, help_text="Ids of the tasks it waits on."
    )


class TaskMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class TaskRetireSerializer(serializers.Serializer):
    retired = serializers.BooleanField(
        default=True, help_text="false puts a retired task back in the plan."
    )


class TaskFilterSet(django_filters.FilterSet):
    phase = django_filters.NumberFilter(field_name="phase_id")
    status = django_filters.ChoiceFilter(choices=Task.Status.choices)
    retired = django_filters.BooleanFilter()

    class Meta:
        model = Task
        fields = ["phase", "status", "retired"]


class TaskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ProgramScopedViewSet,
):
    """Tasks of the plan with typed status, measured progress and disagreement.

    Tasks are retired, not deleted (POST …/retire/)."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    read_capability = "view_committee"
    sorts = TASK_SORTS
    default_sort = "plan"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Task.objects.none()
        return (
            Task.objects.visible_to(self.request.user, self.program)
            .select_related("phase", "owner")
            .prefetch_related("depends_on")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        program = context.get("program")
        if program is not None:
            context["today"] = program_today(program)
            context["measurements"] = MeasureCache(program)
        return context

    def perform_create(self, serializer):
        serializer.instance = services.task_create(
            actor=self.request.user, program=self.program, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.task_update(
            actor=self.request.user, task=serializer.instance, data=serializer.validated_data
        )

    def _respond(self, task):
        task = self.get_queryset().get(pk=task.pk)
        return Response(self.get_serializer(task).data)

    @extend_schema(
        summary="Set what the task waits on",
        description="Replaces the task's dependencies. Tasks of this program only; no cycles; "
        "a done task cannot wait on open tasks.",
        request=TaskDependenciesSerializer,
        responses=TaskSerializer,
    )
    @action(detail=True, methods=["post"], url_path="depends_on", url_name="depends-on")
    def depends_on(self, request, *args, **kwargs):
        task = self.get_object()
        body = TaskDependenciesSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.task_set_dependencies(
            actor=request.user, task=task, depends_on=body.validated_data["depends_on"]
        )
        return self._respond(task)

    @extend_schema(
        summary="Move the task up or down within its phase",
        request=TaskMoveSerializer,
        responses=TaskSerializer,
    )
    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs):
        task = self.get_object()
        body = TaskMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.task_move(
            actor=request.user, task=task, direction=body.validated_data["direction"]
        )
        return self._respond(task)

    @extend_schema(
        summary="Retire the task (or restore it)",
        description="A retired task leaves the plan's progress but is kept for the record.",
        request=TaskRetireSerializer,
        responses=TaskSerializer,
    )
    @action(detail=True, methods=["post"])
    def retire(self, request, *args, **kwargs):
        task = self.get_object()
        body = TaskRetireSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.task_retire(actor=request.user, task=task, retired=body.validated_data["retired"])
        return self._respond(task)


class PhaseSerializer(NoUniqueValidation):
    done = serializers.IntegerField(read_only=True, help_text="Tasks done (retired excluded).")
    total = serializers.IntegerField(read_only=True, help_text="Tasks (retired excluded).")
    percent = serializers.SerializerMethodField(help_text="Percent of tasks done.")

    class Meta:
        model = Phase
        fields = ["id", "key", "name", "order", "done", "total", "percent"]
        read_only_fields = fields

    def get_percent(self, phase) -> int:
        # As plan.selectors.PhaseView.percent.
        return round(100 * phase.done / phase.total) if phase.total else 0


class PhaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProgramScopedViewSet):
    """The plan's phases with how much of each is done (read-only)."""

    serializer_class = PhaseSerializer
    read_capability = "view_committee"
    sorts = {"order": ["order", "id"]}
    default_sort = "order"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Phase.objects.none()
        active = Q(tasks__retired=False)
        return Phase.objects.visible_to(self.request.user, self.program).annotate(
            total=Count("tasks", filter=active),
            done=Count("tasks", filter=active & Q(tasks__status=Task.Status.DONE)),
        )


from citkit.plan.views_dashboard import DashboardViewSet  # noqa: E402

ROUTES = [
    ("plan/tasks", TaskViewSet, "api-plan-task"),
    ("plan/phases", PhaseViewSet, "api-plan-phase"),
    ("plan/dashboard", DashboardViewSet, "api-plan-dashboard"),
]
