"""Everything that lets an account in without its password, revoked at once.

An account's API tokens, its calendar-feed addresses and its signed-in sessions
all stop working together, when

- its password is changed (the session that changed it stays signed in) or reset,
  from any page, the admin or a command;
- it is deactivated (`is_active` set to False);
- one of its memberships ends (tokens belong to the account, not to a program, so
  all of them go: CJIS 5.5.2 "access removed when no longer needed").

Password and deactivation are caught where they are saved (a `pre_save` on the
user model), so no path around the pages forgets them. Which session is "the one
that changed it" comes from the request being served (`CurrentRequestMiddleware`).
"""

import contextvars
import logging
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import is_password_usable
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from citkit.core import audit
from citkit.core.models import ApiToken, AuditEntry, FeedKey

log = logging.getLogger(__name__)

_request: contextvars.ContextVar = contextvars.ContextVar("citkit_current_request", default=None)


class CurrentRequestMiddleware:
    """Keep the request being served at hand, so that a password saved during it can
    spare the session it was changed from. Goes after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def request_session_key(user) -> str | None:
    """The key of the session serving this request, if it is signed in as `user`."""
    request = _request.get()
    if request is None or user is None or getattr(user, "pk", None) is None:
        return None
    session = getattr(request, "session", None)
    signed_in = getattr(request, "user", None)
    if session is None or signed_in is None or not signed_in.is_authenticated:
        return None
    if signed_in.pk != user.pk:
        return None
    return session.session_key


def _request_actor():
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


# --- Calendar-feed addresses -----------------------------------------------------------


def feed_secret(user) -> str:
    """The secret signed into the user's calendar addresses ("" before the first one)."""
    return FeedKey.objects.filter(user=user).values_list("secret", flat=True).first() or ""


def replace_feed_secret(user) -> str:
    """A new secret: every calendar address given out before stops working."""
    secret = secrets.token_urlsafe(24)
    FeedKey.objects.update_or_create(
        user=user, defaults={"secret": secret, "replaced_at": timezone.now()}
    )
    return secret


# --- Revoking --------------------------------------------------------------------------


def revoke_credentials(user, *, reason: str, keep_session_key=None, actor=None) -> dict:
    """Revoke every API token and calendar address of `user` and end their sessions
    (all but `keep_session_key`). Audited as one entry on the account, outside any
    program. Returns what was ended."""
    from citkit.core.sessions import end_sessions

    now = timezone.now()
    if actor is None:
        actor = _request_actor()
    with transaction.atomic():
        tokens = (
            ApiToken.objects.filter(user=user)
            .active(now)
            .update(revoked_at=now, revoked_reason=reason[:100])
        )
        replace_feed_secret(user)
        sessions = end_sessions(user, keep_session_key=keep_session_key)
        summary = {
            "credentials_revoked": reason,
            "api_tokens_revoked": tokens,
            "calendar_address": "replaced",
            "sessions_ended": sessions,
        }
        audit.record(
            actor=actor, action=AuditEntry.Action.UPDATE, obj=user, program=None, after=summary
        )
    log.info("Credentials of %s revoked: %s", user.get_username(), reason)
    return summary


# --- Catching password changes and deactivation wherever they are saved ---------------

_PENDING = "_citkit_revoke_reason"


def _note_credential_change(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. last_login at sign-in
    old = sender._base_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if old is None:
        return
    reason = ""
    if old["is_active"] and not instance.is_active:
        reason = "account deactivated"
    elif getattr(instance, "_password", None) is not None and instance.password != old["password"]:
        # set_password() was called: a change or a reset. (A hash upgraded at sign-in
        # sets no raw password and is not a change.)
        reason = "password changed"
    elif is_password_usable(old["password"]) and not is_password_usable(instance.password):
        reason = "password removed"
    if reason:
        setattr(instance, _PENDING, reason)


def _revoke_after_change(sender, instance, created=False, raw=False, **kwargs):
    reason = instance.__dict__.pop(_PENDING, None)
    if not reason or raw:
        return
    keep = request_session_key(instance) if reason == "password changed" else None
    revoke_credentials(instance, reason=reason, keep_session_key=keep)


def connect() -> None:
    user_model = get_user_model()
    pre_save.connect(_note_credential_change, sender=user_model, dispatch_uid="citkit-cred-pre")
    post_save.connect(_revoke_after_change, sender=user_model, dispatch_uid="citkit-cred-post")
