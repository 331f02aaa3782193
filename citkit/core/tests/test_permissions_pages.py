"""Every page, every role: who may read (200), who may not (403), who cannot see (404)."""

import pytest

from citkit.core.models import AuditEntry, Role
from citkit.partners.models import Agency
from citkit.people.models import Person
from citkit.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

ALL = set(Role.values)
COORD = {Role.COORDINATOR}
ROSTER_READERS = {
    Role.COORDINATOR,
    Role.COMMITTEE_MEMBER,
    Role.AGENCY_ADMIN,
    Role.TRAINER,
    Role.DISPATCHER,
    Role.OFFICER,
}
PERSON_READERS = {
    Role.COORDINATOR,
    Role.COMMITTEE_MEMBER,
    Role.AGENCY_ADMIN,
    Role.TRAINER,
    Role.DISPATCHER,
}


@pytest.fixture
def records(program_a, police_a, clinic_a):
    officer = PersonFactory(program=program_a, agency=police_a, badge_number="777")
    return {"police": police_a, "clinic": clinic_a, "person": officer}


# (url template, roles that get 200; members of other roles get 403 unless listed in 404s)
PAGES = [
    ("/p/riverbend/", ALL, set()),
    ("/p/riverbend/agencies/", ALL, set()),
    ("/p/riverbend/agencies/?format=csv", ALL, set()),
    ("/p/riverbend/agencies/{police}/", ALL, set()),
    ("/p/riverbend/agencies/add/", COORD, set()),
    ("/p/riverbend/agencies/{police}/edit/", COORD | {Role.AGENCY_ADMIN}, set()),
    ("/p/riverbend/agencies/{clinic}/edit/", COORD, set()),
    ("/p/riverbend/agencies/{police}/delete/", COORD, set()),
    ("/p/riverbend/agencies/{police}/contacts/add/", COORD | {Role.AGENCY_ADMIN}, set()),
    ("/p/riverbend/agencies/{police}/history/", COORD, set()),
    ("/p/riverbend/people/", ROSTER_READERS, set()),
    ("/p/riverbend/people/?format=csv", ROSTER_READERS, set()),
    (
        "/p/riverbend/people/{person}/",
        PERSON_READERS,
        {Role.OFFICER, Role.ANALYST, Role.STATE_COORDINATOR},
    ),
    ("/p/riverbend/people/add/", COORD | {Role.AGENCY_ADMIN}, set()),
    (
        "/p/riverbend/people/{person}/edit/",
        COORD | {Role.AGENCY_ADMIN},
        {Role.OFFICER, Role.ANALYST, Role.STATE_COORDINATOR},
    ),
    ("/p/riverbend/people/{person}/history/", COORD, set()),
    ("/p/riverbend/people/import/", COORD | {Role.AGENCY_ADMIN}, set()),
    ("/p/riverbend/members/", COORD, set()),
    ("/p/riverbend/members/add/", COORD, set()),
    ("/p/riverbend/audit/", COORD, set()),
    ("/p/riverbend/settings/", COORD, set()),
]


def _url(template, records):
    return template.format(**{k: v.pk for k, v in records.items()})


@pytest.mark.parametrize(("template", "allowed", "hidden"), PAGES)
def test_each_role_gets_the_answer_its_capabilities_give(
    client, members, records, template, allowed, hidden
):
    url = _url(template, records)
    for role, user in members.items():
        client.force_login(user)
        expected = 200 if role in allowed else 404 if role in hidden else 403
        response = client.get(url)
        assert response.status_code == expected, (role, url, response.status_code)


@pytest.mark.parametrize(("template", "allowed", "hidden"), PAGES)
def test_an_outsider_gets_404_on_every_page(client, outsider, records, template, allowed, hidden):
    client.force_login(outsider)
    assert client.get(_url(template, records)).status_code == 404


@pytest.mark.parametrize(("template", "allowed", "hidden"), PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, records, template, allowed, hidden):
    response = client.get(_url(template, records))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


AGENCY_POST = {"name": "New Partner", "agency_type": "ems", "active": "on"}


def test_read_only_roles_get_403_on_writes_and_nothing_changes(client, members, records):
    writes = [
        ("/p/riverbend/agencies/add/", AGENCY_POST),
        (f"/p/riverbend/agencies/{records['clinic'].pk}/edit/", AGENCY_POST),
        (f"/p/riverbend/agencies/{records['police'].pk}/delete/", {}),
        ("/p/riverbend/people/add/", {"kind": "officer", "first_name": "A", "last_name": "B"}),
        ("/p/riverbend/settings/", {"name": "X", "jurisdiction": "Y", "time_zone": "UTC"}),
        ("/p/riverbend/members/add/", {"username": "zz", "role": "officer"}),
    ]
    for role in (
        Role.COMMITTEE_MEMBER,
        Role.TRAINER,
        Role.OFFICER,
        Role.DISPATCHER,
        Role.ANALYST,
        Role.STATE_COORDINATOR,
    ):
        client.force_login(members[role])
        before = (Agency.objects.count(), Person.objects.count(), AuditEntry.objects.count())
        for url, data in writes:
            assert client.post(url, data).status_code == 403, (role, url)
        after = (Agency.objects.count(), Person.objects.count(), AuditEntry.objects.count())
        assert after == before, role


def test_an_outsider_gets_404_on_writes_and_nothing_changes(client, outsider, records):
    client.force_login(outsider)
    before = Agency.objects.count()
    assert client.post("/p/riverbend/agencies/add/", AGENCY_POST).status_code == 404
    url = f"/p/riverbend/agencies/{records['police'].pk}/edit/"
    assert client.post(url, AGENCY_POST).status_code == 404
    assert Agency.objects.count() == before


def test_an_officer_sees_only_their_own_record_in_the_list(client, officer, records):
    client.force_login(officer)
    response = client.get("/p/riverbend/people/")
    names = [str(p) for p in response.context["page"].items]
    assert names == ["Ortiz, Olivia"]


def test_an_agency_administrator_sees_only_their_agencys_people(client, members, records, clinic_a):
    PersonFactory(
        program=records["police"].program,
        agency=clinic_a,
        kind="clinician",
        badge_number="",
        last_name="Clinician",
    )
    client.force_login(members[Role.AGENCY_ADMIN])
    response = client.get("/p/riverbend/people/")
    agencies = {p.agency_id for p in response.context["page"].items}
    assert agencies == {records["police"].pk}


def test_an_agency_administrator_cannot_move_a_person_into_another_agency(
    client, members, records, clinic_a
):
    person = records["person"]
    client.force_login(members[Role.AGENCY_ADMIN])
    response = client.post(
        f"/p/riverbend/people/{person.pk}/edit/",
        {
            "kind": "officer",
            "first_name": "A",
            "last_name": "B",
            "agency": clinic_a.pk,
            "badge_number": "1",
            "status": "active",
        },
    )
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.agency_id == records["police"].pk
