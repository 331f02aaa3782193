"""Writes to programs and memberships, and helpers every service uses.

Each service: checks permission, validates, writes inside a transaction and
records the audit entry in that same transaction.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from citkit.core import audit
from citkit.core.models import AuditEntry, Membership, Program, Role
from citkit.core.permissions import require

User = get_user_model()


# A table-level constraint reports under "__all__"; its code says which field
# the person should look at, so the message lands next to that field.
CONSTRAINT_FIELDS = {
    "badge_taken": "badge_number",
    "name_taken": "name",
    "seat_ends_early": "end_date",
    "meeting_ends_early": "ends_at",
}


def full_clean(obj: models.Model, exclude: list[str] | None = None) -> None:
    """Model validation, including unique and check constraints."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict") or "__all__" not in exc.error_dict:
            raise
        errors = dict(exc.error_dict)
        general = []
        for error in errors.pop("__all__"):
            field = CONSTRAINT_FIELDS.get(error.code or "")
            if field:
                errors.setdefault(field, []).append(error)
            else:
                general.append(error)
        if general:
            errors["__all__"] = general
        raise ValidationError(errors) from exc


def apply_changes(obj: models.Model, data: dict, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: "This field cannot be set here." for name in sorted(unknown)})
    for name, value in data.items():
        setattr(obj, name, value)


PROGRAM_FIELDS = {"name", "jurisdiction", "time_zone"}


def program_create(*, actor, name: str, slug: str, jurisdiction: str, time_zone: str) -> Program:
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
            after=audit.snapshot(program),
        )
    return program


def program_update(*, actor, program: Program, data: dict) -> Program:
    require(actor, program, "change_program")
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        before = audit.snapshot(program)
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


def membership_create(*, actor, program: Program, user, role: str, agency=None) -> Membership:
    if actor is not None:
        require(actor, program, "manage_members")
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
            after=audit.snapshot(membership),
        )
    return membership


def membership_update(*, actor, membership: Membership, role: str, agency=None) -> Membership:
    require(actor, membership.program, "manage_members")
    with transaction.atomic():
        before = audit.snapshot(membership)
        membership.role = role
        membership.agency = agency
        _check_membership(membership)
        _keep_a_coordinator(membership, leaving=membership.role != Role.COORDINATOR)
        membership.save()
        audit.record_update(actor=actor, obj=membership, program=membership.program, before=before)
    return membership


def membership_delete(*, actor, membership: Membership) -> None:
    require(actor, membership.program, "manage_members")
    with transaction.atomic():
        _keep_a_coordinator(membership, leaving=True)
        before = audit.snapshot(membership)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=membership,
            program=membership.program,
            before=before,
        )
        membership.delete()


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


def account_unlock(*, actor, program: Program, user) -> None:
    """Lift a sign-in lock. Coordinators may unlock members of their own program."""
    from axes.utils import reset

    require(actor, program, "manage_members")
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
    actor,
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
        require(actor, program, "manage_members")
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
