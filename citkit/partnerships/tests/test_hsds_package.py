"""HSDS 3 data packages: export, import (all or nothing), the round trip, the commands."""

import csv
import datetime
import decimal
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.http import Http404

from citkit.core.models import AuditEntry, Role
from citkit.partners.models import Agency
from citkit.partnerships.hsds import organization_id
from citkit.partnerships.hsds.export import export_package
from citkit.partnerships.hsds.importing import HsdsImportError, import_package
from citkit.partnerships.hsds.tables import TABLES
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
)
from citkit.partnerships.tests import hsds_samples as samples
from citkit.testing.factories import AgencyFactory, ProgramFactory

DIRECTORY_MODELS = (
    Service,
    Location,
    ServiceAtLocation,
    Contact,
    Phone,
    Schedule,
    ServiceArea,
    Language,
    Capacity,
)


def directory_count(program) -> int:
    return sum(m.objects.filter(program=program).count() for m in DIRECTORY_MODELS)


def tables_of(content: bytes) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        return {
            r["name"]: list(csv.DictReader(io.StringIO(archive.read(r["path"]).decode())))
            for r in descriptor["resources"]
        }


def comparable(content: bytes) -> dict[str, list[dict]]:
    """The tables with what must differ between programs taken out: the organizations'
    ids (derived from each program's own agencies) become their names, and the times
    the records were last changed are dropped."""
    tables = tables_of(content)
    names = {row["id"]: f"org:{row['name']}" for row in tables["organization"]}
    out = {}
    for name, rows in tables.items():
        kept = []
        for row in rows:
            row = {k: names.get(v, v) for k, v in row.items() if k != "last_modified"}
            if name == "attribute" and row["link_entity"] == "organization":
                row["id"] = f"attribute of {row['link_id']}"
            kept.append(row)
        out[name] = sorted(kept, key=lambda r: json.dumps(r, sort_keys=True))
    return out


def entries(program, action=None):
    found = AuditEntry.objects.filter(program=program)
    return found.filter(action=action) if action else found


@pytest.fixture
def full_directory(program_a, clinic_a, police_a):
    """Every kind of directory record, with every field filled in somewhere."""
    program = program_a
    line = Service.objects.create(
        program=program,
        agency=clinic_a,
        name="Riverbend Crisis Line",
        alternate_name="988 local",
        service_type="crisis_line",
        description="Someone to talk to, any hour.",
        url="https://rbh.example.org/crisis",
        email="line@rbh.example.org",
        interpretation_services="Language Line",
        application_process="Call 988.",
        fees_description="Free",
        eligibility_description="Anyone",
    )
    csu = Service.objects.create(
        program=program,
        agency=clinic_a,
        name="Crisis Stabilization Unit",
        service_type="crisis_stabilization",
        status="temporarily closed",
        minimum_age=18,
        maximum_age=64,
    )
    drop_off = Service.objects.create(
        program=program, agency=police_a, name="Officer drop-off", service_type="law_enforcement"
    )
    clinic = Location.objects.create(
        program=program,
        agency=clinic_a,
        name="RBH Main Clinic",
        alternate_name="Main",
        description="Ground floor",
        transportation="Bus 4",
        address_1="1200 Main St",
        address_2="Suite 100",
        city="Riverbend",
        region="Central",
        state_province="MO",
        postal_code="65201",
        country="US",
        latitude=decimal.Decimal("38.951705"),
        longitude=decimal.Decimal("-92.328636"),
    )
    virtual = Location.objects.create(program=program, name="Telehealth", location_type="virtual")
    ServiceAtLocation.objects.create(
        program=program, service=line, location=clinic, description="Call center"
    )
    ServiceAtLocation.objects.create(program=program, service=csu, location=clinic)
    contact = Contact.objects.create(
        program=program,
        service=csu,
        name="Jordan Price",
        title="Charge nurse",
        department="CSU",
        email="csu@rbh.example.org",
    )
    Contact.objects.create(program=program, agency=police_a, name="Sgt. Lee")
    Phone.objects.create(program=program, service=line, number="988", description="24/7")
    Phone.objects.create(
        program=program, service=csu, number="(573) 555-0140", extension="12", phone_type="fax"
    )
    Phone.objects.create(program=program, contact=contact, number="(573) 555-0141")
    Phone.objects.create(program=program, location=clinic, number="(573) 555-0150")
    Phone.objects.create(program=program, agency=police_a, number="(573) 555-0911")
    # Around the clock, overnight, weekdays at a location, monthly, a season.
    Schedule.objects.create(
        program=program,
        service=line,
        byday="MO,TU,WE,TH,FR,SA,SU",
        opens_at=datetime.time(0),
        closes_at=datetime.time(0),
        description="Open 24 hours",
    )
    Schedule.objects.create(
        program=program,
        service=csu,
        byday="FR,SA",
        opens_at=datetime.time(19),
        closes_at=datetime.time(7),
        notes="Overnight",
    )
    Schedule.objects.create(
        program=program,
        location=clinic,
        byday="MO,TU,WE,TH,FR",
        opens_at=datetime.time(8, 30),
        closes_at=datetime.time(17),
    )
    Schedule.objects.create(
        program=program,
        service=drop_off,
        freq="MONTHLY",
        interval=2,
        byday="1MO",
        bymonthday="",
        dtstart=datetime.date(2025, 1, 6),
        until=datetime.date(2026, 12, 31),
        valid_from=datetime.date(2025, 1, 1),
        valid_to=datetime.date(2026, 12, 31),
        opens_at=datetime.time(18),
        closes_at=datetime.time(20),
    )
    Schedule.objects.create(
        program=program, service=drop_off, freq="MONTHLY", bymonthday="1,15", opens_at=None
    )
    ServiceArea.objects.create(
        program=program,
        service=line,
        name="Riverbend County",
        description="All of it",
        extent="65201,65202",
        extent_type="text",
    )
    Language.objects.create(program=program, service=line, name="Spanish", code="es", note="24/7")
    Language.objects.create(program=program, service=line, name="English", code="en")
    Capacity.objects.create(
        program=program,
        service=csu,
        unit="beds",
        available=3,
        maximum=16,
        description="Adult beds",
        updated=datetime.datetime(2025, 3, 1, 6, 30, 15, 250000, tzinfo=datetime.UTC),
    )
    Capacity.objects.create(
        program=program,
        service=csu,
        unit="chairs",
        available=2,
        updated=datetime.datetime(2025, 3, 1, 6, 30, tzinfo=datetime.UTC),
    )
    del virtual
    return program


