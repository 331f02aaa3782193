"""The API answers every role exactly as the pages do."""

import pytest

from citkit.core.models import AuditEntry, Role
from citkit.partners.models import Agency
from citkit.people.models import Person
from citkit.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

ALL = set(Role.values)
COORD = {Role.COORDINATOR}
ROSTER = {
    Role.COORDINATOR,
    Role.COMMITTEE_MEMBER,
    Role.AGENCY_ADMIN,
    Role.TRAINER,
    Role.DISPATCHER,
    Role.OFFICER,
}
PERSON_READERS = ROSTER - {Role.OFFICER}
NO_PEOPLE = {Role.OFFICER, Role.ANALYST, Role.STATE_COORDINATOR}


@pytest.fixture
def records(program_a, police_a, clinic_a):
    person = PersonFactory(program=program_a, agency=police_a, badge_number="777")
    return {"police": police_a, "clinic": clinic_a, "person": person}


READS = [
    ("/api/programs/riverbend/", ALL, set()),
    ("/api/programs/riverbend/agencies/", ALL, set()),
    ("/api/programs/riverbend/agencies/{police}/", ALL, set()),
    ("/api/programs/riverbend/agencies/{police}/contacts/", ALL, set()),
    ("/api/programs/riverbend/people/", ROSTER, set()),
    ("/api/programs/riverbend/people/{person}/", PERSON_READERS, NO_PEOPLE),
    ("/api/programs/riverbend/members/", COORD, set()),
    ("/api/programs/riverbend/audit/", COORD, set()),
]


def _url(template, records):
    return template.format(**{k: v.pk for k, v in records.items()})


@pytest.mark.parametrize(("template", "allowed", "hidden"), READS)
def test_each_role_reads_what_its_capabilities_give(
    api_for, members, records, template, allowed, hidden
):
    url = _url(template, records)
    for role, user in members.items():
        expected = 200 if role in allowed else 404 if role in hidden else 403
        response = api_for(user).get(url)
        assert response.status_code == expected, (role, url, response.status_code)
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(("template", "allowed", "hidden"), READS)
def test_an_outsider_gets_404_from_every_endpoint(
    api_for, outsider, records, template, allowed, hidden
):
    response = api_for(outsider).get(_url(template, records))
    assert response.status_code == 404
    assert "detail" in response.json()


def test_without_credentials_the_api_answers_401(client, records):
    response = client.get("/api/programs/riverbend/agencies/")
    assert response.status_code == 401


def test_the_program_list_shows_only_the_users_programs(api_for, coordinator, outsider):
    slugs = [p["slug"] for p in api_for(coordinator).get("/api/programs/").json()["results"]]
    assert slugs == ["riverbend"]


def test_read_only_roles_get_403_on_api_writes_and_nothing_changes(api_for, members, records):
    police, clinic, person = records["police"], records["clinic"], records["person"]
    for role in (
        Role.COMMITTEE_MEMBER,
        Role.TRAINER,
        Role.OFFICER,
        Role.DISPATCHER,
        Role.ANALYST,
        Role.STATE_COORDINATOR,
    ):
        api = api_for(members[role])
        before = (Agency.objects.count(), Person.objects.count(), AuditEntry.objects.count())
        calls = [
            api.post("/api/programs/riverbend/agencies/", {"name": "X", "agency_type": "ems"}),
            api.patch(f"/api/programs/riverbend/agencies/{clinic.pk}/", {"name": "Y"}),
            api.delete(f"/api/programs/riverbend/agencies/{clinic.pk}/"),
            api.patch("/api/programs/riverbend/", {"name": "Renamed"}),
        ]
        statuses = [c.status_code for c in calls]
        assert statuses == [403, 403, 403, 403], (role, statuses)
        hidden = role in NO_PEOPLE
        response = api.patch(f"/api/programs/riverbend/people/{person.pk}/", {"rank": "Chief"})
        assert response.status_code == (404 if hidden else 403), role
        response = api.post(
            "/api/programs/riverbend/people/",
            {"first_name": "A", "last_name": "B", "agency": police.pk, "badge_number": "1"},
        )
        assert response.status_code == 403, role
        after = (Agency.objects.count(), Person.objects.count(), AuditEntry.objects.count())
        assert after == before, role


def test_an_agency_administrator_edits_their_own_agency_only(api_for, members, records):
    api = api_for(members[Role.AGENCY_ADMIN])
    own = api.patch(
        f"/api/programs/riverbend/agencies/{records['police'].pk}/",
        {"main_phone": "(573) 555-0100"},
    )
    other = api.patch(
        f"/api/programs/riverbend/agencies/{records['clinic'].pk}/",
        {"main_phone": "(573) 555-0100"},
    )
    assert (own.status_code, other.status_code) == (200, 403)


def test_an_outsider_cannot_write_through_the_api(api_for, outsider, records):
    api = api_for(outsider)
    assert (
        api.post(
            "/api/programs/riverbend/agencies/", {"name": "X", "agency_type": "ems"}
        ).status_code
        == 404
    )
    assert (
        api.delete(f"/api/programs/riverbend/agencies/{records['clinic'].pk}/").status_code == 404
    )
    assert Agency.objects.filter(pk=records["clinic"].pk).exists()
