"""The HSDS read API (`/api/programs/<program>/hsds/...`) and the HSDS pages
(download a package, import one as a job)."""

import datetime
import io
import json
import uuid
import zipfile

import pytest
from django.urls import include, path

from citkit import urls as project_urls
from citkit.core.models import Role
from citkit.partnerships.hsds import organization_id
from citkit.partnerships.hsds.export import export_package
from citkit.partnerships.hsds.views import HsdsExportView, HsdsImportView
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
from citkit.testing.queries import assert_constant_queries

# The pages as the app mounts them (partnerships/urls.py), ahead of the project's own.
urlpatterns = [
    path(
        "p/<slug:program>/partnerships/",
        include(
            [
                path("directory/hsds/export/", HsdsExportView.as_view(), name="hsds-export"),
                path("directory/hsds/import/", HsdsImportView.as_view(), name="hsds-import"),
            ]
        ),
    ),
    *project_urls.urlpatterns,
]
pages = pytest.mark.urls("citkit.partnerships.tests.test_hsds_api")

API = "/api/programs/riverbend/hsds"


def add_services(program, agency, n, *, start=0):
    """n services with one of every part, as a real directory has them."""
    for i in range(start, start + n):
        service = Service.objects.create(
            program=program, agency=agency, name=f"Service {i:03d}", service_type="crisis_line"
        )
        location = Location.objects.create(
            program=program, agency=agency, name=f"Place {i:03d}", city="Riverbend"
        )
        ServiceAtLocation.objects.create(program=program, service=service, location=location)
        Phone.objects.create(program=program, service=service, number="988")
        Phone.objects.create(program=program, location=location, number="(573) 555-0100")
        contact = Contact.objects.create(program=program, service=service, name="Desk")
        Phone.objects.create(program=program, contact=contact, number="(573) 555-0101")
        Schedule.objects.create(
            program=program,
            service=service,
            byday="MO,TU,WE,TH,FR",
            opens_at=datetime.time(9),
            closes_at=datetime.time(17),
        )
        Schedule.objects.create(program=program, location=location, byday="SA")
        ServiceArea.objects.create(program=program, service=service, name="County")
        Language.objects.create(program=program, service=service, name="Spanish", code="es")
        Capacity.objects.create(
            program=program,
            service=service,
            unit="beds",
            available=1,
            maximum=4,
            updated=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        )


@pytest.fixture
def directory(program_a, clinic_a):
    add_services(program_a, clinic_a, 3)
    return program_a


# --- Lists ---------------------------------------------------------------------------


