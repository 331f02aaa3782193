"""Sign-in, lock-out and password pages."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views import View
from rest_framework.authtoken.models import Token

from citkit.core import services

LOCKED_MESSAGE = (
    "Too many failed sign-in attempts. Sign-in for this user name is paused for a while; "
    "try again later or ask your program coordinator to unlock it."
)


class SignInForm(AuthenticationForm):
    # One message for a wrong password and an unknown user alike.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That user name and password do not match. Both are case-sensitive.",
    }


class SignInView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown by django-axes once a user name is locked; says nothing about the account."""
    # An unbound form: validating one would run authentication (and axes) again.
    form = SignInForm(request, initial={"username": request.POST.get("username", "")})
    return render(
        request, "core/login.html", {"form": form, "locked_message": LOCKED_MESSAGE}, status=429
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "core/password_message.html"
    extra_context = {"title": "Password changed", "text": "Your password has been changed."}


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "core/password_reset.html"
    email_template_name = "core/password_reset_email.txt"
    subject_template_name = "core/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/password_message.html"
    extra_context = {
        "title": "Check your e-mail",
        "text": "If an account uses that address, we have sent it a link to set a new password.",
    }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_message.html"
    extra_context = {"title": "Password set", "text": "Your password is set. You can sign in now."}


class ApiTokenView(LoginRequiredMixin, View):
    """Show the user's API token, or create/replace it."""

    def get(self, request):
        token = Token.objects.filter(user=request.user).first()
        return render(request, "core/api_token.html", {"token": token})

    def post(self, request):
        services.api_token_replace(actor=request.user)
        messages.success(request, "A new API token was created; the old one no longer works.")
        return redirect("api-token")
