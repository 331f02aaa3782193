"""Writes to programs, memberships, invitations and an account's API tokens.

Each service checks permission, validates, and writes through `core.writes`,
which runs in a transaction and records the audit entry in that same transaction.
"""

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
from citkit.core.models import ApiToken, AuditEntry, Invitation, Membership, Program, Role
from citkit.core.policies import policy_for
from citkit.core.writes import apply_changes, clean_text, full_clean

User = get_user_model()


PROGRAM_FIELDS = {"name", "jurisdiction", "time_zone", "country", "second_factor_roles"}


def program_create(
    *,
    actor: Actor,
    name: str,
    slug: str,
    jurisdiction: str,
    time_zone: str,
    second_factor_roles: list[str] | None = None,
) -> Program:
    """Create a program. Deployment administrators (staff) or the system only.
    `second_factor_roles` None keeps the default roles that must use two-factor sign-in."""
    if actor is not None and not actor.is_staff:
        raise PermissionDenied("Only the deployment's administrators create programs.")
    program = Program(name=name, slug=slug, jurisdiction=jurisdiction, time_zone=time_zone)
    if second_factor_roles is not None:
        from citkit.core.mfa import clean_second_factor_roles

        program.second_factor_roles = clean_second_factor_roles(second_factor_roles)
    full_clean(program)
    with transaction.atomic():
        program.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=program,
            program=program,
            after=audit.picture(program),
        )
    return program


def program_update(*, actor: Actor, program: Program, data: dict) -> Program:
    policy_for(Program).require_on(actor, program, "change")
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        before = audit.picture(program)
        apply_changes(program, data, PROGRAM_FIELDS)
        if "second_factor_roles" in data:
            from citkit.core.mfa import clean_second_factor_roles

            program.second_factor_roles = clean_second_factor_roles(program.second_factor_roles)
        full_clean(program)
        program.save()
        audit.record_update(actor=actor, obj=program, program=program, before=before)
    return program


def _check_membership(membership: Membership) -> None:
    if membership.role == Role.AGENCY_ADMIN and membership.agency_id is None:
        raise ValidationError({"agency": "An agency administrator needs the agency they act for."})
    if membership.role != Role.AGENCY_ADMIN:
        membership.agency = None
    agency = membership.agency
    if agency is not None and agency.program_id != membership.program_id:
        raise ValidationError({"agency": "That agency is not a partner in this program."})
    full_clean(membership, exclude=["user", "program"])


def membership_create(
    *, actor: Actor, program: Program, user, role: str, agency=None, invitation=None
) -> Membership:
    """Give `user` a role. The system may; otherwise a coordinator's invitation, being
    accepted by its own addressee (`invitation_accept`), is what permits it."""
    if invitation is not None:
        answering = actor is not None and invitation.user_id == actor.pk == user.pk
        if not (answering and invitation.program_id == program.pk and invitation.is_open()):
            raise PermissionDenied("That invitation does not give this role.")
    elif actor is not None:
        policy_for(Membership).require(actor, program, "add")
    if Membership.objects.filter(program=program, user=user).exists():
        raise ValidationError(
            {"user": f"{user.get_username()} is already a member of this program."}
        )
    membership = Membership(program=program, user=user, role=role, agency=agency)
    _check_membership(membership)
    with transaction.atomic():
        membership.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=membership,
            program=program,
            after=audit.picture(membership),
        )
    return membership


def membership_update(
    *, actor: Actor, membership: Membership, role: str, agency=None
) -> Membership:
    policy_for(Membership).require_on(actor, membership, "change")
    with transaction.atomic():
        _lock_coordinators(membership.program)
        before = audit.picture(membership)
        membership.role = role
        membership.agency = agency
        _check_membership(membership)
        _keep_a_coordinator(membership, leaving=membership.role != Role.COORDINATOR)
        membership.save()
        audit.record_update(actor=actor, obj=membership, program=membership.program, before=before)
    return membership


