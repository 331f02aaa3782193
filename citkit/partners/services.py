"""Writes to partner agencies and their contacts."""

from django.core.exceptions import ValidationError

from citkit.core import writes
from citkit.core.audit import Actor
from citkit.core.models import Program
from citkit.core.phones import normalise_phone
from citkit.core.policies import policy_for
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


def _check_agency(agency: Agency) -> None:
    errors: dict = {}
    for field in ("main_phone", "crisis_phone"):
        try:
            value = normalise_phone(getattr(agency, field), agency.program.country, field=field)
        except ValidationError as exc:
            errors.update(exc.error_dict)
        else:
            setattr(agency, field, value)
    if errors:
        raise ValidationError(errors)


def _check_contact(contact: AgencyContact) -> None:
    contact.phone = normalise_phone(contact.phone, contact.agency.program.country, field="phone")


def agency_create(*, actor: Actor, program: Program, data: dict) -> Agency:
    policy_for(Agency).require(actor, program, "add")
    agency = Agency(program=program)
    writes.apply_changes(agency, data, AGENCY_FIELDS)
    return writes.create(actor, agency, program=program, check=_check_agency)


def agency_update(*, actor: Actor, agency: Agency, data: dict) -> Agency:
    policy_for(Agency).require_on(actor, agency, "change")
    return writes.update(
        actor, agency, program=agency.program, data=data, allowed=AGENCY_FIELDS, check=_check_agency
    )


def agency_delete(*, actor: Actor, agency: Agency) -> None:
    """Delete an agency that nobody refers to; otherwise say what still uses it."""
    policy_for(Agency).require_on(actor, agency, "delete")
    people = agency.people.count()
    admins = agency.administrators.count()
    if people or admins:
        raise ValidationError(
            f"{agency.name} still has {people} people and {admins} administrator(s). "
            "Move them to another agency or mark this agency inactive instead."
        )
    writes.delete(actor, agency, program=agency.program)


def contact_create(*, actor: Actor, agency: Agency, data: dict) -> AgencyContact:
    contact = AgencyContact(agency=agency)
    policy_for(AgencyContact).require_on(actor, contact, "add")
    writes.apply_changes(contact, data, CONTACT_FIELDS)
    return writes.create(actor, contact, program=agency.program, check=_check_contact)


def contact_update(*, actor: Actor, contact: AgencyContact, data: dict) -> AgencyContact:
    policy_for(AgencyContact).require_on(actor, contact, "change")
    return writes.update(
        actor,
        contact,
        program=contact.agency.program,
        data=data,
        allowed=CONTACT_FIELDS,
        check=_check_contact,
    )


def contact_delete(*, actor: Actor, contact: AgencyContact) -> None:
    policy_for(AgencyContact).require_on(actor, contact, "delete")
    writes.delete(actor, contact, program=contact.agency.program)
