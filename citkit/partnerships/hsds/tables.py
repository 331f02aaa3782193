"""The HSDS 3 tables and fields the directory reads and writes.

Open Referral's Human Services Data Specification has more tables and fields than
a CIT directory keeps (funding, programs, accessibility, metadata, ...). These are
the ones we export and read back; a package may hold others, which the import
ignores. Field names, file names and the choices of each field follow HSDS 3.1;
`required` marks what the import needs to make a record of ours, which for a few
tables is less than HSDS asks of a publisher (an address without a city is still
an address we can keep).

Each table becomes one CSV file and one resource of `datapackage.json` (a
Frictionless tabular data package: name, path, schema.fields, primaryKey,
foreignKeys).
"""

from dataclasses import dataclass, field

from citkit.partnerships.models import (
    Frequency,
    LocationType,
    PhoneType,
    ServiceStatus,
)

HSDS_VERSION = "3.1"


@dataclass(frozen=True)
class Column:
    name: str
    # uuid, string, text, email, uri, integer, number, date, time, datetime
    kind: str = "string"
    required: bool = False
    choices: tuple[str, ...] = ()
    description: str = ""

    def schema(self) -> dict:
        """The Frictionless field descriptor of the column."""
        types = {
            "uuid": {"type": "string", "format": "uuid"},
            "string": {"type": "string"},
            "email": {"type": "string", "format": "email"},
            "uri": {"type": "string", "format": "uri"},
            "integer": {"type": "integer"},
            "number": {"type": "number"},
            "date": {"type": "date"},
            # HSDS writes opening times as HH:MM.
            "time": {"type": "time", "format": "%H:%M"},
            "datetime": {"type": "datetime"},
        }
        out: dict = {"name": self.name, **types[self.kind]}
        if self.description:
            out["description"] = self.description
        constraints: dict = {}
        if self.required:
            constraints["required"] = True
        if self.name == "id":
            constraints["unique"] = True
        if self.choices:
            constraints["enum"] = list(self.choices)
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    columns: tuple[Column, ...]
    description: str = ""
    # Column -> table it names by id.
    foreign_keys: dict[str, str] = field(default_factory=dict)
    # A package without this file is refused.
    required_file: bool = False

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def resource(self) -> dict:
        schema: dict = {"fields": [c.schema() for c in self.columns], "primaryKey": "id"}
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": column, "reference": {"resource": table, "fields": "id"}}
                for column, table in self.foreign_keys.items()
            ]
        return {
            "name": self.name,
            "path": self.path,
            "description": self.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "schema": schema,
        }


ID = Column("id", "uuid", required=True)


def _ref(name: str, required: bool = False) -> Column:
    return Column(name, "uuid", required=required)


