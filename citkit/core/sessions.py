"""Who is signed in where: one SignedInSession row per signed-in browser session.

Django's session table has no user column, so the sign-in signal records which
user a session key belongs to. With that, a person can see and end their own
sessions, and the system ends every session of an account at once (deactivated,
removed from a program, password changed: see core/credentials.py).

Timestamps kept in the session itself (read by SessionLifetimeMiddleware):
SIGNED_IN_AT for the absolute limit, LAST_ACTIVE for the idle limit.
"""

import ipaddress
import time
from datetime import UTC, datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.utils import timezone

from citkit.core import audit
from citkit.core.models import AuditEntry, SignedInSession

SIGNED_IN_AT = "_citkit_signed_in_at"
LAST_ACTIVE = "_citkit_last_active"

# Sessions whose rows live in the database, where "still alive" can be asked in SQL.
_DATABASE_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


def _store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def client_address(request) -> str | None:
    """The client's address as the sign-in lock-out sees it (django-axes' own rules)."""
    from axes.helpers import get_client_ip_address

    value = get_client_ip_address(request) or ""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]


@receiver(user_logged_in, dispatch_uid="citkit-track-sign-in")
def _track_sign_in(sender, request, user, **kwargs):
    """Note the new session. login() has already given it a new key (no fixation)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[SIGNED_IN_AT] = now
    session[LAST_ACTIVE] = now
    if session.session_key is None:
        # login() flushed another user's session: the new key comes with the first save.
        session.save()
    if session.session_key is None:  # a cookie-only session engine has no key to track
        return
    seen = timezone.now()
    SignedInSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "last_seen_at": seen,
            "user_agent": _user_agent(request),
            "ip_address": client_address(request),
        },
        create_defaults={
            "user": user,
            "created_at": seen,
            "last_seen_at": seen,
            "user_agent": _user_agent(request),
            "ip_address": client_address(request),
        },
    )


@receiver(user_logged_out, dispatch_uid="citkit-track-sign-out")
def _track_sign_out(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        SignedInSession.objects.filter(session_key=session.session_key).delete()


def touch(request) -> None:
    """Record activity on the request's session (called at most once a minute per session)."""
    key = request.session.session_key
    if not key:
        return
    seen = timezone.now()
    if SignedInSession.objects.filter(session_key=key).update(last_seen_at=seen):
        return
    # A session from before tracking began, or one ended while this request ran: a row
    # for an ended session is never listed (live_sessions asks the session store).
    started = request.session.get(SIGNED_IN_AT)
    SignedInSession.objects.get_or_create(
        session_key=key,
        defaults={
            "user": request.user,
            "created_at": datetime.fromtimestamp(started, tz=UTC) if started else seen,
            "last_seen_at": seen,
            "user_agent": _user_agent(request),
            "ip_address": client_address(request),
        },
    )


def follow_new_key(request, old_key: str | None) -> None:
    """Keep tracking a signed-in session whose key changed during the request.

    A password change gives the session a new key (update_session_auth_hash) without
    a sign-in, so no signal tells; the row moves to the new key.
    """
    new_key = request.session.session_key
    if not old_key or not new_key or old_key == new_key:
        return
    user = request.user
    if not user.is_authenticated or SignedInSession.objects.filter(session_key=new_key).exists():
        return  # signed out, or a sign-in that recorded the new key itself
    SignedInSession.objects.filter(session_key=old_key, user=user).update(session_key=new_key)


def live_sessions(user) -> QuerySet[SignedInSession]:
    """The user's sessions that can still be used, most recently active first."""
    rows = SignedInSession.objects.filter(user=user)
    now = timezone.now()
    rows = rows.filter(
        created_at__gt=now - timedelta(hours=settings.CITKIT_SESSION_MAX_HOURS),
        last_seen_at__gt=now - timedelta(minutes=settings.CITKIT_SESSION_IDLE_MINUTES),
    )
    if settings.SESSION_ENGINE in _DATABASE_ENGINES:
        alive = Session.objects.filter(expire_date__gt=now).values("session_key")
        rows = rows.filter(session_key__in=alive)
    return rows.order_by("-last_seen_at", "-id")


def end_sessions(user, *, keep_session_key: str | None = None) -> int:
    """End every session of the user but `keep_session_key`; returns how many were alive.

    Deletes them from Django's session store, so the next request with one of those
    cookies is anonymous, and forgets them in SignedInSession.
    """
    rows = SignedInSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    keys = list(rows.values_list("session_key", flat=True))
    store = _store_class()
    ended = 0
    with transaction.atomic():
        SignedInSession.objects.filter(user=user, session_key__in=keys).delete()
        for key in keys:
            if store().exists(key):
                ended += 1
            store().delete(key)
    return ended


def forget_ended_sessions() -> int:
    """Delete the SignedInSession rows of sessions that have ended (expired, idle, too
    old, or gone from the store); for the daily clean-up after `clearsessions`."""
    now = timezone.now()
    ended = SignedInSession.objects.filter(
        created_at__lte=now - timedelta(hours=settings.CITKIT_SESSION_MAX_HOURS)
    ) | SignedInSession.objects.filter(
        last_seen_at__lte=now - timedelta(minutes=settings.CITKIT_SESSION_IDLE_MINUTES)
    )
    if settings.SESSION_ENGINE in _DATABASE_ENGINES:
        alive = Session.objects.filter(expire_date__gt=now).values("session_key")
        ended = ended | SignedInSession.objects.exclude(session_key__in=alive)
    count, _ = SignedInSession.objects.filter(pk__in=ended.values("pk")).delete()
    return count


def end_session(*, actor, signed_in: SignedInSession) -> None:
    """A person ends one of their own sessions (the device is signed out at once)."""
    if signed_in.user_id != actor.pk:  # views look rows up among the actor's own
        raise PermissionError("Only the session's own user ends it.")
    with transaction.atomic():
        before = live_sessions(actor).count()
        _store_class()().delete(signed_in.session_key)
        signed_in.delete()
        _record(actor, before, before - 1 if before else 0, device_label(signed_in.user_agent))


def end_other_sessions(*, actor, keep_session_key: str) -> int:
    """A person ends every session but the one they use now; returns how many ended."""
    with transaction.atomic():
        before = live_sessions(actor).count()
        ended = end_sessions(actor, keep_session_key=keep_session_key)
        if ended:
            _record(actor, before, before - ended, "every other session")
    return ended


def _record(actor, before: int, after: int, what: str) -> None:
    audit.record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=actor,
        program=None,
        before={"signed_in_sessions": before},
        after={"signed_in_sessions": after, "ended": what},
    )


# Browser and system names, as found in user-agent strings; the first match wins.
_BROWSERS = [
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("iPhone", "an iPhone"),
    ("iPad", "an iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Macintosh", "a Mac"),
    ("Linux", "Linux"),
]


def device_label(user_agent: str) -> str:
    """The device in words ("Firefox on Windows"), enough to recognise one's own."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or f"A browser on {system}"
    return "An unknown browser"
