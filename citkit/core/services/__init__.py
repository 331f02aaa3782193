"""Writes to programs and memberships; invitations and tokens in the modules beside.

Each service checks permission, validates, and writes through `core.writes`,
which runs in a transaction and records the audit entry in that same transaction.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from citkit.core import audit
from citkit.core.audit import Actor
from citkit.core.models import AuditEntry, Membership, Program, Role
from citkit.core.policies import policy_for
from citkit.core.writes import apply_changes, full_clean

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


# Invitations and an account's own tokens live in their own modules; callers keep
# using `services.<name>`.
from citkit.core.services.invitations import (  # noqa: E402
    invitation_accept,
    invitation_decline,
    invitation_revoke,
    member_invite,
)
from citkit.core.services.tokens import (  # noqa: E402
    TOKEN_LIMIT,
    api_token_create,
    api_token_revoke,
    feed_address_replace,
)

__all__ = [
    "PROGRAM_FIELDS",
    "TOKEN_LIMIT",
    "account_unlock",
    "api_token_create",
    "api_token_revoke",
    "feed_address_replace",
    "invitation_accept",
    "invitation_decline",
    "invitation_revoke",
    "may_unlock",
    "member_add",
    "member_invite",
    "membership_create",
    "membership_delete",
    "membership_update",
    "program_create",
    "program_update",
    "require_member",
]