TABLES: tuple[Table, ...] = (
    Table(
        "organization",
        "organizations.csv",
        (
            ID,
            Column("name", required=True),
            Column("alternate_name"),
            Column("description"),
            Column("email", "email"),
            Column("website", "uri"),
        ),
        description="The partner agencies that offer the services.",
        required_file=True,
    ),
    Table(
        "service",
        "services.csv",
        (
            ID,
            _ref("organization_id", required=True),
            Column("name", required=True),
            Column("alternate_name"),
            Column("description"),
            Column("url", "uri"),
            Column("email", "email"),
            Column("status", required=True, choices=tuple(ServiceStatus.values)),
            Column("interpretation_services"),
            Column("application_process"),
            Column("fees_description"),
            Column("eligibility_description"),
            Column("minimum_age", "integer"),
            Column("maximum_age", "integer"),
            Column("last_modified", "datetime"),
        ),
        description="The crisis services of the directory.",
        foreign_keys={"organization_id": "organization"},
        required_file=True,
    ),
    Table(
        "location",
        "locations.csv",
        (
            ID,
            Column("location_type", required=True, choices=tuple(LocationType.values)),
            _ref("organization_id"),
            Column("name", required=True),
            Column("alternate_name"),
            Column("description"),
            Column("transportation"),
            Column("latitude", "number"),
            Column("longitude", "number"),
        ),
        description="Where services are delivered.",
        foreign_keys={"organization_id": "organization"},
    ),
    Table(
        "address",
        "addresses.csv",
        (
            ID,
            _ref("location_id", required=True),
            Column("attention"),
            Column("address_1"),
            Column("address_2"),
            Column("city"),
            Column("region"),
            Column("state_province"),
            Column("postal_code"),
            Column("country"),
            Column("address_type", choices=tuple(LocationType.values)),
        ),
        description="The address of each location (one kept per location).",
        foreign_keys={"location_id": "location"},
    ),
    Table(
        "service_at_location",
        "service_at_locations.csv",
        (
            ID,
            _ref("service_id", required=True),
            _ref("location_id", required=True),
            Column("description"),
        ),
        description="Which service is offered at which location.",
        foreign_keys={"service_id": "service", "location_id": "location"},
    ),
    Table(
        "contact",
        "contacts.csv",
        (
            ID,
            _ref("organization_id"),
            _ref("service_id"),
            _ref("location_id"),
            Column("name"),
            Column("title"),
            Column("department"),
            Column("email", "email"),
        ),
        description="People to ask for at an organization, service or location.",
        foreign_keys={
            "organization_id": "organization",
            "service_id": "service",
            "location_id": "location",
        },
    ),
    Table(
        "phone",
        "phones.csv",
        (
            ID,
            _ref("organization_id"),
            _ref("service_id"),
            _ref("location_id"),
            _ref("contact_id"),
            Column("number", required=True),
            Column("extension"),
            Column("type", choices=tuple(PhoneType.values)),
            Column("description"),
        ),
        description="Telephone numbers of organizations, services, locations and contacts.",
        foreign_keys={
            "organization_id": "organization",
            "service_id": "service",
            "location_id": "location",
            "contact_id": "contact",
        },
    ),
    Table(
        "schedule",
        "schedules.csv",
        (
            ID,
            _ref("service_id"),
            _ref("location_id"),
            _ref("service_at_location_id"),
            Column("valid_from", "date"),
            Column("valid_to", "date"),
            Column("dtstart", "date"),
            Column("until", "date"),
            Column("freq", choices=tuple(Frequency.values)),
            Column("interval", "integer"),
            Column("byday"),
            Column("bymonthday"),
            Column("opens_at", "time"),
            Column("closes_at", "time"),
            Column("description"),
            Column("notes"),
        ),
        description=(
            "Opening hours as RFC 5545 recurrences, in the program's time zone. A closing "
            "time at or before the opening time ends the next day; 00:00 to 00:00 on every "
            "day is open 24 hours."
        ),
        foreign_keys={
            "service_id": "service",
            "location_id": "location",
            "service_at_location_id": "service_at_location",
        },
    ),
    Table(
        "service_area",
        "service_areas.csv",
        (
            ID,
            _ref("service_id", required=True),
            Column("name", required=True),
            Column("description"),
            Column("extent"),
            Column("extent_type"),
        ),
        description="The areas a service covers.",
        foreign_keys={"service_id": "service"},
    ),
    Table(
        "language",
        "languages.csv",
        (
            ID,
            _ref("service_id"),
            _ref("location_id"),
            _ref("phone_id"),
            Column("name", required=True),
            Column("code"),
            Column("note"),
        ),
        description="Languages a service is delivered in (the directory keeps those of services).",
        foreign_keys={"service_id": "service", "location_id": "location", "phone_id": "phone"},
    ),
    Table(
        "unit",
        "units.csv",
        (
            ID,
            Column("name", required=True),
            Column("scheme"),
            Column("identifier"),
            Column("uri", "uri"),
        ),
        description="What a capacity counts: beds, chairs, slots.",
    ),
    Table(
        "service_capacity",
        "service_capacity.csv",
        (
            ID,
            _ref("service_id", required=True),
            _ref("unit_id", required=True),
            Column("available", "integer", required=True),
            Column("maximum", "integer"),
            Column("description"),
            Column("updated", "datetime", required=True),
        ),
        description="How much of a service is free, and when that was last counted.",
        foreign_keys={"service_id": "service", "unit_id": "unit"},
    ),
    Table(
        "taxonomy",
        "taxonomies.csv",
        (
            ID,
            Column("name", required=True),
            Column("description"),
            Column("uri", "uri"),
            Column("version"),
        ),
        description="The vocabularies the attributes draw on.",
    ),
    Table(
        "taxonomy_term",
        "taxonomy_terms.csv",
        (
            ID,
            Column("code"),
            Column("name", required=True),
            Column("description"),
            _ref("parent_id"),
            Column("taxonomy"),
            _ref("taxonomy_id"),
            Column("language"),
            Column("term_uri", "uri"),
        ),
        description="The terms of each taxonomy.",
        foreign_keys={"taxonomy_id": "taxonomy"},
    ),
    Table(
        "attribute",
        "attributes.csv",
        (
            ID,
            _ref("link_id", required=True),
            _ref("taxonomy_term_id", required=True),
            Column("link_type"),
            Column("link_entity", required=True),
            Column("value"),
            Column("label"),
        ),
        description="Taxonomy terms attached to services and organizations.",
        foreign_keys={"taxonomy_term_id": "taxonomy_term"},
    ),
)

BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

# Our own vocabularies, so that a service's type and an agency's type survive a
# round trip through a system that knows only HSDS.
SERVICE_TYPE_TAXONOMY = "citkit-service-type"
PARTNER_TYPE_TAXONOMY = "citkit-partner-type"


def datapackage(*, name: str, title: str, created: str) -> dict:
    """The package descriptor (`datapackage.json`) of an export."""
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "version": HSDS_VERSION,
        "created": created,
        "homepage": "https://docs.openreferral.org/",
        "description": (
            "A crisis-services directory in Open Referral's Human Services Data "
            f"Specification (HSDS) {HSDS_VERSION}, exported by citkit."
        ),
        "resources": [t.resource() for t in TABLES],
    }
