"""Writes to the directory, the crisis responsibilities and the MOUs.

Every write asks the model's policy, applies the domain rules and writes through
`core.writes` (validation, transaction, audit entry). The MOU's life is a small
state machine (`TRANSITIONS`); a move the table does not allow is refused with a
sentence saying why, and nothing changes.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from citkit.core import writes
from citkit.core.audit import Actor, picture
from citkit.core.models import Membership, Program, Role
from citkit.core.permissions import has_capability, own_agency_id
from citkit.core.phones import normalise_phone
from citkit.core.policies import policy_for
from citkit.partners.models import Agency
from citkit.partnerships import starters
from citkit.partnerships.models import (
    EDITABLE_STATUSES,
    Capacity,
    ClauseKind,
    Contact,
    Language,
    Location,
    Mou,
    MouCommitment,
    MouParty,
    MouReview,
    MouSignature,
    MouStatus,
    MouTemplate,
    MouVersion,
    Phone,
    Responsibility,
    ReviewDecision,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    SignatureMethod,
    TemplateClause,
)

# --- The directory ----------------------------------------------------------------

SERVICE_FIELDS = {
    "agency",
    "name",
    "alternate_name",
    "service_type",
    "description",
    "url",
    "email",
    "status",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "fees_description",
    "application_process",
    "interpretation_services",
}
LOCATION_FIELDS = {
    "agency",
    "location_type",
    "name",
    "alternate_name",
    "description",
    "transportation",
    "address_1",
    "address_2",
    "city",
    "region",
    "state_province",
    "postal_code",
    "country",
    "latitude",
    "longitude",
}
RESPONSIBILITY_FIELDS = {
    "agency",
    "kind",
    "title",
    "applies_when",
    "details",
    "available_24_7",
    "service",
    "hours_text",
    "contact_phone",
    "handoff",
    "escalation",
    "position",
}

# The parts of a service (or a location) kept on its page, with the fields each takes.
PART_FIELDS: dict[type[models.Model], set[str]] = {
    Phone: {"number", "extension", "phone_type", "description"},
    Schedule: {
        "freq",
        "interval",
        "byday",
        "bymonthday",
        "dtstart",
        "until",
        "valid_from",
        "valid_to",
        "opens_at",
        "closes_at",
        "description",
        "notes",
    },
    Language: {"name", "code", "note"},
    ServiceArea: {"name", "description", "extent", "extent_type"},
    Capacity: {"unit", "available", "maximum", "description"},
    Contact: {"name", "title", "department", "email"},
    ServiceAtLocation: {"location", "description"},
}
LOCATION_PARTS = {Phone, Schedule, Contact}

_WEEKDAY = r"(?:[+-]?[1-5])?(?:MO|TU|WE|TH|FR|SA|SU)"


def _same_program(program: Program, **records) -> None:
    """A record named by id must be one of the program's own."""
    errors = {
        field: "Choose one of this program's records."
        for field, record in records.items()
        if record is not None and getattr(record, "program_id", program.pk) != program.pk
    }
    if errors:
        raise ValidationError(errors)


def _check_service(service: Service) -> None:
    _same_program(service.program, agency=service.agency)


def _check_location(location: Location) -> None:
    _same_program(location.program, agency=location.agency)
    location.country = location.country.upper()
    for field in ("latitude", "longitude"):
        value = getattr(location, field)
        if value is not None and not isinstance(value, str):
            # Six decimals of a degree is about 10 cm: more is noise from a GPS or a float.
            try:
                value = Decimal(str(value)).quantize(Decimal("0.000001"))
            except InvalidOperation:
                raise ValidationError({field: "Give the position in degrees."}) from None
            setattr(location, field, value)


def _check_part(part) -> None:
    program = part.program
    if isinstance(part, Phone):
        part.number = normalise_phone(part.number, program.country, field="number")
        if not part.number:
            raise ValidationError({"number": "Enter the phone number."})
    elif isinstance(part, Schedule):
        _check_schedule(part)
    elif isinstance(part, ServiceAtLocation):
        _same_program(program, location=part.location)
    elif isinstance(part, Capacity):
        part.updated = timezone.now()
    elif isinstance(part, Language):
        part.code = part.code.strip().lower()


def _check_schedule(schedule: Schedule) -> None:
    import re

    errors: dict[str, str] = {}
    days = [d.strip().upper() for d in schedule.byday.split(",") if d.strip()]
    bad = [d for d in days if not re.fullmatch(_WEEKDAY, d)]
    if bad:
        errors["byday"] = (
            f"{', '.join(bad)} is not a day: use MO, TU, WE, TH, FR, SA, SU "
            "(1MO is the first Monday of a month)."
        )
    if schedule.freq == "WEEKLY" and any(not d.isalpha() for d in days):
        errors["byday"] = "A weekly schedule names plain days (MO, TU, …); 1MO is for monthly ones."
    schedule.byday = ",".join(days)
    monthdays = [d.strip() for d in schedule.bymonthday.split(",") if d.strip()]
    if any(not re.fullmatch(r"-?\d{1,2}", d) or not 1 <= abs(int(d)) <= 31 for d in monthdays):
        errors["bymonthday"] = "Days of the month are numbers from 1 to 31, e.g. 1,15."
    schedule.bymonthday = ",".join(monthdays)
    if schedule.freq == "MONTHLY" and not days and not monthdays:
        errors["byday"] = "Say which days of the month: e.g. 1MO, or days of the month 1,15."
    if schedule.freq == "WEEKLY" and not days:
        errors["byday"] = "Say which days of the week it is open."
    if (schedule.opens_at is None) != (schedule.closes_at is None) and schedule.opens_at is None:
        errors["opens_at"] = "Give the opening time as well as the closing time."
    if schedule.until and schedule.dtstart and schedule.until < schedule.dtstart:
        errors["until"] = "The last day is before the first day."
    if errors:
        raise ValidationError(errors)