# --- Export ---------------------------------------------------------------------------


def test_an_export_is_a_zip_of_every_table_and_its_descriptor(full_directory):
    content = export_package(full_directory)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        descriptor = json.loads(archive.read("datapackage.json"))
    assert names == {"datapackage.json"} | {t.path for t in TABLES}
    assert descriptor["profile"] == "tabular-data-package"
    service = next(r for r in descriptor["resources"] if r["name"] == "service")
    assert service["path"] == "services.csv"
    status = next(f for f in service["schema"]["fields"] if f["name"] == "status")
    assert status["constraints"]["enum"] == ["active", "inactive", "defunct", "temporarily closed"]


def test_an_export_gives_each_agency_the_same_organization_id_every_time(full_directory, clinic_a):
    first, second = (
        tables_of(export_package(full_directory)),
        tables_of(export_package(full_directory)),
    )
    assert first["organization"] == second["organization"]
    clinic = next(r for r in first["organization"] if r["name"] == clinic_a.name)
    assert clinic["id"] == str(organization_id(full_directory.slug, clinic_a.pk))


def test_types_travel_as_taxonomy_terms_and_schedules_as_hours(full_directory):
    tables = tables_of(export_package(full_directory))
    line = next(r for r in tables["service"] if r["name"] == "Riverbend Crisis Line")
    attribute = next(r for r in tables["attribute"] if r["link_id"] == line["id"])
    term = next(r for r in tables["taxonomy_term"] if r["id"] == attribute["taxonomy_term_id"])
    assert (term["taxonomy"], term["code"]) == ("citkit-service-type", "crisis_line")
    overnight = next(r for r in tables["schedule"] if r["notes"] == "Overnight")
    assert (overnight["opens_at"], overnight["closes_at"], overnight["byday"]) == (
        "19:00",
        "07:00",
        "FR,SA",
    )


def test_the_json_form_holds_full_service_objects(full_directory):
    content = export_package(full_directory, fmt="json")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        services = json.loads(archive.read("services.json"))
    csu = next(s for s in services if s["name"] == "Crisis Stabilization Unit")
    assert csu["organization"]["name"] == "Riverbend Behavioral Health"
    assert {c["unit"]["name"] for c in csu["capacities"]} == {"beds", "chairs"}
    assert csu["service_at_locations"][0]["location"]["addresses"][0]["city"] == "Riverbend"
    assert csu["schedules"][0]["closes_at"] == "07:00"


