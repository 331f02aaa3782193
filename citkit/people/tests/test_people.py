"""People: the roster rules, pages and API."""

import pytest
from django.core.exceptions import ValidationError

from citkit.core.models import AuditEntry, Role
from citkit.people import services
from citkit.people.models import Person
from citkit.testing.factories import AgencyFactory, PersonFactory
from citkit.testing.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def _officer(agency, **extra):
    return {
        "kind": "officer",
        "first_name": "Sam",
        "last_name": "Lee",
        "agency": agency,
        "badge_number": "4410",
        "status": "active",
        **extra,
    }


def test_a_badge_number_is_unique_within_an_agency(coordinator, program_a, police_a):
    services.person_create(actor=coordinator, program=program_a, data=_officer(police_a))
    with pytest.raises(Exception) as excinfo:
        services.person_create(actor=coordinator, program=program_a, data=_officer(police_a))
    assert "already has this badge number" in str(excinfo.value)
    assert Person.objects.count() == 1


@pytest.fixture
def unchecked_badges(monkeypatch):
    """Two saves at the same moment: each passes the check before the other commits.

    Model validation is what asks the database first; without it the table's
    unique constraint is the one left to refuse the second badge.
    """
    monkeypatch.setattr(Person, "validate_constraints", lambda self, exclude=None: None)


def test_a_badge_saved_at_the_same_moment_is_refused_like_a_duplicate(
    coordinator, program_a, police_a, unchecked_badges
):
    services.person_create(actor=coordinator, program=program_a, data=_officer(police_a))
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(actor=coordinator, program=program_a, data=_officer(police_a))
    assert excinfo.value.message_dict == {"badge_number": [services.BADGE_TAKEN]}
    assert services.BADGE_TAKEN == "Another person of this agency already has this badge number."
    assert Person.objects.count() == 1  # and the transaction is still usable
    assert AuditEntry.objects.filter(action="create").count() == 1


def test_a_badge_changed_at_the_same_moment_is_refused_like_a_duplicate(
    coordinator, program_a, police_a, unchecked_badges
):
    PersonFactory(program=program_a, agency=police_a, badge_number="4410")
    other = PersonFactory(program=program_a, agency=police_a, badge_number="5000")
    with pytest.raises(ValidationError) as excinfo:
        services.person_update(actor=coordinator, person=other, data={"badge_number": "4410"})
    assert excinfo.value.message_dict == {"badge_number": [services.BADGE_TAKEN]}
    other.refresh_from_db()
    assert other.badge_number == "5000"


def test_the_page_and_the_api_answer_400_not_500_to_a_badge_saved_at_the_same_moment(
    client_for, api_for, coordinator, police_a, unchecked_badges
):
    PersonFactory(program=police_a.program, agency=police_a, badge_number="4410")
    page = client_for(coordinator).post(
        "/p/riverbend/people/add/", {**_officer(police_a.pk), "kind": "officer"}
    )
    assert page.status_code == 400
    assert page.context["form"].errors["badge_number"] == [services.BADGE_TAKEN]
    api = api_for(coordinator).post(
        "/api/programs/riverbend/people/", _officer(police_a.pk), format="json"
    )
    assert api.status_code == 400
    assert api.json() == {"badge_number": [services.BADGE_TAKEN]}
    assert Person.objects.count() == 1


def test_a_phone_is_written_the_programs_way(coordinator, program_a, police_a):
    person = services.person_create(
        actor=coordinator, program=program_a, data=_officer(police_a, phone="573.555.0110")
    )
    assert person.phone == "(573) 555-0110"


def test_not_a_phone_is_refused_by_name_with_every_other_problem(coordinator, program_a):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            actor=coordinator,
            program=program_a,
            data=_officer(None, badge_number="", first_name="", phone="not a phone"),
        )
    errors = excinfo.value.message_dict
    assert set(errors) == {"agency", "badge_number", "phone", "first_name"}
    assert errors["phone"] == [
        "“not a phone” is not a phone number here; write it as e.g. (573) 555-0110."
    ]
    assert not Person.objects.exists()


