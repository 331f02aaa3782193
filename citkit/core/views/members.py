"""Program members: who has which role, inviting people, unlocking sign-in."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View

from citkit.core import services
from citkit.core.forms import MemberAddForm, MemberRoleForm
from citkit.core.invitations import base_url_of
from citkit.core.models import Invitation, Membership
from citkit.core.policies import policy_for
from citkit.core.views.base import ProgramViewMixin
from citkit.core.views.writes import ServiceDeleteView, ServiceFormView, ServiceWriteMixin

# The one answer to "Send the invitation", whatever was typed: it must not say
# whether the user name or the address belongs to an account (see member_invite).
INVITED = (
    "Invitation to “{typed}” recorded. If that user name or e-mail address belongs to an "
    "account, its owner is asked to accept it (by e-mail, and when they next sign in). If "
    "neither does and you gave an e-mail address, a new account is made and a link to set "
    "its password sent there. It is listed under “Pending invitations” until it is answered."
)


class MemberListView(ProgramViewMixin, View):
    def get(self, request, program):
        policy_for(Membership).require(request.user, self.program, "view")
        members = list(
            Membership.objects.visible_to(request.user, self.program)
            .select_related("user", "agency")
            .order_by("user__username")
        )
        invitations = (
            Invitation.objects.visible_to(request.user, self.program)
            .open()
            .select_related("agency", "invited_by")
            .order_by("-created_at", "-id")
        )
        return render(
            request,
            "core/member_list.html",
            self.get_context_data(
                members=members,
                locked=locked_usernames(),
                elsewhere=members_elsewhere(self.program, members),
                invitations=invitations,
            ),
        )


def members_elsewhere(program, members) -> set[int]:
    """User ids of these members whose account a coordinator may not unlock: it is
    also used in another program, or it is a deployment administrator's."""
    ids = [m.user_id for m in members]
    other = set(
        Membership.objects.filter(user_id__in=ids)
        .exclude(program=program)
        .values_list("user_id", flat=True)
    )
    return other | {m.user_id for m in members if m.user.is_staff or m.user.is_superuser}


def locked_usernames() -> set[str]:
    """User names whose sign-in is locked right now (django-axes keeps the attempts)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
        ).values_list("username", flat=True)
    )


class MembershipMixin:
    model = Membership

    def setup_object(self):
        # Managing members is one program-wide right: a role without it gets 403
        # before any membership is looked up (an unknown id is a 404 for coordinators).
        policy_for(Membership).require(self.request.user, self.program, self.action)
        super().setup_object()

    def get_queryset(self):
        return super().get_queryset().select_related("user", "agency")

    def get_success_url(self, obj) -> str:
        return self.program_url("member-list")


class MemberAddView(MembershipMixin, ServiceFormView):
    """Invite someone: an existing account (its owner accepts) or a new one."""

    model = Invitation
    action = "add"
    form_class = MemberAddForm
    template_name = "core/member_form.html"

    def get_form_kwargs(self) -> dict:
        return {"program": self.program}

    def call_service(self, form):
        return services.member_invite(
            actor=self.request.user,
            program=self.program,
            base_url=base_url_of(self.request),
            **form.cleaned_data,
        )

    def get_success_message(self, obj) -> str:
        return INVITED.format(typed=obj.addressed_to)


class InvitationRevokeView(ServiceDeleteView):
    """A coordinator withdraws a pending invitation (asks first)."""

    model = Invitation
    action = "revoke"
    confirm_label = "Yes, withdraw it"
    consequence = (
        "The link in the invitation stops working. The change is recorded in the audit trail."
    )
    success_message = "The invitation to “{obj.addressed_to}” is withdrawn."

    def setup_object(self):
        # As for members: a role that may not manage them gets 403 before any lookup.
        policy_for(Invitation).require(self.request.user, self.program, self.action)
        super().setup_object()

    def get_success_url(self, obj) -> str:
        return self.program_url("member-list")

    def get_queryset(self):
        return Invitation.objects.visible_to(self.request.user, self.program).select_related(
            "agency"
        )

    def get_question(self, obj) -> str:
        return f"Withdraw the invitation to “{obj.addressed_to}” ({obj.get_role_display()})?"

    def get_cancel_url(self, obj) -> str:
        return self.program_url("member-list")

    def call_service(self, obj) -> None:
        services.invitation_revoke(actor=self.request.user, invitation=obj)


class MemberEditView(MembershipMixin, ServiceFormView):
    action = "change"
    form_class = MemberRoleForm
    template_name = "core/member_edit.html"
    success_message = "Role of {obj.user.username} saved."

    def get_form_kwargs(self) -> dict:
        initial = {"role": self.object.role, "agency": self.object.agency}
        return {"program": self.program, "initial": initial}

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.object, **kwargs)

    def call_service(self, form):
        return services.membership_update(
            actor=self.request.user, membership=self.object, **form.cleaned_data
        )


class MemberRemoveView(MembershipMixin, ServiceDeleteView):
    confirm_label = "Yes, remove"
    success_message = "{obj.user.username} removed from the program."

    def get_question(self, obj) -> str:
        return f"Remove {obj.user.username} from {self.program.name}?"

    def get_cancel_url(self, obj) -> str:
        return self.program_url("member-list")

    def call_service(self, obj) -> None:
        services.membership_delete(actor=self.request.user, membership=obj)


class MemberUnlockView(MembershipMixin, ServiceWriteMixin, View):
    """Lift a sign-in lock (a button on the member list; nothing to confirm)."""

    action = "unlock"

    def post(self, request, program, pk):
        self.setup_object()
        membership = self.object
        services.account_unlock(actor=request.user, program=self.program, user=membership.user)
        messages.success(request, f"Sign-in for {membership.user.username} is unlocked.")
        return redirect(self.get_success_url(membership))
