"""The meetings API: CRUD through services, agenda/attendance/decisions actions, every role,
bad input named by field with nothing written, filters, query counts."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citkit.committee import services
from citkit.committee.models import AgendaItem, Attendance, Decision, Meeting
from citkit.core.models import AuditEntry, Role

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
READERS = {Role.COORDINATOR, Role.COMMITTEE_MEMBER, Role.AGENCY_ADMIN, Role.TRAINER}
MANAGERS = {Role.COORDINATOR, Role.COMMITTEE_MEMBER}
URL = "/api/programs/riverbend/committee/meetings/"
NEW = {
    "title": "April Steering Committee",
    "starts_at": "2026-04-09T18:00:00-05:00",
    "ends_at": "2026-04-09T19:30:00-05:00",
    "location": "County Annex",
}


def _meeting(program, starts, **data):
    return services.meeting_create(
        actor=None,
        program=program,
        data={"starts_at": starts, "ends_at": starts + datetime.timedelta(hours=1), **data},
    )


@pytest.fixture
def meeting(program_a):
    return _meeting(
        program_a, datetime.datetime(2026, 3, 12, 18, tzinfo=CHICAGO), title="March meeting"
    )


@pytest.fixture
def seat(program_a, police_a):
    return services.seat_create(
        actor=None,
        program=program_a,
        data={
            "holder_name": "Chief Ward",
            "agency": police_a,
            "seat_type": "le_coordinator",
            "start_date": datetime.date(2026, 1, 1),
        },
    )


def _counts():
    return (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Attendance.objects.count(),
        Decision.objects.count(),
        AuditEntry.objects.count(),
    )


# --- Roles ---------------------------------------------------------------------------


def test_each_role_reads_meetings_as_its_capabilities_say(api_for, members, meeting):
    for role, user in members.items():
        client = api_for(user)
        expected = 200 if role in READERS else 403
        assert client.get(URL).status_code == expected, role
        assert client.get(f"{URL}{meeting.pk}/").status_code == expected, role


def test_an_outsider_gets_404_on_reads_and_writes(api_for, outsider, meeting):
    client = api_for(outsider)
    before = _counts()
    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}{meeting.pk}/").status_code == 404
    assert client.post(URL, NEW, format="json").status_code == 404
    assert client.post(f"{URL}{meeting.pk}/agenda/", {"title": "X"}).status_code == 404
    assert client.delete(f"{URL}{meeting.pk}/").status_code == 404
    assert _counts() == before


def test_an_anonymous_caller_is_refused(client, meeting):
    assert client.get(URL).status_code in (401, 403)


@pytest.mark.parametrize("role", sorted(set(Role.values) - MANAGERS))
def test_roles_that_may_not_manage_get_403_on_every_write_and_nothing_changes(
    api_for, members, meeting, seat, role
):
    client = api_for(members[role])
    before = _counts()
    writes = [
        client.post(URL, NEW, format="json"),
        client.post(URL, {"title": ""}, format="json"),  # even bad input: 403, not 400
        client.patch(f"{URL}{meeting.pk}/", {"title": "Changed"}, format="json"),
        client.put(f"{URL}{meeting.pk}/", NEW, format="json"),
        client.delete(f"{URL}{meeting.pk}/"),
        client.post(f"{URL}{meeting.pk}/agenda/", {"title": "X"}, format="json"),
        client.post(
            f"{URL}{meeting.pk}/attendance/", {"seats": {str(seat.pk): "present"}}, format="json"
        ),
        client.post(f"{URL}{meeting.pk}/decisions/", {"text": "X"}, format="json"),
    ]
    assert [r.status_code for r in writes] == [403] * len(writes)
    assert _counts() == before


# --- CRUD ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(MANAGERS))
def test_a_manager_creates_a_meeting_stored_in_utc(api_for, members, program_a, role):
    response = api_for(members[role]).post(URL, NEW, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    meeting = Meeting.objects.get(pk=body["id"])
    assert meeting.program == program_a
    assert meeting.starts_at == datetime.datetime(2026, 4, 9, 23, 0, tzinfo=UTC)
    assert body["status"] == "scheduled"
    assert body["agenda_items"] == [] and body["attendance"] == [] and body["decisions"] == []
    assert AuditEntry.objects.filter(action="create", object_id=str(meeting.pk)).exists()


def test_a_meeting_ending_before_it_starts_is_400_naming_ends_at(api_for, coordinator, program_a):
    before = _counts()
    response = api_for(coordinator).post(
        URL, {**NEW, "ends_at": "2026-04-09T17:00:00-05:00"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"ends_at"}
    assert _counts() == before


def test_moving_only_the_end_before_the_stored_start_is_400(api_for, coordinator, meeting):
    response = api_for(coordinator).patch(
        f"{URL}{meeting.pk}/", {"ends_at": "2026-03-12T10:00:00Z"}, format="json"
    )
    assert response.status_code == 400
    assert "ends_at" in response.json()
    meeting.refresh_from_db()
    assert meeting.ends_at == datetime.datetime(2026, 3, 13, 0, 0, tzinfo=UTC)


def test_bad_fields_are_named(api_for, coordinator, program_a):
    response = api_for(coordinator).post(
        URL,
        {"title": "", "starts_at": "soon", "status": "postponed", "call_link": "nope"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"title", "starts_at", "ends_at", "status", "call_link"}
    assert not Meeting.objects.exists()


def test_a_manager_updates_status_and_minutes(api_for, members, meeting):
    response = api_for(members[Role.COMMITTEE_MEMBER]).patch(
        f"{URL}{meeting.pk}/", {"status": "held", "minutes": "All went well."}, format="json"
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == ("held", "All went well.")
    entry = AuditEntry.objects.get(action="update", object_id=str(meeting.pk))
    assert entry.after["status"] == "held"


def test_a_held_meeting_cannot_be_deleted(api_for, coordinator, meeting):
    services.meeting_update(actor=None, meeting=meeting, data={"status": "held"})
    response = api_for(coordinator).delete(f"{URL}{meeting.pk}/")
    assert response.status_code == 400
    assert "cannot be deleted" in str(response.json())
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_scheduled_meeting_is_deleted(api_for, coordinator, meeting):
    assert api_for(coordinator).delete(f"{URL}{meeting.pk}/").status_code == 204
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_meeting_of_another_program_is_not_found(api_for, coordinator, program_b):
    other = _meeting(program_b, datetime.datetime(2026, 3, 1, 12, tzinfo=UTC))
    client = api_for(coordinator)
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.post(f"{URL}{other.pk}/agenda/", {"title": "X"}).status_code == 404
    assert not AgendaItem.objects.exists()


# --- Agenda, attendance, decisions ------------------------------------------------------------


def test_agenda_items_are_added_in_order_and_read_back_nested(api_for, coordinator, meeting):
    client = api_for(coordinator)
    for title in ("Welcome", "MOU status"):
        response = client.post(
            f"{URL}{meeting.pk}/agenda/",
            {"title": title, "presenter": "Chair", "minutes": 10},
            format="json",
        )
        assert response.status_code == 201
    body = client.get(f"{URL}{meeting.pk}/").json()
    assert [(i["order"], i["title"]) for i in body["agenda_items"]] == [
        (1, "Welcome"),
        (2, "MOU status"),
    ]


def test_an_agenda_item_is_removed(api_for, coordinator, meeting):
    item = services.agenda_item_add(actor=None, meeting=meeting, data={"title": "Old"})
    response = api_for(coordinator).delete(f"{URL}{meeting.pk}/agenda/{item.pk}/")
    assert response.status_code == 204
    assert not AgendaItem.objects.exists()


def test_a_bad_agenda_item_is_400_naming_the_fields(api_for, coordinator, meeting):
    response = api_for(coordinator).post(
        f"{URL}{meeting.pk}/agenda/", {"title": "", "minutes": 0}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"title", "minutes"}
    assert not AgendaItem.objects.exists()


def test_attendance_is_recorded_per_seat(api_for, members, meeting, seat):
    response = api_for(members[Role.COMMITTEE_MEMBER]).post(
        f"{URL}{meeting.pk}/attendance/", {"seats": {str(seat.pk): "present"}}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == [{"seat": seat.pk, "holder_name": "Chief Ward", "status": "present"}]
    response = api_for(members[Role.COORDINATOR]).post(
        f"{URL}{meeting.pk}/attendance/", {"seats": {str(seat.pk): "excused"}}, format="json"
    )
    assert Attendance.objects.get().status == "excused"
    body = api_for(members[Role.TRAINER]).get(f"{URL}{meeting.pk}/").json()
    assert body["attendance"] == [
        {"seat": seat.pk, "holder_name": "Chief Ward", "status": "excused"}
    ]


@pytest.mark.parametrize(
    "seats",
    [
        {"999999": "present"},  # unknown seat
        {"{seat}": "asleep"},  # bad status
        {"{seat}": "present", "999999": "absent"},  # one good, one unknown: all or nothing
        {"chief": "present"},  # not an id
        {},  # nothing
    ],
)
def test_bad_attendance_is_400_naming_seats_and_nothing_is_written(
    api_for, coordinator, meeting, seat, seats
):
    body = {"seats": {k.format(seat=seat.pk): v for k, v in seats.items()}}
    before = _counts()
    response = api_for(coordinator).post(f"{URL}{meeting.pk}/attendance/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"seats"}
    assert _counts() == before


def test_a_seat_of_another_program_cannot_be_marked(api_for, coordinator, meeting, program_b):
    other = services.seat_create(
        actor=None,
        program=program_b,
        data={"holder_name": "Elsewhere", "start_date": datetime.date(2026, 1, 1)},
    )
    response = api_for(coordinator).post(
        f"{URL}{meeting.pk}/attendance/", {"seats": {str(other.pk): "present"}}, format="json"
    )
    assert response.status_code == 400
    assert str(other.pk) in str(response.json()["seats"])
    assert not Attendance.objects.exists()


def test_attendance_without_seats_is_400(api_for, coordinator, meeting):
    response = api_for(coordinator).post(f"{URL}{meeting.pk}/attendance/", {}, format="json")
    assert response.status_code == 400
    assert "seats" in response.json()


def test_a_decision_is_recorded_with_votes(api_for, coordinator, meeting):
    response = api_for(coordinator).post(
        f"{URL}{meeting.pk}/decisions/",
        {
            "text": "Adopt the MOU",
            "decided_by": "the committee",
            "votes_for": 7,
            "votes_against": 1,
        },
        format="json",
    )
    assert response.status_code == 201
    decision = Decision.objects.get()
    assert (decision.meeting, decision.votes_for, decision.abstentions) == (meeting, 7, None)
    body = api_for(coordinator).get(f"{URL}{meeting.pk}/").json()
    assert body["decisions"][0]["text"] == "Adopt the MOU"


def test_a_bad_decision_is_400_naming_the_fields(api_for, coordinator, meeting):
    response = api_for(coordinator).post(
        f"{URL}{meeting.pk}/decisions/", {"text": "", "votes_for": -2}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"text", "votes_for"}
    assert not Decision.objects.exists()


# --- Lists -------------------------------------------------------------------------------


def test_the_list_filters_by_status_and_by_upcoming_or_past(api_for, coordinator, program_a):
    now = timezone.now()
    _meeting(program_a, now + datetime.timedelta(days=3), title="Soon")
    _meeting(program_a, now + datetime.timedelta(days=9), title="Off", status="cancelled")
    _meeting(program_a, now - datetime.timedelta(days=9), title="Past")
    client = api_for(coordinator)

    def titles(query):
        response = client.get(URL + query)
        assert response.status_code == 200, response.json()
        return [m["title"] for m in response.json()["results"]]

    assert titles("") == ["Off", "Soon", "Past"]
    assert titles("?sort=starts") == ["Past", "Soon", "Off"]
    assert titles("?when=upcoming&sort=starts") == ["Soon", "Off"]
    assert titles("?when=past") == ["Past"]
    assert titles("?status=cancelled") == ["Off"]


@pytest.mark.parametrize("query", ["?status=postponed", "?when=tomorrow", "?sort=title"])
def test_a_bad_filter_is_400_naming_it(api_for, coordinator, program_a, query):
    response = api_for(coordinator).get(URL + query)
    assert response.status_code == 400
    assert query[1:].split("=")[0] in response.json()


def _grow(program, n, start=0):
    for i in range(start, start + n):
        m = _meeting(
            program, datetime.datetime(2026, 1, 1, tzinfo=UTC) + datetime.timedelta(days=i)
        )
        services.agenda_item_add(actor=None, meeting=m, data={"title": "Item"})
        services.decision_record(actor=None, meeting=m, data={"text": "Decided"})
        seat = services.seat_create(
            actor=None,
            program=program,
            data={"holder_name": f"Seat {i}", "start_date": datetime.date(2025, 1, 1)},
        )
        services.attendance_record(actor=None, meeting=m, statuses={seat.pk: "present"})


@pytest.mark.parametrize("query", ["", "?when=past&status=scheduled&sort=starts"])
def test_the_list_costs_the_same_queries_for_1_meeting_and_for_50(
    api_for, coordinator, program_a, query
):
    client = api_for(coordinator)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL + query)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["results"])

    _grow(program_a, 1)
    count()
    with_one, rows = count()
    assert rows == 1
    _grow(program_a, 49, start=1)
    with_fifty, rows = count()
    assert rows == 50
    assert with_fifty == with_one


def test_the_schema_documents_the_meeting_endpoints_without_warnings():
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema
    from rest_framework.routers import DefaultRouter

    from citkit.committee.api.meetings import MeetingViewSet

    router = DefaultRouter()
    router.register(
        r"programs/(?P<program>[-\w]+)/committee/meetings", MeetingViewSet, basename="api-meeting"
    )
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/", include(router.urls))])
    schema = generator.get_schema(request=None, public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS, (
        dict(GENERATOR_STATS._warn_cache),
        dict(GENERATOR_STATS._error_cache),
    )
    base = "/api/programs/{program}/committee/meetings/"
    assert set(schema["paths"]) == {
        base,
        base + "{id}/",
        base + "{id}/agenda/",
        base + "{id}/agenda/{item}/",
        base + "{id}/attendance/",
        base + "{id}/decisions/",
    }
    parameters = {p["name"] for p in schema["paths"][base]["get"]["parameters"]}
    assert {"status", "when", "sort", "cursor"} <= parameters


def test_the_served_schema_lists_the_meetings_api(client_for, coordinator):
    schema = client_for(coordinator).get("/api/schema/")
    assert b"/api/programs/{program}/committee/meetings/{id}/attendance/:" in schema.content


@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
@pytest.mark.parametrize("moment", ["0001-01-01T10:00:00Z", "9999-12-31T10:00:00Z"])
def test_a_meeting_date_outside_the_years_1900_to_2200_is_refused_on_its_field(
    api_for, coordinator, meeting, field, moment
):
    response = api_for(coordinator).patch(f"{URL}{meeting.pk}/", {field: moment}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    meeting.refresh_from_db()
    assert 1900 <= meeting.starts_at.year <= 2200


def test_the_schema_says_attendance_answers_a_plain_list(client_for, coordinator):
    schema = client_for(coordinator).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/programs/{program}/committee/meetings/{id}/attendance/"]
    answer = operation["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["type"] == "array"
    assert {"400", "403", "404"} <= set(operation["post"]["responses"])
