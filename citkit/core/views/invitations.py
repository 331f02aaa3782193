"""The invitee's side of an invitation: see it after signing in, accept or decline.

The coordinator's side (send, list, withdraw) is on the Members page (views/members.py).
An invitation is only ever shown to the account it is addressed to; to anyone
else its address is a 404, like any record they may not see.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from citkit.core import services
from citkit.core.invitations import invitation_for_token
from citkit.core.models import Invitation


def open_invitations(user):
    return (
        Invitation.objects.filter(user=user)
        .open()
        .select_related("program", "agency", "invited_by")
        .order_by("expires_at", "id")
    )


@method_decorator(never_cache, name="dispatch")
class InvitationListView(LoginRequiredMixin, View):
    def get(self, request):
        return render(
            request,
            "core/invitation_list.html",
            {"invitations": list(open_invitations(request.user))},
        )


@method_decorator(never_cache, name="dispatch")
class InvitationOpenView(LoginRequiredMixin, View):
    """The e-mailed link: after signing in, the one invitation it names."""

    def get(self, request, token):
        invitation = invitation_for_token(token, request.user)
        if invitation is None:
            raise Http404("No such invitation for this account.")
        return render(
            request,
            "core/invitation_list.html",
            {"invitations": [invitation], "single": True},
        )


class InvitationAnswerView(LoginRequiredMixin, View):
    """POST: accept or decline one of one's own invitations."""

    answer = "accept"

    def post(self, request, pk):
        invitation = get_object_or_404(Invitation, pk=pk, user=request.user)
        try:
            if self.answer == "accept":
                membership = services.invitation_accept(actor=request.user, invitation=invitation)
            else:
                services.invitation_decline(actor=request.user, invitation=invitation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("invitations")
        program = invitation.program
        if self.answer == "accept":
            messages.success(
                request, f"Welcome to {program.name}: you are now {membership.get_role_display()}."
            )
            return redirect(program)
        messages.success(request, f"You declined the invitation to {program.name}.")
        return redirect("invitations")