def _require_keeps(actor: Actor, record, action: str) -> None:
    policy_for(record).require_on(actor, record, action)


def service_create(*, actor: Actor, program: Program, data: dict) -> Service:
    policy_for(Service).require(actor, program, "add")
    service = Service(program=program)
    writes.apply_changes(service, data, SERVICE_FIELDS)
    if service.agency_id is None:
        raise ValidationError({"agency": "Choose the agency that offers the service."})
    _require_keeps(actor, service, "add")
    return writes.create(actor, service, program=program, check=_check_service)


def service_update(*, actor: Actor, service: Service, data: dict) -> Service:
    _require_keeps(actor, service, "change")
    if "agency" in data and data["agency"] != service.agency:
        # Moving a service to another agency is keeping both agencies' parts.
        _require_keeps(actor, Service(program=service.program, agency=data["agency"]), "add")
    return writes.update(
        actor,
        service,
        program=service.program,
        data=data,
        allowed=SERVICE_FIELDS,
        check=_check_service,
    )


def service_delete(*, actor: Actor, service: Service) -> None:
    _require_keeps(actor, service, "delete")
    with transaction.atomic():
        for item in service.responsibilities.all():
            # The responsibility stays; its hours are no longer this service's.
            writes.update(
                actor, item, program=service.program, data={"service": None}, allowed={"service"}
            )
        for part in _parts_of(service):
            writes.delete(actor, part, program=service.program)
        writes.delete(actor, service, program=service.program)


def _parts_of(parent) -> list[models.Model]:
    """Every part of a service or a location, so that a delete leaves each in the audit trail."""
    found: list[models.Model] = []
    if isinstance(parent, Service):
        found += list(parent.phones.all()) + list(parent.schedules.all())
        found += list(parent.languages.all()) + list(parent.areas.all())
        found += list(parent.capacities.all())
        for contact in parent.contacts.all():
            found += [*contact.phones.all(), contact]
        found += list(parent.at_locations.all())
    else:
        found += list(parent.phones.all()) + list(parent.schedules.all())
        for contact in parent.contacts.all():
            found += [*contact.phones.all(), contact]
        found += list(parent.at_locations.all())
    return found


def location_create(*, actor: Actor, program: Program, data: dict) -> Location:
    policy_for(Location).require(actor, program, "add")
    location = Location(program=program)
    writes.apply_changes(location, data, LOCATION_FIELDS)
    _require_keeps(actor, location, "add")
    return writes.create(actor, location, program=program, check=_check_location)


def location_update(*, actor: Actor, location: Location, data: dict) -> Location:
    _require_keeps(actor, location, "change")
    if "agency" in data and data["agency"] != location.agency:
        _require_keeps(actor, Location(program=location.program, agency=data["agency"]), "add")
    return writes.update(
        actor,
        location,
        program=location.program,
        data=data,
        allowed=LOCATION_FIELDS,
        check=_check_location,
    )


def location_delete(*, actor: Actor, location: Location) -> None:
    _require_keeps(actor, location, "delete")
    with transaction.atomic():
        for part in _parts_of(location):
            writes.delete(actor, part, program=location.program)
        writes.delete(actor, location, program=location.program)


def new_part(model: type[models.Model], parent):
    """An unsaved part of a service or location (a phone, a schedule, ...)."""
    key = "service" if isinstance(parent, Service) else "location"
    if key == "location" and model not in LOCATION_PARTS:
        raise LookupError(f"A location has no {model._meta.verbose_name}.")
    part = model(program=parent.program, **{key: parent})
    return part


def part_create(*, actor: Actor, parent, model: type[models.Model], data: dict):
    part = new_part(model, parent)
    _require_keeps(actor, part, "add")
    writes.apply_changes(part, data, PART_FIELDS[model])
    return writes.create(actor, part, program=parent.program, check=_check_part)


def part_update(*, actor: Actor, part, data: dict):
    _require_keeps(actor, part, "change")
    return writes.update(
        actor,
        part,
        program=part.program,
        data=data,
        allowed=PART_FIELDS[type(part)],
        check=_check_part,
    )


def part_delete(*, actor: Actor, part) -> None:
    _require_keeps(actor, part, "delete")
    writes.delete(actor, part, program=part.program)


def capacity_report(
    *, actor: Actor, capacity: Capacity, available: int, maximum: int | None = None
) -> Capacity:
    """Staff say how many are free now: the figure and its time change together."""
    data = {"available": available}
    if maximum is not None:
        data["maximum"] = maximum
    return part_update(actor=actor, part=capacity, data=data)


def _check_responsibility(item: Responsibility) -> None:
    _same_program(item.program, agency=item.agency, service=item.service)
    if item.service is not None and item.service.agency_id != item.agency_id:
        raise ValidationError({"service": "Choose one of this agency's own services."})
    item.contact_phone = normalise_phone(
        item.contact_phone, item.program.country, field="contact_phone"
    )


