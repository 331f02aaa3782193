"""The API reads input as its schema documents it: JSON types, one value per filter,
true or false for yes/no filters, and an id of no record matching nothing."""

import pytest

from citkit.testing.factories import AgencyFactory

pytestmark = pytest.mark.django_db

AGENCIES = "/api/programs/riverbend/agencies/"


def test_a_number_where_text_belongs_is_refused_by_name(api_for, coordinator):
    response = api_for(coordinator).post(AGENCIES, {"name": 5, "agency_type": "ems"})
    assert response.status_code == 400
    assert response.json() == {"name": ["Must be text."]}


def test_a_string_where_true_or_false_belongs_is_refused(api_for, coordinator, police_a):
    response = api_for(coordinator).patch(f"{AGENCIES}{police_a.pk}/", {"active": "0"})
    assert response.status_code == 400
    assert response.json() == {"active": ["Must be true or false."]}
    police_a.refresh_from_db()
    assert police_a.active is True


def test_true_is_not_a_number(api_for, coordinator, police_a):
    response = api_for(coordinator).get(f"{AGENCIES}{police_a.pk}/contacts/")
    assert response.status_code == 200
    response = api_for(coordinator).post(
        "/api/programs/riverbend/invitations/", {"username": "x", "role": "officer", "agency": True}
    )
    assert response.status_code == 400
    assert response.json()["agency"] == ["Must be a whole number."]


def test_form_bodies_are_not_accepted_by_the_json_api(api_for, coordinator):
    response = api_for(coordinator).post(
        AGENCIES, {"name": "X", "agency_type": "ems"}, format="multipart"
    )
    assert response.status_code == 415


def test_a_yes_no_filter_takes_true_or_false_only(api_for, coordinator, police_a):
    api = api_for(coordinator)
    assert api.get(AGENCIES, {"operates_24_7": "true"}).status_code == 200
    response = api.get(AGENCIES, {"operates_24_7": "null"})
    assert response.status_code == 400
    assert response.json() == {"operates_24_7": ["Use true or false."]}


def test_a_filter_given_twice_is_refused(api_for, coordinator):
    response = api_for(coordinator).get(f"{AGENCIES}?agency_type=ems&agency_type=schools")
    assert response.status_code == 400
    assert response.json() == {"agency_type": ["Give this filter one value."]}


def test_an_id_of_no_record_matches_nothing_and_a_word_is_refused(
    api_for, coordinator, program_a, police_a
):
    AgencyFactory(program=program_a, name="Second")
    api = api_for(coordinator)
    people = "/api/programs/riverbend/people/"
    assert api.get(people, {"agency": police_a.pk}).status_code == 200
    response = api.get(people, {"agency": 999999})
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert api.get(people, {"agency": "police"}).status_code == 400


def test_a_cursor_this_list_never_gave_out_names_no_page(api_for, coordinator):
    response = api_for(coordinator).get(AGENCIES, {"cursor": "owner"})
    assert response.status_code == 404
    assert "cursor" in response.json()
