"""An account's keys: its API tokens and its calendar-feed address.

Both belong to the person, not to a program, so these pages sit under
/accounts/. A new token's key is shown once, on the answer to the form that made
it; only its hash is kept.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache

from citkit.core import mfa, services
from citkit.core.models import ApiToken
from citkit.core.views.base import form_errors_from

# Revoked and expired tokens stay listed for a while, so their owner sees what happened.
ENDED_SHOWN = 10


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What will use it, e.g. “Roster sync from the county HR system”."
    )
    days = forms.IntegerField(label="Valid for (days)", min_value=1)
    code = forms.CharField(
        label="Code from your authenticator app (or a recovery code)",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, needs_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        most = settings.CITKIT_TOKEN_DAYS
        self.fields["days"].widget.attrs["max"] = most
        self.fields["days"].initial = most
        self.fields["days"].help_text = f"At most {most} days; then make a new one."
        if not needs_code:
            del self.fields["code"]

    def clean_days(self):
        days = self.cleaned_data["days"]
        most = settings.CITKIT_TOKEN_DAYS
        if days > most:
            raise ValidationError(f"At most {most} days.")
        return days


@method_decorator(never_cache, name="dispatch")
class ApiTokenView(LoginRequiredMixin, View):
    """List the user's tokens and make a new one (its key is shown once, here)."""

    template_name = "core/api_token.html"

    def form(self, data=None):
        return ApiTokenForm(data, needs_code=mfa.code_needed(self.request.user))

    def render_page(self, form, *, key: str = "", new=None, status=200):
        tokens = ApiToken.objects.filter(user=self.request.user)
        active = list(tokens.active())
        ended = [t for t in tokens.exclude(pk__in=[t.pk for t in active])[:ENDED_SHOWN]]
        context = {
            "form": form,
            "active": active,
            "ended": ended,
            "key": key,
            "new": new,
            "needs_setup": mfa.second_factor_required(self.request.user)
            and not mfa.has_second_factor(self.request.user),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            token, key = services.api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                code=form.cleaned_data.get("code", ""),
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
            return self.render_page(form, status=400)
        # The key is on this answer only: not in a redirect, a session or a message.
        return self.render_page(self.form(), key=key, new=token, status=201)


@method_decorator(never_cache, name="dispatch")
class ApiTokenRevokeView(LoginRequiredMixin, View):
    """Asks first, then revokes one of the user's own tokens."""

    def get_token(self, pk) -> ApiToken:
        return get_object_or_404(ApiToken.objects.active(), pk=pk, user=self.request.user)

    def get(self, request, pk):
        token = self.get_token(pk)
        return render(
            request,
            "core/confirm_delete.html",
            {
                "question": f"Revoke the API token “{token.name}”?",
                "consequence": "Every program or script using it is refused from now on. "
                "This cannot be undone; make a new token if you need one.",
                "confirm_label": "Yes, revoke it",
                "cancel_url": reverse("api-token"),
            },
        )

    def post(self, request, pk):
        token = services.api_token_revoke(actor=request.user, token=self.get_token(pk))
        messages.success(request, f"The API token “{token.name}” is revoked.")
        return redirect("api-token")


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@method_decorator(never_cache, name="dispatch")
class FeedAddressReplaceView(LoginRequiredMixin, View):
    """Asks first, then gives the user a new calendar address (the old one stops)."""

    def get(self, request):
        back = _safe_next(request, reverse("api-token"))
        return render(
            request,
            "core/feed_address_replace.html",
            {"next": back, "cancel_url": back},
        )

    def post(self, request):
        services.feed_address_replace(actor=request.user)
        messages.success(
            request,
            "Your calendar address is new. Calendars subscribed with the old one stop "
            "updating: subscribe again with the new address.",
        )
        return redirect(_safe_next(request, reverse("api-token")))