def responsibility_create(*, actor: Actor, program: Program, data: dict) -> Responsibility:
    policy_for(Responsibility).require(actor, program, "add")
    item = Responsibility(program=program)
    writes.apply_changes(item, data, RESPONSIBILITY_FIELDS)
    if item.agency_id is None:
        raise ValidationError({"agency": "Choose the agency that takes on this responsibility."})
    _require_keeps(actor, item, "add")
    return writes.create(actor, item, program=program, check=_check_responsibility)


def responsibility_update(*, actor: Actor, item: Responsibility, data: dict) -> Responsibility:
    _require_keeps(actor, item, "change")
    if "agency" in data and data["agency"] != item.agency and item.commitments.exists():
        raise ValidationError(
            {"agency": "An MOU's party has taken this on: it stays with its agency."}
        )
    if "agency" in data and data["agency"] != item.agency:
        _require_keeps(actor, Responsibility(program=item.program, agency=data["agency"]), "add")
    return writes.update(
        actor,
        item,
        program=item.program,
        data=data,
        allowed=RESPONSIBILITY_FIELDS,
        check=_check_responsibility,
    )


def responsibility_delete(*, actor: Actor, item: Responsibility) -> None:
    _require_keeps(actor, item, "delete")
    writes.delete(actor, item, program=item.program)


# --- MOU templates ----------------------------------------------------------------

TEMPLATE_FIELDS = {"name", "kind", "description"}
CLAUSE_FIELDS = {"kind", "heading", "body", "position"}


def template_create(*, actor: Actor, program: Program, data: dict) -> MouTemplate:
    policy_for(MouTemplate).require(actor, program, "add")
    template = MouTemplate(program=program)
    writes.apply_changes(template, data, TEMPLATE_FIELDS)
    return writes.create(actor, template, program=program)


def template_update(*, actor: Actor, template: MouTemplate, data: dict) -> MouTemplate:
    policy_for(MouTemplate).require_on(actor, template, "change")
    return writes.update(
        actor, template, program=template.program, data=data, allowed=TEMPLATE_FIELDS
    )


def template_delete(*, actor: Actor, template: MouTemplate) -> None:
    policy_for(MouTemplate).require_on(actor, template, "delete")
    with transaction.atomic():
        for clause in template.clauses.all():
            writes.delete(actor, clause, program=template.program)
        writes.delete(actor, template, program=template.program)


def template_clause_create(*, actor: Actor, template: MouTemplate, data: dict) -> TemplateClause:
    clause = TemplateClause(template=template)
    policy_for(TemplateClause).require_on(actor, clause, "add")
    writes.apply_changes(clause, data, CLAUSE_FIELDS)
    if "position" not in data:
        clause.position = template.clauses.count() + 1
    return writes.create(actor, clause, program=template.program)


def template_clause_update(*, actor: Actor, clause: TemplateClause, data: dict) -> TemplateClause:
    policy_for(TemplateClause).require_on(actor, clause, "change")
    return writes.update(
        actor, clause, program=clause.template.program, data=data, allowed=CLAUSE_FIELDS
    )


def template_clause_delete(*, actor: Actor, clause: TemplateClause) -> None:
    policy_for(TemplateClause).require_on(actor, clause, "delete")
    writes.delete(actor, clause, program=clause.template.program)


def install_starter_templates(*, actor: Actor, program: Program) -> list[MouTemplate]:
    """citkit's model MOUs (general and specific), copied into the program to adapt.
    A template the program already has by that name is left as it is."""
    policy_for(MouTemplate).require(actor, program, "add")
    made = []
    with transaction.atomic():
        taken = set(MouTemplate.objects.filter(program=program).values_list("name", flat=True))
        for spec in starters.STARTER_TEMPLATES:
            if spec["name"] in taken:
                continue
            template = template_create(
                actor=actor,
                program=program,
                data={k: spec[k] for k in ("name", "kind", "description")},
            )
            for position, clause in enumerate(spec["clauses"], start=1):
                template_clause_create(
                    actor=actor,
                    template=template,
                    data={
                        "kind": clause["kind"],
                        "heading": clause["heading"],
                        "body": clause["body"],
                        "position": position,
                    },
                )
            made.append(template)
    return made


# --- MOUs -------------------------------------------------------------------------

MOU_FIELDS = {
    "title",
    "kind",
    "effective_date",
    "term_months",
    "auto_renew",
    "renewal_months",
    "notice_days",
    "review_date",
    "notes",
}
# What may still change once the text is locked: dates the committee keeps, notes.
LOCKED_MOU_FIELDS = {"review_date", "notes"}
PARTY_FIELDS = {"agency", "signatory_name", "signatory_title", "signatory", "position"}


# An MOU's dates are within a lifetime of today: a typo of a year (20266) is refused
# rather than carried into the term's end and every reminder.
DATE_WINDOW = datetime.timedelta(days=100 * 365)


def _check_mou(mou: Mou) -> None:
    errors = {}
    today = mou.program.today()
    for field in ("effective_date", "review_date"):
        day = getattr(mou, field)
        if day is not None and abs(day - today) > DATE_WINDOW:
            errors[field] = "Give a date within a hundred years of today."
    if mou.term_months < 1:
        errors["term_months"] = "The term is at least one month."
    if mou.auto_renew and mou.renewal_months < 1:
        errors["renewal_months"] = "A renewal is at least one month."
    if errors:
        raise ValidationError(errors)


