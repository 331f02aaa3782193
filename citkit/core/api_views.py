"""API for programs, members and the audit trail."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from citkit.core import services
from citkit.core.api import (
    AccountField,
    KeysetPagination,
    NoUniqueValidation,
    ProgramScopedField,
    ProgramScopedViewSet,
)
from citkit.core.forms import AuditFilterSet
from citkit.core.models import AuditEntry, Membership, Program
from citkit.core.permissions import membership_for
from citkit.core.policies import policy_for

User = get_user_model()


class ProgramSerializer(NoUniqueValidation):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Program
        fields = ["slug", "name", "jurisdiction", "time_zone", "country", "role"]
        read_only_fields = ["slug"]

    def get_role(self, program) -> str:
        membership = membership_for(self.context["request"].user, program)
        return membership.role if membership else ""


class ProgramViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The programs you belong to. Coordinators may change name, jurisdiction and time zone."""

    serializer_class = ProgramSerializer
    permission_classes = [IsAuthenticated]
    lookup_field = "slug"
    pagination_class = KeysetPagination
    sorts = {"name": ["name", "id"]}
    default_sort = "name"

    def get_queryset(self):
        return Program.objects.visible_to(self.request.user)

    def get_object(self):
        program = super().get_object()
        if self.action in ("update", "partial_update"):
            # Asked before the body is read: a read-only role gets 403 whatever it sends.
            policy_for(Program).require_on(self.request.user, program, "change")
        return program

    def perform_update(self, serializer):
        serializer.instance = services.program_update(
            actor=self.request.user, program=serializer.instance, data=serializer.validated_data
        )


class MembershipSerializer(NoUniqueValidation):
    username = serializers.CharField(source="user.username", read_only=True)
    user = AccountField(help_text="User name of the account to give a role.")
    # An agency administrator's agency: one of the program's partner agencies.
    agency = ProgramScopedField(
        Membership._meta.get_field("agency").related_model, required=False, allow_null=True
    )

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "role", "agency", "created_at"]
        read_only_fields = ["created_at"]


class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ProgramScopedViewSet,
):
    """Who holds which role in the program (coordinators only)."""

    serializer_class = MembershipSerializer
    read_capability = "manage_members"
    sorts = {"user": ["user__username", "id"]}
    default_sort = "user"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return Membership.objects.visible_to(self.request.user, self.program).select_related(
            "user", "agency"
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.membership_create(
            actor=self.request.user,
            program=self.program,
            user=data["user"],
            role=data["role"],
            agency=data.get("agency"),
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        instance = serializer.instance
        serializer.instance = services.membership_update(
            actor=self.request.user,
            membership=instance,
            role=data.get("role", instance.role),
            agency=data.get("agency", instance.agency),
        )

    def perform_destroy(self, instance):
        services.membership_delete(actor=self.request.user, membership=instance)


class AuditEntrySerializer(serializers.ModelSerializer):
    record_type = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor_label",
            "source",
            "action",
            "record_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "request_id",
        ]


@extend_schema(description="The program's audit trail, newest first (coordinators only).")
class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProgramScopedViewSet):
    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilterSet
    read_capability = "view_audit"
    sorts = {"newest": ["-created_at", "-id"], "oldest": ["created_at", "id"]}
    default_sort = "newest"
    with_count = False

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEntry.objects.none()
        return AuditEntry.objects.visible_to(self.request.user, self.program).select_related(
            "content_type"
        )
