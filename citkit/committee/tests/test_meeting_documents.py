"""The printable agenda and minutes (read back with pypdf and python-docx), also with the
longest and oddest text each field takes, and the iCalendar feed (read back with
icalendar), including the signed subscription token."""

import datetime
import io
import zoneinfo

import pytest
from django.core import signing
from icalendar import Calendar
from pypdf import PdfReader

from citkit.committee import documents, services
from citkit.committee.calendar import FEED_SALT, feed_token
from citkit.core.models import Membership, Role
from citkit.core.tests.test_documents import MARKUP, RTL, docx_text, odd_text, squash

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
ICS = "/p/riverbend/committee/meetings/calendar.ics"


@pytest.fixture
def meeting(program_a):
    return services.meeting_create(
        actor=None,
        program=program_a,
        data={
            "title": "March Steering Committee",
            "starts_at": datetime.datetime(2026, 3, 12, 18, 0, tzinfo=CHICAGO),
            "ends_at": datetime.datetime(2026, 3, 12, 19, 30, tzinfo=CHICAGO),
            "location": "County Annex, Room 2",
            "call_link": "https://meet.example.org/cit",
        },
    )


@pytest.fixture
def full_meeting(meeting, program_a, police_a, clinic_a, members):
    """A held meeting with agenda, attendance, minutes, a decision and an action item."""
    for title, presenter, minutes in [
        ("Welcome and introductions", "Chair Ward", 10),
        ("MOU with the crisis center", "Lt. Reyes", 20),
        ("Training calendar", "", None),
    ]:
        services.agenda_item_add(
            actor=None,
            meeting=meeting,
            data={"title": title, "presenter": presenter, "minutes": minutes},
        )

    def seat(name, **data):
        return services.seat_create(
            actor=None,
            program=program_a,
            data={"holder_name": name, "start_date": datetime.date(2026, 1, 1), **data},
        )

    chief = seat("Chief Ward", agency=police_a, seat_type="chair")
    doctor = seat("Dr. Okafor", agency=clinic_a, seat_type="mh_coordinator")
    advocate = seat("José Ñúñez", seat_type="advocate")
    seat("Pat Quinn")  # active, attendance not recorded
    services.attendance_record(
        actor=None,
        meeting=meeting,
        statuses={chief.pk: "present", doctor.pk: "excused", advocate.pk: "present"},
    )
    decision = services.decision_record(
        actor=None,
        meeting=meeting,
        data={
            "text": "Adopt the draft MOU with the crisis center.",
            "decided_by": "the committee",
            "votes_for": 7,
            "votes_against": 1,
            "abstentions": 2,
        },
    )
    owner = members[Role.AGENCY_ADMIN]
    owner.first_name, owner.last_name = "Dana", "Reyes"
    owner.save()
    services.action_item_create(
        actor=None,
        program=program_a,
        data={
            "title": "Send the MOU to county counsel",
            "owner": owner,
            "due_date": datetime.date(2026, 4, 1),
            "meeting": meeting,
            "decision": decision,
        },
    )
    services.meeting_update(
        actor=None,
        meeting=meeting,
        data={
            "status": "held",
            "minutes": "The chief reported on the new dispatch codes.\n\nQuestions followed.",
        },
    )
    return meeting


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- Agenda -------------------------------------------------------------------------------


