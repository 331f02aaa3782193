"""Program members: who has which role, adding people, unlocking sign-in."""

from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views import View

from citkit.core import services
from citkit.core.forms import MemberAddForm, MemberRoleForm
from citkit.core.models import Membership
from citkit.core.policies import policy_for
from citkit.core.views.base import ProgramViewMixin
from citkit.core.views.writes import ServiceDeleteView, ServiceFormView, ServiceWriteMixin


class MemberListView(ProgramViewMixin, View):
    def get(self, request, program):
        policy_for(Membership).require(request.user, self.program, "view")
        members = (
            Membership.objects.visible_to(request.user, self.program)
            .select_related("user", "agency")
            .order_by("user__username")
        )
        return render(
            request,
            "core/member_list.html",
            self.get_context_data(members=members, locked=locked_usernames()),
        )


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
    action = "add"
    form_class = MemberAddForm
    template_name = "core/member_form.html"

    def get_form_kwargs(self) -> dict:
        return {"program": self.program}

    def call_service(self, form):
        membership, self.created_account = services.member_add(
            actor=self.request.user, program=self.program, **form.cleaned_data
        )
        if self.created_account:
            send_set_password_link(self.request, membership.user)
        return membership

    def get_success_message(self, obj) -> str:
        if self.created_account:
            return (
                f"Account {obj.user.username} created; a link to set a password "
                f"was sent to {obj.user.email}."
            )
        return f"{obj.user.username} added."


def send_set_password_link(request, user) -> None:
    """Mail a new account the link to choose its password.

    Django's PasswordResetForm skips accounts without a usable password, which is
    exactly what a new account is, so the link is built here with the same token.
    """
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
    }
    subject = render_to_string("core/password_reset_subject.txt", context).strip()
    body = render_to_string("core/password_reset_email.txt", context)
    send_mail(subject, body, None, [user.email])


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