def test_the_page_shows_a_bad_phone_on_the_phone_field_and_keeps_the_input(
    client_for, coordinator, police_a
):
    response = client_for(coordinator).post(
        "/p/riverbend/people/add/", _officer(police_a.pk, phone="not a phone")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "is not a phone number" in form.errors["phone"][0]
    assert form["phone"].value() == "not a phone"
    assert not Person.objects.exists()


def test_the_list_filters_say_any_when_they_mean_any(client_for, coordinator, police_a):
    form = client_for(coordinator).get("/p/riverbend/people/").context["filterset"].form
    for name in ("kind", "agency", "shift", "status"):
        assert next(iter(form.fields[name].choices))[1] == "Any", name


def test_the_same_badge_number_may_be_used_by_another_agency(coordinator, program_a, police_a):
    sheriff = AgencyFactory(program=program_a, name="Sheriff")
    services.person_create(actor=coordinator, program=program_a, data=_officer(police_a))
    services.person_create(actor=coordinator, program=program_a, data=_officer(sheriff))
    assert Person.objects.count() == 2


def test_an_officer_needs_an_agency_and_a_badge(coordinator, program_a):
    with pytest.raises(Exception) as excinfo:
        services.person_create(
            actor=coordinator, program=program_a, data=_officer(None, badge_number="")
        )
    message = str(excinfo.value)
    assert "must belong to an agency" in message
    assert "badge number" in message


def test_an_advocate_needs_neither(coordinator, program_a):
    person = services.person_create(
        actor=coordinator,
        program=program_a,
        data={"kind": "advocate", "first_name": "Ana", "last_name": "Cruz"},
    )
    assert person.badge_number == ""


def test_an_agency_of_another_program_is_refused(coordinator, program_a, agency_b):
    with pytest.raises(Exception) as excinfo:
        services.person_create(actor=coordinator, program=program_a, data=_officer(agency_b))
    assert "not a partner in this program" in str(excinfo.value)


def test_the_page_form_shows_a_badge_clash_on_the_badge_field(client_for, coordinator, police_a):
    PersonFactory(program=police_a.program, agency=police_a, badge_number="4410")
    response = client_for(coordinator).post(
        "/p/riverbend/people/add/",
        {
            "kind": "officer",
            "first_name": "Sam",
            "last_name": "Lee",
            "agency": police_a.pk,
            "badge_number": "4410",
            "status": "active",
        },
    )
    assert response.status_code == 400
    assert "already has this badge number" in str(response.context["form"].errors["badge_number"])
    assert Person.objects.count() == 1


def test_the_api_creates_and_names_bad_fields(api_for, coordinator, police_a):
    api = api_for(coordinator)
    ok = api.post(
        "/api/programs/riverbend/people/",
        {
            "first_name": "Sam",
            "last_name": "Lee",
            "agency": police_a.pk,
            "badge_number": "9",
            "shift": "night",
            "hire_date": "2019-04-01",
        },
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["agency_name"] == police_a.name
    bad = api.post(
        "/api/programs/riverbend/people/",
        {
            "first_name": "",
            "last_name": "Lee",
            "agency": 999999,
            "shift": "noon",
            "hire_date": "31/31/2020",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert set(bad.json()) >= {"first_name", "agency", "shift", "hire_date"}
    assert Person.objects.count() == 1


def test_the_api_refuses_an_agency_id_from_another_program(api_for, coordinator, agency_b):
    response = api_for(coordinator).post(
        "/api/programs/riverbend/people/",
        {"first_name": "Sam", "last_name": "Lee", "agency": agency_b.pk, "badge_number": "9"},
    )
    assert response.status_code == 400
    assert "agency" in response.json()


def test_a_malformed_json_body_is_a_400(api_for, coordinator, program_a):
    response = api_for(coordinator).generic(
        "POST", "/api/programs/riverbend/people/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_an_agency_administrator_adds_people_to_their_own_agency_only(
    api_for, members, police_a, clinic_a
):
    api = api_for(members[Role.AGENCY_ADMIN])
    own = api.post(
        "/api/programs/riverbend/people/",
        {"first_name": "A", "last_name": "B", "agency": police_a.pk, "badge_number": "1"},
    )
    other = api.post(
        "/api/programs/riverbend/people/",
        {"first_name": "A", "last_name": "B", "agency": clinic_a.pk, "badge_number": "2"},
    )
    assert (own.status_code, other.status_code) == (201, 403)


def test_the_list_searches_names_and_badges_and_filters(client_for, coordinator, police_a):
    program = police_a.program
    PersonFactory(
        program=program,
        agency=police_a,
        first_name="Dana",
        last_name="Reyes",
        badge_number="1042",
        district="North",
        shift="night",
    )
    PersonFactory(
        program=program,
        agency=police_a,
        first_name="Mo",
        last_name="Reyna",
        badge_number="2000",
        district="South",
        shift="day",
    )
    client = client_for(coordinator)

    def names(**params):
        return [
            p.last_name for p in client.get("/p/riverbend/people/", params).context["page"].items
        ]

    assert names(q="rey") == ["Reyes", "Reyna"]
    assert names(q="dana reyes") == ["Reyes"]
    assert names(q="104") == ["Reyes"]
    assert names(district="south") == ["Reyna"]
    assert names(shift="night") == ["Reyes"]


def test_paging_walks_forward_and_back_without_gaps(client_for, coordinator, police_a, settings):
    settings.CITKIT_PAGE_SIZE = 7
    for i in range(20):
        PersonFactory(program=police_a.program, agency=police_a, last_name=f"Same{i % 3}")
    client = client_for(coordinator)
    seen, cursor, pages = [], None, []
    while True:
        params = {"sort": "name"} | ({"cursor": cursor} if cursor else {})
        page = client.get("/p/riverbend/people/", params).context["page"]
        pages.append(page)
        seen += [p.pk for p in page.items]
        cursor = page.next_cursor
        if not cursor:
            break
    expected = list(
        Person.objects.order_by("last_name", "first_name", "id").values_list("pk", flat=True)
    )
    assert seen == expected
    back = client.get("/p/riverbend/people/", {"cursor": pages[-1].previous_cursor})
    assert [p.pk for p in back.context["page"].items] == [p.pk for p in pages[-2].items]


def test_a_tampered_cursor_falls_back_to_the_first_page_with_a_message(
    client_for, coordinator, police_a
):
    response = client_for(coordinator).get("/p/riverbend/people/", {"cursor": "%%%garbage"})
    assert response.status_code == 200
    assert "not valid any more" in response.content.decode()


def test_a_tampered_cursor_names_no_page_in_the_api(api_for, coordinator, police_a):
    response = api_for(coordinator).get("/api/programs/riverbend/people/", {"cursor": "garbage"})
    assert response.status_code == 404
    assert "cursor" in response.json()


def test_an_update_records_only_what_changed(client_for, coordinator, police_a):
    person = PersonFactory(program=police_a.program, agency=police_a, rank="Officer")
    client_for(coordinator).post(
        f"/p/riverbend/people/{person.pk}/edit/",
        {
            "kind": "officer",
            "first_name": person.first_name,
            "last_name": person.last_name,
            "agency": police_a.pk,
            "badge_number": person.badge_number,
            "rank": "Sergeant",
            "district": person.district,
            "shift": person.shift,
            "status": "active",
        },
    )
    entry = AuditEntry.objects.get(action="update")
    assert [c[0] for c in entry.changes] == ["rank"]


def test_deleting_a_person_from_the_page(client_for, coordinator, police_a):
    person = PersonFactory(program=police_a.program, agency=police_a)
    response = client_for(coordinator).post(f"/p/riverbend/people/{person.pk}/delete/")
    assert response.status_code == 302
    assert not Person.objects.exists()


@pytest.mark.parametrize("url", ["/p/riverbend/people/", "/p/riverbend/people/?format=csv"])
def test_the_roster_and_its_export_take_the_same_queries_for_1_and_50_people(
    client_for, coordinator, police_a, url
):
    def grow(n):
        missing = n - Person.objects.count()
        PersonFactory.create_batch(missing, program=police_a.program, agency=police_a)

    assert_constant_queries(client_for(coordinator), url, grow)


def test_the_people_api_takes_the_same_queries_for_1_and_50_people(api_for, coordinator, police_a):
    def grow(n):
        missing = n - Person.objects.count()
        PersonFactory.create_batch(missing, program=police_a.program, agency=police_a)

    assert_constant_queries(api_for(coordinator), "/api/programs/riverbend/people/", grow)
