"""Export the directory as an HSDS 3 data package.

`export_package(program, fmt="csv")` is a zip of one CSV per table (tables.py) and
`datapackage.json`; `fmt="json"` is a zip of `services.json`, the program's services
as full HSDS service objects, exactly as the HSDS API answers for each one.

Cells are written as they are: a data package is read by programs, not opened as a
spreadsheet, so no formula guard is added (a longitude of -92.3 stays -92.3).
"""

import csv
import datetime
import decimal
import io
import json
import uuid
import zipfile

from django.utils import timezone

from citkit.core.models import Program
from citkit.partners.models import Agency, AgencyType
from citkit.partnerships.hsds import derived_id, organization_id
from citkit.partnerships.hsds.tables import (
    BY_NAME,
    PARTNER_TYPE_TAXONOMY,
    SERVICE_TYPE_TAXONOMY,
    TABLES,
    datapackage,
)
from citkit.partnerships.models import (
    Capacity,
    Contact,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceType,
)

FORMATS = ("csv", "json")

TAXONOMIES = {
    SERVICE_TYPE_TAXONOMY: ("What kind of crisis service a service is (citkit).", ServiceType),
    PARTNER_TYPE_TAXONOMY: ("What kind of partner an organization is (citkit).", AgencyType),
}


def taxonomy_id(taxonomy: str) -> uuid.UUID:
    return derived_id("taxonomy", taxonomy)


def term_id(taxonomy: str, code: str) -> uuid.UUID:
    return derived_id("term", taxonomy, code)


def unit_id(unit: str) -> uuid.UUID:
    # By name alone (case folded): the same unit in every program and every export.
    return derived_id("unit", unit.strip().casefold())


def attribute_id(link_id: uuid.UUID | str, taxonomy: str) -> uuid.UUID:
    return derived_id("attribute", link_id, taxonomy)


def address_id(location_hsds_id: uuid.UUID | str) -> uuid.UUID:
    return derived_id("address", location_hsds_id)


