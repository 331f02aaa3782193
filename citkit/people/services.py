"""Writes to people: officers, dispatchers, clinicians, advocates, peers.

Who may write is the person policy's answer (`people.permissions`); the rules of
the roster are here, the same for pages, API, roster imports and the demo.
"""

import functools

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from citkit.core import writes
from citkit.core.audit import Actor
from citkit.core.models import AuditEntry, Program
from citkit.core.phones import normalise_phone
from citkit.core.policies import policy_for
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

BADGE_TAKEN = next(
    str(c.violation_error_message)
    for c in Person._meta.constraints
    if c.name == "badge_unique_per_agency"
)
ACCOUNT_TAKEN = "This login account already belongs to another person."


def _check_person(actor: Actor, action: str, person: Person) -> None:
    """The roster's rules, every broken one reported at once (with the model's own)."""
    # Checked on the person as they will be saved: an agency administrator may
    # not move someone into, or add someone to, another agency.
    policy_for(Person).require_on(actor, person, action)
    program = person.program
    errors: dict[str, list] = {}
    if person.agency is not None and person.agency.program_id != program.pk:
        errors["agency"] = ["That agency is not a partner in this program."]
    if person.kind in (PersonKind.OFFICER, PersonKind.DISPATCHER) and not person.agency_id:
        errors["agency"] = [f"{person.get_kind_display()}s must belong to an agency."]
    person.badge_number = person.badge_number.strip()
    if person.kind == PersonKind.OFFICER and not person.badge_number:
        errors["badge_number"] = ["An officer needs a badge number."]
    try:
        person.phone = normalise_phone(person.phone, program.country, field="phone")
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if not errors:
        return  # writes.create/update validate the model next
    try:
        writes.full_clean(person)
    except ValidationError as exc:
        for field, field_errors in exc.error_dict.items():
            errors.setdefault(field, field_errors)
    raise ValidationError(errors)


# (text in the database's refusal, field, message) for each unique rule of a person:
# PostgreSQL names the constraint, SQLite the columns.
_TABLE = Person._meta.db_table
_USER_COLUMN = Person._meta.get_field("user").column
_CLASHES = (
    ("badge_unique_per_agency", "badge_number", BADGE_TAKEN),
    (f"{_TABLE}.badge_number", "badge_number", BADGE_TAKEN),
    (f"{_TABLE}_{_USER_COLUMN}_key", "user", ACCOUNT_TAKEN),
    (f"{_TABLE}.{_USER_COLUMN}", "user", ACCOUNT_TAKEN),
)


def _save_or_explain_clash(save):
    """Run a write; a unique rule broken by a record saved at the same moment is
    answered like a sequential duplicate (a 400 naming the field), not a 500.

    Validation asks the database first, but two saves can both pass that check
    before either commits; the table's unique constraint then refuses the second.
    The savepoint keeps the caller's transaction usable (an import reports the row).
    """
    try:
        with transaction.atomic():
            return save()
    except IntegrityError as exc:
        text = str(exc)
        for marker, field, message in _CLASHES:
            if marker in text:
                raise ValidationError({field: message}) from exc
        raise


def person_create(
    *,
    actor: Actor,
    program: Program,
    data: dict,
    audit_action: str = AuditEntry.Action.CREATE,
) -> Person:
    """Add a person; `audit_action` is "import" for a roster import."""
    policy = policy_for(Person)
    policy.require(actor, program, "add")
    person = Person(program=program)
    writes.apply_changes(person, data, PERSON_FIELDS)
    check = functools.partial(_check_person, actor, "add")
    return _save_or_explain_clash(
        lambda: writes.create(actor, person, program=program, check=check, action=audit_action)
    )


def person_update(*, actor: Actor, person: Person, data: dict) -> Person:
    policy_for(Person).require_on(actor, person, "change")
    return _save_or_explain_clash(
        lambda: writes.update(
            actor,
            person,
            program=person.program,
            data=data,
            allowed=PERSON_FIELDS,
            check=functools.partial(_check_person, actor, "change"),
        )
    )


def person_delete(*, actor: Actor, person: Person) -> None:
    policy_for(Person).require_on(actor, person, "delete")
    writes.delete(actor, person, program=person.program)
