"""Writes to programs and memberships.

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


PROGRAM_FIELDS = {"name", "jurisdiction", "time_zone", "country"}


def program_create(
    *, actor: Actor, name: str, slug: str, jurisdiction: str, time_zone: str
) -> Program:
    """Create a program. Deployment administrators (staff) or the system only."""
    if actor is not None and not actor.is_staff:
        raise PermissionDenied("Only the deployment's administrators create programs.")
    program = Program(name=name, slug=slug, jurisdiction=jurisdiction, time_zone=time_zone)
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
    *, actor: Actor, program: Program, user, role: str, agency=None
) -> Membership:
    if actor is not None:
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
    policy_for(Membership).require_on(actor, membership, "delete")
    with transaction.atomic():
        _lock_coordinators(membership.program)
        _keep_a_coordinator(membership, leaving=True)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=membership,
            program=membership.program,
            before=audit.picture(membership),
        )
        membership.delete()


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


def account_unlock(*, actor: Actor, program: Program, user) -> None:
    """Lift a sign-in lock. Coordinators may unlock members of their own program."""
    from axes.utils import reset

    policy_for(Membership).require(actor, program, "unlock")
    membership = Membership.objects.filter(program=program, user=user).first()
    if membership is None:
        raise ValidationError({"user": "That account is not a member of this program."})
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
    """Give an account a role in the program, creating the account if it is new.

    A new account has no usable password; its owner sets one through the
    password-reset link (sent by the caller), so coordinators never handle passwords.
    Only the system (actor None, e.g. the demo with its published password) may set one.
    Returns (membership, created_account).
    """
    if password is not None and actor is not None:
        raise PermissionDenied("Members choose their own passwords.")
    if actor is not None:
        policy_for(Membership).require(actor, program, "add")
    username = username.strip()
    user = User.objects.filter(username__iexact=username).first()
    created = False
    with transaction.atomic():
        if user is None:
            if not email:
                raise ValidationError({"email": "A new account needs an e-mail address."})
            user = User(username=username, email=email, first_name=first_name, last_name=last_name)
            if password is None:
                user.set_unusable_password()
            else:
                user.set_password(password)
            full_clean(user, exclude=["password"])
            user.save()
            created = True
            audit.record(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                obj=user,
                program=program,
                after={"username": user.username, "email": user.email},
            )
        membership = membership_create(
            actor=actor, program=program, user=user, role=role, agency=agency
        )
    return membership, created


def api_token_replace(*, actor):
    # Not `Actor`: a token always belongs to a signed-in person, never the system.
    """Give the user a fresh API token; any old one stops working."""
    from rest_framework.authtoken.models import Token

    with transaction.atomic():
        Token.objects.filter(user=actor).delete()
        token = Token.objects.create(user=actor)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=actor,
            program=None,
            after={"api_token": "replaced"},
        )
    return token