def cell(value) -> str:
    """A value as HSDS writes it in a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return iso_datetime(value)
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    return str(value)


def iso_datetime(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def has_address(location: Location) -> bool:
    return any(
        (
            location.address_1,
            location.address_2,
            location.city,
            location.region,
            location.state_province,
            location.postal_code,
            location.country,
        )
    )


def _org(program: Program, agency_pk: int | None) -> uuid.UUID | None:
    return organization_id(program.slug, agency_pk) if agency_pk else None


def table_rows(program: Program) -> dict[str, list[dict]]:
    """Every table of the package as lists of rows ({column: cell text}), in a fixed
    order (by id), read with one query per table."""
    slug_org = lambda pk: _org(program, pk)  # noqa: E731
    rows: dict[str, list[dict]] = {t.name: [] for t in TABLES}

    agencies = list(Agency.objects.filter(program=program).order_by("id"))
    for agency in agencies:
        org = slug_org(agency.pk)
        rows["organization"].append(
            {
                "id": org,
                "name": agency.name,
                "alternate_name": "",
                "description": agency.get_agency_type_display(),
                "email": agency.email,
                "website": agency.website,
            }
        )
        rows["attribute"].append(
            _attribute(org, "organization", PARTNER_TYPE_TAXONOMY, agency.agency_type)
        )

    for service in Service.objects.filter(program=program).order_by("hsds_id"):
        rows["service"].append(
            {
                "id": service.hsds_id,
                "organization_id": slug_org(service.agency_id),
                "name": service.name,
                "alternate_name": service.alternate_name,
                "description": service.description,
                "url": service.url,
                "email": service.email,
                "status": service.status,
                "interpretation_services": service.interpretation_services,
                "application_process": service.application_process,
                "fees_description": service.fees_description,
                "eligibility_description": service.eligibility_description,
                "minimum_age": service.minimum_age,
                "maximum_age": service.maximum_age,
                "last_modified": service.updated_at,
            }
        )
        rows["attribute"].append(
            _attribute(service.hsds_id, "service", SERVICE_TYPE_TAXONOMY, service.service_type)
        )

    services = dict(Service.objects.filter(program=program).values_list("id", "hsds_id"))
    locations = dict(Location.objects.filter(program=program).values_list("id", "hsds_id"))
    contacts = dict(Contact.objects.filter(program=program).values_list("id", "hsds_id"))

    for location in Location.objects.filter(program=program).order_by("hsds_id"):
        rows["location"].append(
            {
                "id": location.hsds_id,
                "location_type": location.location_type,
                "organization_id": slug_org(location.agency_id),
                "name": location.name,
                "alternate_name": location.alternate_name,
                "description": location.description,
                "transportation": location.transportation,
                "latitude": location.latitude,
                "longitude": location.longitude,
            }
        )
        if has_address(location):
            rows["address"].append(
                {
                    "id": address_id(location.hsds_id),
                    "location_id": location.hsds_id,
                    "attention": "",
                    "address_1": location.address_1,
                    "address_2": location.address_2,
                    "city": location.city,
                    "region": location.region,
                    "state_province": location.state_province,
                    "postal_code": location.postal_code,
                    "country": location.country,
                    "address_type": location.location_type,
                }
            )

    for sal in ServiceAtLocation.objects.filter(program=program).order_by("hsds_id"):
        rows["service_at_location"].append(
            {
                "id": sal.hsds_id,
                "service_id": services[sal.service_id],
                "location_id": locations[sal.location_id],
                "description": sal.description,
            }
        )
    for contact in Contact.objects.filter(program=program).order_by("hsds_id"):
        rows["contact"].append(
            {
                "id": contact.hsds_id,
                "organization_id": slug_org(contact.agency_id),
                "service_id": services.get(contact.service_id),
                "location_id": locations.get(contact.location_id),
                "name": contact.name,
                "title": contact.title,
                "department": contact.department,
                "email": contact.email,
            }
        )
    for phone in Phone.objects.filter(program=program).order_by("hsds_id"):
        rows["phone"].append(
            {
                "id": phone.hsds_id,
                "organization_id": slug_org(phone.agency_id),
                "service_id": services.get(phone.service_id),
                "location_id": locations.get(phone.location_id),
                "contact_id": contacts.get(phone.contact_id),
                "number": phone.number,
                "extension": phone.extension,
                "type": phone.phone_type,
                "description": phone.description,
            }
        )
    for schedule in Schedule.objects.filter(program=program).order_by("hsds_id"):
        rows["schedule"].append(
            {
                "id": schedule.hsds_id,
                "service_id": services.get(schedule.service_id),
                "location_id": locations.get(schedule.location_id),
                "service_at_location_id": None,
                "valid_from": schedule.valid_from,
                "valid_to": schedule.valid_to,
                "dtstart": schedule.dtstart,
                "until": schedule.until,
                "freq": schedule.freq,
                "interval": schedule.interval,
                "byday": schedule.byday,
                "bymonthday": schedule.bymonthday,
                "opens_at": schedule.opens_at,
                "closes_at": schedule.closes_at,
                "description": schedule.description,
                "notes": schedule.notes,
            }
        )
    for area in ServiceArea.objects.filter(program=program).order_by("hsds_id"):
        rows["service_area"].append(
            {
                "id": area.hsds_id,
                "service_id": services[area.service_id],
                "name": area.name,
                "description": area.description,
                "extent": area.extent,
                "extent_type": area.extent_type,
            }
        )
    for language in Language.objects.filter(program=program).order_by("hsds_id"):
        rows["language"].append(
            {
                "id": language.hsds_id,
                "service_id": services[language.service_id],
                "location_id": None,
                "phone_id": None,
                "name": language.name,
                "code": language.code,
                "note": language.note,
            }
        )
    units: dict[uuid.UUID, str] = {}
    for capacity in Capacity.objects.filter(program=program).order_by("hsds_id"):
        unit = unit_id(capacity.unit)
        units.setdefault(unit, capacity.unit)
        rows["service_capacity"].append(
            {
                "id": capacity.hsds_id,
                "service_id": services[capacity.service_id],
                "unit_id": unit,
                "available": capacity.available,
                "maximum": capacity.maximum,
                "description": capacity.description,
                "updated": capacity.updated,
            }
        )
    for unit, name in sorted(units.items(), key=lambda item: str(item[0])):
        rows["unit"].append({"id": unit, "name": name, "scheme": "", "identifier": "", "uri": ""})

    for taxonomy, (description, choices) in TAXONOMIES.items():
        rows["taxonomy"].append(
            {
                "id": taxonomy_id(taxonomy),
                "name": taxonomy,
                "description": description,
                "uri": "",
                "version": "",
            }
        )
        for code, label in choices.choices:
            rows["taxonomy_term"].append(
                {
                    "id": term_id(taxonomy, code),
                    "code": code,
                    "name": str(label),
                    "description": str(label),
                    "parent_id": None,
                    "taxonomy": taxonomy,
                    "taxonomy_id": taxonomy_id(taxonomy),
                    "language": "en",
                    "term_uri": "",
                }
            )
    rows["attribute"].sort(key=lambda row: str(row["id"]))
    return {
        name: [{k: cell(v) for k, v in row.items()} for row in table]
        for name, table in rows.items()
    }


def _attribute(link_id, entity: str, taxonomy: str, code: str) -> dict:
    return {
        "id": attribute_id(link_id, taxonomy),
        "link_id": link_id,
        "taxonomy_term_id": term_id(taxonomy, code),
        "link_type": "service_type" if entity == "service" else "organization_type",
        "link_entity": entity,
        "value": code,
        "label": taxonomy,
    }


def _write_csv(table_name: str, rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=BY_NAME[table_name].header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def export_package(program: Program, fmt: str = "csv") -> bytes:
    """The program's whole directory as an HSDS data package (a zip)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    if fmt == "json":
        return _zip({"services.json": json.dumps(service_objects(program), indent=1).encode()})
    rows = table_rows(program)
    descriptor = datapackage(
        name=f"citkit-{program.slug}-directory",
        title=f"{program.name}: crisis services directory",
        created=iso_datetime(timezone.now()),
    )
    files = {"datapackage.json": json.dumps(descriptor, indent=2).encode()}
    for table in TABLES:
        files[table.path] = _write_csv(table.name, rows[table.name])
    return _zip(files)


def service_objects(program: Program, user=None) -> list[dict]:
    """Every service as the HSDS API's full service object (what `fmt="json"` holds)."""
    from citkit.partnerships.hsds.api import HsdsServiceSerializer, services_for

    services = services_for(user, program).order_by("name", "id")
    return list(HsdsServiceSerializer(services, many=True, context={"program": program}).data)


def filename(program: Program, fmt: str) -> str:
    return f"{program.slug}-hsds-{fmt}.zip"
