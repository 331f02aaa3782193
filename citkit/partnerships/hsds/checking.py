"""Checking an HSDS data package, every row of every table, before anything is
written: values, ids, the references between tables, our own rules; and what the
package would write, as `Pending` records in a `Plan`."""

import datetime
import decimal
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models

from citkit.core.models import Program
from citkit.core.writes import clean_text
from citkit.partners.models import Agency, AgencyType
from citkit.partnerships.hsds import organization_id
from citkit.partnerships.hsds.reading import HsdsImportError, Problem, Row, Sheet
from citkit.partnerships.hsds.tables import (
    BY_NAME,
    PARTNER_TYPE_TAXONOMY,
    SERVICE_TYPE_TAXONOMY,
    TABLES,
    Column,
)
from citkit.partnerships.models import (
    WEEKDAYS,
    Capacity,
    Contact,
    Frequency,
    Language,
    Location,
    Phone,
    PhoneType,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceType,
)

# Problems listed in full; beyond this many they are counted.
MAX_PROBLEMS = 200

# --- Checking ------------------------------------------------------------------------


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$")
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_BIG_INT = 2147483647


class _Bad(ValueError):
    pass


def _quote(value: str) -> str:
    shown = value if len(value) <= 60 else value[:57] + "…"
    return f'"{shown}"'


class Checker:
    """Parses every row into values and collects the problems, capped at MAX_PROBLEMS."""

    def __init__(self, program: Program):
        self.program = program
        self.zone = ZoneInfo(program.time_zone)
        self.problems: list[Problem] = []
        self.more = 0

    def add(self, message: str, file: str = "", row: Row | None = None, field: str = "") -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(message, file, row, field))
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if self.problems:
            raise HsdsImportError(self.problems, self.more)

    def parse(self, column: Column, raw: str):
        text = clean_text(raw).strip()
        if text == "":
            if column.required:
                raise _Bad("A value is required.")
            return None
        if column.choices:
            folded = {c.casefold(): c for c in column.choices}
            if text.casefold() not in folded:
                raise _Bad(f"{_quote(text)} is not one of {', '.join(column.choices)}.")
            return folded[text.casefold()]
        kind = column.kind
        if kind == "uuid":
            try:
                return uuid.UUID(text)
            except ValueError:
                raise _Bad(f"{_quote(text)} is not a UUID.") from None
        if kind == "integer":
            try:
                number = decimal.Decimal(text)
            except decimal.InvalidOperation:
                raise _Bad(f"{_quote(text)} is not a whole number.") from None
            if not number.is_finite() or number != number.to_integral_value():
                raise _Bad(f"{_quote(text)} is not a whole number.")
            value = int(number)
            if value < 0:
                raise _Bad(f"{value} is below 0.")
            if value > _BIG_INT:
                raise _Bad(f"{value} is too large.")
            return value
        if kind == "number":
            try:
                number = decimal.Decimal(text)
            except decimal.InvalidOperation:
                raise _Bad(f"{_quote(text)} is not a number.") from None
            if not number.is_finite():
                raise _Bad(f"{_quote(text)} is not a number.")
            return number
        if kind == "date":
            try:
                if len(text) != 10:
                    raise ValueError
                return datetime.date.fromisoformat(text)
            except ValueError:
                raise _Bad(f"{_quote(text)} is not a date as YYYY-MM-DD.") from None
        if kind == "time":
            match = _TIME.match(text)
            hour, minute = (int(match.group(1)), int(match.group(2))) if match else (99, 99)
            if (hour, minute) == (24, 0):
                return datetime.time(0)  # "24:00" closes at midnight
            if hour > 23 or minute > 59:
                raise _Bad(f"{_quote(text)} is not a time as HH:MM.")
            return datetime.time(hour, minute)
        if kind == "datetime":
            try:
                value = datetime.datetime.fromisoformat(text)
            except ValueError:
                raise _Bad(f"{_quote(text)} is not a date and time (ISO 8601).") from None
            if value.tzinfo is None:
                value = value.replace(tzinfo=self.zone)
            return value
        return text

    def rows(self, sheet: Sheet) -> list[tuple[Row, dict]]:
        """Every row of the sheet parsed, with a problem for each bad value and id."""
        parsed = []
        first_row: dict[uuid.UUID, Row] = {}
        for number, raw in sheet.rows:
            values: dict[str, Any] = {}
            for column in sheet.table.columns:
                try:
                    values[column.name] = self.parse(column, raw.get(column.name, ""))
                except _Bad as exc:
                    values[column.name] = None
                    values.setdefault("_bad", set()).add(column.name)
                    self.add(str(exc), sheet.file, number, column.name)
            ident = values.get("id")
            if ident is not None:
                if ident in first_row:
                    self.add(
                        f"{ident} is also the id of {_row_words(first_row[ident])}.",
                        sheet.file,
                        number,
                        "id",
                    )
                    continue
                first_row[ident] = number
                parsed.append((number, values))
        return parsed


