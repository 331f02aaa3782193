"""API for the implementation plan: tasks with measured progress, phases with their
completion. Writes go through plan.services (coordinators and committee members)."""

from django.db.models import Count, Q
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from citkit.committee.models import Subcommittee
from citkit.core import measures
from citkit.core.api import (
    NoUniqueValidation,
    ProgramMemberField,
    ProgramScopedField,
    ProgramScopedViewSet,
    ServiceModelViewSet,
)
from citkit.plan import services
from citkit.plan.filters import TASK_SORTS, TaskFilterSet
from citkit.plan.models import Phase, Task
from citkit.plan.selectors import TaskView

# The answers other than success, said once for the operations that give them. Their
# body is the schema's Error (see citkit.core.schema).
ERROR = {"$ref": "#/components/schemas/Error"}
REFUSED = OpenApiResponse(response=ERROR, description="Your role may only read the plan.")
NOT_FOLLOWING = OpenApiResponse(
    response=ERROR, description="Your role does not follow the committee's work."
)
NO_PROGRAM = OpenApiResponse(
    response=ERROR, description="No such program, or you are not a member."
)
BAD_FILTER = OpenApiResponse(
    response=ERROR, description="An unknown sort, a bad cursor or filter value."
)
NOT_FOUND = OpenApiResponse(
    response=ERROR, description="No such program or task, or not one you may see."
)
BAD_INPUT = OpenApiResponse(
    response=ERROR, description="The input was refused; the body names each field that is wrong."
)


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
        cache[task.pk] = TaskView(
            task=task, measurement=measured, waiting_on=task.open_dependencies()
        )
    return cache[task.pk]


class TaskSerializer(NoUniqueValidation):
    # Empty for a task a program added itself (a slug pattern would refuse that).
    key = serializers.CharField(
        read_only=True, help_text="The CIT model's step the task comes from, if any."
    )
    phase = ProgramScopedField(Phase, help_text="Id of one of the program's phases.")
    owner = ProgramMemberField(required=False, allow_null=True)
    subcommittee = ProgramScopedField(
        Subcommittee,
        required=False,
        allow_null=True,
        help_text="Id of one of the program's subcommittees, or null.",
    )
    # The measures every app registers (core.measures), as the schema's choices.
    measure = serializers.ChoiceField(
        choices=measures.choices(),
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
        return bool(today and task.is_overdue(today))


class TaskDependenciesSerializer(serializers.Serializer):
    depends_on = serializers.ListField(
        child=ProgramScopedField(Task), allow_empty=True, help_text="Ids of the tasks it waits on."
    )


class TaskMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class TaskRetireSerializer(serializers.Serializer):
    retired = serializers.BooleanField(
        default=True, help_text="false puts a retired task back in the plan."
    )


@extend_schema_view(
    list=extend_schema(
        responses={
            200: TaskSerializer(many=True),
            400: BAD_FILTER,
            403: NOT_FOLLOWING,
            404: NO_PROGRAM,
        }
    ),
    retrieve=extend_schema(responses={200: TaskSerializer, 403: NOT_FOLLOWING, 404: NOT_FOUND}),
)
class TaskViewSet(ServiceModelViewSet):
    """Tasks of the plan with typed status, measured progress and disagreement.

    Tasks are retired, not deleted (POST …/retire/)."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    model = Task
    read_capability = "view_committee"
    sorts = TASK_SORTS
    default_sort = "plan"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    # The task's own verbs are changes to it: the policy is asked before the body is read.
    write_actions = {
        **ServiceModelViewSet.write_actions,
        "depends_on": "change",
        "move": "change",
        "retire": "change",
    }

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
            context["today"] = program.today()
            context["measurements"] = MeasureCache(program)
        return context

    def create_object(self, data):
        return services.task_create(actor=self.request.user, program=self.program, data=data)

    def update_object(self, instance, data):
        return services.task_update(actor=self.request.user, task=instance, data=data)

    def _respond(self, task):
        task = self.get_queryset().get(pk=task.pk)
        return Response(self.get_serializer(task).data)

    @extend_schema(
        summary="Add a task at the end of its phase",
        responses={201: TaskSerializer, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND},
    )
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(
        summary="Change a task",
        description="A task cannot be marked done while a task it waits on is open: "
        "the refusal (400) names them on `status`.",
        responses={200: TaskSerializer, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND},
    )
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(
        summary="Change some of a task's fields",
        description="As the full update; fields left out keep their values.",
        responses={200: TaskSerializer, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND},
    )
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(
        summary="Set what the task waits on",
        description="Replaces the task's dependencies. Tasks of this program only; no cycles; "
        "a done task cannot wait on open tasks.",
        request=TaskDependenciesSerializer,
        responses={200: TaskSerializer, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND},
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
        responses={200: TaskSerializer, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND},
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
        summary="Retire the task (or put it back)",
        description="A retired task leaves the plan's progress but is kept for the record.",
        request=TaskRetireSerializer,
        responses={200: TaskSerializer, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND},
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


@extend_schema_view(
    list=extend_schema(
        responses={
            200: PhaseSerializer(many=True),
            400: BAD_FILTER,
            403: NOT_FOLLOWING,
            404: NO_PROGRAM,
        }
    ),
    retrieve=extend_schema(
        responses={
            200: PhaseSerializer,
            403: NOT_FOLLOWING,
            404: OpenApiResponse(
                response=ERROR, description="No such program or phase, or not one you may see."
            ),
        }
    ),
)
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