def current_version(mou: Mou) -> MouVersion | None:
    return mou.versions.order_by("-number").first()


def _latest(mou: Mou) -> MouVersion:
    """The current version, which every MOU written by these services has (version 1
    is written with the MOU)."""
    version = current_version(mou)
    if version is None:
        raise ValidationError("This MOU has no text yet.")
    return version


def _write_version(actor: Actor, mou: Mou, clauses: list[dict], summary: str) -> MouVersion:
    latest = current_version(mou)
    version = MouVersion(
        mou=mou,
        number=(latest.number + 1) if latest else 1,
        clauses=clauses,
        change_summary=summary[:300],
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    return writes.create(actor, version, program=mou.program)


def _clause(kind: str, heading: str, body: str) -> dict:
    return {"key": uuid.uuid4().hex[:12], "kind": kind, "heading": heading, "body": body}


def filled_clauses(mou: Mou, version: MouVersion | None, parties=None) -> list[dict]:
    """The version's clauses as the parties read them: placeholders filled."""
    if parties is None:
        parties = list(mou.parties.select_related("agency"))
    return starters.fill_clauses(
        list(version.clauses) if version else [],
        program_name=mou.program.name,
        party_names=[p.agency.name for p in parties],
    )


def mou_create(
    *, actor: Actor, program: Program, data: dict, template: MouTemplate | None = None
) -> Mou:
    """A new draft, with version 1 holding the template's clauses (or none)."""
    policy_for(Mou).require(actor, program, "add")
    if template is not None and template.program_id != program.pk:
        raise ValidationError({"template": "Choose one of this program's templates."})
    mou = Mou(program=program, template=template)
    if template is not None:
        mou.kind = template.kind
    writes.apply_changes(mou, data, MOU_FIELDS)
    with transaction.atomic():
        writes.create(actor, mou, program=program, check=_check_mou)
        # The template's placeholders ({{program}}, {{parties}}) are kept: they are
        # filled where the text is shown, from the parties as they then stand.
        clauses = [
            _clause(c.kind, c.heading, c.body) for c in (template.clauses.all() if template else [])
        ]
        _write_version(
            actor,
            mou,
            clauses,
            f"Drafted from the template {template.name}." if template else "Drafted.",
        )
    return mou


def _lock_refusal(mou: Mou) -> str:
    if mou.status == MouStatus.OUT_FOR_SIGNATURE:
        return (
            "The text is locked while the MOU is out for signature. "
            "Reopen it as a new version to change it; signatures then start again."
        )
    return (
        f"The MOU is {mou.get_status_display().lower()}: its text no longer changes. "
        "Draft an amendment instead."
    )


def _require_editable(mou: Mou) -> None:
    if mou.status not in EDITABLE_STATUSES:
        raise ValidationError(_lock_refusal(mou))


def _changed_after_approval(actor: Actor, mou: Mou) -> None:
    """The committee approved a text; a different text needs its approval again."""
    if mou.status == MouStatus.APPROVED:
        _set_status(actor, mou, MouStatus.DRAFT)


def mou_update(*, actor: Actor, mou: Mou, data: dict) -> Mou:
    policy_for(Mou).require_on(actor, mou, "change")
    if not mou.is_editable:
        locked = set(data) - LOCKED_MOU_FIELDS
        changed = [f for f in sorted(locked) if getattr(mou, f) != data[f]]
        if changed:
            raise ValidationError(_lock_refusal(mou))
        data = {k: v for k, v in data.items() if k in LOCKED_MOU_FIELDS}
    with transaction.atomic():
        terms = {f: getattr(mou, f) for f in MOU_FIELDS - LOCKED_MOU_FIELDS - {"title"}}
        writes.update(
            actor, mou, program=mou.program, data=data, allowed=MOU_FIELDS, check=_check_mou
        )
        # The term, renewal and notice are part of what the committee approved.
        if any(getattr(mou, f) != v for f, v in terms.items()):
            _changed_after_approval(actor, mou)
    return mou


def mou_delete(*, actor: Actor, mou: Mou) -> None:
    """Only a draft that nobody signed may go; anything else is history."""
    policy_for(Mou).require_on(actor, mou, "delete")
    if mou.status != MouStatus.DRAFT or MouSignature.objects.filter(party__mou=mou).exists():
        raise ValidationError(
            "Only a draft that nobody has signed can be deleted; terminate an executed MOU instead."
        )
    if mou.amendments.exists():
        raise ValidationError("An amendment refers to this MOU; delete the amendment first.")
    with transaction.atomic():
        for party in mou.parties.all():
            for commitment in party.commitments.all():
                writes.delete(actor, commitment, program=mou.program)
            writes.delete(actor, party, program=mou.program)
        for review in mou.reviews.all():
            writes.delete(actor, review, program=mou.program)
        for version in mou.versions.all():
            writes.delete(actor, version, program=mou.program)
        writes.delete(actor, mou, program=mou.program)


CLAUSE_DATA_FIELDS = {"kind", "heading", "body"}


def _clean_clause_data(data: dict) -> dict:
    unknown = set(data) - CLAUSE_DATA_FIELDS
    if unknown:
        raise ValidationError({name: "This field cannot be set here." for name in sorted(unknown)})
    errors = {}
    kind = data.get("kind") or ClauseKind.OTHER
    if kind not in ClauseKind.values:
        errors["kind"] = f"{kind!r} is not a kind of clause."
    heading = writes.clean_text(str(data.get("heading") or "")).strip()
    body = writes.clean_text(str(data.get("body") or "")).strip()
    if not heading:
        errors["heading"] = "Give the clause a heading."
    elif len(heading) > 200:
        errors["heading"] = "A heading is at most 200 characters."
    if not body:
        errors["body"] = "Write the clause's text."
    elif len(body) > 50_000:
        errors["body"] = "A clause is at most 50,000 characters."
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "heading": heading, "body": body}


