"""Partner agencies: create, edit, delete, contacts, search, export, bad input."""

import csv
import io

import pytest

from citkit.core.models import AuditEntry, Role
from citkit.partners import services
from citkit.partners.models import Agency, AgencyContact
from citkit.testing.factories import AgencyFactory, PersonFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Riverbend Crisis Stabilization Unit",
    "agency_type": "receiving_facility",
    "operates_24_7": "on",
    "crisis_phone": "(573) 555-0142",
    "active": "on",
}


def test_a_coordinator_adds_an_agency_from_the_page(client_for, coordinator, program_a):
    response = client_for(coordinator).post("/p/riverbend/agencies/add/", VALID)
    agency = Agency.objects.get(name=VALID["name"])
    assert response.status_code == 302
    assert response["Location"] == f"/p/riverbend/agencies/{agency.pk}/"
    assert agency.program == program_a
    assert agency.operates_24_7


def test_a_duplicate_name_is_refused_with_a_message_and_nothing_is_written(
    client_for, coordinator, police_a
):
    before = (Agency.objects.count(), AuditEntry.objects.count())
    response = client_for(coordinator).post(
        "/p/riverbend/agencies/add/", {**VALID, "name": police_a.name}
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert (Agency.objects.count(), AuditEntry.objects.count()) == before


def test_the_same_name_may_exist_in_another_program(coordinator, outsider, program_b, police_a):
    agency = services.agency_create(
        actor=outsider, program=program_b, data={"name": police_a.name, "agency_type": "ems"}
    )
    assert agency.program == program_b


def test_bad_fields_are_named(client_for, coordinator, program_a):
    response = client_for(coordinator).post(
        "/p/riverbend/agencies/add/",
        {
            "name": "",
            "agency_type": "spaceship",
            "email": "not-an-email",
            "website": "nope nope",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"name", "agency_type", "email", "website"}
    assert not Agency.objects.exists()


def test_the_api_names_each_bad_field_in_json(api_for, coordinator, program_a):
    response = api_for(coordinator).post(
        "/api/programs/riverbend/agencies/",
        {
            "name": "",
            "agency_type": "spaceship",
            "email": "x",
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"name", "agency_type", "email"}
    assert not Agency.objects.exists()


def test_the_api_reports_a_duplicate_name_as_a_field_error(api_for, coordinator, police_a):
    response = api_for(coordinator).post(
        "/api/programs/riverbend/agencies/", {"name": police_a.name, "agency_type": "ems"}
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json() or "name" in response.json()


def test_an_agency_with_people_cannot_be_deleted_and_says_why(client_for, coordinator, police_a):
    PersonFactory(program=police_a.program, agency=police_a)
    response = client_for(coordinator).post(
        f"/p/riverbend/agencies/{police_a.pk}/delete/", follow=True
    )
    assert "still has 1 people" in response.content.decode()
    assert Agency.objects.filter(pk=police_a.pk).exists()


def test_the_api_refuses_deleting_an_agency_in_use_with_400(api_for, coordinator, police_a):
    PersonFactory(program=police_a.program, agency=police_a)
    response = api_for(coordinator).delete(f"/api/programs/riverbend/agencies/{police_a.pk}/")
    assert response.status_code == 400
    assert "still has" in str(response.json())


def test_contacts_are_added_edited_and_removed(client_for, members, police_a):
    client = client_for(members[Role.AGENCY_ADMIN])
    url = f"/p/riverbend/agencies/{police_a.pk}/contacts/add/"
    assert (
        client.post(
            url, {"name": "Lt. Dana Reyes", "phone": "(573) 555-0101", "is_primary": "on"}
        ).status_code
        == 302
    )
    contact = AgencyContact.objects.get()
    edit = f"/p/riverbend/agencies/{police_a.pk}/contacts/{contact.pk}/edit/"
    assert (
        client.post(edit, {"name": "Lt. Dana Reyes", "title": "CIT coordinator"}).status_code == 302
    )
    contact.refresh_from_db()
    assert contact.title == "CIT coordinator"
    remove = f"/p/riverbend/agencies/{police_a.pk}/contacts/{contact.pk}/delete/"
    assert client.post(remove).status_code == 302
    assert not AgencyContact.objects.exists()
    actions = list(
        AuditEntry.objects.filter(content_type__model="agencycontact")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_an_agency_administrator_cannot_touch_another_agencys_contacts(
    client_for, members, clinic_a
):
    client = client_for(members[Role.AGENCY_ADMIN])
    response = client.post(f"/p/riverbend/agencies/{clinic_a.pk}/contacts/add/", {"name": "X"})
    assert response.status_code == 403
    assert not AgencyContact.objects.exists()


def test_the_list_searches_filters_and_sorts(client_for, coordinator, program_a):
    AgencyFactory(program=program_a, name="Zeta EMS", agency_type="ems", operates_24_7=True)
    AgencyFactory(program=program_a, name="Alpha Schools", agency_type="schools")
    AgencyFactory(program=program_a, name="Beta EMS", agency_type="ems")
    client = client_for(coordinator)

    def names(**params):
        return [a.name for a in client.get("/p/riverbend/agencies/", params).context["page"].items]

    assert names(q="ems") == ["Beta EMS", "Zeta EMS"]
    assert names(agency_type="ems", operates_24_7="true") == ["Zeta EMS"]
    assert names(sort="-name")[0] == "Zeta EMS"


def test_the_api_uses_the_same_filters(api_for, coordinator, program_a):
    AgencyFactory(program=program_a, name="Zeta EMS", agency_type="ems", operates_24_7=True)
    AgencyFactory(program=program_a, name="Beta EMS", agency_type="ems")
    data = (
        api_for(coordinator)
        .get("/api/programs/riverbend/agencies/", {"agency_type": "ems", "operates_24_7": "true"})
        .json()
    )
    assert [a["name"] for a in data["results"]] == ["Zeta EMS"]


def test_an_unknown_filter_value_is_a_400_in_the_api_not_a_500(api_for, coordinator, program_a):
    response = api_for(coordinator).get(
        "/api/programs/riverbend/agencies/", {"agency_type": "spaceship"}
    )
    assert response.status_code == 400
    assert "agency_type" in response.json()


def test_the_csv_export_follows_the_filter_and_defuses_formulas(client_for, coordinator, program_a):
    AgencyFactory(program=program_a, name='=HYPERLINK("x")', agency_type="other")
    AgencyFactory(program=program_a, name="Plain", agency_type="ems")
    response = client_for(coordinator).get(
        "/p/riverbend/agencies/", {"agency_type": "other", "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "name"
    assert len(rows) == 2
    assert rows[1][0] == '\'=HYPERLINK("x")'


def test_an_htmx_search_gets_only_the_rows(client_for, coordinator, police_a):
    response = client_for(coordinator).get(
        "/p/riverbend/agencies/", {"q": "police"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body
    assert police_a.name in body


def test_the_duplicate_name_message_stands_by_the_name_field(client_for, coordinator, police_a):
    response = client_for(coordinator).post(
        "/p/riverbend/agencies/add/", {**VALID, "name": police_a.name}
    )
    assert response.context["form"].errors["name"] == [
        "A partner agency with this name already exists in this program."
    ]