def test_a_list_is_an_hsds_page(api_for, officer, directory):
    answer = api_for(officer).get(f"{API}/services/", {"per_page": 2})
    assert answer.status_code == 200
    body = answer.json()
    assert {k: v for k, v in body.items() if k != "contents"} == {
        "total_items": 3,
        "total_pages": 2,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    assert [s["name"] for s in body["contents"]] == ["Service 000", "Service 001"]


def test_the_last_page_and_one_past_it(api_for, officer, directory):
    client = api_for(officer)
    last = client.get(f"{API}/services/", {"per_page": 2, "page": 2}).json()
    assert (last["last_page"], last["first_page"], len(last["contents"])) == (True, False, 1)
    past = client.get(f"{API}/services/", {"per_page": 2, "page": 3}).json()
    assert (past["empty"], past["contents"]) == (True, [])


@pytest.mark.parametrize("params", [{"page": "0"}, {"per_page": "1000"}, {"page": "two"}])
def test_a_page_that_is_no_page_is_refused(api_for, officer, directory, params):
    answer = api_for(officer).get(f"{API}/services/", params)
    assert answer.status_code == 400
    assert set(answer.json()) == set(params)


def test_search_finds_names_and_descriptions(api_for, officer, directory):
    Service.objects.filter(name="Service 002").update(description="Walk-in detox")
    client = api_for(officer)
    by_text = client.get(f"{API}/services/", {"search": "detox"}).json()
    assert [s["name"] for s in by_text["contents"]] == ["Service 002"]
    by_name = client.get(f"{API}/locations/", {"search": "place 001"}).json()
    assert [loc["name"] for loc in by_name["contents"]] == ["Place 001"]


# --- Full objects ---------------------------------------------------------------------


def test_a_service_is_the_full_hsds_object_named_by_its_hsds_id(api_for, officer, directory):
    service = Service.objects.get(name="Service 001")
    answer = api_for(officer).get(f"{API}/services/{service.hsds_id}/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == str(service.hsds_id)
    assert body["organization"]["name"] == "Riverbend Behavioral Health"
    assert body["organization_id"] == body["organization"]["id"]
    assert [p["number"] for p in body["phones"]] == ["988"]
    assert body["schedules"][0]["opens_at"] == "09:00"
    assert body["service_at_locations"][0]["location"]["name"] == "Place 001"
    assert body["service_at_locations"][0]["location"]["addresses"][0]["city"] == "Riverbend"
    assert body["contacts"][0]["phones"][0]["number"] == "(573) 555-0101"
    assert body["languages"][0]["code"] == "es"
    assert body["service_areas"][0]["name"] == "County"
    assert body["capacities"][0]["unit"]["name"] == "beds"
    assert body["attributes"][0]["taxonomy_term"]["code"] == "crisis_line"


def test_the_json_package_holds_what_the_api_answers(api_for, coordinator, directory):
    service = Service.objects.get(name="Service 000")
    answer = api_for(coordinator).get(f"{API}/services/{service.hsds_id}/").json()
    with zipfile.ZipFile(io.BytesIO(export_package(directory, fmt="json"))) as archive:
        packaged = json.loads(archive.read("services.json"))
    assert next(s for s in packaged if s["id"] == answer["id"]) == answer


def test_an_organization_is_named_by_its_derived_id(api_for, officer, directory, clinic_a):
    derived = organization_id(directory.slug, clinic_a.pk)
    answer = api_for(officer).get(f"{API}/organizations/{derived}/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["name"] == clinic_a.name
    assert [s["name"] for s in body["services"]] == ["Service 000", "Service 001", "Service 002"]
    assert body["attributes"][0]["taxonomy_term"]["code"] == "mental_health"
    listed = api_for(officer).get(f"{API}/organizations/").json()
    assert str(derived) in {o["id"] for o in listed["contents"]}


def test_a_location_has_its_phones_and_hours(api_for, officer, directory):
    location = Location.objects.get(name="Place 002")
    body = api_for(officer).get(f"{API}/locations/{location.hsds_id}/").json()
    assert [p["number"] for p in body["phones"]] == ["(573) 555-0100"]
    assert body["schedules"][0]["byday"] == "SA"


def test_an_id_the_program_does_not_have_is_not_found(api_for, officer, directory):
    client = api_for(officer)
    for kind in ("services", "locations", "organizations"):
        assert client.get(f"{API}/{kind}/{uuid.uuid4()}/").status_code == 404


def test_an_outsider_sees_nothing(api_for, outsider, directory):
    service = Service.objects.first()
    client = api_for(outsider)
    assert client.get(f"{API}/services/").status_code == 404
    assert client.get(f"{API}/services/{service.hsds_id}/").status_code == 404


def test_another_programs_services_are_not_found(api_for, officer, directory, program_b, agency_b):
    add_services(program_b, agency_b, 1, start=50)
    theirs = Service.objects.get(program=program_b)
    assert api_for(officer).get(f"{API}/services/{theirs.hsds_id}/").status_code == 404
    listed = api_for(officer).get(f"{API}/services/").json()
    assert listed["total_items"] == 3


@pytest.mark.parametrize("kind", ["services", "locations", "organizations"])
def test_a_page_of_fifty_costs_the_queries_of_one(api_for, officer, program_a, clinic_a, kind):
    from citkit.testing.factories import AgencyFactory

    def grow(n):
        have = Service.objects.filter(program=program_a).count()
        add_services(program_a, clinic_a, n - have, start=have)
        for i in range(program_a.agencies.count(), n + 2):
            AgencyFactory(program=program_a, name=f"Partner {i:03d}")

    assert_constant_queries(api_for(officer), f"{API}/{kind}/", grow)


# --- The pages -------------------------------------------------------------------------


@pages
def test_a_member_downloads_the_directory_as_a_package(client_for, officer, directory):
    answer = client_for(officer).get(f"/p/{directory.slug}/partnerships/directory/hsds/export/")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        assert "services.csv" in archive.namelist()
    json_form = client_for(officer).get(
        f"/p/{directory.slug}/partnerships/directory/hsds/export/", {"format": "json"}
    )
    with zipfile.ZipFile(io.BytesIO(json_form.content)) as archive:
        assert len(json.loads(archive.read("services.json"))) == 3


@pages
def test_a_format_that_is_neither_is_refused(client_for, officer, directory):
    url = f"/p/{directory.slug}/partnerships/directory/hsds/export/"
    assert client_for(officer).get(url, {"format": "xml"}).status_code == 400


def _upload(content: bytes, name="directory.zip"):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


@pages
def test_a_coordinator_imports_a_package_through_its_job(client_for, coordinator, program_a):
    client = client_for(coordinator)
    url = f"/p/{program_a.slug}/partnerships/directory/hsds/import/"
    assert client.get(url).status_code == 200
    answer = client.post(url, {"file": _upload(samples.package())}, follow=True)
    assert answer.status_code == 200
    assert Service.objects.filter(program=program_a).count() == 4
    assert "Imported directory.zip: " in answer.content.decode()


@pages
def test_a_package_with_problems_comes_back_with_every_one(client_for, coordinator, program_a):
    bad = samples.replace_cell("services.csv", 4, "status", "open")
    url = f"/p/{program_a.slug}/partnerships/directory/hsds/import/"
    answer = client_for(coordinator).post(
        url, {"file": _upload(samples.package({"services.csv": bad}))}, follow=True
    )
    page = answer.content.decode()
    assert "Nothing was imported: 1 problem" in page
    assert "services.csv row 4, field &quot;status&quot;" in page
    assert not Service.objects.filter(program=program_a).exists()


@pages
def test_a_file_that_is_no_package_is_refused_on_the_form(client_for, coordinator, program_a):
    url = f"/p/{program_a.slug}/partnerships/directory/hsds/import/"
    answer = client_for(coordinator).post(url, {"file": _upload(b"hello", "notes.txt")})
    assert answer.status_code == 400
    assert "not a zip archive" in answer.content.decode()


@pages
@pytest.mark.parametrize("role", [Role.AGENCY_ADMIN, Role.OFFICER, Role.COMMITTEE_MEMBER])
def test_only_coordinators_reach_the_import_page(client_for, members, program_a, role):
    client = client_for(members[role])
    url = f"/p/{program_a.slug}/partnerships/directory/hsds/import/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": _upload(samples.package())}).status_code == 403
    assert not Service.objects.filter(program=program_a).exists()


@pages
def test_an_outsider_finds_no_import_page(client_for, outsider, program_a):
    url = f"/p/{program_a.slug}/partnerships/directory/hsds/import/"
    assert client_for(outsider).get(url).status_code == 404


# --- The answers are what the schema says --------------------------------------------


@pytest.fixture
def wsgi_schema(db):
    """The OpenAPI schema, with requests made through plain WSGI (as test_api_fuzz.py
    does), the test's transaction kept across them."""
    import schemathesis
    from django.core import signals
    from django.db import close_old_connections

    from citkit.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_answer_of_a_full_directory_matches_the_schema(wsgi_schema, officer, directory):
    from citkit.testing.tokens import token_key

    Service.objects.filter(name="Service 001").update(url="", email="")
    Location.objects.create(program=directory, name="Telehealth", location_type="virtual")
    headers = {"Authorization": f"Token {token_key(officer)}"}
    clinic = Service.objects.first().agency
    ids = {
        "services": str(Service.objects.first().hsds_id),
        "locations": str(Location.objects.first().hsds_id),
        "organizations": str(organization_id(directory.slug, clinic.pk)),
    }
    for kind, record in ids.items():
        base = f"/api/programs/{{program}}/hsds/{kind}/"
        listing = wsgi_schema.find_operation_by_path("GET", base)
        case = listing.Case(path_parameters={"program": directory.slug}, query={"per_page": 10})
        case.call_and_validate(headers=headers)
        detail = wsgi_schema.find_operation_by_path("GET", base + "{id}/")
        case = detail.Case(path_parameters={"program": directory.slug, "id": record})
        case.call_and_validate(headers=headers)