def clause_save(
    *, actor: Actor, mou: Mou, data: dict, key: str | None = None, summary: str = ""
) -> MouVersion:
    """Add a clause (no key) or change one: the MOU gets a new version."""
    policy_for(Mou).require_on(actor, mou, "change")
    with transaction.atomic():
        mou = Mou.objects.select_for_update().get(pk=mou.pk)
        _require_editable(mou)
        cleaned = _clean_clause_data(data)
        latest = _latest(mou)
        clauses = [dict(c) for c in latest.clauses]
        if key is None:
            clauses.append(_clause(**cleaned))
            default = f"Added the clause “{cleaned['heading']}”."
        else:
            found = next((c for c in clauses if c["key"] == key), None)
            if found is None:
                raise ValidationError("This clause is not in the current version.")
            if all(found.get(k) == v for k, v in cleaned.items()):
                return latest  # nothing changed: no new version
            found.update(cleaned)
            default = f"Changed the clause “{cleaned['heading']}”."
        version = _write_version(actor, mou, clauses, summary or default)
        _changed_after_approval(actor, mou)
    return version


def clause_remove(*, actor: Actor, mou: Mou, key: str, summary: str = "") -> MouVersion:
    policy_for(Mou).require_on(actor, mou, "change")
    with transaction.atomic():
        mou = Mou.objects.select_for_update().get(pk=mou.pk)
        _require_editable(mou)
        latest = current_version(mou)
        clauses = list(latest.clauses if latest else [])
        found = next((c for c in clauses if c["key"] == key), None)
        if found is None:
            raise ValidationError("This clause is not in the current version.")
        clauses.remove(found)
        version = _write_version(
            actor, mou, clauses, summary or f"Removed the clause “{found['heading']}”."
        )
        _changed_after_approval(actor, mou)
    return version


def clause_move(*, actor: Actor, mou: Mou, key: str, offset: int) -> MouVersion:
    """Move a clause up (-1) or down (+1)."""
    policy_for(Mou).require_on(actor, mou, "change")
    with transaction.atomic():
        mou = Mou.objects.select_for_update().get(pk=mou.pk)
        _require_editable(mou)
        latest = _latest(mou)
        clauses = list(latest.clauses)
        index = next((i for i, c in enumerate(clauses) if c["key"] == key), None)
        if index is None:
            raise ValidationError("This clause is not in the current version.")
        target = index + offset
        if not 0 <= target < len(clauses):
            return latest
        clauses[index], clauses[target] = clauses[target], clauses[index]
        version = _write_version(
            actor, mou, clauses, f"Moved the clause “{clauses[target]['heading']}”."
        )
        _changed_after_approval(actor, mou)
    return version


def _check_party(party: MouParty) -> None:
    program = party.mou.program
    _same_program(program, agency=party.agency)
    if party.signatory_id is not None:
        admin = Membership.objects.filter(
            user_id=party.signatory_id,
            program=program,
            role=Role.AGENCY_ADMIN,
            agency_id=party.agency_id,
        ).exists()
        if not admin:
            raise ValidationError(
                {"signatory": "The signatory's account must be an administrator of this agency."}
            )


def party_add(*, actor: Actor, mou: Mou, data: dict) -> MouParty:
    policy_for(Mou).require_on(actor, mou, "change")
    _require_editable(mou)
    party = MouParty(mou=mou)
    writes.apply_changes(party, data, PARTY_FIELDS)
    if party.agency_id is None:
        raise ValidationError({"agency": "Choose the agency."})
    if "position" not in data:
        party.position = mou.parties.count() + 1
    with transaction.atomic():
        writes.create(actor, party, program=mou.program, check=_check_party)
        _changed_after_approval(actor, mou)
    return party


def party_update(*, actor: Actor, party: MouParty, data: dict) -> MouParty:
    mou = party.mou
    policy_for(Mou).require_on(actor, mou, "change")
    _require_editable(mou)
    if "agency" in data and data["agency"] != party.agency and party.commitments.exists():
        raise ValidationError(
            {"agency": "Remove this party's responsibilities before changing its agency."}
        )
    with transaction.atomic():
        before = picture(party)
        writes.update(
            actor, party, program=mou.program, data=data, allowed=PARTY_FIELDS, check=_check_party
        )
        if picture(party) != before:
            _changed_after_approval(actor, mou)
    return party


def party_remove(*, actor: Actor, party: MouParty) -> None:
    mou = party.mou
    policy_for(Mou).require_on(actor, mou, "change")
    _require_editable(mou)
    with transaction.atomic():
        for commitment in party.commitments.all():
            writes.delete(actor, commitment, program=mou.program)
        writes.delete(actor, party, program=mou.program)
        _changed_after_approval(actor, mou)


