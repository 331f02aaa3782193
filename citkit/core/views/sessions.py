"""Your sessions: where you are signed in, and ending the ones you do not recognise."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from citkit.core import sessions
from citkit.core.models import Program, SignedInSession


def _describe(row: SignedInSession, current_key: str) -> dict:
    return {
        "id": row.pk,
        "device": sessions.device_label(row.user_agent),
        "address": row.ip_address or "Unknown",
        "started": row.created_at,
        "last_seen": row.last_seen_at,
        "current": row.session_key == current_key,
    }


def _time_zone(user) -> str:
    """The zone of the person's programs if they share one (account pages have no program)."""
    zones = list(
        Program.objects.visible_to(user).values_list("time_zone", flat=True).distinct()[:2]
    )
    return zones[0] if len(zones) == 1 else "UTC"


class SessionListView(LoginRequiredMixin, View):
    def get(self, request):
        zone = _time_zone(request.user)
        timezone.activate(zone)
        current = request.session.session_key or ""
        rows = [_describe(row, current) for row in sessions.live_sessions(request.user)]
        context = {
            "sessions": rows,
            "others": sum(1 for row in rows if not row["current"]),
            "time_zone": zone,
            "idle_minutes": settings.CITKIT_SESSION_IDLE_MINUTES,
            "max_hours": settings.CITKIT_SESSION_MAX_HOURS,
        }
        return render(request, "core/sessions.html", context)


class _ConfirmView(LoginRequiredMixin, View):
    """GET asks first (a page, no script needed); POST ends."""

    def confirm(self, request, *, question: str, consequence: str, label: str):
        return render(
            request,
            "core/confirm_delete.html",
            {
                "question": question,
                "consequence": consequence,
                "confirm_label": label,
                "cancel_url": reverse("sessions"),
            },
        )


class SessionEndView(_ConfirmView):
    def _other_session(self, request, pk: int) -> SignedInSession:
        # Only the person's own sessions, and not the one in use (that is "Sign out").
        row = (
            sessions.live_sessions(request.user)
            .exclude(session_key=request.session.session_key or "")
            .filter(pk=pk)
            .first()
        )
        if row is None:
            raise Http404("No such session.")
        return row

    def get(self, request, pk: int):
        row = self._other_session(request, pk)
        return self.confirm(
            request,
            question=f"End the session on {sessions.device_label(row.user_agent)}?",
            consequence="That browser is signed out at once and must sign in again.",
            label="End the session",
        )

    def post(self, request, pk: int):
        row = self._other_session(request, pk)
        sessions.end_session(actor=request.user, signed_in=row)
        messages.success(request, f"The session on {sessions.device_label(row.user_agent)} ended.")
        return redirect("sessions")


class OtherSessionsEndView(_ConfirmView):
    def get(self, request):
        return self.confirm(
            request,
            question="End all your other sessions?",
            consequence=(
                "Every other browser where you are signed in is signed out at once. "
                "This one stays signed in."
            ),
            label="End all other sessions",
        )

    def post(self, request):
        ended = sessions.end_other_sessions(
            actor=request.user, keep_session_key=request.session.session_key or ""
        )
        if ended:
            noun = "session" if ended == 1 else "sessions"
            messages.success(request, f"{ended} other {noun} ended.")
        else:
            messages.info(request, "You had no other sessions.")
        return redirect("sessions")
