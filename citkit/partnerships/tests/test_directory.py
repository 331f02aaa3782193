"""The crisis-services directory: services and their parts, locations and the
partners' crisis responsibilities, through the services and through the pages:
who may keep what, what is refused, the audit trail, the list's filters (page, API,
CSV), the crisis page and the open-now API."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from citkit.core.models import AuditEntry, Membership, Role
from citkit.partnerships import hours, selectors, services
from citkit.partnerships.models import (
    Capacity,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
)
from citkit.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

P = "/p/riverbend/partnerships"
S = f"{P}/directory/services"
API = "/api/programs/riverbend/directory"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"
WEEKDAYS = "MO,TU,WE,TH,FR"

# 2026-12-06 is a Sunday; 2026-12-09 a Wednesday (America/Chicago, the program's zone).
SUNDAY_2AM = "2026-12-06T02:00"
WEDNESDAY_NOON = "2026-12-09T12:00"


def local(value: str, program) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value).replace(tzinfo=program.zone)


def audit_count() -> int:
    return AuditEntry.objects.count()


def entries_since(count: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.order_by("id")[count:])


def add_schedule(service, byday, opens, closes):
    return services.part_create(
        actor=None,
        parent=service,
        model=Schedule,
        data={"freq": "WEEKLY", "byday": byday, "opens_at": opens, "closes_at": closes},
    )


def service_form(agency, name="Walk-in crisis clinic", **extra):
    data = {
        "agency": agency.pk,
        "name": name,
        "service_type": "outpatient",
        "status": "active",
    }
    data.update(extra)
    return data


@pytest.fixture
def admin(members):
    """The agency administrator of the police department."""
    return members[Role.AGENCY_ADMIN]


# --- Who keeps which part of the directory -----------------------------------------


def test_an_agency_administrator_adds_a_service_for_their_own_agency(
    program_a, police_a, admin, client_for
):
    response = client_for(admin).post(f"{S}/add/", service_form(police_a))
    assert response.status_code == 302
    service = Service.objects.get(program=program_a, name="Walk-in crisis clinic")
    assert service.agency == police_a
    made = services.service_create(
        actor=admin, program=program_a, data={"agency": police_a, "name": "Second service"}
    )
    assert made.pk and made.agency == police_a


def test_an_agency_administrator_may_not_add_a_service_for_another_agency_by_the_service(
    program_a, clinic_a, admin
):
    before = audit_count()
    with pytest.raises(PermissionDenied):
        services.service_create(
            actor=admin, program=program_a, data={"agency": clinic_a, "name": "Not mine"}
        )
    assert not Service.objects.filter(name="Not mine").exists()
    assert audit_count() == before


def test_an_agency_administrator_may_not_add_a_service_for_another_agency_on_the_page(
    program_a, clinic_a, admin, client_for
):
    before = audit_count()
    response = client_for(admin).post(f"{S}/add/", service_form(clinic_a, name="Not mine"))
    assert response.status_code in (400, 403)
    assert not Service.objects.filter(name="Not mine").exists()
    assert audit_count() == before


def test_the_add_page_offers_an_administrator_only_their_own_agency(
    program_a, clinic_a, admin, client_for
):
    # The choice is not offered: posting it anyway is a form error, and nothing is written.
    before = audit_count()
    response = client_for(admin).post(f"{S}/add/", service_form(clinic_a, name="Not mine"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Service.objects.filter(name="Not mine").exists()
    assert audit_count() == before


def test_the_api_answers_403_to_a_service_for_another_agency(program_a, clinic_a, admin, api_for):
    before = audit_count()
    response = api_for(admin).post(
        f"{API}/services/", {"agency": clinic_a.pk, "name": "Not mine"}, format="json"
    )
    assert response.status_code == 403
    assert not Service.objects.filter(name="Not mine").exists()
    assert audit_count() == before


def test_an_agency_administrator_edits_their_own_agencys_service_but_not_another_agencys(
    directory, admin, client_for, police_a, clinic_a
):
    own, other = directory["service"], directory["clinic_service"]
    client = client_for(admin)
    response = client.post(
        f"{S}/{own.pk}/edit/", service_form(police_a, name="CIT officer request (24/7)")
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "CIT officer request (24/7)"

    before = audit_count()
    response = client.post(f"{S}/{other.pk}/edit/", service_form(clinic_a, name="Taken over"))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.service_update(actor=admin, service=other, data={"name": "Taken over"})
    other.refresh_from_db()
    assert other.name == "Crisis stabilization"
    assert audit_count() == before


def test_an_agency_administrator_may_not_move_their_service_to_another_agency(
    directory, admin, clinic_a
):
    own = directory["service"]
    with pytest.raises(PermissionDenied):
        services.service_update(actor=admin, service=own, data={"agency": clinic_a})
    own.refresh_from_db()
    assert own.agency_id != clinic_a.pk


def test_a_coordinator_adds_and_edits_services_of_any_agency(
    directory, coordinator, client_for, program_a, clinic_a, police_a
):
    client = client_for(coordinator)
    assert client.post(f"{S}/add/", service_form(clinic_a)).status_code == 302
    assert Service.objects.get(name="Walk-in crisis clinic").agency == clinic_a
    other = directory["clinic_service"]
    response = client.post(
        f"{S}/{other.pk}/edit/", service_form(clinic_a, name="Crisis stabilization unit")
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.name == "Crisis stabilization unit"
    made = services.service_create(
        actor=coordinator, program=program_a, data={"agency": police_a, "name": "Ride-along"}
    )
    services.service_update(actor=coordinator, service=made, data={"name": "Ride-alongs"})
    made.refresh_from_db()
    assert made.name == "Ride-alongs"


# --- Bad input is refused by field, and nothing is written --------------------------


def _schedule_without_days(service, actor):
    services.part_create(
        actor=actor,
        parent=service,
        model=Schedule,
        data={"freq": "WEEKLY", "byday": "", "opens_at": datetime.time(8)},
    )


def _schedule_on_day_xx(service, actor):
    services.part_create(
        actor=actor,
        parent=service,
        model=Schedule,
        data={"freq": "WEEKLY", "byday": "MO,XX", "opens_at": datetime.time(8)},
    )


def _phone_not_a_number(service, actor):
    services.part_create(
        actor=actor, parent=service, model=Phone, data={"number": "call the front desk"}
    )


def _capacity_above_maximum(service, actor):
    services.part_create(
        actor=actor,
        parent=service,
        model=Capacity,
        data={"unit": "chairs", "available": 9, "maximum": 4},
    )


def _ages_reversed(service, actor):
    services.service_update(
        actor=actor, service=service, data={"minimum_age": 18, "maximum_age": 12}
    )


def _latitude_91(service, actor):
    services.location_create(
        actor=actor,
        program=service.program,
        data={"agency": service.agency, "name": "North pole", "latitude": 91, "longitude": 0},
    )


def _schedule_ends_before_it_starts(service, actor):
    services.part_create(
        actor=actor,
        parent=service,
        model=Schedule,
        data={
            "freq": "WEEKLY",
            "byday": "MO",
            "opens_at": datetime.time(8),
            "valid_from": datetime.date(2026, 6, 1),
            "valid_to": datetime.date(2026, 5, 1),
        },
    )


def _refusal(writer, field):
    return pytest.param(writer, field, id=writer.__name__.strip("_"))


REFUSED = [
    _refusal(_schedule_on_day_xx, "byday"),
    _refusal(_schedule_without_days, "byday"),
    _refusal(_phone_not_a_number, "number"),
]
# Table constraints whose message the model maps to a field (`constraint_fields`).
REFUSED_BY_CONSTRAINT = [
    _refusal(_ages_reversed, "maximum_age"),
    _refusal(_capacity_above_maximum, "available"),
    _refusal(_latitude_91, "latitude"),
    _refusal(_schedule_ends_before_it_starts, "valid_to"),
]


def _assert_refused_on(writer, field, directory, coordinator):
    service = directory["service"]
    before = audit_count()
    counts = (Schedule.objects.count(), Phone.objects.count(), Capacity.objects.count())
    locations = Location.objects.count()
    with pytest.raises(ValidationError) as refused:
        writer(service, coordinator)
    assert field in refused.value.message_dict, refused.value.message_dict
    assert refused.value.message_dict[field][0].strip()
    assert audit_count() == before
    assert (Schedule.objects.count(), Phone.objects.count(), Capacity.objects.count()) == counts
    assert Location.objects.count() == locations
    service.refresh_from_db()
    assert (service.minimum_age, service.maximum_age) == (None, None)


@pytest.mark.parametrize(("writer", "field"), REFUSED)
def test_bad_input_is_refused_with_a_message_on_its_field_and_nothing_written(
    writer, field, directory, coordinator
):
    _assert_refused_on(writer, field, directory, coordinator)


@pytest.mark.parametrize(("writer", "field"), REFUSED_BY_CONSTRAINT)
def test_a_table_constraint_refuses_bad_input_with_a_message_on_its_field(
    writer, field, directory, coordinator
):
    _assert_refused_on(writer, field, directory, coordinator)


@pytest.mark.parametrize("writer", [p.values[0] for p in REFUSED_BY_CONSTRAINT])
def test_a_table_constraint_refuses_bad_input_and_writes_nothing(writer, directory, coordinator):
    before = audit_count()
    with pytest.raises(ValidationError) as refused:
        writer(directory["service"], coordinator)
    assert refused.value.messages
    assert audit_count() == before
    service = directory["service"]
    service.refresh_from_db()
    assert (service.minimum_age, service.maximum_age) == (None, None)
    assert not Capacity.objects.filter(unit="chairs").exists()
    assert not Location.objects.filter(name="North pole").exists()


def test_the_schedule_page_refuses_day_xx_and_a_weekly_schedule_without_days(
    directory, coordinator, client_for
):
    service = directory["service"]
    client = client_for(coordinator)
    before, schedules = audit_count(), Schedule.objects.count()
    for byday in ("XX", ""):
        response = client.post(
            f"{S}/{service.pk}/schedules/add/",
            {"freq": "WEEKLY", "interval": "1", "byday": byday, "opens_at": "08:00"},
        )
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert "byday" in errors, errors
    assert audit_count() == before and Schedule.objects.count() == schedules


def test_the_phone_page_refuses_a_number_that_is_not_a_number(directory, coordinator, client_for):
    service = directory["service"]
    before = audit_count()
    response = client_for(coordinator).post(
        f"{S}/{service.pk}/phones/add/", {"number": "call the desk", "phone_type": "voice"}
    )
    assert response.status_code == 400
    assert "is not a phone number" in response.context["form"].errors["number"][0]
    assert audit_count() == before


def test_the_service_page_refuses_a_maximum_age_below_the_minimum_age(
    directory, coordinator, client_for, police_a
):
    service = directory["service"]
    before = audit_count()
    response = client_for(coordinator).post(
        f"{S}/{service.pk}/edit/",
        service_form(police_a, name=service.name, minimum_age="18", maximum_age="12"),
    )
    assert response.status_code == 400
    assert "The maximum age is below the minimum age." in response.content.decode()
    assert audit_count() == before


def test_the_service_page_shows_the_age_message_next_to_the_maximum_age(
    directory, coordinator, client_for, police_a
):
    service = directory["service"]
    response = client_for(coordinator).post(
        f"{S}/{service.pk}/edit/",
        service_form(police_a, name=service.name, minimum_age="18", maximum_age="12"),
    )
    assert response.status_code == 400
    assert "maximum_age" in response.context["form"].errors


def test_the_location_page_refuses_latitude_91(coordinator, client_for, police_a):
    before = audit_count()
    response = client_for(coordinator).post(
        f"{P}/directory/locations/add/",
        {
            "agency": police_a.pk,
            "name": "North pole",
            "location_type": "physical",
            "latitude": "91",
            "longitude": "0",
        },
    )
    assert response.status_code == 400
    assert "A latitude lies between -90 and 90." in response.content.decode()
    assert not Location.objects.filter(name="North pole").exists()
    assert audit_count() == before


# --- The audit trail ------------------------------------------------------------------


def test_a_create_an_edit_and_a_delete_each_leave_exactly_one_audit_entry(
    coordinator, client_for, police_a
):
    client = client_for(coordinator)
    before = audit_count()
    assert client.post(f"{S}/add/", service_form(police_a)).status_code == 302
    service = Service.objects.get(name="Walk-in crisis clinic")
    [created] = entries_since(before)
    assert (created.action, created.object_id) == ("create", str(service.pk))

    before = audit_count()
    response = client.post(f"{S}/{service.pk}/edit/", service_form(police_a, name="Walk-in clinic"))
    assert response.status_code == 302
    [changed] = entries_since(before)
    assert (changed.action, changed.object_id) == ("update", str(service.pk))
    assert changed.before["name"] == "Walk-in crisis clinic"
    assert changed.after["name"] == "Walk-in clinic"

    before = audit_count()
    assert client.post(f"{S}/{service.pk}/delete/").status_code == 302
    [deleted] = entries_since(before)
    assert (deleted.action, deleted.object_id) == ("delete", str(service.pk))
    assert not Service.objects.filter(pk=service.pk).exists()


def test_saving_a_service_unchanged_leaves_no_audit_entry(directory, coordinator):
    service = directory["service"]
    before = audit_count()
    services.service_update(actor=coordinator, service=service, data={"name": service.name})
    assert audit_count() == before


def test_a_part_create_edit_and_delete_each_leave_one_audit_entry(directory, coordinator):
    service = directory["service"]
    before = audit_count()
    phone = services.part_create(
        actor=coordinator, parent=service, model=Phone, data={"number": "5735550199"}
    )
    assert phone.number == "(573) 555-0199"
    assert [e.action for e in entries_since(before)] == ["create"]
    before = audit_count()
    services.part_update(actor=coordinator, part=phone, data={"extension": "12"})
    assert [e.action for e in entries_since(before)] == ["update"]
    before, pk = audit_count(), phone.pk
    services.part_delete(actor=coordinator, part=phone)
    assert [(e.action, e.object_id) for e in entries_since(before)] == [("delete", str(pk))]


def test_deleting_a_service_removes_its_phones_and_schedules_with_an_audit_entry_each(
    directory, coordinator
):
    service = directory["service"]
    phone, schedule = directory["phone"], directory["schedule"]
    before, pk = audit_count(), service.pk
    services.service_delete(actor=coordinator, service=service)
    assert not Phone.objects.filter(pk=phone.pk).exists()
    assert not Schedule.objects.filter(pk=schedule.pk).exists()
    assert not Language.objects.filter(pk=directory["language"].pk).exists()
    deleted = {(e.content_type.model, e.object_id) for e in entries_since(before)}
    assert deleted == {
        ("phone", str(phone.pk)),
        ("schedule", str(schedule.pk)),
        ("language", str(directory["language"].pk)),
        ("servicearea", str(directory["area"].pk)),
        ("service", str(pk)),
    }
    assert {e.action for e in entries_since(before)} == {"delete"}
    assert len(entries_since(before)) == 5


# --- Capacity --------------------------------------------------------------------------


def test_a_capacity_report_changes_the_figure_and_its_time(directory, coordinator):
    capacity = directory["capacity"]
    reported_before = capacity.updated
    services.capacity_report(actor=coordinator, capacity=capacity, available=7)
    capacity.refresh_from_db()
    assert capacity.available == 7 and capacity.maximum == 12
    assert capacity.updated > reported_before


def test_the_capacity_report_page_changes_the_figure_and_its_time(
    directory, coordinator, client_for
):
    capacity, service = directory["capacity"], directory["clinic_service"]
    reported_before = capacity.updated
    before = audit_count()
    response = client_for(coordinator).post(
        f"{S}/{service.pk}/capacity/{capacity.pk}/report/", {"available": "5"}
    )
    assert response.status_code == 302
    capacity.refresh_from_db()
    assert capacity.available == 5
    assert capacity.updated > reported_before
    assert [e.action for e in entries_since(before)] == ["update"]


def test_the_capacity_report_page_refuses_more_than_the_maximum_and_changes_nothing(
    directory, coordinator, client_for
):
    capacity, service = directory["capacity"], directory["clinic_service"]
    before = audit_count()
    response = client_for(coordinator).post(
        f"{S}/{service.pk}/capacity/{capacity.pk}/report/", {"available": "40"}, follow=True
    )
    assert "More are available than the maximum." in response.content.decode()
    capacity.refresh_from_db()
    assert capacity.available == 3
    assert audit_count() == before


def test_an_agency_administrator_may_not_report_another_agencys_capacity(
    directory, admin, client_for
):
    capacity, service = directory["capacity"], directory["clinic_service"]
    response = client_for(admin).post(
        f"{S}/{service.pk}/capacity/{capacity.pk}/report/", {"available": "0"}
    )
    assert response.status_code == 403
    capacity.refresh_from_db()
    assert capacity.available == 3


# --- The directory list's filters: page, API and CSV -----------------------------------


@pytest.fixture
def listing(program_a, police_a, clinic_a):
    """Three services: one open 24/7, one open weekdays 08:00-17:00, one without hours."""
    line = services.service_create(
        actor=None,
        program=program_a,
        data={"agency": police_a, "name": "Round-the-clock line", "service_type": "crisis_line"},
    )
    add_schedule(line, EVERY_DAY, datetime.time(0), datetime.time(0))
    services.part_create(
        actor=None, parent=line, model=Language, data={"name": "Spanish", "code": "es"}
    )
    clinic = services.service_create(
        actor=None,
        program=program_a,
        data={
            "agency": clinic_a,
            "name": "Weekday adult clinic",
            "service_type": "outpatient",
            "minimum_age": 18,
        },
    )
    add_schedule(clinic, WEEKDAYS, datetime.time(8), datetime.time(17))
    services.part_create(
        actor=None, parent=clinic, model=Language, data={"name": "English", "code": "en"}
    )
    youth = services.service_create(
        actor=None,
        program=program_a,
        data={
            "agency": clinic_a,
            "name": "Drop-in centre",
            "service_type": "youth",
            "description": "For teens after school.",
            "minimum_age": 12,
            "maximum_age": 17,
        },
    )
    return {"line": line, "clinic": clinic, "youth": youth}


@pytest.fixture
def at_moment(monkeypatch):
    """The directory's "open now" filter asked at a fixed moment instead of the clock's."""
    real = hours.open_now

    def set_moment(moment):
        def fixed(program, *, at=None, service_types=None):
            return real(program, at=at or moment, service_types=service_types)

        monkeypatch.setattr(hours, "open_now", fixed)

    return set_moment


FILTERS = [
    ("service_type=crisis_line", {"Round-the-clock line"}),
    ("partner_type=mental_health", {"Weekday adult clinic", "Drop-in centre"}),
    ("partner_type=law_enforcement", {"Round-the-clock line"}),
    ("age_group=youth", {"Round-the-clock line", "Drop-in centre"}),
    ("age_group=adults", {"Round-the-clock line", "Weekday adult clinic"}),
    ("language=es", {"Round-the-clock line"}),
    ("language=Spanish", {"Round-the-clock line"}),
    ("language=spanish", {"Round-the-clock line"}),
    ("open_24_7=true", {"Round-the-clock line"}),
    ("open_24_7=false", {"Weekday adult clinic", "Drop-in centre"}),
    ("q=teens", {"Drop-in centre"}),
    ("q=behavioral", {"Weekday adult clinic", "Drop-in centre"}),
    ("q=clinic", {"Weekday adult clinic"}),
]
OPEN_NOW = [
    (WEDNESDAY_NOON, "open_now=true", {"Round-the-clock line", "Weekday adult clinic"}),
    (SUNDAY_2AM, "open_now=true", {"Round-the-clock line"}),
    (SUNDAY_2AM, "open_now=false", {"Weekday adult clinic", "Drop-in centre"}),
]


def page_names(client, query):
    response = client.get(f"{P}/directory/?{query}")
    assert response.status_code == 200
    return {s.name for s in response.context["page"].items}


def api_names(client, query):
    response = client.get(f"{API}/services/?{query}")
    assert response.status_code == 200, response.content
    return {s["name"] for s in response.json()["results"]}


def csv_names(client, query):
    response = client.get(f"{P}/directory/?{query}&format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "name"
    return {row[0] for row in rows[1:]}


def test_the_directory_lists_every_service_without_a_filter(listing, coordinator, client_for):
    everything = {"Round-the-clock line", "Weekday adult clinic", "Drop-in centre"}
    assert page_names(client_for(coordinator), "") == everything


@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[q for q, _ in FILTERS])
def test_the_directory_page_filters(listing, coordinator, client_for, query, expected):
    assert page_names(client_for(coordinator), query) == expected


@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[q for q, _ in FILTERS])
def test_the_directory_api_filters(listing, coordinator, api_for, query, expected):
    assert api_names(api_for(coordinator), query) == expected


@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[q for q, _ in FILTERS])
def test_the_directory_csv_honours_the_filters(listing, coordinator, client_for, query, expected):
    assert csv_names(client_for(coordinator), query) == expected


@pytest.mark.parametrize(
    ("moment", "query", "expected"), OPEN_NOW, ids=[f"{q}@{m}" for m, q, _ in OPEN_NOW]
)
def test_open_now_follows_the_schedules_on_the_page_the_api_and_the_csv(
    listing, coordinator, client_for, api_for, at_moment, program_a, moment, query, expected
):
    at_moment(local(moment, program_a))
    assert page_names(client_for(coordinator), query) == expected
    assert csv_names(client_for(coordinator), query) == expected
    assert api_names(api_for(coordinator), query) == expected


def test_filters_combine(listing, coordinator, client_for, api_for):
    query = "partner_type=mental_health&age_group=youth"
    assert page_names(client_for(coordinator), query) == {"Drop-in centre"}
    assert api_names(api_for(coordinator), query) == {"Drop-in centre"}


def test_the_api_refuses_an_open_now_that_is_not_true_or_false(listing, coordinator, api_for):
    response = api_for(coordinator).get(f"{API}/services/?open_now=maybe")
    assert response.status_code == 400
    assert "open_now" in response.json()


def test_the_directory_page_shows_open_closed_and_unknown_hours(listing, coordinator, client_for):
    html = client_for(coordinator).get(f"{P}/directory/").content.decode()
    assert "24/7" in html and "hours unknown" in html
    assert "18 and over" in html and "12–17" in html


# --- Who takes a person in crisis now ----------------------------------------------------


@pytest.fixture
def board(program_a, police_a, clinic_a):
    """A 24/7 stabilization unit that receives people; a follow-up that keeps a weekday
    clinic's hours; a police duty whose hours are known only in words."""
    unit = services.service_create(
        actor=None,
        program=program_a,
        data={
            "agency": clinic_a,
            "name": "Crisis stabilization unit",
            "service_type": "crisis_stabilization",
        },
    )
    add_schedule(unit, EVERY_DAY, datetime.time(0), datetime.time(0))
    services.part_create(
        actor=None,
        parent=unit,
        model=Capacity,
        data={"unit": "chairs", "available": 4, "maximum": 16},
    )
    clinic = services.service_create(
        actor=None,
        program=program_a,
        data={"agency": clinic_a, "name": "Same-day clinic", "service_type": "mobile_crisis"},
    )
    add_schedule(clinic, WEEKDAYS, datetime.time(8), datetime.time(17))
    receive = services.responsibility_create(
        actor=None,
        program=program_a,
        data={
            "agency": clinic_a,
            "kind": "receive",
            "title": "Accept every adult brought by an officer",
            "available_24_7": True,
            "handoff": "Use the sally port on the east side; the nurse meets you.",
        },
    )
    follow_up = services.responsibility_create(
        actor=None,
        program=program_a,
        data={
            "agency": clinic_a,
            "kind": "follow_up",
            "title": "Same-day appointment after a release",
            "service": clinic,
        },
    )
    words = services.responsibility_create(
        actor=None,
        program=program_a,
        data={
            "agency": police_a,
            "kind": "train",
            "title": "Teach the CIT course",
            "hours_text": "As scheduled",
        },
    )
    return {
        "unit": unit,
        "clinic": clinic,
        "receive": receive,
        "follow_up": follow_up,
        "words": words,
    }


