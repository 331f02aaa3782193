"""Invitations: how an existing account joins a program (its owner accepts)."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from citkit.core import audit
from citkit.core.audit import Actor
from citkit.core.models import AuditEntry, Invitation, Membership, Program, Role
from citkit.core.policies import policy_for
from citkit.core.services import (
    _account_create,
    membership_create,
)
from citkit.core.writes import clean_text, full_clean

User = get_user_model()

# --- Invitations ------------------------------------------------------------------------
#
# A coordinator never learns from an invitation whether what they typed names an
# account (ASVS 5 V6.3 "no user enumeration"): whatever they type, the answer is
# the same, an invitation addressed to what they typed appears under "Pending
# invitations", and the program's audit trail records what they typed, never the
# account it reached. The account's owner sees the invitation after signing in
# (and in an e-mail) and accepts or declines it.


def _invitation_picture(invitation: Invitation) -> dict:
    """The invitation as the program's audit trail keeps it: without the account it
    reached (that would answer "does this account exist?") and without the token."""
    return {k: v for k, v in audit.picture(invitation).items() if k not in {"user", "token_hash"}}


def _check_role_and_agency(program: Program, role: str, agency) -> None:
    if role not in Role.values:
        raise ValidationError({"role": f"“{role}” is not a role."})
    if role == Role.AGENCY_ADMIN and agency is None:
        raise ValidationError({"agency": "An agency administrator needs the agency they act for."})
    if agency is not None and agency.program_id != program.pk:
        raise ValidationError({"agency": "That agency is not a partner in this program."})


def member_invite(
    *,
    actor: Actor,
    program: Program,
    username: str,
    role: str,
    agency=None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    base_url: str = "",
) -> Invitation:
    """Invite an account to a role in the program; its owner accepts.

    The account is the one with that user name, or else the one with that e-mail
    address. If neither exists and an e-mail address is given, a new account is
    made (no password: its owner sets one through the link in the e-mail, so
    coordinators never handle passwords). If nothing matches, or the account
    cannot take the role, the invitation reaches nobody. It looks the same either way.
    `base_url` ("https://cit.example.org") is where the e-mail's links point.
    """
    from citkit.core import invitations

    policy_for(Invitation).require(actor, program, "add")
    username = clean_text(username or "").strip()
    email = clean_text(email or "").strip()
    first_name = clean_text(first_name or "").strip()
    last_name = clean_text(last_name or "").strip()
    # Everything about the input is checked before any account is looked up, so a
    # refusal depends on what was typed alone.
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = ["Give the user name of the account, or of the one to create."]
    else:
        try:
            User.username_validator(username)
        except ValidationError as exc:
            errors["username"] = exc.messages
        if len(username) > 150:
            errors.setdefault("username", []).append("At most 150 characters.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["Enter a valid e-mail address."]
    for name, value in (("first_name", first_name), ("last_name", last_name)):
        if len(value) > 150:
            errors[name] = ["At most 150 characters."]
    if errors:
        raise ValidationError(errors)
    _check_role_and_agency(program, role, agency)
    if role != Role.AGENCY_ADMIN:
        agency = None
    # The program's own members are on the Members page already: saying so tells nothing.
    if Membership.objects.filter(program=program, user__username__iexact=username).exists():
        raise ValidationError({"username": f"{username} is already a member of this program."})

    user = User.objects.filter(username__iexact=username).first()
    if user is None and email:
        user = User.objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
    reached = user
    if user is not None and (
        not user.is_active or Membership.objects.filter(program=program, user=user).exists()
    ):
        reached = None
    token = invitations.new_token()
    invitation = Invitation(
        program=program,
        role=role,
        agency=agency,
        username=username,
        email=email,
        invited_by=actor if actor is not None and actor.is_authenticated else None,
        token_hash=invitations.hash_token(token),
        expires_at=timezone.now() + datetime.timedelta(days=settings.CITKIT_INVITATION_DAYS),
    )
    new_account = False
    with transaction.atomic():
        if user is None and email:
            reached = _account_create(
                actor,
                program=None,  # the program's trail must not show that the name was free
                username=username,
                email=email,
                first_name=first_name,
                last_name=last_name,
            )
            new_account = True
        invitation.user = reached
        full_clean(invitation, exclude=["token_hash"])
        invitation.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=invitation,
            program=program,
            after=_invitation_picture(invitation),
        )
    if reached is not None and reached.email:
        invitations.send_invitation(invitation, token, base_url=base_url, new_account=new_account)
    return invitation


def _answerable(actor, invitation: Invitation) -> Invitation:
    """The invitation, locked, if it is the actor's own and still open."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Sign in to answer an invitation.")
    found = (
        # Lock the invitation row only: PostgreSQL cannot lock the nullable side of
        # the outer joins (agency, invited_by).
        Invitation.objects.select_for_update(of=("self",))
        .select_related("program", "agency", "invited_by")
        .filter(pk=invitation.pk, user=actor)
        .first()
    )
    if found is None:
        raise Http404("No such invitation.")
    invitation = found
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(
            f"This invitation was already {invitation.get_status_display().lower()}."
        )
    if not invitation.is_open():
        raise ValidationError(
            "This invitation has expired. Ask the program's coordinator for a new one."
        )
    return invitation


def _answer(actor, invitation: Invitation, status: str) -> None:
    before = _invitation_picture(invitation)
    invitation.status = status
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    audit.record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=invitation,
        program=invitation.program,
        before=before,
        after=_invitation_picture(invitation),
    )


def invitation_accept(*, actor, invitation: Invitation) -> Membership:
    """The invitee takes the role: the membership is made now, through `membership_create`."""
    with transaction.atomic():
        invitation = _answerable(actor, invitation)
        sender = invitation.invited_by
        if sender is not None and not policy_for(Membership).may(sender, invitation.program, "add"):
            # An invitation is worth what its sender's right is worth.
            raise ValidationError(
                "Whoever sent this invitation no longer manages the program's members. "
                "Ask the program's coordinator for a new one."
            )
        membership = membership_create(
            actor=actor,
            program=invitation.program,
            user=actor,
            role=invitation.role,
            agency=invitation.agency,
            invitation=invitation,
        )
        _answer(actor, invitation, Invitation.Status.ACCEPTED)
    return membership


def invitation_decline(*, actor, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        invitation = _answerable(actor, invitation)
        _answer(actor, invitation, Invitation.Status.DECLINED)
    return invitation


def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    """A coordinator withdraws an invitation that is not answered yet."""
    policy_for(Invitation).require_on(actor, invitation, "revoke")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise ValidationError(
                f"This invitation was already {invitation.get_status_display().lower()}."
            )
        _answer(actor, invitation, Invitation.Status.REVOKED)
    return invitation
