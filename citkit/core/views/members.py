"""Program members: who has which role, adding people, unlocking sign-in."""

from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views import View

from citkit.core import services
from citkit.core.forms import MemberAddForm, MemberRoleForm
from citkit.core.models import Membership
from citkit.core.views.base import ProgramViewMixin, form_errors_from


class MemberListView(ProgramViewMixin, View):
    capability = "manage_members"

    def get(self, request, program):
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


class MemberAddView(ProgramViewMixin, View):
    capability = "manage_members"

    def get(self, request, program):
        form = MemberAddForm(program=self.program)
        return render(request, "core/member_form.html", self.get_context_data(form=form))

    def post(self, request, program):
        form = MemberAddForm(request.POST, program=self.program)
        if form.is_valid():
            try:
                membership, created = services.member_add(
                    actor=request.user, program=self.program, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                if created:
                    send_set_password_link(request, membership.user)
                    messages.success(
                        request,
                        f"Account {membership.user.username} created; a link to set a password "
                        f"was sent to {membership.user.email}.",
                    )
                else:
                    messages.success(request, f"{membership.user.username} added.")
                return redirect("member-list", program=self.program.slug)
        return render(
            request, "core/member_form.html", self.get_context_data(form=form), status=400
        )


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


def _membership(request, program, pk) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(request.user, program).select_related("user", "agency"),
        pk=pk,
    )


class MemberEditView(ProgramViewMixin, View):
    capability = "manage_members"

    def get(self, request, program, pk):
        membership = _membership(request, self.program, pk)
        form = MemberRoleForm(
            program=self.program, initial={"role": membership.role, "agency": membership.agency}
        )
        return render(
            request,
            "core/member_edit.html",
            self.get_context_data(form=form, member=membership),
        )

    def post(self, request, program, pk):
        membership = _membership(request, self.program, pk)
        form = MemberRoleForm(request.POST, program=self.program)
        if form.is_valid():
            try:
                services.membership_update(
                    actor=request.user, membership=membership, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Role of {membership.user.username} saved.")
                return redirect("member-list", program=self.program.slug)
        return render(
            request,
            "core/member_edit.html",
            self.get_context_data(form=form, member=membership),
            status=400,
        )


class MemberRemoveView(ProgramViewMixin, View):
    capability = "manage_members"

    def get(self, request, program, pk):
        membership = _membership(request, self.program, pk)
        return render(
            request,
            "core/confirm_delete.html",
            self.get_context_data(
                object=membership,
                question=f"Remove {membership.user.username} from {self.program.name}?",
                cancel_url=request.build_absolute_uri("../.."),
            ),
        )

    def post(self, request, program, pk):
        membership = _membership(request, self.program, pk)
        try:
            services.membership_delete(actor=request.user, membership=membership)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{membership.user.username} removed from the program.")
        return redirect("member-list", program=self.program.slug)


class MemberUnlockView(ProgramViewMixin, View):
    capability = "manage_members"

    def post(self, request, program, pk):
        membership = _membership(request, self.program, pk)
        services.account_unlock(actor=request.user, program=self.program, user=membership.user)
        messages.success(request, f"Sign-in for {membership.user.username} is unlocked.")
        return redirect("member-list", program=self.program.slug)
