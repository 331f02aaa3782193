"""A record's history reads as sentences: labels, names, one request as one item, and
the records that belong to it (an agency's contacts)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured

from citkit.core.audit import audit_context
from citkit.core.history import child_relations, describe, record_entries
from citkit.core.models import AuditEntry
from citkit.partners import services as partner_services
from citkit.partners.models import Agency
from citkit.people import services as people_services
from citkit.testing.factories import PersonFactory, UserFactory
from citkit.testing.queries import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana(coordinator):
    coordinator.first_name, coordinator.last_name = "Dana", "Whitfield"
    coordinator.save()
    return coordinator


def _history(client, agency) -> str:
    response = client.get(f"/p/riverbend/agencies/{agency.pk}/history/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_change_reads_with_labels_choice_names_and_yes_or_no(client_for, dana, police_a):
    partner_services.agency_update(
        actor=dana,
        agency=police_a,
        data={"crisis_phone": "(573) 555-0111", "operates_24_7": True, "agency_type": "ems"},
    )
    body = _history(client_for(dana), police_a)
    assert (
        "Dana Whitfield changed 3 fields: Type, Crisis / after-hours phone, Operates 24/7" in body
    )
    assert "(573) 555-0111" in body
    assert "<td>Law enforcement</td><td>EMS</td>" in body
    assert "<td>No</td><td>Yes</td>" in body
    for raw in ("crisis_phone", "operates_24_7", "False", "True", "law_enforcement"):
        assert raw not in body, raw


def test_one_requests_changes_to_a_record_read_as_one_item(client_for, dana, police_a):
    with audit_context(source="page", request_id="one-request"):
        partner_services.agency_update(actor=dana, agency=police_a, data={"city": "Northfield"})
        partner_services.agency_update(actor=dana, agency=police_a, data={"notes": "Call first."})
    with audit_context(source="page", request_id="another-request"):
        partner_services.agency_update(actor=dana, agency=police_a, data={"city": "Southfield"})
    entries = record_entries(Agency, police_a.pk, user=dana, program=police_a.program)
    items = describe(entries, program=police_a.program, record=(Agency, police_a.pk), group=True)
    assert [i.summary for i in items] == [
        "Dana Whitfield changed 1 field: City",
        "Dana Whitfield changed 2 fields: City, Notes",
    ]
    older = items[1]
    assert [(c.before, c.after) for c in older.changes] == [
        ("Riverbend", "Northfield"),
        ("", "Call first."),
    ]
    body = _history(client_for(dana), police_a)
    assert body.count("Dana Whitfield changed") == 2


def test_an_agencys_history_shows_its_contacts_even_once_deleted(client_for, dana, police_a):
    contact = partner_services.contact_create(
        actor=dana, agency=police_a, data={"name": "Pat Lee", "title": "Captain"}
    )
    partner_services.contact_update(actor=dana, contact=contact, data={"phone": "573-555-0142"})
    partner_services.contact_delete(actor=dana, contact=contact)
    body = _history(client_for(dana), police_a)
    assert "Dana Whitfield removed agency contact “Pat Lee (Riverbend Police Department)”" in body
    assert (
        "Dana Whitfield changed 1 field of agency contact “Pat Lee (Riverbend Police Department)”"
        ": Phone" in body
    )
    assert "Dana Whitfield added agency contact" in body
    assert "Captain" in body
    # Each contact item leaves out the agency it belongs to: the page is about it.
    assert '<th scope="row">Agency</th>' not in body


def test_another_agencys_contacts_stay_out_of_the_history(client_for, dana, police_a, clinic_a):
    partner_services.contact_create(actor=dana, agency=clinic_a, data={"name": "Clinic Person"})
    body = _history(client_for(dana), police_a)
    assert "Clinic Person" not in body
    assert "No changes recorded." in body


def test_foreign_keys_read_as_names_and_people_by_their_full_name(
    client_for, dana, program_a, police_a, clinic_a
):
    account = UserFactory(username="olivia", first_name="Olivia", last_name="Ortiz")
    person = PersonFactory(program=program_a, agency=police_a)
    people_services.person_update(
        actor=dana, person=person, data={"agency": clinic_a, "user": account}
    )
    response = client_for(dana).get(f"/p/riverbend/people/{person.pk}/history/")
    body = response.content.decode()
    assert "<td>Riverbend Police Department</td><td>Riverbend Behavioral Health</td>" in body
    assert "<td>—</td><td>Olivia Ortiz</td>" in body


def test_a_deleted_related_record_is_named_as_the_trail_last_named_it(
    dana, program_a, police_a, clinic_a
):
    person = PersonFactory(program=program_a, agency=police_a)
    people_services.person_update(actor=dana, person=person, data={"agency": clinic_a})
    people_services.person_update(actor=dana, person=person, data={"agency": police_a})
    partner_services.agency_delete(actor=dana, agency=clinic_a)
    entry = AuditEntry.objects.filter(object_id=str(person.pk), action="update").earliest("id")
    (item,) = describe([entry], program=program_a)
    assert [(c.before, c.after) for c in item.changes] == [
        ("Riverbend Police Department", "Riverbend Behavioral Health (deleted)")
    ]


def test_times_in_a_change_read_in_the_programs_zone(program_b):
    meeting_type = ContentType.objects.get_by_natural_key("committee", "meeting")
    entry = AuditEntry.objects.create(
        program=program_b,
        created_at=datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC),
        actor_label="system",
        source="system",
        action="update",
        content_type=meeting_type,
        object_id="1",
        object_repr="Steering Committee meeting",
        before={"starts_at": "2026-03-10T18:00:00+00:00", "status": "scheduled"},
        after={"starts_at": "2026-03-10T19:30:00+00:00", "status": "held"},
    )
    (item,) = describe([entry], program=program_b)  # America/New_York
    assert item.summary == "The system changed 2 fields: Starts at, Status"
    assert [(c.before, c.after) for c in item.changes] == [
        ("2026-03-10 14:00", "2026-03-10 15:30"),
        ("Scheduled", "Held"),
    ]


def test_a_many_to_many_field_reads_as_the_names_it_holds(program_a, police_a, clinic_a):
    gap_type = ContentType.objects.get_by_natural_key("committee", "servicegap")
    entry = AuditEntry.objects.create(
        program=program_a,
        created_at=datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC),
        actor_label="system",
        source="system",
        action="update",
        content_type=gap_type,
        object_id="1",
        object_repr="No crisis beds",
        before={"affected_agencies": []},
        after={"affected_agencies": [police_a.pk, clinic_a.pk]},
    )
    (item,) = describe([entry], program=program_a)
    assert [(c.before, c.after) for c in item.changes] == [
        ("", "Riverbend Police Department, Riverbend Behavioral Health")
    ]


def test_the_audit_trail_reads_in_the_same_words(client_for, dana, police_a):
    partner_services.agency_update(actor=dana, agency=police_a, data={"operates_24_7": True})
    body = client_for(dana).get("/p/riverbend/audit/").content.decode()
    assert "Dana Whitfield" in body and "coordinator_a" in body
    assert "Operates 24/7" in body and "operates_24_7" not in body
    assert "Agency: Riverbend Police Department" in body


def test_the_history_page_costs_the_same_queries_for_few_and_many_entries(
    client_for, dana, program_a, police_a
):
    client = client_for(dana)
    url = f"/p/riverbend/agencies/{police_a.pk}/history/"

    def grow(start, n):
        for i in range(start, start + n):
            contact = partner_services.contact_create(
                actor=dana, agency=police_a, data={"name": f"Contact {i}"}
            )
            partner_services.contact_update(actor=dana, contact=contact, data={"title": "Chief"})
            partner_services.agency_update(actor=dana, agency=police_a, data={"notes": f"n{i}"})
            person = PersonFactory(program=program_a, agency=police_a)
            people_services.person_update(actor=dana, person=person, data={"rank": f"r{i}"})

    grow(0, 1)
    count_queries(client, url)  # warm the caches (content types, session)
    few = count_queries(client, url)
    grow(1, 20)
    many = count_queries(client, url)
    assert few == many, (few, many)


# --- Which records belong to a history ---------------------------------------------------


@pytest.fixture
def fresh_children():
    child_relations.cache_clear()
    yield
    child_relations.cache_clear()


def _accessors(model):
    return [rel.get_accessor_name() for rel in child_relations(model)]


def test_without_a_declaration_the_children_are_the_audited_records_that_cascade(
    fresh_children,
):
    # Contacts go with their agency; people (protected) and administrators do not.
    assert _accessors(Agency) == ["contacts"]


def test_a_declaration_names_the_children(fresh_children, monkeypatch):
    monkeypatch.setattr(
        Agency, "history_children", [("contacts", "agency"), "people"], raising=False
    )
    assert _accessors(Agency) == ["contacts", "people"]
    child_relations.cache_clear()
    monkeypatch.setattr(Agency, "history_children", (), raising=False)
    assert _accessors(Agency) == []


@pytest.mark.parametrize("declared", [["phone_book"], [("contacts", "program")]])
def test_a_declaration_naming_no_reverse_foreign_key_is_refused(
    fresh_children, monkeypatch, declared
):
    monkeypatch.setattr(Agency, "history_children", declared, raising=False)
    with pytest.raises(ImproperlyConfigured, match="history_children"):
        child_relations(Agency)