def test_the_agenda_pdf_has_the_meeting_and_its_numbered_items(client_for, members, full_meeting):
    response = client_for(members[Role.TRAINER]).get(
        f"/p/riverbend/committee/meetings/{full_meeting.pk}/agenda.pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="agenda-2026-03-12.pdf"'
    text = _flat(_text(response.content))
    for expected in [
        "Riverbend County CIT",
        "Agenda: March Steering Committee",
        "Thursday, March 12, 2026, 6:00 PM – 7:30 PM CDT",
        "County Annex, Room 2",
        "https://meet.example.org/cit",
        "1. Welcome and introductions Chair Ward 10 min 6:00 PM",
        "2. MOU with the crisis center Lt. Reyes 20 min 6:10 PM",
        "3. Training calendar 6:30 PM",
        "Planned time: 30 minutes.",
        "Page 1 of 1",
    ]:
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Agenda: March Steering Committee"


def test_an_empty_agenda_says_so(client_for, coordinator, meeting):
    content = (
        client_for(coordinator)
        .get(f"/p/riverbend/committee/meetings/{meeting.pk}/agenda.pdf")
        .content
    )
    assert "No agenda items yet." in _text(content)


def test_a_long_agenda_runs_onto_more_pages_with_page_numbers(meeting):
    for i in range(60):
        services.agenda_item_add(
            actor=None, meeting=meeting, data={"title": f"Topic number {i + 1}", "minutes": 5}
        )
    reader = PdfReader(io.BytesIO(documents.agenda_pdf(meeting)))
    assert len(reader.pages) >= 2
    total = len(reader.pages)
    assert f"Page {total} of {total}" in reader.pages[-1].extract_text()
    assert "Topic number 60" in _text(documents.agenda_pdf(meeting))


def test_markup_in_user_text_is_printed_literally(meeting):
    services.agenda_item_add(
        actor=None, meeting=meeting, data={"title": "Budget <b>Q3</b> & <font size=40>staff"}
    )
    text = _flat(_text(documents.agenda_pdf(meeting)))
    assert "Budget <b>Q3</b> & <font size=40>staff" in text


def test_a_cancelled_meeting_is_marked_so_on_the_agenda(meeting):
    services.meeting_update(actor=None, meeting=meeting, data={"status": "cancelled"})
    assert "This meeting was cancelled." in _text(documents.agenda_pdf(meeting))


def test_the_filename_uses_the_local_date(program_a):
    # 9 PM in Riverbend on March 12 is already March 13 in UTC.
    late = services.meeting_create(
        actor=None,
        program=program_a,
        data={
            "starts_at": datetime.datetime(2026, 3, 12, 21, 0, tzinfo=CHICAGO),
            "ends_at": datetime.datetime(2026, 3, 12, 22, 0, tzinfo=CHICAGO),
        },
    )
    assert late.starts_at.astimezone(UTC).date() == datetime.date(2026, 3, 13)
    assert documents.agenda_filename(late) == "agenda-2026-03-12.pdf"
    assert documents.minutes_filename(late) == "minutes-2026-03-12.pdf"


# --- Minutes ------------------------------------------------------------------------------


def test_the_minutes_pdf_has_attendance_minutes_decisions_and_action_items(
    client_for, members, full_meeting
):
    response = client_for(members[Role.AGENCY_ADMIN]).get(
        f"/p/riverbend/committee/meetings/{full_meeting.pk}/minutes.pdf"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="minutes-2026-03-12.pdf"'
    text = _flat(_text(response.content))
    for expected in [
        "Minutes: March Steering Committee",
        "Riverbend County CIT",
        "Present (2)",
        "Chief Ward (Chair, Riverbend Police Department)",
        "José Ñúñez",
        "Excused (1)",
        "Dr. Okafor",
        "Not recorded (1)",
        "Pat Quinn",
        "The chief reported on the new dispatch codes.",
        "Questions followed.",
        "1. Adopt the draft MOU with the crisis center.",
        "Decided by the committee. Vote: 7 for, 1 against, 2 abstaining.",
        "Send the MOU to county counsel",
        "Dana Reyes",
        "Apr 1, 2026",
        "Decision 1",
    ]:
        assert expected in text, expected
    assert "Draft" not in text


def test_minutes_of_a_meeting_not_yet_held_are_marked_draft(meeting):
    text = _flat(_text(documents.minutes_pdf(meeting)))
    assert "Draft: the meeting has not been marked as held." in text
    assert "No attendance recorded." in text
    assert "No minutes recorded." in text
    assert "No decisions recorded." in text
    assert "No action items." in text


# --- The longest and oddest text ------------------------------------------------------------

# Each field gets text as long as it takes, holding control characters, markup, emoji,
# right-to-left text, a word longer than a column and runs of line breaks. Services drop
# control characters at input, so the odd text is written with the ORM afterwards, as
# older records, imports and the shell can.
ODD_FIELDS = {
    "program": 200,
    "meeting_title": 200,
    "location": 200,
    "call_link": 200,
    "minutes": 20_000,
    "item_title": 200,
    "presenter": 200,
    "notes": 20_000,
    "holder": 200,
    "agency": 200,
    "decision": 20_000,
    "decided_by": 200,
    "action": 200,
}


def _odd(field: str) -> str:
    marker = field.replace("_", "").capitalize()
    return odd_text(ODD_FIELDS[field], start=f"{marker}starts", end=f"{marker}ends", storable=True)


@pytest.fixture
def odd_meeting(meeting, program_a, police_a, members):
    item = services.agenda_item_add(
        actor=None, meeting=meeting, data={"title": "Item", "presenter": "Someone", "minutes": 15}
    )
    services.agenda_item_add(actor=None, meeting=meeting, data={"title": "Closing", "minutes": 5})
    seat = services.seat_create(
        actor=None,
        program=program_a,
        data={"holder_name": "Holder", "agency": police_a, "start_date": datetime.date(2026, 1, 1)},
    )
    services.attendance_record(actor=None, meeting=meeting, statuses={seat.pk: "present"})
    decision = services.decision_record(
        actor=None, meeting=meeting, data={"text": "Decision", "decided_by": "chair"}
    )
    services.action_item_create(
        actor=None,
        program=program_a,
        data={
            "title": "Action",
            "owner": members[Role.AGENCY_ADMIN],
            "due_date": datetime.date(2026, 4, 1),
            "meeting": meeting,
            "decision": decision,
        },
    )
    type(program_a).objects.filter(pk=program_a.pk).update(name=_odd("program"))
    type(police_a).objects.filter(pk=police_a.pk).update(name=_odd("agency"))
    type(meeting).objects.filter(pk=meeting.pk).update(
        title=_odd("meeting_title"),
        location=_odd("location"),
        call_link=_odd("call_link"),
        minutes=_odd("minutes"),
        status="held",
    )
    type(item).objects.filter(pk=item.pk).update(
        title=_odd("item_title"), presenter=_odd("presenter"), notes=_odd("notes")
    )
    type(seat).objects.filter(pk=seat.pk).update(holder_name=_odd("holder"))
    type(decision).objects.filter(pk=decision.pk).update(
        text=_odd("decision"), decided_by=_odd("decided_by")
    )
    meeting.action_items.update(title=_odd("action"))
    for field, length in ODD_FIELDS.items():
        assert len(_odd(field)) == length
    return type(meeting).objects.select_related("program").get(pk=meeting.pk)


def _assert_holds(text: str, fields: list[str]) -> None:
    for field in fields:
        marker = field.replace("_", "").capitalize()
        assert f"{marker}starts" in text, field
        assert f"{marker}ends" in text, field


AGENDA_FIELDS = ["program", "meeting_title", "location", "call_link", "item_title"]
AGENDA_FIELDS += ["presenter", "notes"]
MINUTES_FIELDS = ["program", "meeting_title", "location", "call_link", "minutes", "holder"]
MINUTES_FIELDS += ["agency", "decision", "decided_by", "action"]


def test_the_agenda_prints_the_longest_and_oddest_text_of_every_field(meeting, odd_meeting):
    content = documents.agenda_pdf(odd_meeting)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 5  # a plain agenda is one page
    text = squash(_text(content))
    _assert_holds(text, AGENDA_FIELDS)
    assert squash(MARKUP) in text and "beforeafter" in text
    assert "Planned time: 20 minutes." in _flat(_text(content))
    assert reader.metadata.title.startswith("Agenda: Meetingtitlestarts before")
    assert "\x1b" not in reader.metadata.title

    word = docx_text(documents.agenda_docx(odd_meeting))
    _assert_holds(word, AGENDA_FIELDS)
    assert MARKUP in word and RTL in word and "\x1b" not in word


def test_the_minutes_print_the_longest_and_oddest_text_of_every_field(odd_meeting):
    content = documents.minutes_pdf(odd_meeting)
    assert len(PdfReader(io.BytesIO(content)).pages) >= 10
    text = squash(_text(content))
    _assert_holds(text, MINUTES_FIELDS)
    assert squash(MARKUP) in text and "beforeafter" in text

    word = docx_text(documents.minutes_docx(odd_meeting))
    _assert_holds(word, MINUTES_FIELDS)
    assert MARKUP in word and RTL in word and "\x1b" not in word


def test_the_agenda_and_minutes_pages_answer_with_the_oddest_text(
    client_for, coordinator, odd_meeting
):
    for name in ["agenda", "minutes"]:
        response = client_for(coordinator).get(
            f"/p/riverbend/committee/meetings/{odd_meeting.pk}/{name}.pdf"
        )
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
        assert "Meetingtitleends" in squash(_text(response.content)), name


def test_the_agenda_and_minutes_download_as_word_files_with_the_oddest_text(
    client_for, coordinator, odd_meeting
):
    for name in ["agenda", "minutes"]:
        response = client_for(coordinator).get(
            f"/p/riverbend/committee/meetings/{odd_meeting.pk}/{name}.docx"
        )
        assert response.status_code == 200, name
        assert response["Content-Type"].endswith("wordprocessingml.document")
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Meetingtitleends" in squash(docx_text(response.content)), name


def test_a_note_of_3000_characters_typed_in_prints_on_the_agenda(client_for, coordinator, meeting):
    note = odd_text(3_000, start="Notestarts", end="Noteends", storable=True)
    services.agenda_item_add(
        actor=coordinator, meeting=meeting, data={"title": "Budget", "notes": note}
    )
    response = client_for(coordinator).get(
        f"/p/riverbend/committee/meetings/{meeting.pk}/agenda.pdf"
    )
    assert response.status_code == 200
    text = squash(_text(response.content))
    assert "Notestarts" in text and "Noteends" in text and "beforeafter" in text


# --- iCalendar feed ------------------------------------------------------------------------


def _events(content: bytes) -> dict:
    cal = Calendar.from_ical(content)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_feed_opens_with_the_token_without_signing_in(client, members, program_a, full_meeting):
    cancelled = services.meeting_create(
        actor=None,
        program=program_a,
        data={
            "title": "April meeting",
            "starts_at": datetime.datetime(2026, 4, 9, 18, 0, tzinfo=CHICAGO),
            "ends_at": datetime.datetime(2026, 4, 9, 19, 0, tzinfo=CHICAGO),
            "status": "cancelled",
        },
    )
    token = feed_token(members[Role.TRAINER], program_a)
    response = client.get(ICS, {"token": token})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response.content)
    assert set(events) == {f"meeting-{full_meeting.pk}@citkit", f"meeting-{cancelled.pk}@citkit"}
    march = events[f"meeting-{full_meeting.pk}@citkit"]
    assert march.decoded("DTSTART") == datetime.datetime(2026, 3, 12, 23, 0, tzinfo=UTC)
    assert march.decoded("DTEND") == datetime.datetime(2026, 3, 13, 0, 30, tzinfo=UTC)
    assert march.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert b"DTSTART:20260312T230000Z" in response.content
    assert str(march["SUMMARY"]) == "March Steering Committee"
    assert str(march["LOCATION"]) == "County Annex, Room 2"
    assert str(march["STATUS"]) == "CONFIRMED"
    assert (
        str(march["URL"]) == f"http://testserver/p/riverbend/committee/meetings/{full_meeting.pk}/"
    )
    description = str(march["DESCRIPTION"])
    assert "Join online: https://meet.example.org/cit" in description
    assert "2. MOU with the crisis center" in description
    assert str(events[f"meeting-{cancelled.pk}@citkit"]["STATUS"]) == "CANCELLED"


def test_the_uid_stays_the_same_when_a_meeting_moves(client, coordinator, program_a, meeting):
    token = feed_token(coordinator, program_a)
    first = _events(client.get(ICS, {"token": token}).content)
    services.meeting_update(
        actor=None,
        meeting=meeting,
        data={
            "starts_at": datetime.datetime(2026, 3, 19, 18, tzinfo=CHICAGO),
            "ends_at": datetime.datetime(2026, 3, 19, 19, tzinfo=CHICAGO),
        },
    )
    second = _events(client.get(ICS, {"token": token}).content)
    assert set(first) == set(second) == {f"meeting-{meeting.pk}@citkit"}
    event = second[f"meeting-{meeting.pk}@citkit"]
    assert event.decoded("DTSTART") == datetime.datetime(2026, 3, 19, 23, 0, tzinfo=UTC)


def test_a_signed_in_reader_downloads_the_feed_without_a_token(client_for, coordinator, meeting):
    response = client_for(coordinator).get(ICS)
    assert response.status_code == 200
    assert 'filename="riverbend-meetings.ics"' in response["Content-Disposition"]
    assert len(_events(response.content)) == 1


def test_a_forged_token_is_404(client, coordinator, program_a, meeting):
    good = feed_token(coordinator, program_a)
    value, signature = good.rsplit(":", 1)
    forged_signature = f"{value}:{'A' * len(signature)}"
    # Someone else's ids with a signature made with another key.
    other_key = signing.Signer(key="not-the-secret", salt=FEED_SALT).sign_object(
        [coordinator.pk, program_a.pk]
    )
    for token in [forged_signature, other_key, "garbage", "", good + "x"]:
        assert client.get(ICS, {"token": token}).status_code == 404, token


def test_a_token_for_another_program_is_404(client, outsider, program_b, meeting):
    token = feed_token(outsider, program_b)
    assert client.get(ICS, {"token": token}).status_code == 404
    assert (
        client.get("/p/lakeshore/committee/meetings/calendar.ics", {"token": token}).status_code
        == 200
    )


def test_a_token_stops_working_when_the_user_leaves_the_program(
    client, members, program_a, meeting
):
    user = members[Role.COMMITTEE_MEMBER]
    token = feed_token(user, program_a)
    assert client.get(ICS, {"token": token}).status_code == 200
    Membership.objects.filter(user=user, program=program_a).delete()
    assert client.get(ICS, {"token": token}).status_code == 404


def test_a_token_stops_working_when_the_user_is_deactivated(
    client, coordinator, program_a, meeting
):
    token = feed_token(coordinator, program_a)
    coordinator.is_active = False
    coordinator.save()
    assert client.get(ICS, {"token": token}).status_code == 404


def test_a_token_of_a_role_without_committee_access_is_404(client, members, program_a, meeting):
    token = feed_token(members[Role.OFFICER], program_a)
    assert client.get(ICS, {"token": token}).status_code == 404


def test_the_feed_for_an_unknown_program_is_404(client, coordinator, program_a):
    token = feed_token(coordinator, program_a)
    assert (
        client.get("/p/nowhere/committee/meetings/calendar.ics", {"token": token}).status_code
        == 404
    )