# --- The sample package ------------------------------------------------------------------


def test_the_sample_package_is_imported_with_every_table_we_keep(program_a):
    counts = import_package(actor=None, program=program_a, content=samples.package())

    assert counts["tables"]["services"]["created"] == 4
    assert counts["tables"]["organizations"]["created"] == 2
    line = Service.objects.get(program=program_a, hsds_id=samples.SVC_LINE)
    assert line.service_type == "crisis_line"
    assert line.agency.name == "Riverbend Behavioral Health"
    assert line.agency.agency_type == "mental_health"
    assert Service.objects.get(hsds_id=samples.SVC_ED).service_type == "other"
    assert Service.objects.get(hsds_id=samples.SVC_ED).agency.agency_type == "other"
    csu = Service.objects.get(hsds_id=samples.SVC_CSU)
    assert (csu.minimum_age, csu.maximum_age) == (18, 64)
    # The physical address of the two the CSU has; the coordinates as given.
    unit = Location.objects.get(hsds_id=samples.LOC_CSU)
    assert unit.address_1 == "40 Elm St"
    assert Location.objects.get(hsds_id=samples.LOC_CLINIC).latitude == decimal.Decimal("38.951705")
    assert Schedule.objects.get(service=line).is_24_7
    night = Schedule.objects.get(service__hsds_id=samples.SVC_MOBILE)
    assert (night.opens_at, night.closes_at) == (datetime.time(19), datetime.time(7))
    # A schedule given for a service at a location belongs to that service.
    assert Schedule.objects.get(byday="1MO").service == csu
    # The location's language is not kept; the service's are.
    assert set(line.languages.values_list("name", flat=True)) == {"English", "Spanish"}
    assert Language.objects.filter(program=program_a).count() == 2
    assert Capacity.objects.get(service=csu).unit == "beds"
    assert Phone.objects.get(number="(573) 555-0141").contact.name == "Jordan Price"
    assert Phone.objects.get(number="(573) 555-0300").agency.name == "St. Anne's Regional Hospital"


def test_each_record_imported_has_its_audit_entry(program_a):
    import_package(actor=None, program=program_a, content=samples.package())
    created = directory_count(program_a) + 2  # and the two agencies
    assert entries(program_a, AuditEntry.Action.IMPORT).count() == created


def test_an_organization_is_the_agency_of_the_same_name(program_a, clinic_a):
    import_package(actor=None, program=program_a, content=samples.package())
    assert Service.objects.get(hsds_id=samples.SVC_LINE).agency == clinic_a
    assert Agency.objects.filter(program=program_a, name=clinic_a.name).count() == 1


def test_importing_the_same_package_again_changes_nothing(program_a):
    import_package(actor=None, program=program_a, content=samples.package())
    before = entries(program_a).count()
    counts = import_package(actor=None, program=program_a, content=samples.package())
    assert (counts["created"], counts["updated"]) == (0, 0)
    assert entries(program_a).count() == before


def test_a_changed_field_updates_the_record_with_one_entry(program_a):
    import_package(actor=None, program=program_a, content=samples.package())
    changed = samples.replace_cell("services.csv", 3, "description", "Now with peer support.")
    counts = import_package(
        actor=None, program=program_a, content=samples.package({"services.csv": changed})
    )
    assert counts["updated"] == 1
    assert Service.objects.get(hsds_id=samples.SVC_MOBILE).description == "Now with peer support."
    update = entries(program_a, AuditEntry.Action.UPDATE).get()
    assert update.after["description"] == "Now with peer support."


def test_a_package_zipped_in_a_folder_is_read(program_a):
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(samples.package())) as source,
        zipfile.ZipFile(buffer, "w") as archive,
    ):
        for name in source.namelist():
            archive.writestr(f"riverbend/{name}", source.read(name))
    counts = import_package(actor=None, program=program_a, content=buffer.getvalue())
    assert counts["tables"]["services"]["created"] == 4


# --- The round trip ---------------------------------------------------------------------