def commitment_add(
    *, actor: Actor, party: MouParty, responsibility: Responsibility, note: str = ""
) -> MouCommitment:
    mou = party.mou
    policy_for(Mou).require_on(actor, mou, "change")
    _require_editable(mou)
    if responsibility.program_id != mou.program_id or responsibility.agency_id != party.agency_id:
        raise ValidationError(
            {"responsibility": f"Choose one of {party.agency}'s own crisis responsibilities."}
        )
    commitment = MouCommitment(party=party, responsibility=responsibility, note=note)
    with transaction.atomic():
        writes.create(actor, commitment, program=mou.program)
        _changed_after_approval(actor, mou)
    return commitment


def commitment_remove(*, actor: Actor, commitment: MouCommitment) -> None:
    mou = commitment.party.mou
    policy_for(Mou).require_on(actor, mou, "change")
    _require_editable(mou)
    with transaction.atomic():
        writes.delete(actor, commitment, program=mou.program)
        _changed_after_approval(actor, mou)


# --- The MOU's life -----------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    action: str  # the policy action it needs


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "submit",
            "Send to the committee",
            frozenset({MouStatus.DRAFT}),
            MouStatus.IN_REVIEW,
            "change",
        ),
        Transition(
            "approve", "Approve", frozenset({MouStatus.IN_REVIEW}), MouStatus.APPROVED, "review"
        ),
        Transition(
            "request_changes",
            "Request changes",
            frozenset({MouStatus.IN_REVIEW, MouStatus.APPROVED}),
            MouStatus.DRAFT,
            "review",
        ),
        Transition(
            "send_for_signature",
            "Send for signature",
            frozenset({MouStatus.APPROVED}),
            MouStatus.OUT_FOR_SIGNATURE,
            "change",
        ),
        Transition(
            "reopen",
            "Reopen as a new version",
            frozenset({MouStatus.OUT_FOR_SIGNATURE}),
            MouStatus.DRAFT,
            "change",
        ),
        Transition(
            "terminate",
            "Terminate",
            frozenset({MouStatus.EXECUTED}),
            MouStatus.TERMINATED,
            "change",
        ),
    ]
}

_WHY_NOT = {
    "submit": "Only a draft is sent to the committee.",
    "approve": "The committee approves an MOU that is in review.",
    "request_changes": "Changes are requested of an MOU in review or approved.",
    "send_for_signature": "An MOU goes out for signature once the committee has approved it.",
    "reopen": "Only an MOU out for signature is reopened; an executed one is amended.",
    "terminate": "Only an executed MOU is terminated.",
}


def available_transitions(user, mou: Mou) -> list[Transition]:
    policy = policy_for(Mou)
    return [
        t
        for t in TRANSITIONS.values()
        if mou.status in t.sources and policy.may_on(user, mou, t.action)
    ]


def _set_status(actor: Actor, mou: Mou, status: str, **extra) -> Mou:
    return writes.update(
        actor,
        mou,
        program=mou.program,
        data={"status": status, "status_changed_at": timezone.now(), **extra},
        allowed={"status", "status_changed_at", *extra},
    )


def mou_transition(*, actor: Actor, mou: Mou, name: str, comment: str = "", on=None) -> Mou:
    """Move the MOU along its life; an illegal move is refused and changes nothing."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError({"transition": f"{name!r} is not a step of an MOU's life."})
    policy_for(Mou).require_on(actor, mou, transition.action)
    with transaction.atomic():
        mou = Mou.objects.select_for_update().select_related("program").get(pk=mou.pk)
        if mou.status not in transition.sources:
            raise ValidationError(
                {"transition": f"This MOU is {mou.get_status_display().lower()}. " + _WHY_NOT[name]}
            )
        version = current_version(mou)
        if name == "submit" and (version is None or not version.clauses):
            raise ValidationError({"transition": "Write at least one clause before review."})
        if name == "send_for_signature":
            _check_ready_to_sign(mou)
        if name in {"approve", "request_changes"} and version is not None:
            decision = ReviewDecision.APPROVE if name == "approve" else ReviewDecision.CHANGES
            _write_review(actor, mou, version, decision, comment)
        extra: dict = {}
        if name == "terminate":
            if not comment.strip():
                raise ValidationError({"comment": "Say why the MOU is terminated."})
            extra = {
                "terminated_on": on or mou.program.today(),
                "termination_reason": comment.strip(),
            }
        _set_status(actor, mou, transition.target, **extra)
        if name == "reopen":
            _write_version(
                actor,
                mou,
                [dict(c) for c in version.clauses] if version else [],
                "Reopened for changes: every party signs again.",
            )
    return mou


def _check_ready_to_sign(mou: Mou) -> None:
    parties = list(mou.parties.select_related("agency"))
    if len(parties) < 2:
        raise ValidationError({"transition": "An MOU needs at least two parties to sign it."})
    unnamed = [str(p.agency) for p in parties if not p.signatory_name.strip()]
    if unnamed:
        raise ValidationError(
            {"transition": "Name who signs for " + ", ".join(unnamed) + " first."}
        )


def _write_review(actor: Actor, mou: Mou, version, decision: str, comment: str, clause_key=""):
    name = ""
    if actor is not None and actor.is_authenticated:
        name = actor.get_full_name() or actor.get_username()
    review = MouReview(
        mou=mou,
        version=version,
        reviewer=actor if actor is not None and actor.is_authenticated else None,
        reviewer_name=name or "system",
        decision=decision,
        clause_key=clause_key,
        comment=writes.clean_text(comment).strip(),
    )
    return writes.create(actor, review, program=mou.program)


def review_add(
    *, actor: Actor, mou: Mou, comment: str, clause_key: str = "", decision: str = "comment"
) -> MouReview:
    """A committee member's comment on the current version (optionally on one clause)."""
    policy_for(Mou).require_on(actor, mou, "review")
    if mou.status not in EDITABLE_STATUSES:
        raise ValidationError(
            {
                "comment": f"The MOU is {mou.get_status_display().lower()}: comments are taken "
                "while it is drafted and reviewed."
            }
        )
    version = current_version(mou)
    if version is None:
        raise ValidationError("There is no text to comment on yet.")
    if decision != ReviewDecision.COMMENT:
        raise ValidationError(
            {"decision": "Approve or request changes with the buttons of the MOU's status."}
        )
    if not comment.strip():
        raise ValidationError({"comment": "Write the comment."})
    if clause_key and version.clause(clause_key) is None:
        raise ValidationError({"clause_key": "This clause is not in the current version."})
    return _write_review(actor, mou, version, decision, comment, clause_key)