def _row_words(row: Row) -> str:
    return f"row {row}" if isinstance(row, int) else row


# --- What the package would write ----------------------------------------------------


@dataclass
class Pending:
    """One record of ours as the package describes it."""

    hsds_id: uuid.UUID
    file: str
    row: Row
    fields: dict[str, Any]
    # Model foreign key -> (table, HSDS id) it names, resolved once written.
    refs: dict[str, tuple[str, uuid.UUID | None]] = field(default_factory=dict)
    # Model field -> (file, row, column) it came from, to name it in a problem.
    sources: dict[str, tuple[str, Row, str]] = field(default_factory=dict)
    # Columns already found wrong: their fields are not judged again.
    bad: set[str] = field(default_factory=set)

    def where(self, model_field: str) -> tuple[str, Row, str]:
        return self.sources.get(model_field, (self.file, self.row, model_field))


# HSDS column -> our field, per table (the same name where none is given).
FIELD_MAP: dict[str, dict[str, str]] = {
    "service": {
        n: n
        for n in (
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "interpretation_services",
            "application_process",
            "fees_description",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
        )
    },
    "location": {
        n: n
        for n in (
            "location_type",
            "name",
            "alternate_name",
            "description",
            "transportation",
            "latitude",
            "longitude",
        )
    },
    "service_at_location": {"description": "description"},
    "contact": {n: n for n in ("name", "title", "department", "email")},
    "phone": {
        "number": "number",
        "extension": "extension",
        "type": "phone_type",
        "description": "description",
    },
    "schedule": {
        n: n
        for n in (
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
        )
    },
    "service_area": {n: n for n in ("name", "description", "extent", "extent_type")},
    "language": {n: n for n in ("name", "code", "note")},
    "service_capacity": {n: n for n in ("available", "maximum", "description", "updated")},
}
ADDRESS_FIELDS = (
    "address_1", "address_2", "city", "region", "state_province", "postal_code", "country",
)  # fmt: skip
MODELS: dict[str, type[models.Model]] = {
    "service": Service,
    "location": Location,
    "service_at_location": ServiceAtLocation,
    "contact": Contact,
    "phone": Phone,
    "schedule": Schedule,
    "service_area": ServiceArea,
    "language": Language,
    "service_capacity": Capacity,
}
# Written in this order, each after the records it names.
WRITE_ORDER = tuple(MODELS)
# Table -> the counts key of the result.
LABELS = {
    "organization": "organizations",
    "service": "services",
    "location": "locations",
    "service_at_location": "services_at_locations",
    "contact": "contacts",
    "phone": "phones",
    "schedule": "schedules",
    "service_area": "service_areas",
    "language": "languages",
    "service_capacity": "capacities",
}


@dataclass
class Plan:
    """Everything the package writes, checked."""

    new_agencies: list[tuple[uuid.UUID, Agency]] = field(default_factory=list)
    # organization id in the package -> agency pk (existing) or the new Agency.
    agencies: dict[uuid.UUID, int | Agency] = field(default_factory=dict)
    records: dict[str, list[Pending]] = field(default_factory=dict)
    # The service's type, from its attribute (None: keep or default).
    service_types: dict[uuid.UUID, str] = field(default_factory=dict)
    addresses_given: bool = False
    # Organizations of the package that are agencies the program has.
    matched_organizations: int = 0