def membership_delete(*, actor: Actor, membership: Membership) -> None:
    """End a membership. The account's API tokens, calendar addresses and sessions end
    with it (all of them: they belong to the account, not to one program)."""
    from citkit.core.credentials import request_session_key, revoke_credentials

    policy_for(Membership).require_on(actor, membership, "delete")
    user = membership.user
    program = membership.program
    with transaction.atomic():
        _lock_coordinators(program)
        _keep_a_coordinator(membership, leaving=True)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=membership,
            program=program,
            before=audit.picture(membership),
        )
        membership.delete()
        revoke_credentials(
            user,
            reason=f"membership in {program.name} ended"[:100],
            # A coordinator who leaves a program stays signed in on the page they left from.
            keep_session_key=request_session_key(user),
            actor=actor,
        )


def _lock_coordinators(program: Program) -> None:
    """Lock the program row before reading who its coordinators are.

    Two coordinators demoting each other at the same moment would each see the
    other still in place and both succeed, leaving nobody to manage the program.
    Every change that can remove a coordinator takes this lock first, so the
    second waits for the first and then sees the truth. (SQLite needs no lock:
    it lets one writer at a time in.)
    """
    Program.objects.select_for_update().filter(pk=program.pk).first()


def _keep_a_coordinator(membership: Membership, *, leaving: bool) -> None:
    """A program must keep at least one coordinator, or nobody can manage it."""
    if not leaving or membership.pk is None:
        return
    was_coordinator = Membership.objects.filter(pk=membership.pk, role=Role.COORDINATOR).exists()
    others = (
        Membership.objects.filter(program=membership.program, role=Role.COORDINATOR)
        .exclude(pk=membership.pk)
        .exists()
    )
    if was_coordinator and not others:
        raise ValidationError({"role": "A program needs at least one coordinator."})


def require_member(user, program: Program, *, field: str) -> None:
    """Refuse, on `field`, a user who holds no role in the program (None passes)."""
    if user is not None and not Membership.objects.filter(user=user, program=program).exists():
        raise ValidationError({field: f"{user.get_username()} is not a member of this program."})


def _deployment_admin(actor: Actor) -> bool:
    return actor is None or bool(getattr(actor, "is_superuser", False))


def may_unlock(actor: Actor, program: Program, user) -> bool:
    """A coordinator may lift the lock only of accounts that live wholly in their own
    program: the lock is the account's, across the deployment, and lifting it for an
    account that is also used elsewhere would let this program decide for another.
    Deployment administrators (superusers) unlock the rest."""
    if _deployment_admin(actor):
        return True
    if user.is_superuser or user.is_staff:
        return False
    return not Membership.objects.filter(user=user).exclude(program=program).exists()


def account_unlock(*, actor: Actor, program: Program, user) -> None:
    """Lift a sign-in lock. Coordinators may unlock accounts used only in their program."""
    from axes.utils import reset

    policy_for(Membership).require(actor, program, "unlock")
    membership = Membership.objects.filter(program=program, user=user).first()
    if membership is None:
        raise ValidationError({"user": "That account is not a member of this program."})
    if not may_unlock(actor, program, user):
        raise PermissionDenied(
            f"{user.get_username()} also has access outside {program.name}, so only a "
            "deployment administrator can unlock their sign-in."
        )
    with transaction.atomic():
        reset(username=user.get_username())
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UNLOCK,
            obj=membership,
            program=program,
        )