# --- Signatures ---------------------------------------------------------------------

MAX_SCAN_BYTES = 10 * 1024 * 1024
SCAN_TYPES = {"application/pdf", "image/png", "image/jpeg"}


def outstanding_parties(mou: Mou, version: MouVersion | None = None) -> list[MouParty]:
    version = version or current_version(mou)
    signed = set(
        MouSignature.objects.filter(party__mou=mou, version=version).values_list(
            "party_id", flat=True
        )
    )
    return [p for p in mou.parties.select_related("agency") if p.pk not in signed]


def mou_sign(
    *,
    actor: Actor,
    party: MouParty,
    method: str,
    signer_name: str = "",
    signer_title: str = "",
    signed_on: datetime.date | None = None,
    attestation: str = "",
    scan=None,
) -> MouSignature:
    """Record one party's signature of the current version. The last signature
    executes the MOU (and supersedes the MOU it amends)."""
    mou = party.mou
    program = mou.program
    policy = policy_for(Mou)
    policy.require_on(actor, mou, "sign")
    if actor is not None:
        own = own_agency_id(actor, program) == party.agency_id and has_capability(
            actor, program, "sign_own_mous"
        )
        records = has_capability(actor, program, "record_signatures")
        if not own and not records:
            raise ValidationError("You may sign only for your own agency.")
        if method == SignatureMethod.TYPED and not own:
            raise ValidationError(
                {
                    "method": "A typed attestation is given by the signatory's own account. "
                    "Upload the scan of a wet-ink signature instead."
                }
            )
        if (
            method == SignatureMethod.TYPED
            and party.signatory_id is not None
            and party.signatory_id != actor.pk
        ):
            raise ValidationError(
                {
                    "method": f"{party.signatory_name or 'The named signatory'} signs "
                    "with their own account."
                }
            )
    errors: dict[str, str] = {}
    if method not in SignatureMethod.values:
        errors["method"] = "Choose how the MOU is signed."
    if method == SignatureMethod.TYPED and not attestation.strip():
        errors["attestation"] = "Type the attestation: your name, as your signature."
    if method == SignatureMethod.SCAN and scan is None:
        errors["scan"] = "Upload the scan of the signed signature page."
    content = b""
    if scan is not None:
        content = scan.read()
        if len(content) > MAX_SCAN_BYTES:
            errors["scan"] = "The scan is larger than 10 MB."
        elif getattr(scan, "content_type", "") not in SCAN_TYPES:
            errors["scan"] = "Upload a PDF, PNG or JPEG file."
        elif not content:
            errors["scan"] = "The file is empty."
    if errors:
        raise ValidationError(errors)
    today = program.today()
    if signed_on is not None and signed_on > today:
        raise ValidationError({"signed_on": "A signature is not dated in the future."})
    if method == SignatureMethod.TYPED and actor is not None:
        # An attestation is given now, with the signatory's own account. (The system
        # may record an earlier one: an MOU's history brought into citkit.)
        signed_on = today
    with transaction.atomic():
        mou = Mou.objects.select_for_update().select_related("program").get(pk=mou.pk)
        sent = mou.status_changed_at
        if (
            method == SignatureMethod.SCAN
            and actor is not None
            and signed_on is not None
            and sent is not None
            and signed_on < timezone.localtime(sent, program.zone).date()
        ):
            raise ValidationError(
                {"signed_on": "The signature is dated before the MOU went out for signature."}
            )
        if mou.status != MouStatus.OUT_FOR_SIGNATURE:
            raise ValidationError(
                f"The MOU is {mou.get_status_display().lower()}: it is signed only "
                "while it is out for signature."
            )
        version = _latest(mou)
        if MouSignature.objects.filter(party=party, version=version).exists():
            raise ValidationError(f"{party.agency} has already signed version {version.number}.")
        signature = MouSignature(
            party=party,
            version=version,
            method=method,
            signer_name=writes.clean_text(signer_name or party.signatory_name).strip(),
            signer_title=writes.clean_text(signer_title or party.signatory_title).strip(),
            signed_on=signed_on or today,
            attestation=writes.clean_text(attestation).strip(),
            recorded_by=actor if actor is not None and actor.is_authenticated else None,
            scan_name=getattr(scan, "name", "")[:255] if scan is not None else "",
            scan_type=getattr(scan, "content_type", "") if scan is not None else "",
            scan=content or None,
        )
        if not signature.signer_name:
            raise ValidationError({"signer_name": "Say who signed."})
        writes.create(actor, signature, program=program)
        if not outstanding_parties(mou, version):
            _execute(actor, mou, version)
    return signature