def test_the_crisis_page_at_2am_on_sunday_lists_the_24_7_responsibility_with_its_handoff(
    board, members, client_for
):
    response = client_for(members[Role.OFFICER]).get(f"{P}/?at={SUNDAY_2AM}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Who takes a person in crisis then</h1>" in html
    receive_heading = html.index("Receive the person (custody transfer)")
    entry = html.index("Accept every adult brought by an officer")
    assert receive_heading < entry
    assert "Use the sally port on the east side; the nurse meets you." in html
    assert "Sunday 6 December 2026, 02:00" in html


def test_the_crisis_page_at_2am_lists_a_weekday_responsibility_as_not_available(
    board, members, client_for
):
    html = client_for(members[Role.DISPATCHER]).get(f"{P}/?at={SUNDAY_2AM}").content.decode()
    closed = html.index("Not available at this hour")
    assert html.index("Same-day appointment after a release") > closed
    assert "Mon–Fri 08:00–17:00" in html[closed:]
    # The 24/7 responsibility is listed before, among those available.
    assert html.index("Accept every adult brought by an officer") < closed


def test_the_crisis_page_lists_the_crisis_services_open_then_with_their_capacity(
    board, coordinator, client_for
):
    html = client_for(coordinator).get(f"{P}/?at={SUNDAY_2AM}").content.decode()
    open_section = html[html.index("Crisis services open then") :]
    assert "Crisis stabilization unit" in open_section
    assert "4 of 16 chairs available" in open_section
    assert "Same-day clinic" not in open_section.split("</section>")[0]


def test_the_crisis_page_on_a_weekday_lists_the_follow_up_as_available(
    board, coordinator, client_for
):
    html = client_for(coordinator).get(f"{P}/?at={WEDNESDAY_NOON}").content.decode()
    assert "Not available at this hour" not in html
    assert html.index("Follow up after the crisis") < html.index(
        "Same-day appointment after a release"
    )


def test_an_unparseable_time_on_the_crisis_page_shows_a_message_and_now(
    board, coordinator, client_for
):
    client = client_for(coordinator)
    asked = datetime.datetime.now(datetime.UTC)
    response = client.get(f"{P}/?at=half past two")
    answered = datetime.datetime.now(datetime.UTC)
    assert response.status_code == 200
    html = response.content.decode()
    assert "“half past two” is not a date and time; showing now." in html
    assert asked <= response.context["at"] <= answered


def test_an_unparseable_time_on_the_crisis_page_is_headed_now(board, coordinator, client_for):
    html = client_for(coordinator).get(f"{P}/?at=half past two").content.decode()
    assert "<h1>Who takes a person in crisis now</h1>" in html


def test_the_crisis_board_puts_each_responsibility_in_its_group(board, program_a):
    result = selectors.crisis_board(program_a, at=local(SUNDAY_2AM, program_a))
    assert [(label, [e.item for e in entries]) for label, entries in result.available] == [
        ("Receive the person (custody transfer)", [board["receive"]])
    ]
    assert [e.item for e in result.closed] == [board["follow_up"]]
    assert [e.item for e in result.unknown] == [board["words"]]
    assert result.unknown[0].hours == "As scheduled"
    [closed] = result.closed
    assert closed.available is False
    assert closed.next_change == local("2026-12-07T08:00", program_a)
    assert [o.service for o in result.open_services] == [board["unit"]]


def test_the_crisis_board_on_a_weekday_groups_the_follow_up_with_the_available(board, program_a):
    result = selectors.crisis_board(program_a, at=local(WEDNESDAY_NOON, program_a))
    groups = {label: [e.item for e in entries] for label, entries in result.available}
    assert groups == {
        "Receive the person (custody transfer)": [board["receive"]],
        "Follow up after the crisis": [board["follow_up"]],
    }
    assert result.closed == []
    assert [o.service for o in result.open_services] == [board["unit"], board["clinic"]]


def test_the_crisis_board_leaves_out_inactive_agencies(board, program_a, clinic_a):
    type(clinic_a).objects.filter(pk=clinic_a.pk).update(active=False)
    result = selectors.crisis_board(program_a, at=local(SUNDAY_2AM, program_a))
    assert result.available == [] and result.closed == []
    assert [e.item for e in result.unknown] == [board["words"]]


# --- The open-now API ----------------------------------------------------------------


def test_the_open_now_api_says_open_or_closed_for_each_service_with_its_capacity(
    board, coordinator, api_for
):
    response = api_for(coordinator).get(f"{API}/open-now/?at={SUNDAY_2AM}")
    assert response.status_code == 200, response.content
    found = {row["name"]: row for row in response.json()}
    assert set(found) == {"Crisis stabilization unit", "Same-day clinic"}
    unit, clinic = found["Crisis stabilization unit"], found["Same-day clinic"]
    assert (unit["open"], unit["open_24_7"], unit["closes_at"]) == (True, True, None)
    assert [(c["unit"], c["available"], c["maximum"]) for c in unit["capacities"]] == [
        ("chairs", 4, 16)
    ]
    assert (clinic["open"], clinic["open_24_7"]) == (False, False)
    assert clinic["opens_at"].startswith("2026-12-07T08:00")
    assert clinic["capacities"] == []


def test_the_open_now_api_at_a_weekday_noon_finds_the_clinic_open(board, coordinator, api_for):
    response = api_for(coordinator).get(f"{API}/open-now/?at={WEDNESDAY_NOON}")
    found = {row["name"]: row for row in response.json()}
    assert found["Same-day clinic"]["open"] is True
    assert found["Same-day clinic"]["closes_at"].startswith("2026-12-09T17:00")


def test_the_open_now_api_gives_unknown_hours_as_null(board, coordinator, api_for, clinic_a):
    services.service_create(
        actor=None,
        program=clinic_a.program,
        data={"agency": clinic_a, "name": "Hours not given"},
    )
    response = api_for(coordinator).get(f"{API}/open-now/?at={SUNDAY_2AM}")
    found = {row["name"]: row for row in response.json()}
    assert found["Hours not given"]["open"] is None


def test_the_open_now_api_refuses_a_time_it_cannot_read_naming_at(board, coordinator, api_for):
    response = api_for(coordinator).get(f"{API}/open-now/?at=nonsense")
    assert response.status_code == 400
    assert "at" in response.json()


def test_the_open_now_api_is_not_for_another_program(board, outsider, api_for):
    response = api_for(outsider).get(f"{API}/open-now/?at={SUNDAY_2AM}")
    assert response.status_code == 404


def test_the_clinics_agency_administrator_adds_a_service_for_the_clinic(program_a, clinic_a):
    other = UserFactory(username="clinic_admin")
    Membership.objects.create(
        user=other, program=program_a, role=Role.AGENCY_ADMIN, agency=clinic_a
    )
    made = services.service_create(
        actor=other, program=program_a, data={"agency": clinic_a, "name": "Clinic's own"}
    )
    assert made.agency == clinic_a
