"""Writes to people: officers, dispatchers, clinicians, advocates, peers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from citkit.core import audit
from citkit.core.models import AuditEntry, Program
from citkit.core.permissions import has_capability, own_agency_id, require
from citkit.core.services import apply_changes, full_clean
from citkit.people.models import Person, PersonKind

PERSON_FIELDS = {
    "kind",
    "first_name",
    "last_name",
    "agency",
    "badge_number",
    "rank",
    "district",
    "shift",
    "hire_date",
    "status",
    "email",
    "phone",
    "user",
}
TIMESTAMPS = ("created_at", "updated_at")


def managed_agency_id(user, program: Program) -> int | None:
    """None if the user may manage people of any agency; else the one agency they may."""
    if has_capability(user, program, "manage_people"):
        return None
    if has_capability(user, program, "manage_own_people"):
        return own_agency_id(user, program)
    require(user, program, "manage_people")  # raises 403 (or 404 for outsiders)
    return None


def require_manager_of(actor, person: Person) -> None:
    """403 unless the actor manages people of the person's agency (None = the system)."""
    if actor is None:
        return
    own = managed_agency_id(actor, person.program)
    if own is not None and person.agency_id != own:
        raise PermissionDenied("You may only manage people of your own agency.")


def _check_person(actor, person: Person) -> None:
    program = person.program
    require_manager_of(actor, person)
    errors = {}
    if person.agency is not None and person.agency.program_id != program.pk:
        errors["agency"] = "That agency is not a partner in this program."
    if person.kind in (PersonKind.OFFICER, PersonKind.DISPATCHER) and not person.agency_id:
        errors["agency"] = f"A {person.get_kind_display().lower()} must belong to an agency."
    if person.kind == PersonKind.OFFICER and not person.badge_number.strip():
        errors["badge_number"] = "An officer needs a badge number."
    if errors:
        raise ValidationError(errors)
    person.badge_number = person.badge_number.strip()
    full_clean(person)


def person_create(*, actor, program: Program, data: dict, audit_action: str = "create") -> Person:
    person = Person(program=program)
    apply_changes(person, data, PERSON_FIELDS)
    _check_person(actor, person)
    with transaction.atomic():
        person.save()
        audit.record(
            actor=actor,
            action=audit_action,
            obj=person,
            program=program,
            after=audit.snapshot(person, exclude=TIMESTAMPS),
        )
    return person


def person_update(*, actor, person: Person, data: dict) -> Person:
    require_manager_of(actor, person)
    with transaction.atomic():
        before = audit.snapshot(person, exclude=TIMESTAMPS)
        apply_changes(person, data, PERSON_FIELDS)
        _check_person(actor, person)
        person.save()
        after = audit.snapshot(person, exclude=TIMESTAMPS)
        if after != before:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=person,
                program=person.program,
                before=before,
                after=after,
            )
    return person


def person_delete(*, actor, person: Person) -> None:
    require_manager_of(actor, person)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=person,
            program=person.program,
            before=audit.snapshot(person, exclude=TIMESTAMPS),
        )
        person.delete()
