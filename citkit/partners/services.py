"""Writes to partner agencies and their contacts."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from citkit.core import audit
from citkit.core.models import AuditEntry, Program
from citkit.core.permissions import has_capability, own_agency_id, require
from citkit.core.services import apply_changes, full_clean
from citkit.partners.models import Agency, AgencyContact

AGENCY_FIELDS = {
    "name",
    "agency_type",
    "street",
    "city",
    "state",
    "postal_code",
    "main_phone",
    "crisis_phone",
    "email",
    "website",
    "operates_24_7",
    "notes",
    "active",
}
CONTACT_FIELDS = {"name", "title", "email", "phone", "is_primary"}


def can_manage_agency(user, agency: Agency) -> bool:
    program = agency.program
    if has_capability(user, program, "manage_agencies"):
        return True
    if has_capability(user, program, "manage_own_agency"):
        return own_agency_id(user, program) == agency.pk
    return False


def _require_agency(user, agency: Agency) -> None:
    """403 unless the user may change this agency (None = the system)."""
    if user is None:
        return
    require(user, agency.program, "view_agencies")
    if not can_manage_agency(user, agency):
        raise PermissionDenied("You may not change this agency.")


def agency_create(*, actor, program: Program, data: dict) -> Agency:
    if actor is not None:
        require(actor, program, "manage_agencies")
    agency = Agency(program=program)
    apply_changes(agency, data, AGENCY_FIELDS)
    full_clean(agency)
    with transaction.atomic():
        agency.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=agency,
            program=program,
            after=audit.snapshot(agency, exclude=("created_at", "updated_at")),
        )
    return agency


def agency_update(*, actor, agency: Agency, data: dict) -> Agency:
    _require_agency(actor, agency)
    with transaction.atomic():
        before = audit.snapshot(agency, exclude=("created_at", "updated_at"))
        apply_changes(agency, data, AGENCY_FIELDS)
        full_clean(agency)
        agency.save()
        after = audit.snapshot(agency, exclude=("created_at", "updated_at"))
        if after != before:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=agency,
                program=agency.program,
                before=before,
                after=after,
            )
    return agency


def agency_delete(*, actor, agency: Agency) -> None:
    """Delete an agency that nobody refers to; otherwise say what still uses it."""
    from django.core.exceptions import ValidationError

    if actor is not None:
        require(actor, agency.program, "manage_agencies")
    people = agency.people.count()
    admins = agency.administrators.count()
    if people or admins:
        raise ValidationError(
            f"{agency.name} still has {people} people and {admins} administrator(s). "
            "Move them to another agency or mark this agency inactive instead."
        )
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=agency,
            program=agency.program,
            before=audit.snapshot(agency, exclude=("created_at", "updated_at")),
        )
        agency.delete()


def contact_create(*, actor, agency: Agency, data: dict) -> AgencyContact:
    _require_agency(actor, agency)
    contact = AgencyContact(agency=agency)
    apply_changes(contact, data, CONTACT_FIELDS)
    full_clean(contact)
    with transaction.atomic():
        contact.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=contact,
            program=agency.program,
            after=audit.snapshot(contact),
        )
    return contact


def contact_update(*, actor, contact: AgencyContact, data: dict) -> AgencyContact:
    _require_agency(actor, contact.agency)
    with transaction.atomic():
        before = audit.snapshot(contact)
        apply_changes(contact, data, CONTACT_FIELDS)
        full_clean(contact)
        contact.save()
        audit.record_update(actor=actor, obj=contact, program=contact.agency.program, before=before)
    return contact


def contact_delete(*, actor, contact: AgencyContact) -> None:
    _require_agency(actor, contact.agency)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=contact,
            program=contact.agency.program,
            before=audit.snapshot(contact),
        )
        contact.delete()
