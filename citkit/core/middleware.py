"""Request id for the audit trail; the rules of signed-in sessions and their caching."""

import re
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

from citkit.core import sessions
from citkit.core.audit import audit_context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give each request an id (or keep a proxy's X-Request-ID) and open the audit context."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        source = "api" if request.path.startswith("/api/") else "page"
        with audit_context(source=source, request_id=request.id):
            response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


class SessionLifetimeMiddleware:
    """The rules of a signed-in session, checked on every request without writing it.

    - An account that was deactivated (or deleted) is signed out at once.
    - Idle limit: the session notes its last activity and is ended once idle longer
      than CITKIT_SESSION_IDLE_MINUTES. The note (and SignedInSession.last_seen_at)
      is refreshed at most once every REFRESH_SECONDS; only that refresh saves the
      session and renews its cookie, so most page views write nothing.
    - Absolute limit: CITKIT_SESSION_MAX_HOURS after sign-in, however active.
    """

    KEY = sessions.SIGNED_IN_AT
    LAST_ACTIVE = sessions.LAST_ACTIVE
    REFRESH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is None or SESSION_KEY not in session:
            return self.get_response(request)
        ended = self._check(request, session)
        if ended is not None:
            return ended
        key = session.session_key
        response = self.get_response(request)
        sessions.follow_new_key(request, key)
        return response

    def _check(self, request, session):
        user = request.user
        if not user.is_authenticated or not user.is_active:
            # get_user() found no active account for the session: end it for good.
            return self._end(request, "Your session has ended. Please sign in again.")
        now = time.time()
        started = session.get(self.KEY)
        last = session.get(self.LAST_ACTIVE)
        if started is not None and now - started > settings.CITKIT_SESSION_MAX_HOURS * 3600:
            return self._end(request, "Your session has ended. Please sign in again.")
        idle_limit = settings.CITKIT_SESSION_IDLE_MINUTES * 60
        if last is not None and now - last > idle_limit:
            minutes = settings.CITKIT_SESSION_IDLE_MINUTES
            return self._end(
                request,
                f"You were signed out after {minutes} minutes without activity. "
                "Please sign in again.",
            )
        if started is None:  # a session from before these rules
            session[self.KEY] = now
        if last is None or now - last >= self.REFRESH_SECONDS:
            session[self.LAST_ACTIVE] = now
            sessions.touch(request)
        return None

    def _end(self, request, message: str):
        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)  # answered as anonymous: 401 or 403
        messages.info(request, message)
        response = redirect_to_login(request.get_full_path())
        if request.headers.get("HX-Request"):
            # An htmx request would swap the sign-in page into a part of the page.
            htmx = HttpResponse(status=204)
            htmx["HX-Redirect"] = response["Location"]
            return htmx
        return response


class SignedInNoStoreMiddleware:
    """`Cache-Control: no-store` on everything a signed-in person receives.

    Pages, exports, API answers (a token's user too: DRF sets request.user) and the
    token page hold personal data; no browser or proxy cache may keep them. Static
    files are served by WhiteNoise before this runs and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
