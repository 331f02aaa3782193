"""Request id for the audit trail, and the absolute session lifetime."""

import re
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

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
    """End a session CITKIT_SESSION_MAX_HOURS after sign-in, however active it is.

    The idle limit is SESSION_COOKIE_AGE, renewed on every request.
    """

    KEY = "_citkit_signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            started = request.session.get(self.KEY)
            now = time.time()
            if started is None:
                request.session[self.KEY] = now
            elif now - started > settings.CITKIT_SESSION_MAX_HOURS * 3600:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, "Your session has ended. Please sign in again.")
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
