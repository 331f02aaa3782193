"""API for action items: the committee's list, "my action items", and changes.

Writes go through committee.services: coordinators and committee members change
anything; the owner of an item may PATCH its status and notes (other fields: 403).
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action

from citkit.committee import services
from citkit.committee.forms_actions import (
    ACTION_SORTS,
    ActionItemFilterSet,
    program_users,
    user_label,
    with_open_rank,
)
from citkit.committee.models import ActionItem, Decision, Meeting
from citkit.committee.selectors import program_today
from citkit.core.api import NoUniqueValidation, ServiceModelViewSet
from citkit.plan.models import Task

User = get_user_model()


@extend_schema_field(OpenApiTypes.INT)
class _ProgramScopedField(serializers.PrimaryKeyRelatedField):
    """An id looked up among the program's own records only."""

    def scoped(self, program):
        raise NotImplementedError

    def get_queryset(self):
        program = self.context.get("program")
        return self.scoped(program) if program else self.model.objects.none()


class ProgramMeetingField(_ProgramScopedField):
    model = Meeting

    def scoped(self, program):
        return Meeting.objects.filter(program=program)


class ProgramDecisionField(_ProgramScopedField):
    model = Decision

    def scoped(self, program):
        return Decision.objects.filter(meeting__program=program)


class ProgramTaskField(_ProgramScopedField):
    model = Task

    def scoped(self, program):
        return Task.objects.filter(program=program)


class ProgramMemberField(serializers.SlugRelatedField):
    """A username, looked up among the program's members only."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", **kwargs)

    def get_queryset(self):
        program = self.context.get("program")
        return program_users(program) if program else User.objects.none()


class ActionItemSerializer(NoUniqueValidation):
    owner = ProgramMemberField(help_text="Username of a member of the program.")
    owner_name = serializers.SerializerMethodField()
    meeting = ProgramMeetingField(required=False, allow_null=True)
    decision = ProgramDecisionField(required=False, allow_null=True)
    concerns_task = ProgramTaskField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text="On create only: the plan task this item concerns.",
    )
    concerns_type = serializers.SerializerMethodField(
        help_text='Kind of record the item concerns, e.g. "plan.task"; empty if none.'
    )
    overdue = serializers.SerializerMethodField(
        help_text="Open or in progress, and due before today in the program's time zone."
    )

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "title",
            "owner",
            "owner_name",
            "due_date",
            "status",
            "notes",
            "meeting",
            "decision",
            "concerns_task",
            "concerns_type",
            "concerns_id",
            "overdue",
            "completed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["concerns_id", "completed_at", "created_at", "updated_at"]

    def get_owner_name(self, item) -> str:
        return user_label(item.owner)

    def get_concerns_type(self, item) -> str:
        if not item.concerns_type_id:
            return ""
        content_type = ContentType.objects.get_for_id(item.concerns_type_id)
        return f"{content_type.app_label}.{content_type.model}"

    def get_overdue(self, item) -> bool:
        today = self.context.get("today")
        return bool(today and item.is_open and item.due_date < today)


class ActionItemViewSet(ServiceModelViewSet):
    """Action items. Committee readers see all; every other member sees their own."""

    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilterSet
    read_capability = "view_program"
    sorts = ACTION_SORTS
    default_sort = "due"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ActionItem.objects.none()
        return with_open_rank(
            ActionItem.objects.visible_to(self.request.user, self.program).select_related("owner")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if context.get("program") is not None:
            context["today"] = program_today(context["program"])
        return context

    def create_object(self, data):
        data = dict(data)
        concerns = data.pop("concerns_task", None)
        return services.action_item_create(
            actor=self.request.user, program=self.program, data=data, concerns=concerns
        )

    def update_object(self, instance, data):
        if "concerns_task" in data:
            raise ValidationError(
                {"concerns_task": "What an item concerns is set when it is created."}
            )
        return services.action_item_update(actor=self.request.user, item=instance, data=data)

    def delete_object(self, instance):
        services.action_item_delete(actor=self.request.user, item=instance)

    @extend_schema(
        summary="My action items",
        description="The items you own, in any role; open and in-progress items first "
        "(default sort `open`). The same filters as the list.",
        responses=ActionItemSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="mine", url_name="mine")
    def mine(self, request, *args, **kwargs):
        self.default_sort = "open"
        queryset = self.filter_queryset(
            with_open_rank(
                ActionItem.objects.filter(program=self.program, owner=request.user).select_related(
                    "owner"
                )
            )
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