class Importer:
    def __init__(self, program: Program, sheets: dict[str, Sheet]):
        self.program = program
        self.sheets = sheets
        self.check = Checker(program)
        self.values: dict[str, list[tuple[Row, dict]]] = {}
        self.plan = Plan()

    def file(self, table: str) -> str:
        sheet = self.sheets.get(table)
        return sheet.file if sheet else BY_NAME[table].path

    def ids(self, table: str) -> dict[uuid.UUID, dict]:
        return {values["id"]: values for _, values in self.values.get(table, [])}

    # The existing records of the program, by HSDS id.
    def load_existing(self) -> None:
        program = self.program
        self.existing: dict[str, dict[uuid.UUID, models.Model]] = {
            table: {o.hsds_id: o for o in model.objects.filter(program=program)}
            for table, model in MODELS.items()
        }
        self.agencies = list(Agency.objects.filter(program=program))

    def run(self) -> Plan:
        for table in TABLES:
            sheet = self.sheets.get(table.name)
            self.values[table.name] = self.check.rows(sheet) if sheet else []
        self.load_existing()
        self.check_references()
        self.plan_taxonomies()
        self.plan_organizations()
        self.plan_records()
        self.check_unique()
        self.check.raise_if_any()
        return self.plan

    # --- References between tables

    def known(self, table: str) -> set[uuid.UUID]:
        """Ids a row may name: the package's own, and the program's records of that kind."""
        found = set(self.ids(table))
        if table in self.existing:
            found |= set(self.existing[table])
        if table == "organization":
            found |= {organization_id(self.program.slug, a.pk) for a in self.agencies}
        return found

    def check_references(self) -> None:
        known: dict[str, set[uuid.UUID]] = {}
        for table in TABLES:
            for column, target in table.foreign_keys.items():
                if target not in known:
                    known[target] = self.known(target)
                for number, values in self.values[table.name]:
                    ref = values.get(column)
                    if ref is not None and ref not in known[target]:
                        self.check.add(
                            f"No {target.replace('_', ' ')} has the id {ref} "
                            f"(it is not in {self.file(target)}).",
                            self.file(table.name),
                            number,
                            column,
                        )
                        values[column] = None
                        values["_dangling"] = True

    # --- Our vocabularies: service and partner types

    def plan_taxonomies(self) -> None:
        taxonomies = {v["id"]: v["name"] for _, v in self.values["taxonomy"]}
        terms: dict[uuid.UUID, tuple[str, str | None]] = {}
        for number, term in self.values["taxonomy_term"]:
            taxonomy = taxonomies.get(term.get("taxonomy_id")) or term.get("taxonomy") or ""
            code = term.get("code") or term.get("name")
            if taxonomy == SERVICE_TYPE_TAXONOMY:
                choices = ServiceType.values
            elif taxonomy == PARTNER_TYPE_TAXONOMY:
                choices = AgencyType.values
            else:
                continue  # another taxonomy: kept by whoever made it, not by us
            if code not in choices:
                self.check.add(
                    f"{_quote(code or '')} is not a term of {taxonomy}: use one of "
                    f"{', '.join(choices)}.",
                    self.file("taxonomy_term"),
                    number,
                    "code",
                )
                continue
            terms[term["id"]] = (taxonomy, code)
        self.service_types: dict[uuid.UUID, str] = {}
        self.partner_types: dict[uuid.UUID, str] = {}
        for _, attribute in self.values["attribute"]:
            found = terms.get(attribute.get("taxonomy_term_id"))
            if not found or attribute.get("link_id") is None:
                continue
            taxonomy, code = found
            entity = (attribute.get("link_entity") or "").lower()
            if taxonomy == SERVICE_TYPE_TAXONOMY and entity == "service":
                self.service_types[attribute["link_id"]] = code
            elif taxonomy == PARTNER_TYPE_TAXONOMY and entity == "organization":
                self.partner_types[attribute["link_id"]] = code

    # --- Organizations are partner agencies

    def plan_organizations(self) -> None:
        by_derived = {organization_id(self.program.slug, a.pk): a for a in self.agencies}
        by_name = {a.name.casefold(): a for a in self.agencies}
        for derived, agency in by_derived.items():
            self.plan.agencies[derived] = agency.pk
        file = self.file("organization")
        names: dict[str, Row] = {}
        for number, org in self.values["organization"]:
            name = org.get("name") or ""
            if name.casefold() in names:
                self.check.add(
                    f"{_quote(name)} is also the name of the organization in "
                    f"{_row_words(names[name.casefold()])}; partner agencies' names are unique.",
                    file,
                    number,
                    "name",
                )
                continue
            names[name.casefold()] = number
            agency = by_derived.get(org["id"]) or by_name.get(name.casefold())
            if agency is not None:
                self.plan.agencies[org["id"]] = agency.pk
                self.plan.matched_organizations += 1
                continue
            new = Agency(
                program=self.program,
                name=name,
                agency_type=self.partner_types.get(org["id"], AgencyType.OTHER),
                email=org.get("email") or "",
                website=org.get("website") or "",
            )
            self.clean(new, {"name": "name", "email": "email", "website": "website"}, file, number)
            self.plan.new_agencies.append((org["id"], new))
            self.plan.agencies[org["id"]] = new

    def clean(self, obj: models.Model, columns: dict[str, str], file: str, row: Row) -> None:
        """The model's own field rules (lengths, e-mail and web addresses, choices),
        without a query; each problem named by the column it came from."""
        exclude = [f.name for f in obj._meta.concrete_fields if f.name not in columns]
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.check.add(message, file, row, columns.get(name, name))

    # --- Directory records

    def pending(self, table: str, number: Row, values: dict, **refs) -> Pending:
        mapping = FIELD_MAP[table]
        record = Pending(
            hsds_id=values["id"],
            file=self.file(table),
            row=number,
            fields={ours: values.get(theirs) for theirs, ours in mapping.items()},
            refs=refs,
            bad=values.get("_bad", set()),
        )
        for theirs, ours in mapping.items():
            record.sources[ours] = (record.file, number, theirs)
        return record

    def plan_records(self) -> None:
        plan = self.plan
        file = self.file
        # One address per location: the physical one, else the first.
        addresses: dict[uuid.UUID, tuple[Row, dict]] = {}
        plan.addresses_given = "address" in self.sheets
        for number, address in self.values["address"]:
            location = address.get("location_id")
            if location is None:
                continue
            kept = addresses.get(location)
            if kept is None or (
                address.get("address_type") == "physical"
                and kept[1].get("address_type") != "physical"
            ):
                addresses[location] = (number, address)

        records: dict[str, list[Pending]] = {t: [] for t in MODELS}
        for number, values in self.values["service"]:
            record = self.pending(
                "service", number, values, agency=("organization", values.get("organization_id"))
            )
            kind = self.service_types.get(values["id"])
            if kind is not None:
                record.fields["service_type"] = kind
            self.check_ages(record)
            records["service"].append(record)
        for number, values in self.values["location"]:
            record = self.pending(
                "location", number, values, agency=("organization", values.get("organization_id"))
            )
            for name in ("latitude", "longitude"):
                self.check_degrees(record, name, 90 if name == "latitude" else 180)
            if values["id"] in addresses or plan.addresses_given:
                address_row, address = addresses.get(values["id"], (number, {}))
                for name in ADDRESS_FIELDS:
                    record.fields[name] = address.get(name) or ""
                    record.sources[name] = (file("address"), address_row, name)
            records["location"].append(record)
        for number, values in self.values["service_at_location"]:
            records["service_at_location"].append(
                self.pending(
                    "service_at_location",
                    number,
                    values,
                    service=("service", values.get("service_id")),
                    location=("location", values.get("location_id")),
                )
            )
        for table in ("contact", "phone"):
            for number, values in self.values[table]:
                refs = {
                    "agency": ("organization", values.get("organization_id")),
                    "service": ("service", values.get("service_id")),
                    "location": ("location", values.get("location_id")),
                }
                if table == "phone":
                    refs["contact"] = ("contact", values.get("contact_id"))
                record = self.pending(table, number, values, **refs)
                if table == "phone" and not record.fields["phone_type"]:
                    record.fields["phone_type"] = PhoneType.VOICE
                for name in ("name", "title", "department", "email", "extension", "description"):
                    if name in record.fields and record.fields[name] is None:
                        record.fields[name] = ""
                records[table].append(record)
        links = {v["id"]: v for _, v in self.values["service_at_location"]}
        for number, values in self.values["schedule"]:
            service, location = values.get("service_id"), values.get("location_id")
            link = links.get(values.get("service_at_location_id"))
            if service is None and location is None and link is not None:
                service = link.get("service_id")
            record = self.pending(
                "schedule",
                number,
                values,
                service=("service", service),
                location=("location", location),
            )
            self.check_schedule(record, dangling=values.get("_dangling", False))
            records["schedule"].append(record)
        for table in ("service_area", "language"):
            for number, values in self.values[table]:
                if table == "language" and values.get("service_id") is None:
                    if not values.get("_dangling") and (
                        values.get("location_id") or values.get("phone_id")
                    ):
                        continue  # a location's or a phone's language: not kept here
                    self.check.add("A language of ours belongs to a service.", file(table),
                                   number, "service_id")  # fmt: skip
                    continue
                records[table].append(
                    self.pending(table, number, values, service=("service", values["service_id"]))
                )
        units = {v["id"]: v.get("name") or "" for _, v in self.values["unit"]}
        for number, values in self.values["service_capacity"]:
            record = self.pending(
                "service_capacity",
                number,
                values,
                service=("service", values.get("service_id")),
            )
            record.fields["unit"] = units.get(values.get("unit_id"), "")
            record.sources["unit"] = (record.file, number, "unit_id")
            available, maximum = record.fields["available"], record.fields["maximum"]
            if available is not None and maximum is not None and available > maximum:
                self.check.add(
                    f"{available} are available, more than the maximum ({maximum}).",
                    record.file,
                    number,
                    "available",
                )
            records["service_capacity"].append(record)

        # Blank text is "" for us, never None; then each record's own field rules.
        for table, pending in records.items():
            model = MODELS[table]
            text_fields = {
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField) and not f.null
            }
            for record in pending:
                for name in text_fields & set(record.fields):
                    if record.fields[name] is None:
                        record.fields[name] = ""
                if table == "schedule":
                    record.fields["freq"] = record.fields["freq"] or Frequency.WEEKLY
                    if record.fields["interval"] is None:
                        record.fields["interval"] = 1
                probe = model(**{k: v for k, v in record.fields.items()})
                columns = {
                    name: record.where(name)[2]
                    for name in record.fields
                    if record.where(name)[2] not in record.bad
                }
                exclude = [f.name for f in model._meta.concrete_fields if f.name not in columns]
                try:
                    probe.clean_fields(exclude=exclude)
                except ValidationError as exc:
                    for name, messages in exc.message_dict.items():
                        where = record.where(name)
                        for message in messages:
                            self.check.add(message, where[0], where[1], where[2])
        plan.records = records

    def check_ages(self, record: Pending) -> None:
        low, high = record.fields["minimum_age"], record.fields["maximum_age"]
        for name, value in (("minimum_age", low), ("maximum_age", high)):
            if value is not None and value > 150:
                self.check.add(f"{value} is not an age.", record.file, record.row, name)
                record.fields[name] = None
        low, high = record.fields["minimum_age"], record.fields["maximum_age"]
        if low is not None and high is not None and high < low:
            self.check.add(
                f"{high} is below the minimum age ({low}).", record.file, record.row, "maximum_age"
            )

    def check_degrees(self, record: Pending, name: str, limit: int) -> None:
        value = record.fields[name]
        if value is None:
            return
        if not -limit <= value <= limit:
            self.check.add(
                f"{value} is not a {name}: it lies between -{limit} and {limit}.",
                record.file,
                record.row,
                name,
            )
            record.fields[name] = None
            return
        record.fields[name] = value.quantize(decimal.Decimal("0.000001"))

    def check_schedule(self, record: Pending, *, dangling: bool) -> None:
        f, file, row = record.fields, record.file, record.row
        homeless = record.refs["service"][1] is None and record.refs["location"][1] is None
        if homeless and not dangling:
            self.check.add(
                "A schedule belongs to a service or a location: give service_id or location_id.",
                file,
                row,
                "service_id",
            )
        if f["interval"] is not None and f["interval"] < 1:
            self.check.add("The interval is at least 1.", file, row, "interval")
        if f["valid_from"] and f["valid_to"] and f["valid_to"] < f["valid_from"]:
            self.check.add(
                f"{f['valid_to']} is before valid_from ({f['valid_from']}).", file, row, "valid_to"
            )
        if f["byday"]:
            days = [d.strip().upper() for d in f["byday"].split(",") if d.strip()]
            bad = [d for d in days if not _BYDAY.match(d)]
            if bad:
                self.check.add(
                    f"{_quote(', '.join(bad))} is not a day: use {','.join(WEEKDAYS)} "
                    "(in a monthly rule 1MO is the first Monday, -1FR the last Friday).",
                    file,
                    row,
                    "byday",
                )
            f["byday"] = ",".join(days)
        if f["bymonthday"]:
            days = [d.strip() for d in f["bymonthday"].split(",") if d.strip()]
            if not all(re.fullmatch(r"[+-]?\d{1,2}", d) and 1 <= abs(int(d)) <= 31 for d in days):
                self.check.add(
                    f"{_quote(f['bymonthday'])} is not a list of days of the month (1 to 31, "
                    "or -1 for the last).",
                    file,
                    row,
                    "bymonthday",
                )
            f["bymonthday"] = ",".join(days)

    def check_unique(self) -> None:
        """The directory's own unique rules, against the package and the program."""
        plan = self.plan

        def agency_key(record: Pending):
            ref = record.refs["agency"][1]
            found = plan.agencies.get(ref) if ref else None
            return found if isinstance(found, int) else id(found)

        def service_key(record: Pending):
            return record.refs["service"][1]

        service_hsds = {o.pk: o.hsds_id for o in self.existing["service"].values()}
        location_hsds = {o.pk: o.hsds_id for o in self.existing["location"].values()}
        rules: list[tuple[str, Callable, Callable, str, str]] = [
            (
                "service",
                lambda r: (agency_key(r), (r.fields["name"] or "").casefold()),
                lambda o: (o.agency_id, o.name.casefold()),
                "name",
                "The organization already has a service with this name",
            ),
            (
                "service_at_location",
                lambda r: (service_key(r), r.refs["location"][1]),
                lambda o: (service_hsds.get(o.service_id), location_hsds.get(o.location_id)),
                "location_id",
                "The service is already offered at this location",
            ),
            (
                "language",
                lambda r: (service_key(r), (r.fields["name"] or "").casefold()),
                lambda o: (service_hsds.get(o.service_id), o.name.casefold()),
                "name",
                "The service already lists this language",
            ),
            (
                "service_capacity",
                lambda r: (service_key(r), (r.fields["unit"] or "").casefold()),
                lambda o: (service_hsds.get(o.service_id), o.unit.casefold()),
                "unit_id",
                "The service already counts this unit",
            ),
        ]
        for table, key, old_key, column, message in rules:
            records = plan.records[table]
            incoming = {r.hsds_id for r in records}
            taken: dict[Any, str] = {
                old_key(o): "in the directory"
                for hsds, o in self.existing[table].items()
                if hsds not in incoming
            }
            for record in records:
                k = key(record)
                if None in k:
                    continue
                if k in taken:
                    self.check.add(f"{message} ({taken[k]}).", record.file, record.row, column)
                else:
                    taken[k] = _row_words(record.row)