def _term_end(start: datetime.date, months: int) -> datetime.date:
    return start + relativedelta(months=months) - datetime.timedelta(days=1)


def _execute(actor: Actor, mou: Mou, version: MouVersion) -> None:
    last = max(s.signed_on for s in MouSignature.objects.filter(party__mou=mou, version=version))
    effective = mou.effective_date or last
    _set_status(
        actor,
        mou,
        MouStatus.EXECUTED,
        effective_date=effective,
        ends_on=_term_end(effective, mou.term_months),
    )
    if mou.supersedes_id:
        earlier = Mou.objects.select_for_update().get(pk=mou.supersedes_id)
        if earlier.status == MouStatus.EXECUTED:
            _set_status(actor, earlier, MouStatus.SUPERSEDED)


def mou_renew(*, actor: Actor, mou: Mou) -> Mou:
    """Renew an executed MOU for another term, from the end of the current one."""
    policy_for(Mou).require_on(actor, mou, "change")
    with transaction.atomic():
        mou = Mou.objects.select_for_update().get(pk=mou.pk)
        if mou.status not in {MouStatus.EXECUTED, MouStatus.EXPIRED}:
            raise ValidationError("Only an executed or expired MOU is renewed.")
        start = mou.ends_on + datetime.timedelta(days=1) if mou.ends_on else mou.program.today()
        if mou.status == MouStatus.EXPIRED:
            start = mou.program.today()
        ends = _term_end(start, mou.renewal_months or mou.term_months)
        writes.update(
            actor,
            mou,
            program=mou.program,
            data={
                "status": MouStatus.EXECUTED,
                "ends_on": ends,
                "status_changed_at": timezone.now(),
            },
            allowed={"status", "ends_on", "status_changed_at"},
        )
    return mou


def mou_amend(*, actor: Actor, mou: Mou, title: str = "") -> Mou:
    """A draft amendment: the executed MOU's parties, responsibilities and text, to
    change; executing it supersedes the MOU, which keeps the link."""
    policy_for(Mou).require_on(actor, mou, "change")
    if mou.status != MouStatus.EXECUTED:
        raise ValidationError("Only an executed MOU is amended.")
    if mou.amendments.exclude(status__in=[MouStatus.TERMINATED, MouStatus.SUPERSEDED]).exists():
        raise ValidationError("This MOU already has an amendment in progress.")
    program = mou.program
    with transaction.atomic():
        amendment = Mou(
            program=program,
            template=mou.template,
            supersedes=mou,
            title=writes.clean_text(title).strip() or f"{mou.title} — amendment",
            kind=mou.kind,
            term_months=mou.term_months,
            auto_renew=mou.auto_renew,
            renewal_months=mou.renewal_months,
            notice_days=mou.notice_days,
            review_date=mou.review_date,
        )
        writes.create(actor, amendment, program=program, check=_check_mou)
        version = current_version(mou)
        _write_version(
            actor,
            amendment,
            [dict(c) for c in version.clauses] if version else [],
            f"Amendment of “{mou.title}”, from its version {version.number if version else 0}.",
        )
        for party in mou.parties.all():
            copy = MouParty(
                mou=amendment,
                agency=party.agency,
                signatory_name=party.signatory_name,
                signatory_title=party.signatory_title,
                signatory=party.signatory,
                position=party.position,
            )
            writes.create(actor, copy, program=program)
            for commitment in party.commitments.all():
                writes.create(
                    actor,
                    MouCommitment(
                        party=copy,
                        responsibility=commitment.responsibility,
                        note=commitment.note,
                    ),
                    program=program,
                )
    return amendment


def renew_and_expire(program: Program, today: datetime.date | None = None) -> dict:
    """The daily step of every executed MOU whose term has ended: an automatic
    renewal runs on (term after term until today), any other expires."""
    today = today or program.today()
    renewed = expired = 0
    due = Mou.objects.filter(program=program, status=MouStatus.EXECUTED, ends_on__lt=today)
    for mou in due:
        with transaction.atomic():
            mou = Mou.objects.select_for_update().get(pk=mou.pk)
            if mou.status != MouStatus.EXECUTED or mou.ends_on is None or mou.ends_on >= today:
                continue
            if mou.auto_renew:
                ends = mou.ends_on
                while ends < today:
                    ends = _term_end(ends + datetime.timedelta(days=1), mou.renewal_months)
                writes.update(
                    None, mou, program=program, data={"ends_on": ends}, allowed={"ends_on"}
                )
                renewed += 1
            else:
                _set_status(None, mou, MouStatus.EXPIRED)
                expired += 1
    return {"renewed": renewed, "expired": expired}


def agencies_for(program: Program):
    return Agency.objects.filter(program=program, active=True).order_by("name", "id")
