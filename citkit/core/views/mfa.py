"""Two-factor sign-in pages.

Sign-in is two steps. The password step (`SignInView`) does not sign anyone in when a
code is needed: it notes who is signing in in the session (`begin`), and only the code
step, or setting up an app for someone who must have one, calls `login()` (which gives
the session a new key). The note lasts `mfa.PENDING_SECONDS`.

The same code page also serves someone already signed in whose session has no second
factor yet (the admin asks for one), and the account page lets anyone set up, replace
or turn off their app and make new recovery codes. A coordinator resets a member's
second factor from the member's page. See docs/two-factor.md.
"""

import time
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from citkit.core import mfa
from citkit.core.admin_site import is_verified
from citkit.core.views.base import form_errors_from
from citkit.core.views.members import MembershipMixin
from citkit.core.views.writes import ServiceDeleteView

User = get_user_model()

PENDING_KEY = "_citkit_mfa_pending"
NEW_CODES_KEY = "_citkit_mfa_new_codes"
EXPIRED_MESSAGE = (
    "Signing in took more than {minutes} minutes, so it was stopped. "
    "Enter your user name and password again."
)


def _code_input(**attrs) -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "autocomplete": "one-time-code",
            "autocapitalize": "none",
            "autocorrect": "off",
            "spellcheck": "false",
            **attrs,
        }
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6-digit code your authenticator app shows for citkit, "
        "or one of your recovery codes.",
        widget=_code_input(autofocus=True),
    )


class SetupForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=40,
        help_text="The 6-digit code the app now shows for citkit.",
        widget=_code_input(inputmode="numeric", autofocus=True),
    )

    def __init__(self, *args, replacing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if replacing:
            self.fields["current_code"] = forms.CharField(
                label="Code from your current app",
                max_length=40,
                help_text="To replace the app you use now: a code it shows, "
                "or one of your recovery codes.",
                widget=_code_input(),
            )


# --- The pending sign-in ------------------------------------------------------------


def begin(request, user, next_url: str):
    """The password was right and a code is needed: remember who, sign nobody in yet."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "at": time.time(),
        "next": next_url,
    }
    return redirect("mfa-verify" if mfa.has_second_factor(user) else "mfa-enrol")


def pending_user(request):
    """The user who gave the right password less than PENDING_SECONDS ago, if any."""
    data = request.session.get(PENDING_KEY)
    if not data:
        return None
    if time.time() - data.get("at", 0) > mfa.PENDING_SECONDS:
        del request.session[PENDING_KEY]
        messages.error(request, EXPIRED_MESSAGE.format(minutes=mfa.PENDING_SECONDS // 60))
        return None
    return User.objects.filter(pk=data.get("user"), is_active=True).first()


def _finish_sign_in(request, user, device) -> str:
    """Sign in (a new session key) with the session marked verified; where to go next."""
    data = request.session.pop(PENDING_KEY)
    auth_login(request, user, backend=data["backend"])
    otp_login(request, device)
    return data.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL)


def _safe_next(request, default: str) -> str:
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(default)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


def _show_new_codes(request, codes: list[str], next_url: str):
    """Recovery codes are shown once, on the page this redirects to."""
    request.session[NEW_CODES_KEY] = {"codes": codes, "next": next_url}
    return redirect("mfa-recovery-codes")


def _recovery_code_warning(request, user) -> None:
    left = mfa.recovery_codes_left(user)
    messages.warning(
        request,
        f"You used a recovery code; {left} left. Each works once: make new ones on "
        "your account's “Two-factor sign-in” page.",
    )


# --- The code step -------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class VerifyView(View):
    """Ask the code: of the person signing in, or of a signed-in session that has none."""

    template_name = "core/mfa_verify.html"

    def dispatch(self, request, *args, **kwargs):
        self.pending = pending_user(request)
        if self.pending is not None:
            self.subject = self.pending
            self.next_url = ""
        elif request.user.is_authenticated:
            self.subject = request.user
            self.next_url = _safe_next(request, settings.LOGIN_REDIRECT_URL)
            if is_verified(request.user):
                return redirect(self.next_url)
        else:
            return redirect("login")
        if not mfa.has_second_factor(self.subject):
            if self.pending is not None:
                return redirect("mfa-enrol")
            return redirect(_with_next("mfa-setup", self.next_url))
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        context = {
            "form": form,
            "username": self.subject.get_username(),
            "signing_in": self.pending is not None,
            "next": self.next_url,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_form(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        check = mfa.check_code(self.subject, form.cleaned_data["code"])
        if not check.ok:
            form.add_error("code", mfa.refusal_message(check))
            return self.render_form(form, status=429 if check.throttled else 400)
        if self.pending is not None:
            next_url = _finish_sign_in(request, self.subject, check.device)
        else:
            otp_login(request, check.device)
            next_url = self.next_url
        if check.used_recovery_code:
            _recovery_code_warning(request, self.subject)
        return redirect(next_url)


# --- Setting up an authenticator app -----------------------------------------------


@method_decorator(never_cache, name="dispatch")
class SetupBaseView(View):
    template_name = "core/mfa_setup.html"
    signing_in = False

    def start(self, request):
        """Set `self.subject` (whose app is set up), or return where to go instead."""
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        elsewhere = self.start(request)
        if elsewhere is not None:
            return elsewhere
        self.replacing = mfa.has_second_factor(self.subject)
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        device = mfa.enrolment_start(self.subject)
        context = {
            "form": form,
            "qr_svg": mfa.qr_svg(device),
            "secret": mfa.secret_text(device),
            "signing_in": self.signing_in,
            "replacing": self.replacing,
            "required": mfa.second_factor_required(self.subject),
            "username": self.subject.get_username(),
            "next": self.request.GET.get(REDIRECT_FIELD_NAME, ""),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_form(SetupForm(replacing=self.replacing))

    def post(self, request):
        form = SetupForm(request.POST, replacing=self.replacing)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            device, codes = mfa.enrolment_confirm(
                actor=self.subject,
                device=mfa.enrolment_start(self.subject),
                code=form.cleaned_data["code"],
                current_code=form.cleaned_data.get("current_code", ""),
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
            return self.render_form(form, status=400)
        return _show_new_codes(request, codes, self.after_setup(device))


class EnrolView(SetupBaseView):
    """During sign-in: someone who must use a second factor and has none sets it up."""

    signing_in = True

    def start(self, request):
        self.subject = pending_user(request)
        if self.subject is None:
            return redirect("login")
        if mfa.has_second_factor(self.subject):
            return redirect("mfa-verify")  # set up already: the code is the way in
        return None

    def after_setup(self, device) -> str:
        next_url = _finish_sign_in(self.request, self.subject, device)
        messages.success(self.request, "Two-factor sign-in is set up. You are signed in.")
        return next_url


class SetupView(LoginRequiredMixin, SetupBaseView):
    """From the account page: set up an app, or move to a new one."""

    def start(self, request):
        self.subject = request.user
        return None

    def after_setup(self, device) -> str:
        otp_login(self.request, device)
        messages.success(self.request, "Two-factor sign-in is set up.")
        return _safe_next(self.request, "mfa-manage")


# --- Recovery codes and the account page --------------------------------------------


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(LoginRequiredMixin, View):
    """The new recovery codes, once: they are not kept anywhere the page could show again."""

    def get(self, request):
        shown = request.session.pop(NEW_CODES_KEY, None)
        if not shown:
            messages.info(
                request,
                "Recovery codes are shown only once, when they are made. "
                "If you lost yours, make new ones here.",
            )
            return redirect("mfa-manage")
        return render(
            request,
            "core/mfa_recovery_codes.html",
            {"codes": shown["codes"], "next": shown["next"] or reverse("mfa-manage")},
        )


@method_decorator(never_cache, name="dispatch")
class ManageView(LoginRequiredMixin, View):
    """The account page "Two-factor sign-in": what is set up and what one can do."""

    def get(self, request):
        user = request.user
        device = mfa.app_device(user)
        context = {
            "device": device,
            "codes_left": mfa.recovery_codes_left(user) if device else 0,
            "required": mfa.second_factor_required(user),
            "requiring": mfa.requiring_programs(user),
            "staff": user.is_staff or user.is_superuser,
        }
        return render(request, "core/mfa_manage.html", context)


@method_decorator(never_cache, name="dispatch")
class CodeActionView(LoginRequiredMixin, View):
    """A page that asks a code before doing one thing to one's own second factor."""

    template_name = "core/mfa_code_action.html"
    title = ""
    text = ""
    button = ""
    danger = False

    def context(self, form) -> dict:
        return {
            "form": form,
            "title": self.title,
            "text": self.text,
            "button": self.button,
            "danger": self.danger,
            "refusal": self.refusal(),
        }

    def refusal(self) -> str:
        """Why the action cannot be done at all (no form is shown); empty if it can."""
        if not mfa.has_second_factor(self.request.user):
            return "Two-factor sign-in is not set up."
        return ""

    def get(self, request):
        return render(request, self.template_name, self.context(CodeForm()))

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                return self.act(form.cleaned_data["code"])
            except ValidationError as exc:
                form_errors_from(form, exc)
        return render(request, self.template_name, self.context(form), status=400)


class RecoveryCodesNewView(CodeActionView):
    title = "New recovery codes"
    text = (
        "Your old recovery codes stop working and ten new ones are shown, once. "
        "Type a code from your authenticator app (or a recovery code) to go on."
    )
    button = "Make new recovery codes"

    def act(self, code):
        codes = mfa.recovery_codes_replace(actor=self.request.user, code=code)
        return _show_new_codes(self.request, codes, reverse("mfa-manage"))


class RemoveView(CodeActionView):
    title = "Turn off two-factor sign-in"
    text = (
        "Your authenticator app and recovery codes stop working, and you sign in with "
        "your password alone. Type a code from your app (or a recovery code) to go on."
    )
    button = "Yes, turn it off"
    danger = True

    def refusal(self) -> str:
        if mfa.second_factor_required(self.request.user):
            return (
                "Your role requires two-factor sign-in, so it cannot be turned off. To move "
                "to a new phone, set up a new authenticator app instead."
            )
        return super().refusal()

    def act(self, code):
        mfa.second_factor_remove(actor=self.request.user, code=code)
        messages.success(self.request, "Two-factor sign-in is turned off.")
        return redirect("mfa-manage")


# --- A coordinator resets a member's second factor ------------------------------------


class MemberSecondFactorResetView(MembershipMixin, ServiceDeleteView):
    """Asks first, then removes the member's app and recovery codes (a lost phone)."""

    action = "reset_second_factor"
    confirm_label = "Yes, reset"
    consequence = (
        "Their authenticator app and recovery codes stop working and they are signed out "
        "everywhere. They set up a new app the next time they sign in. The reset is "
        "recorded in the audit trail."
    )
    success_message = "Two-factor sign-in of {obj.user.username} is reset."

    def setup_object(self):
        super().setup_object()
        refusal = mfa.reset_refusal(
            actor=self.request.user, program=self.program, user=self.object.user
        )
        if refusal:
            raise PermissionDenied(refusal)

    def get_question(self, obj) -> str:
        state = "set up" if mfa.has_second_factor(obj.user) else "not set up"
        return f"Reset two-factor sign-in of {obj.user.username} (now {state})?"

    def get_cancel_url(self, obj) -> str:
        return self.program_url("member-edit", obj.pk)

    def call_service(self, obj) -> None:
        mfa.second_factor_reset(actor=self.request.user, program=self.program, user=obj.user)
