"""Meeting pages: list, detail with agenda, attendance, minutes, decisions and action items;
every role; bad input; the program's time zone; query counts."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citkit.committee import services
from citkit.committee.calendar import feed_token
from citkit.committee.models import ActionItem, AgendaItem, Attendance, Decision, Meeting
from citkit.core.models import AuditEntry, Role

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
UTC = datetime.UTC
READERS = {Role.COORDINATOR, Role.COMMITTEE_MEMBER, Role.AGENCY_ADMIN, Role.TRAINER}
MANAGERS = {Role.COORDINATOR, Role.COMMITTEE_MEMBER}
COORD = {Role.COORDINATOR}
NO_COMMITTEE = {Role.OFFICER, Role.DISPATCHER, Role.ANALYST, Role.STATE_COORDINATOR}


def _meeting(program, starts, minutes=90, **data):
    return services.meeting_create(
        actor=None,
        program=program,
        data={"starts_at": starts, "ends_at": starts + datetime.timedelta(minutes=minutes), **data},
    )


@pytest.fixture
def meeting(program_a):
    # 6 PM in Riverbend (CDT, UTC-5) is 23:00 UTC.
    return _meeting(
        program_a,
        datetime.datetime(2026, 3, 12, 18, 0, tzinfo=CHICAGO),
        title="March Steering Committee",
        location="County Annex, Room 2",
        call_link="https://meet.example.org/cit",
    )


@pytest.fixture
def seats(program_a, police_a, clinic_a):
    start = datetime.date(2026, 1, 1)

    def seat(**data):
        return services.seat_create(
            actor=None, program=program_a, data={"start_date": start, **data}
        )

    return {
        "chief": seat(holder_name="Chief Ward", agency=police_a, seat_type="le_coordinator"),
        "doctor": seat(holder_name="Dr. Okafor", agency=clinic_a, seat_type="mh_coordinator"),
        "advocate": seat(holder_name="Rosa Lind", seat_type="advocate"),
        # Ended before the meeting: not on its attendance form.
        "former": seat(
            holder_name="Former Member", end_date=datetime.date(2026, 2, 1), seat_type="member"
        ),
        # Starts after the meeting: not on it either.
        "later": services.seat_create(
            actor=None,
            program=program_a,
            data={"holder_name": "Late Joiner", "start_date": datetime.date(2026, 6, 1)},
        ),
    }


def _counts():
    return (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Attendance.objects.count(),
        Decision.objects.count(),
        ActionItem.objects.count(),
        AuditEntry.objects.count(),
    )


# --- Every page, every role ---------------------------------------------------------

PAGES = [
    ("/p/riverbend/committee/meetings/", READERS),
    ("/p/riverbend/committee/meetings/?format=csv", READERS),
    ("/p/riverbend/committee/meetings/?status=held", READERS),
    ("/p/riverbend/committee/meetings/{meeting}/", READERS),
    ("/p/riverbend/committee/meetings/{meeting}/agenda.pdf", READERS),
    ("/p/riverbend/committee/meetings/{meeting}/minutes.pdf", READERS),
    ("/p/riverbend/committee/meetings/calendar.ics", READERS),
    ("/p/riverbend/committee/meetings/add/", MANAGERS),
    ("/p/riverbend/committee/meetings/{meeting}/edit/", MANAGERS),
    ("/p/riverbend/committee/meetings/{meeting}/delete/", MANAGERS),
    ("/p/riverbend/committee/meetings/{meeting}/history/", COORD),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES)
def test_each_role_gets_the_answer_its_capabilities_give(
    client, members, meeting, template, allowed
):
    url = template.format(meeting=meeting.pk)
    for role, user in members.items():
        client.force_login(user)
        response = client.get(url)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, url, response.status_code)


@pytest.mark.parametrize(("template", "allowed"), PAGES)
def test_an_outsider_gets_404_on_every_meeting_page(client, outsider, meeting, template, allowed):
    client.force_login(outsider)
    assert client.get(template.format(meeting=meeting.pk)).status_code == 404


@pytest.mark.parametrize(("template", "allowed"), PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, meeting, template, allowed):
    response = client.get(template.format(meeting=meeting.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_meeting_of_another_program_is_not_found(client_for, coordinator, program_b):
    other = _meeting(program_b, datetime.datetime(2026, 3, 1, 12, tzinfo=UTC))
    client = client_for(coordinator)
    assert client.get(f"/p/riverbend/committee/meetings/{other.pk}/").status_code == 404
    assert client.get(f"/p/riverbend/committee/meetings/{other.pk}/agenda.pdf").status_code == 404


def _writes(meeting, seats, owner):
    base = f"/p/riverbend/committee/meetings/{meeting.pk}"
    item = services.agenda_item_add(actor=None, meeting=meeting, data={"title": "Existing"})
    return [
        (
            "/p/riverbend/committee/meetings/add/",
            {"title": "X", "starts_at": "2026-05-01T10:00", "ends_at": "2026-05-01T11:00"},
        ),
        (
            f"{base}/edit/",
            {"title": "X", "starts_at": "2026-05-01T10:00", "ends_at": "2026-05-01T11:00"},
        ),
        (f"{base}/delete/", {}),
        (f"{base}/status/", {"status": "held"}),
        (f"{base}/agenda/", {"agenda-title": "Budget"}),
        (f"{base}/agenda/{item.pk}/remove/", {}),
        (f"{base}/attendance/", {f"seat_{seats['chief'].pk}": "present"}),
        (f"{base}/minutes/", {"minutes": "Hello"}),
        (f"{base}/decisions/", {"decision-text": "Adopt the MOU"}),
        (
            f"{base}/actions/",
            {"action-title": "Call", "action-owner": owner.pk, "action-due_date": "2026-04-01"},
        ),
    ]


def test_read_only_roles_get_403_on_every_write_and_nothing_changes(
    client, members, meeting, seats
):
    writes = _writes(meeting, seats, members[Role.COORDINATOR])
    for role in set(Role.values) - MANAGERS:
        client.force_login(members[role])
        before = _counts()
        for url, data in writes:
            assert client.post(url, data).status_code == 403, (role, url)
        assert _counts() == before, role


def test_an_outsider_gets_404_on_every_write_and_nothing_changes(
    client, outsider, coordinator, meeting, seats
):
    writes = _writes(meeting, seats, coordinator)
    client.force_login(outsider)
    before = _counts()
    for url, data in writes:
        assert client.post(url, data).status_code == 404, url
    assert _counts() == before


# --- Adding and editing a meeting -------------------------------------------------------


@pytest.mark.parametrize("role", sorted(MANAGERS))
def test_a_manager_adds_a_meeting_in_the_programs_time_zone(client_for, members, program_a, role):
    response = client_for(members[role]).post(
        "/p/riverbend/committee/meetings/add/",
        {
            "title": "April Steering Committee",
            "starts_at": "2026-04-09T18:00",
            "ends_at": "2026-04-09T19:30",
            "location": "County Annex",
            "call_link": "meet.example.org/cit",
            "status": "scheduled",
        },
    )
    meeting = Meeting.objects.get(title="April Steering Committee")
    assert response.status_code == 302
    assert response["Location"] == f"/p/riverbend/committee/meetings/{meeting.pk}/"
    assert meeting.program == program_a
    assert meeting.starts_at == datetime.datetime(2026, 4, 9, 23, 0, tzinfo=UTC)
    assert meeting.ends_at == datetime.datetime(2026, 4, 10, 0, 30, tzinfo=UTC)
    assert meeting.call_link == "https://meet.example.org/cit"
    entry = AuditEntry.objects.get(action="create", object_id=str(meeting.pk))
    assert entry.actor == members[role]


def test_a_meeting_ending_before_it_starts_is_refused_and_nothing_is_written(
    client_for, coordinator, program_a
):
    before = _counts()
    response = client_for(coordinator).post(
        "/p/riverbend/committee/meetings/add/",
        {
            "title": "Backwards",
            "starts_at": "2026-04-09T18:00",
            "ends_at": "2026-04-09T17:00",
            "status": "scheduled",
        },
    )
    assert response.status_code == 400
    assert "ends_at" in response.context["form"].errors
    assert "must end after it starts" in response.content.decode()
    assert _counts() == before


def test_bad_fields_are_named_on_the_meeting_form(client_for, coordinator, program_a):
    response = client_for(coordinator).post(
        "/p/riverbend/committee/meetings/add/",
        {
            "title": "",
            "starts_at": "next tuesday",
            "ends_at": "",
            "call_link": "not a link",
            "status": "postponed",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {
        "title",
        "starts_at",
        "ends_at",
        "call_link",
        "status",
    }
    assert not Meeting.objects.exists()


def test_the_edit_form_shows_the_times_in_the_programs_zone(client_for, coordinator, meeting):
    response = client_for(coordinator).get(f"/p/riverbend/committee/meetings/{meeting.pk}/edit/")
    html = response.content.decode()
    assert 'value="2026-03-12T18:00"' in html
    assert 'value="2026-03-12T19:30"' in html


def test_editing_a_meeting_saves_and_audits_the_change(client_for, coordinator, meeting):
    response = client_for(coordinator).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/edit/",
        {
            "title": "March Steering Committee (moved)",
            "starts_at": "2026-03-13T09:00",
            "ends_at": "2026-03-13T10:00",
            "location": "Sheriff's Office",
            "status": "scheduled",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "March Steering Committee (moved)"
    assert meeting.starts_at == datetime.datetime(2026, 3, 13, 14, 0, tzinfo=UTC)
    entry = AuditEntry.objects.get(action="update", object_id=str(meeting.pk))
    assert entry.after["location"] == "Sheriff's Office"


def test_an_edit_ending_before_the_start_changes_nothing(client_for, coordinator, meeting):
    response = client_for(coordinator).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/edit/",
        {
            "title": "Changed",
            "starts_at": "2026-03-13T09:00",
            "ends_at": "2026-03-13T08:00",
            "status": "scheduled",
        },
    )
    assert response.status_code == 400
    assert "ends_at" in response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.title == "March Steering Committee"


def test_a_new_meeting_form_suggests_the_last_place_and_call_link(client_for, coordinator, meeting):
    html = client_for(coordinator).get("/p/riverbend/committee/meetings/add/").content.decode()
    assert 'value="County Annex, Room 2"' in html
    assert 'value="https://meet.example.org/cit"' in html


# --- The meeting page ---------------------------------------------------------------


def test_the_meeting_page_shows_when_where_and_the_call_link_in_local_time(
    client_for, members, meeting
):
    html = client_for(members[Role.TRAINER]).get(meeting.get_absolute_url()).content.decode()
    assert "Thursday, March 12, 2026, 6:00 PM – 7:30 PM CDT" in html
    assert "County Annex, Room 2" in html
    assert 'href="https://meet.example.org/cit"' in html
    assert "Agenda (PDF)" in html and "Minutes (PDF)" in html
    # A reader sees no forms and no edit buttons.
    assert "Save attendance" not in html
    assert f"/p/riverbend/committee/meetings/{meeting.pk}/edit/" not in html


def test_a_manager_adds_and_removes_agenda_items_in_order(client_for, members, meeting):
    client = client_for(members[Role.COMMITTEE_MEMBER])
    url = f"/p/riverbend/committee/meetings/{meeting.pk}/agenda/"
    for title, presenter in [("Welcome", "Chair"), ("MOU status", "Lt. Reyes")]:
        response = client.post(
            url, {"agenda-title": title, "agenda-presenter": presenter, "agenda-minutes": "15"}
        )
        assert response.status_code == 302
        assert response["Location"].endswith("#agenda")
    items = list(meeting.agenda_items.all())
    assert [(i.order, i.title, i.presenter, i.minutes) for i in items] == [
        (1, "Welcome", "Chair", 15),
        (2, "MOU status", "Lt. Reyes", 15),
    ]
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert html.index("Welcome") < html.index("MOU status")
    remove = f"/p/riverbend/committee/meetings/{meeting.pk}/agenda/{items[0].pk}/remove/"
    assert client.post(remove).status_code == 302
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["MOU status"]


def test_an_agenda_item_without_a_title_is_refused_on_the_page(client_for, coordinator, meeting):
    response = client_for(coordinator).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/agenda/",
        {"agenda-title": "", "agenda-minutes": "-5"},
    )
    assert response.status_code == 400
    assert set(response.context["agenda_form"].errors) == {"title", "minutes"}
    assert response.context["open_form"] == "agenda_form"
    assert not AgendaItem.objects.exists()


def test_an_agenda_item_of_another_meeting_cannot_be_removed_through_this_one(
    client_for, coordinator, meeting, program_a
):
    other = _meeting(program_a, datetime.datetime(2026, 4, 1, 12, tzinfo=UTC))
    item = services.agenda_item_add(actor=None, meeting=other, data={"title": "Keep me"})
    url = f"/p/riverbend/committee/meetings/{meeting.pk}/agenda/{item.pk}/remove/"
    assert client_for(coordinator).post(url).status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_the_attendance_form_lists_every_seat_active_on_the_meeting_date(
    client_for, coordinator, meeting, seats
):
    response = client_for(coordinator).get(meeting.get_absolute_url())
    listed = {s.holder_name for s in response.context["record_form"].seats}
    assert listed == {"Chief Ward", "Dr. Okafor", "Rosa Lind"}
    html = response.content.decode()
    assert f'name="seat_{seats["chief"].pk}" value="excused"' in html


def test_attendance_is_saved_and_changed_through_the_form(client_for, coordinator, meeting, seats):
    client = client_for(coordinator)
    url = f"/p/riverbend/committee/meetings/{meeting.pk}/attendance/"
    response = client.post(
        url,
        {
            f"seat_{seats['chief'].pk}": "present",
            f"seat_{seats['doctor'].pk}": "excused",
        },
    )
    assert response.status_code == 302
    recorded = dict(meeting.attendance.values_list("seat__holder_name", "status"))
    assert recorded == {"Chief Ward": "present", "Dr. Okafor": "excused"}
    client.post(url, {f"seat_{seats['chief'].pk}": "absent"})
    recorded = dict(meeting.attendance.values_list("seat__holder_name", "status"))
    assert recorded == {"Chief Ward": "absent", "Dr. Okafor": "excused"}
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Present: 0 · Absent: 1 · Excused: 1 · Not recorded: 1" in html


def test_a_bad_attendance_status_is_refused_and_nothing_is_written(
    client_for, coordinator, meeting, seats
):
    before = _counts()
    response = client_for(coordinator).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/attendance/",
        {f"seat_{seats['chief'].pk}": "present", f"seat_{seats['doctor'].pk}": "asleep"},
    )
    assert response.status_code == 400
    assert set(response.context["record_form"].errors) == {f"seat_{seats['doctor'].pk}"}
    assert _counts() == before


def test_a_reader_sees_attendance_as_a_table(client_for, members, meeting, seats):
    services.attendance_record(
        actor=None, meeting=meeting, statuses={seats["advocate"].pk: "present"}
    )
    html = client_for(members[Role.AGENCY_ADMIN]).get(meeting.get_absolute_url()).content.decode()
    assert '<th scope="row">Rosa Lind</th>' in html
    assert "Not recorded" in html
    assert 'type="radio"' not in html


def test_minutes_are_saved_and_shown_to_readers(client_for, members, meeting):
    text = "The chief reported on dispatch codes.\n\nTraining dates were discussed."
    response = client_for(members[Role.COMMITTEE_MEMBER]).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/minutes/", {"minutes": text}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == text
    html = client_for(members[Role.TRAINER]).get(meeting.get_absolute_url()).content.decode()
    assert "The chief reported on dispatch codes." in html


def test_a_decision_is_recorded_with_its_votes(client_for, coordinator, meeting):
    response = client_for(coordinator).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/decisions/",
        {
            "decision-text": "Adopt the draft MOU with the hospital.",
            "decision-decided_by": "the committee",
            "decision-votes_for": "7",
            "decision-votes_against": "1",
            "decision-abstentions": "2",
        },
    )
    assert response.status_code == 302
    decision = meeting.decisions.get()
    assert (decision.votes_for, decision.votes_against, decision.abstentions) == (7, 1, 2)
    html = client_for(coordinator).get(meeting.get_absolute_url()).content.decode()
    assert "Adopt the draft MOU with the hospital." in html
    assert "Decided by the committee." in html
    assert "Vote: 7 for, 1 against, 2 abstaining." in html


def test_bad_votes_are_named_and_nothing_is_written(client_for, coordinator, meeting):
    before = _counts()
    response = client_for(coordinator).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/decisions/",
        {"decision-text": "", "decision-votes_for": "-1", "decision-votes_against": "many"},
    )
    assert response.status_code == 400
    assert set(response.context["decision_form"].errors) == {"text", "votes_for", "votes_against"}
    assert _counts() == before


def test_an_action_item_created_in_the_meeting_links_meeting_and_decision(
    client_for, coordinator, members, meeting
):
    decision = services.decision_record(
        actor=None, meeting=meeting, data={"text": "Recruit trainers"}
    )
    owner = members[Role.AGENCY_ADMIN]
    owner.first_name, owner.last_name = "Dana", "Reyes"
    owner.save()
    client = client_for(coordinator)
    response = client.post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/actions/",
        {
            "action-title": "Ask three officers to co-teach",
            "action-owner": owner.pk,
            "action-due_date": "2026-04-01",
            "action-decision": decision.pk,
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.meeting, item.decision, item.owner, item.status) == (
        meeting,
        decision,
        owner,
        "open",
    )
    assert item.due_date == datetime.date(2026, 4, 1)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Ask three officers to co-teach" in html
    assert "Dana Reyes" in html
    assert "Apr 1, 2026" in html


def test_an_overdue_open_action_item_is_highlighted(client_for, coordinator, meeting):
    services.action_item_create(
        actor=None,
        program=meeting.program,
        data={
            "title": "Send the draft policy",
            "owner": coordinator,
            "due_date": datetime.date(2026, 1, 1),
            "meeting": meeting,
        },
    )
    html = client_for(coordinator).get(meeting.get_absolute_url()).content.decode()
    assert ">overdue</span>" in html


def test_an_action_item_owner_must_be_a_member_of_the_program(
    client_for, coordinator, outsider, meeting
):
    response = client_for(coordinator).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/actions/",
        {
            "action-title": "Outside help",
            "action-owner": outsider.pk,
            "action-due_date": "2026-04-01",
        },
    )
    assert response.status_code == 400
    assert "owner" in response.context["action_form"].errors
    assert not ActionItem.objects.exists()


def test_a_decision_of_another_meeting_cannot_be_linked(
    client_for, coordinator, meeting, program_a
):
    other = _meeting(program_a, datetime.datetime(2026, 4, 1, 12, tzinfo=UTC))
    decision = services.decision_record(actor=None, meeting=other, data={"text": "Elsewhere"})
    response = client_for(coordinator).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/actions/",
        {
            "action-title": "X",
            "action-owner": coordinator.pk,
            "action-due_date": "2026-04-01",
            "action-decision": decision.pk,
        },
    )
    assert response.status_code == 400
    assert "decision" in response.context["action_form"].errors
    assert not ActionItem.objects.exists()


# --- Status and deleting ------------------------------------------------------------------


def test_a_meeting_is_marked_held_and_then_cannot_be_deleted(client_for, coordinator, meeting):
    client = client_for(coordinator)
    url = f"/p/riverbend/committee/meetings/{meeting.pk}"
    assert client.post(f"{url}/status/", {"status": "held"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held"
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert f"{url}/delete/" not in html
    response = client.post(f"{url}/delete/", follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_meeting_is_cancelled_then_deleted(client_for, coordinator, meeting):
    client = client_for(coordinator)
    url = f"/p/riverbend/committee/meetings/{meeting.pk}"
    client.post(f"{url}/status/", {"status": "cancelled"})
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    response = client.post(f"{url}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/p/riverbend/committee/meetings/"
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(meeting.pk)).exists()


def test_an_unknown_status_changes_nothing(client_for, coordinator, meeting):
    response = client_for(coordinator).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/status/",
        {"status": "postponed"},
        follow=True,
    )
    assert "Choose held, cancelled or scheduled." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"


# --- The list --------------------------------------------------------------------------


def test_the_list_shows_upcoming_meetings_soonest_first_then_past_newest_first(
    client_for, members, program_a
):
    now = timezone.now()
    for days, title in [(14, "Later"), (3, "Soon"), (-30, "Last month"), (-60, "Two months ago")]:
        _meeting(program_a, now + datetime.timedelta(days=days), title=title)
    response = client_for(members[Role.TRAINER]).get("/p/riverbend/committee/meetings/")
    assert [m.title for m in response.context["upcoming"]] == ["Soon", "Later"]
    assert [m.title for m in response.context["page"].items] == ["Last month", "Two months ago"]
    html = response.content.decode()
    assert html.index("Soon") < html.index("Later") < html.index("Last month")
    assert "Add a meeting" not in html


def test_the_list_filters_by_status(client_for, coordinator, program_a):
    now = timezone.now()
    _meeting(program_a, now + datetime.timedelta(days=3), title="On", status="scheduled")
    _meeting(program_a, now + datetime.timedelta(days=4), title="Off", status="cancelled")
    _meeting(program_a, now - datetime.timedelta(days=4), title="Was off", status="cancelled")
    response = client_for(coordinator).get("/p/riverbend/committee/meetings/?status=cancelled")
    assert [m.title for m in response.context["upcoming"]] == ["Off"]
    assert [m.title for m in response.context["page"].items] == ["Was off"]
    assert "Add a meeting" in response.content.decode()


def test_the_list_offers_a_personal_calendar_subscription(client_for, members, program_a, meeting):
    user = members[Role.COMMITTEE_MEMBER]
    html = client_for(user).get("/p/riverbend/committee/meetings/").content.decode()
    token = feed_token(user, program_a)
    assert f"http://testserver/p/riverbend/committee/meetings/calendar.ics?token={token}" in html
    assert 'href="webcal://testserver/p/riverbend/committee/meetings/calendar.ics?token=' in html


def test_the_csv_export_lists_every_meeting_in_local_time(client_for, coordinator, meeting):
    services.agenda_item_add(actor=None, meeting=meeting, data={"title": "Welcome"})
    response = client_for(coordinator).get("/p/riverbend/committee/meetings/?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["date", "starts", "ends", "time zone", "title"]
    assert rows[1] == [
        "2026-03-12",
        "18:00",
        "19:30",
        "America/Chicago",
        "March Steering Committee",
        "Scheduled",
        "County Annex, Room 2",
        "https://meet.example.org/cit",
        "1",
    ]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(program, n, start=0):
    now = timezone.now()
    for i in range(start, start + n):
        for days in (-(i + 1), i + 1):  # one past, one upcoming
            m = _meeting(program, now + datetime.timedelta(days=days), title=f"Meeting {i}")
            services.agenda_item_add(actor=None, meeting=m, data={"title": "Item"})


@pytest.mark.parametrize(
    "url",
    [
        "/p/riverbend/committee/meetings/",
        "/p/riverbend/committee/meetings/?status=scheduled",
        "/p/riverbend/committee/meetings/?format=csv",
        "/p/riverbend/committee/meetings/calendar.ics",
    ],
)
def test_the_list_costs_the_same_queries_for_1_meeting_and_for_50(
    client_for, coordinator, program_a, url
):
    client = client_for(coordinator)
    _grow(program_a, 1)
    _count(client, url)  # warm caches (content types, sessions)
    with_one = _count(client, url)
    _grow(program_a, 49, start=1)
    with_fifty = _count(client, url)
    assert with_fifty == with_one, (url, with_one, with_fifty)


def test_the_meeting_page_costs_the_same_queries_for_few_and_many_rows(
    client_for, coordinator, meeting, seats, program_a
):
    client = client_for(coordinator)

    def fill(n, start):
        for i in range(start, start + n):
            services.agenda_item_add(actor=None, meeting=meeting, data={"title": f"Item {i}"})
            d = services.decision_record(actor=None, meeting=meeting, data={"text": f"D{i}"})
            services.action_item_create(
                actor=None,
                program=program_a,
                data={
                    "title": f"A{i}",
                    "owner": coordinator,
                    "due_date": datetime.date(2026, 4, 1),
                    "meeting": meeting,
                    "decision": d,
                },
            )
            seat = services.seat_create(
                actor=None,
                program=program_a,
                data={"holder_name": f"Seat {i}", "start_date": datetime.date(2026, 1, 1)},
            )
            services.attendance_record(actor=None, meeting=meeting, statuses={seat.pk: "present"})

    fill(1, 0)
    url = meeting.get_absolute_url()
    _count(client, url)
    with_one = _count(client, url)
    fill(20, 1)
    assert _count(client, url) == with_one


def test_filtering_with_htmx_returns_only_the_results(client_for, coordinator, program_a):
    _meeting(program_a, timezone.now() + datetime.timedelta(days=2), title="Soon")
    response = client_for(coordinator).get(
        "/p/riverbend/committee/meetings/?status=scheduled", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Soon" in html and "Past meetings" in html


def test_minutes_typed_before_saving_attendance_are_saved_with_it(
    client_for, coordinator, meeting, seats
):
    response = client_for(coordinator).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/attendance/",
        {f"seat_{seats['chief'].pk}": "present", "minutes": "Quorum reached; budget discussed."},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Quorum reached; budget discussed."
    assert meeting.attendance.get().status == "present"


def test_attendance_chosen_before_saving_the_minutes_is_saved_with_them(
    client_for, coordinator, meeting, seats
):
    client_for(coordinator).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/minutes/",
        {f"seat_{seats['doctor'].pk}": "excused", "minutes": "Short meeting."},
    )
    meeting.refresh_from_db()
    assert meeting.minutes == "Short meeting."
    assert meeting.attendance.get().seat == seats["doctor"]


def test_a_refused_attendance_keeps_the_minutes_as_typed(client_for, coordinator, meeting, seats):
    response = client_for(coordinator).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/attendance/",
        {f"seat_{seats['chief'].pk}": "asleep", "minutes": "Typed, not yet saved."},
    )
    assert response.status_code == 400
    assert "Typed, not yet saved." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "" and not meeting.attendance.exists()


def test_saving_attendance_alone_leaves_the_minutes_alone(client_for, coordinator, meeting, seats):
    services.meeting_update(actor=None, meeting=meeting, data={"minutes": "Kept."})
    client_for(coordinator).post(
        f"/p/riverbend/committee/meetings/{meeting.pk}/attendance/",
        {f"seat_{seats['chief'].pk}": "absent"},
    )
    meeting.refresh_from_db()
    assert meeting.minutes == "Kept."


def test_removing_an_agenda_item_asks_first(client_for, coordinator, meeting):
    item = services.agenda_item_add(actor=None, meeting=meeting, data={"title": "Budget"})
    url = f"/p/riverbend/committee/meetings/{meeting.pk}/agenda/{item.pk}/remove/"
    client = client_for(coordinator)
    question = client.get(url)
    assert "Remove “Budget” from the agenda?" in question.content.decode()
    assert meeting.agenda_items.exists()
    assert client.post(url).status_code == 302
    assert not meeting.agenda_items.exists()
