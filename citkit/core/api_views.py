"""API for programs, members, invitations and the audit trail."""

from django.contrib.auth import get_user_model
from django.db.models import F
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from citkit.core import services
from citkit.core.api import (
    KeysetPagination,
    NoUniqueValidation,
    ProgramScopedField,
    ProgramScopedViewSet,
)
from citkit.core.forms import AuditFilterSet
from citkit.core.invitations import base_url_of
from citkit.core.models import AuditEntry, Invitation, Membership, Program
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
        # The list reads the role with the programs (one query, not one per program).
        if hasattr(program, "my_role"):
            return program.my_role or ""
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
        # visible_to() joins the user's memberships; the role comes from that same join.
        return Program.objects.visible_to(self.request.user).annotate(
            my_role=F("memberships__role")
        )

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
    # Read-only: accounts join through an invitation their owner accepts, and a
    # writable user name would answer "does this account exist?".
    user = serializers.CharField(
        source="user.username", read_only=True, help_text="User name of the member."
    )
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
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ProgramScopedViewSet,
):
    """Who holds which role in the program (coordinators only). New members are
    invited (`invitations/`) and join when they accept."""

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


INVITATION_DESCRIPTION = (
    "Whatever is sent, the answer is the same: an invitation addressed to what was sent. "
    "If `username` (or else `email`) belongs to an account, its owner is asked to accept; "
    "if neither does and `email` is given, a new account is made with that user name and "
    "a link to set its password is mailed to `email`. Whether an account existed is never "
    "said."
)


class InvitationSerializer(NoUniqueValidation):
    username = serializers.RegexField(
        r"^[\w.@+-]+$",
        max_length=150,
        help_text="User name of the account to invite, or of the account to create. "
        "Letters, digits and @ . + - _ only.",
    )
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        help_text="Finds the account if the user name does not; for a new account, "
        "where the link to set its password goes.",
    )
    first_name = serializers.CharField(
        required=False, allow_blank=True, max_length=150, write_only=True
    )
    last_name = serializers.CharField(
        required=False, allow_blank=True, max_length=150, write_only=True
    )
    agency = ProgramScopedField(
        Invitation._meta.get_field("agency").related_model,
        required=False,
        allow_null=True,
        help_text="For an agency administrator: the partner agency they act for.",
    )
    invited_by = serializers.CharField(
        source="invited_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "role",
            "agency",
            "invited_by",
            "status",
            "created_at",
            "expires_at",
        ]
        read_only_fields = ["status", "created_at", "expires_at"]


@extend_schema_view(create=extend_schema(description=INVITATION_DESCRIPTION))
class InvitationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    ProgramScopedViewSet,
):
    """Invitations to the program that wait for an answer (coordinators only)."""

    serializer_class = InvitationSerializer
    read_capability = "manage_members"
    sorts = {"newest": ["-created_at", "-id"]}
    default_sort = "newest"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, "swagger_fake_view", False):
            return
        # Asked before the body is read.
        needed = {"create": "add", "revoke": "revoke"}.get(self.action)
        if needed:
            policy_for(Invitation).require(request.user, self.program, needed)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        invitations = Invitation.objects.visible_to(self.request.user, self.program)
        if self.action == "list":
            invitations = invitations.open()
        return invitations.select_related("agency", "invited_by")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.member_invite(
            actor=self.request.user,
            program=self.program,
            base_url=base_url_of(self.request),
            username=data["username"],
            email=data.get("email", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            role=data["role"],
            agency=data.get("agency"),
        )

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, *args, **kwargs):
        """Withdraw an invitation that is not answered yet; its link stops working."""
        invitation = services.invitation_revoke(actor=request.user, invitation=self.get_object())
        return Response(self.get_serializer(invitation).data)


class MyInvitationSerializer(serializers.ModelSerializer):
    program = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    program_name = serializers.CharField(source="program.name", read_only=True)
    agency = serializers.CharField(
        source="agency.name", read_only=True, allow_null=True, default=None
    )
    invited_by = serializers.CharField(
        source="invited_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "program",
            "program_name",
            "role",
            "agency",
            "invited_by",
            "status",
            "created_at",
            "expires_at",
        ]
        read_only_fields = fields


class MyInvitationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Your own invitations to programs: the list holds those waiting for your answer."""

    serializer_class = MyInvitationSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = KeysetPagination
    sorts = {"expires": ["expires_at", "id"]}
    default_sort = "expires"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        invitations = Invitation.objects.filter(user=self.request.user)
        if self.action == "list":
            invitations = invitations.open()
        return invitations.select_related("program", "agency", "invited_by")

    @extend_schema(request=None, responses=MyInvitationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        """Take the role offered: you become a member of the program now."""
        invitation = self.get_object()
        services.invitation_accept(actor=request.user, invitation=invitation)
        invitation.refresh_from_db()
        return Response(self.get_serializer(invitation).data)

    @extend_schema(request=None, responses=MyInvitationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        """Say no: the coordinator sees that the invitation was declined."""
        invitation = services.invitation_decline(actor=request.user, invitation=self.get_object())
        return Response(self.get_serializer(invitation).data)


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
