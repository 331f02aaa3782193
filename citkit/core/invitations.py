"""Invitations: their tokens and the e-mail that carries them.

The services that make and answer invitations are in `core.services`
(`member_invite`, `invitation_accept`, `invitation_decline`, `invitation_revoke`).
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from citkit.core.models import Invitation


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str, user) -> Invitation | None:
    """The invitation this link's token opens, if it is addressed to `user`."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("program", "agency", "invited_by")
        .filter(token_hash=hash_token(token), user=user)
        .first()
    )


def set_password_path(user) -> str:
    """The link a new account sets its first password with (Django's reset token).

    Django's PasswordResetForm skips accounts without a usable password, which is
    exactly what a new account is, so the link is made here with the same token.
    """
    return reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def base_url_of(request) -> str:
    """ "https://cit.example.org" for links in e-mails sent while serving `request`."""
    return f"{request.scheme}://{request.get_host()}"


def send_invitation(invitation: Invitation, token: str, *, base_url: str, new_account: bool):
    """Mail the invitee (at the account's own address, never one a coordinator typed for
    an existing account) the link to answer, and for a new account the one to set a
    password first."""
    user = invitation.user
    if user is None:  # an invitation that reached nobody is never sent
        return
    base = (base_url or settings.CITKIT_SITE_URL or "").rstrip("/")
    context = {
        "invitation": invitation,
        "user": user,
        "program": invitation.program,
        "inviter": invitation.invited_by,
        "answer_url": base + reverse("invitation-open", kwargs={"token": token}),
        "password_url": base + set_password_path(user) if new_account else "",
        "expires_on": invitation.expires_at.date(),
    }
    subject = render_to_string("core/invitation_subject.txt", context).strip()
    body = render_to_string("core/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])


@receiver(user_logged_in, dispatch_uid="citkit-invitations-waiting")
def _say_invitations_wait(sender, request, user, **kwargs):
    """Right after signing in, the invitee hears that invitations wait for an answer."""
    if request is None:
        return
    waiting = Invitation.objects.filter(user=user).open().count()
    if waiting:
        messages.info(
            request,
            f"{waiting} invitation{'s' if waiting != 1 else ''} to a program "
            f"wait{'s' if waiting == 1 else ''} for your answer: see “Invitations” "
            "in your account menu.",
            fail_silently=True,
        )