def test_a_package_exported_and_imported_elsewhere_exports_the_same(full_directory):
    first = export_package(full_directory)
    elsewhere = ProgramFactory(slug="elsewhere", name="Elsewhere CIT")

    import_package(actor=None, program=elsewhere, content=first)

    assert directory_count(elsewhere) == directory_count(full_directory)
    assert comparable(export_package(elsewhere)) == comparable(first)


def test_a_program_importing_its_own_export_changes_nothing(full_directory):
    content = export_package(full_directory)
    before = entries(full_directory).count()
    counts = import_package(actor=None, program=full_directory, content=content)
    assert counts["created"] == 0 and counts["updated"] == 0
    assert entries(full_directory).count() == before


def test_the_json_form_imports_the_same_directory(full_directory):
    elsewhere = ProgramFactory(slug="elsewhere", name="Elsewhere CIT")
    import_package(
        actor=None, program=elsewhere, content=export_package(full_directory, fmt="json")
    )
    kept = ("service", "schedule", "phone", "language", "service_capacity", "service_area")
    ours, theirs = comparable(export_package(full_directory)), comparable(export_package(elsewhere))
    # The JSON form holds services and what hangs on them, not a location's own hours
    # and phones or an agency's own contacts.
    for table in kept:
        mine = [
            r
            for r in ours[table]
            if not (table in ("schedule", "phone") and not r.get("service_id"))
        ]
        assert theirs[table] == mine, table


# --- Refusals ----------------------------------------------------------------------------


def refused(program, content) -> list[str]:
    before = (directory_count(program), Agency.objects.filter(program=program).count())
    with pytest.raises(HsdsImportError) as caught:
        import_package(actor=None, program=program, content=content)
    assert (directory_count(program), Agency.objects.filter(program=program).count()) == before
    assert not entries(program).exists()
    return [str(p) for p in caught.value.problems]


def test_a_file_that_is_no_zip_is_refused(program_a):
    assert "not a zip archive" in refused(program_a, b"id,name\n1,x\n")[0]


def test_a_package_without_its_descriptor_is_refused(program_a):
    content = samples.package(with_descriptor=False)
    assert "no datapackage.json" in refused(program_a, content)[0]


def test_a_package_without_services_is_refused_by_name(program_a):
    problems = refused(program_a, samples.package({"services.csv": None}))
    assert problems == [
        "services.csv: The package has no services.csv (the service table), which an import needs."
    ]


def test_a_bad_uuid_is_named_by_file_row_and_field(program_a):
    bad = samples.replace_cell("services.csv", 3, "id", "not-a-uuid")
    problems = refused(program_a, samples.package({"services.csv": bad}))
    assert 'services.csv row 3, field "id": "not-a-uuid" is not a UUID.' in problems


def test_an_organization_id_that_names_nothing_is_refused(program_a):
    bad = samples.replace_cell(
        "services.csv", 2, "organization_id", "00000000-0000-4000-8000-000000000000"
    )
    problems = refused(program_a, samples.package({"services.csv": bad}))
    assert problems == [
        'services.csv row 2, field "organization_id": No organization has the id '
        "00000000-0000-4000-8000-000000000000 (it is not in organizations.csv)."
    ]


def test_a_status_hsds_does_not_know_is_refused(program_a):
    bad = samples.replace_cell("services.csv", 4, "status", "open")
    problems = refused(program_a, samples.package({"services.csv": bad}))
    assert problems == [
        'services.csv row 4, field "status": "open" is not one of active, inactive, '
        "defunct, temporarily closed."
    ]


def test_a_maximum_age_below_the_minimum_is_refused(program_a):
    bad = samples.replace_cell("services.csv", 4, "maximum_age", "10")
    problems = refused(program_a, samples.package({"services.csv": bad}))
    assert problems == [
        'services.csv row 4, field "maximum_age": 10 is below the minimum age (18).'
    ]


