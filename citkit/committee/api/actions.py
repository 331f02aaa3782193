"""API for action items: the committee's list, "my action items", and changes.

Writes go through committee.services: coordinators and committee members change
anything; the owner of an item may PATCH its status and notes (other fields: 403).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from citkit.committee import services
from citkit.committee.api.responses import crud, errors
from citkit.committee.concerns import ConcernKind, concern_kinds
from citkit.committee.filters import ACTION_SORTS, ActionItemFilterSet
from citkit.committee.models import ActionItem, Decision, Meeting
from citkit.committee.selectors import action_items_for_list
from citkit.core.api import (
    NoUniqueValidation,
    ProgramMemberField,
    ProgramScopedField,
    ServiceModelViewSet,
)
from citkit.core.selectors import user_label


@extend_schema_field(OpenApiTypes.INT)
class ConcernedRecordField(serializers.PrimaryKeyRelatedField):
    """An id among the records of one kind the user may see in the program."""

    def __init__(self, kind: ConcernKind, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def get_queryset(self):
        program = self.context.get("program")
        request = self.context.get("request")
        if program is None or request is None:
            return self.kind.model.objects.none()
        return self.kind.visible(request.user, program)


class ActionItemSerializer(NoUniqueValidation):
    owner = ProgramMemberField()
    owner_name = serializers.SerializerMethodField()
    meeting = ProgramScopedField(Meeting, required=False, allow_null=True)
    decision = ProgramScopedField(
        Decision, scope="meeting__program", required=False, allow_null=True
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
            "concerns_type",
            "concerns_id",
            "overdue",
            "completed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["concerns_id", "completed_at", "created_at", "updated_at"]

    def get_fields(self):
        # One write-only `concerns_<kind>` per kind of record registered in
        # committee.concerns, placed where clients have always found `concerns_task`.
        fields = super().get_fields()
        ordered = {}
        for name, field in fields.items():
            if name == "concerns_type":
                for kind in concern_kinds():
                    ordered[kind.field_name] = ConcernedRecordField(
                        kind,
                        write_only=True,
                        required=False,
                        allow_null=True,
                        help_text=kind.api_help_text
                        or f"On create only: the {kind.model._meta.verbose_name} it concerns.",
                    )
            ordered[name] = field
        return ordered

    def get_owner_name(self, item) -> str:
        return user_label(item.owner)

    def get_concerns_type(self, item) -> str:
        if not item.concerns_type_id:
            return ""
        content_type = ContentType.objects.get_for_id(item.concerns_type_id)
        return f"{content_type.app_label}.{content_type.model}"

    def get_overdue(self, item) -> bool:
        today = self.context.get("today")
        return bool(today and item.is_overdue(today))


def _concerns(data: dict):
    """(the item's own fields, the concerned record or None)."""
    data = dict(data)
    concerns = None
    for kind in concern_kinds():
        record = data.pop(kind.field_name, None)
        if record is not None:
            concerns = record
    return data, concerns


@extend_schema_view(**crud(ActionItemSerializer))
class ActionItemViewSet(ServiceModelViewSet):
    """Action items. Committee readers see all; every other member sees their own."""

    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilterSet
    model = ActionItem
    read_capability = "view_program"
    sorts = ACTION_SORTS
    default_sort = "due"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ActionItem.objects.none()
        items = ActionItem.objects.visible_to(self.request.user, self.program)
        return action_items_for_list(items.select_related("owner"), self.program.today())

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if context.get("program") is not None:
            context["today"] = context["program"].today()
        return context

    def create_object(self, data):
        data, concerns = _concerns(data)
        return services.action_item_create(
            actor=self.request.user, program=self.program, data=data, concerns=concerns
        )

    def update_object(self, instance, data):
        for kind in concern_kinds():
            if kind.field_name in data:
                raise ValidationError(
                    {kind.field_name: "What an item concerns is set when it is created."}
                )
        return services.action_item_update(actor=self.request.user, item=instance, data=data)

    def delete_object(self, instance):
        services.action_item_delete(actor=self.request.user, item=instance)

    @extend_schema(
        summary="My action items",
        description="The items you own, in any role; open and in-progress items first "
        "(default sort `open`). The same filters as the list.",
        responses={200: ActionItemSerializer(many=True), **errors(403, 404)},
    )
    @action(detail=False, methods=["get"], url_path="mine", url_name="mine")
    def mine(self, request, *args, **kwargs):
        self.default_sort = "open"
        items = ActionItem.objects.filter(program=self.program, owner=request.user)
        queryset = self.filter_queryset(
            action_items_for_list(items.select_related("owner"), self.program.today())
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
