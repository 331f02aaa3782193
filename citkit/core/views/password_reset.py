"""Asking for a password-reset link: limited, and the same answer in the same time.

ASVS 5 V6.3 and CJIS 5.6.2.1 ask that the reset flow neither floods anyone's
mailbox nor tells who has an account. So:

- every request counts against its e-mail address and against the client's
  address (as django-axes sees it), in a window; past either limit the answer is
  429, for known and unknown addresses alike;
- whether or not the address has an account, the answer is the same redirect
  to the same "check your e-mail" page, and the lookup and the mail are padded
  to CITKIT_PASSWORD_RESET_SECONDS, so a known address (one mail sent) takes no
  longer than an unknown one (none).
"""

from django.conf import settings

from citkit.core import throttle
from citkit.core.sessions import client_address
from citkit.core.views import accounts

LIMITED = (
    "Too many requests for a reset link just now. Check your e-mail (and its spam folder) "
    "for a link already sent, or try again in an hour."
)


class PasswordResetView(accounts.PasswordResetView):
    def form_valid(self, form):
        window = settings.CITKIT_PASSWORD_RESET_WINDOW_MINUTES * 60
        address = form.cleaned_data["email"].strip().lower()
        # Both are counted whatever the outcome, so neither limit can be dodged.
        per_address = throttle.hit(
            "password-reset-address",
            address,
            limit=settings.CITKIT_PASSWORD_RESET_PER_ADDRESS,
            window_seconds=window,
        )
        per_client = throttle.hit(
            "password-reset-client",
            client_address(self.request) or "unknown",
            limit=settings.CITKIT_PASSWORD_RESET_PER_CLIENT,
            window_seconds=window,
        )
        if not (per_address and per_client):
            form.add_error(None, LIMITED)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        with throttle.at_least(settings.CITKIT_PASSWORD_RESET_SECONDS):
            return super().form_valid(form)