def test_every_problem_of_the_package_is_listed_at_once(program_a):
    services = samples.replace_cell("services.csv", 2, "name", "")
    locations = samples.replace_cell("locations.csv", 2, "latitude", "138.2")
    schedules = samples.replace_cell("schedules.csv", 3, "opens_at", "7pm")
    capacity = samples.replace_cell("service_capacity.csv", 2, "available", "20")
    phones = samples.replace_cell("phones.csv", 3, "id", "6e7f8091-a2b3-44c5-96d7-e8f9a0b1c201")
    problems = refused(
        program_a,
        samples.package(
            {
                "services.csv": services,
                "locations.csv": locations,
                "schedules.csv": schedules,
                "service_capacity.csv": capacity,
                "phones.csv": phones,
            }
        ),
    )
    assert set(problems) == {
        'services.csv row 2, field "name": A value is required.',
        'locations.csv row 2, field "latitude": 138.2 is not a latitude: it lies between -90 '
        "and 90.",
        'schedules.csv row 3, field "opens_at": "7pm" is not a time as HH:MM.',
        'service_capacity.csv row 2, field "available": 20 are available, more than the '
        "maximum (16).",
        'phones.csv row 3, field "id": 6e7f8091-a2b3-44c5-96d7-e8f9a0b1c201 is also the id '
        "of row 2.",
    }


def test_two_services_of_one_organization_may_not_share_a_name(program_a):
    bad = samples.replace_cell("services.csv", 3, "name", "Riverbend Crisis Line")
    problems = refused(program_a, samples.package({"services.csv": bad}))
    assert problems == [
        'services.csv row 3, field "name": The organization already has a service with this '
        "name (row 2)."
    ]


def test_a_term_of_our_taxonomy_must_be_one_of_our_types(program_a):
    bad = samples.replace_cell("taxonomy_terms.csv", 2, "code", "hotline")
    problems = refused(program_a, samples.package({"taxonomy_terms.csv": bad}))
    assert len(problems) == 1
    assert problems[0].startswith(
        'taxonomy_terms.csv row 2, field "code": "hotline" is not a term of citkit-service-type'
    )


def test_a_field_too_long_for_the_directory_is_refused(program_a):
    bad = samples.replace_cell("addresses.csv", 2, "country", "USA")
    problems = refused(program_a, samples.package({"addresses.csv": bad}))
    assert problems == [
        'addresses.csv row 2, field "country": Ensure this value has at most 2 characters '
        "(it has 3)."
    ]


# --- Who may import ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.AGENCY_ADMIN, Role.OFFICER, Role.COMMITTEE_MEMBER, Role.DISPATCHER]
)
def test_only_a_coordinator_may_import_before_the_file_is_read(program_a, members, role):
    with pytest.raises(PermissionDenied):
        import_package(actor=members[role], program=program_a, content=b"not a zip")
    assert not Service.objects.filter(program=program_a).exists()


def test_an_outsider_is_told_nothing(program_a, outsider):
    with pytest.raises(Http404):
        import_package(actor=outsider, program=program_a, content=samples.package())


def test_a_coordinator_imports_in_their_own_name(program_a, coordinator):
    import_package(actor=coordinator, program=program_a, content=samples.package())
    assert set(entries(program_a).values_list("actor", flat=True)) == {coordinator.pk}


# --- The commands -----------------------------------------------------------------------


def test_the_export_command_writes_the_package(full_directory, tmp_path):
    target = tmp_path / "directory.zip"
    call_command("hsds_export", full_directory.slug, "--format", "csv", "-o", str(target))
    assert comparable(target.read_bytes()) == comparable(export_package(full_directory))


def test_the_import_command_prints_the_counts(program_a, tmp_path):
    source = tmp_path / "sample.zip"
    source.write_bytes(samples.package())
    out = io.StringIO()
    call_command("hsds_import", program_a.slug, str(source), stdout=out)
    assert "services: 4 created, 0 updated, 0 unchanged" in out.getvalue()
    assert Service.objects.filter(program=program_a).count() == 4


def test_the_import_command_lists_the_problems_and_fails(program_a, tmp_path):
    source = tmp_path / "bad.zip"
    bad = samples.replace_cell("services.csv", 4, "status", "open")
    source.write_bytes(samples.package({"services.csv": bad}))
    with pytest.raises(CommandError) as caught:
        call_command("hsds_import", program_a.slug, str(source), stdout=io.StringIO())
    assert 'services.csv row 4, field "status"' in str(caught.value)
    assert not Service.objects.filter(program=program_a).exists()


def test_an_unknown_program_is_refused_by_the_commands(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("hsds_export", "nowhere", "-o", str(tmp_path / "x.zip"))


def test_an_agency_of_another_program_is_never_matched(program_a, program_b):
    AgencyFactory(program=program_b, name="Riverbend Behavioral Health")
    import_package(actor=None, program=program_a, content=samples.package())
    line = Service.objects.get(hsds_id=samples.SVC_LINE)
    assert line.agency.program == program_a
