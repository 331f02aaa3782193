"""Sign-in, lock-out and password pages."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.urls import reverse_lazy

from citkit.core import mfa
from citkit.core.views import mfa as mfa_views

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
    """The password step. Whoever needs a second factor is not signed in here: the code
    step is (views/mfa.py), so a password alone never opens a session for them."""

    template_name = "core/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not mfa.code_needed(user):
            return super().form_valid(form)
        return mfa_views.begin(self.request, user, self.get_success_url())


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
    # Never sign in from the e-mailed link: the new password then goes through the
    # sign-in page, and its second step, like any other (test_mfa.py holds it).
    post_reset_login = False


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_message.html"
    extra_context = {"title": "Password set", "text": "Your password is set. You can sign in now."}