def member_add(
    *,
    actor: Actor,
    program: Program,
    username: str,
    role: str,
    agency=None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
) -> tuple[Membership, bool]:
    """The system's way in (the demo, commands): give an account a role directly,
    creating the account if it is new; returns (membership, created_account).

    People never use it: a coordinator invites (`member_invite`), and the account's
    owner accepts. Only the system may set a password (the demo's published one);
    otherwise a new account has no usable password until its owner sets one.
    """
    if password is not None and actor is not None:
        raise PermissionDenied("Members choose their own passwords.")
    if actor is not None:
        raise PermissionDenied(
            "Accounts are invited, not added: their owner accepts the invitation."
        )
    username = username.strip()
    user = User.objects.filter(username__iexact=username).first()
    created = False
    with transaction.atomic():
        if user is None:
            if not email:
                raise ValidationError({"email": "A new account needs an e-mail address."})
            user = _account_create(
                actor,
                program=program,
                username=username,
                email=email,
                first_name=first_name,
                last_name=last_name,
                password=password,
            )
            created = True
        membership = membership_create(
            actor=actor, program=program, user=user, role=role, agency=agency
        )
    return membership, created


def _account_create(
    actor: Actor,
    *,
    program: Program | None,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
):
    """A new account (no usable password unless the system gives one), audited under
    `program`, or outside every program (None) where its creation must not show."""
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    full_clean(user, exclude=["password"])
    user.save()
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=user,
        program=program,
        after={"username": user.username, "email": user.email},
    )
    return user


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


# --- API tokens and calendar addresses (an account's own) -------------------------------

# More than anyone needs; a cap stops a script from minting them without end.
TOKEN_LIMIT = 20


def _token_picture(token: ApiToken) -> dict:
    """What the trail keeps of a token: never its hash."""
    return {
        "name": token.name,
        "prefix": token.prefix,
        "expires_at": token.expires_at.isoformat(),
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


def _require_person(actor) -> None:
    # A token or a calendar address always belongs to a signed-in person, never the system.
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Sign in first.")


def api_token_create(
    *, actor, name: str, code: str = "", days: int | None = None
) -> tuple[ApiToken, str]:
    """A new API token for the actor; returns it and its key, which is shown once.

    Asks for the second factor when the account has one or its role needs one
    (`mfa.require_code`): a stolen password alone must not mint API access.
    """
    from citkit.core import api_tokens, mfa

    _require_person(actor)
    name = clean_text(name or "").strip()
    most = settings.CITKIT_TOKEN_DAYS
    errors = {}
    if not name:
        errors["name"] = "Give the token a name, e.g. the program or script that uses it."
    elif len(name) > 100:
        errors["name"] = "At most 100 characters."
    if days is not None and not (isinstance(days, int) and 1 <= days <= most):
        errors["days"] = f"Between 1 and {most} days."
    if errors:
        raise ValidationError(errors)
    if ApiToken.objects.filter(user=actor).active().count() >= TOKEN_LIMIT:
        raise ValidationError(
            {"name": f"You already have {TOKEN_LIMIT} tokens. Revoke one you no longer use."}
        )
    mfa.require_code(actor, code, field="code")
    token, key = api_tokens.make_token(actor, name=name, days=days)
    with transaction.atomic():
        full_clean(token, exclude=["user"])
        token.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=token,
            program=None,
            after=_token_picture(token),
        )
    return token, key


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """The owner revokes one of their tokens; it stops working at once."""
    _require_person(actor)
    with transaction.atomic():
        found = ApiToken.objects.select_for_update().filter(pk=token.pk, user=actor).first()
        if found is None:
            raise Http404("No such token.")
        token = found
        if token.revoked_at is not None:
            return token
        before = _token_picture(token)
        token.revoked_at = timezone.now()
        token.revoked_reason = "revoked by its owner"
        token.save(update_fields=["revoked_at", "revoked_reason"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=token,
            program=None,
            before=before,
            after=_token_picture(token),
        )
    return token


def feed_address_replace(*, actor) -> None:
    """A new calendar address for the actor, in every program; the old ones stop working."""
    from citkit.core.credentials import replace_feed_secret

    _require_person(actor)
    with transaction.atomic():
        replace_feed_secret(actor)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=actor,
            program=None,
            after={"calendar_address": "replaced by its owner"},
        )
