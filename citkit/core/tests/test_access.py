"""The access log: every read of names writes one entry, shown to coordinators only."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from citkit.committee import services as committee_services
from citkit.core.access import query_of, record_access
from citkit.core.audit import audit_context
from citkit.core.models import AccessEntry, Role
from citkit.people.models import Person
from citkit.testing.factories import PersonFactory
from citkit.testing.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
PAGE = "/p/riverbend/access/"
API = "/api/programs/riverbend/access/"


@pytest.fixture
def person(police_a):
    return PersonFactory(
        program=police_a.program, agency=police_a, first_name="Sam", last_name="Reyes"
    )


@pytest.fixture
def meeting(program_a):
    return committee_services.meeting_create(
        actor=None,
        program=program_a,
        data={
            "title": "March Steering Committee",
            "starts_at": datetime.datetime(2026, 3, 12, 18, 0, tzinfo=CHICAGO),
            "ends_at": datetime.datetime(2026, 3, 12, 19, 30, tzinfo=CHICAGO),
        },
    )


def _entry(program, *, what="Officer Sam Reyes", user_label="coordinator_a", **fields):
    fields.setdefault("created_at", timezone.now())
    return AccessEntry.objects.create(
        program=program,
        user_label=user_label,
        source=fields.pop("source", "page"),
        action=fields.pop("action", AccessEntry.Action.VIEW),
        what=what,
        **fields,
    )


# --- record_access ------------------------------------------------------------------


def test_record_access_names_the_reader_and_the_record_and_takes_the_context(
    coordinator, program_a, person
):
    with audit_context(source="command", request_id="run-7", label="command export_people"):
        entry = record_access(
            user=coordinator, program=program_a, action="view", what="Officer Sam Reyes", obj=person
        )
    assert entry.user == coordinator
    assert entry.user_label == "command export_people (coordinator_a)"
    assert (entry.source, entry.request_id) == ("command", "run-7")
    assert entry.content_type == ContentType.objects.get_for_model(Person)
    assert entry.object_id == str(person.pk)
    assert entry.rows is None


def test_record_access_by_the_system_names_the_command(program_a):
    with audit_context(source="command", label="command nightly_export"):
        entry = record_access(user=None, program=program_a, action="export", what="Roster", rows=3)
    assert (entry.user, entry.user_label, entry.rows) == (None, "command nightly_export", 3)


def test_record_access_refuses_an_unknown_action(coordinator, program_a):
    with pytest.raises(ValueError, match="peek"):
        record_access(user=coordinator, program=program_a, action="peek", what="Roster")
    assert not AccessEntry.objects.exists()


def test_access_entries_cannot_be_changed_or_deleted(program_a):
    entry = _entry(program_a)
    entry.what = "Someone else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AccessEntry.objects.update(what="x")


def test_the_query_of_a_list_leaves_out_the_page_and_empty_fields():
    from django.http import QueryDict

    params = QueryDict("q=ortiz&agency=&cursor=abc&format=csv&status=active&status=leave")
    assert query_of(params) == "q=ortiz&status=active&status=leave"


# --- The reads that are recorded ----------------------------------------------------


def test_viewing_a_persons_page_writes_one_entry(client_for, coordinator, person):
    response = client_for(coordinator).get(
        f"/p/riverbend/people/{person.pk}/", HTTP_X_REQUEST_ID="req-view-1"
    )
    assert response.status_code == 200
    entry = AccessEntry.objects.get()
    assert (entry.user, entry.user_label, entry.source) == (coordinator, "coordinator_a", "page")
    assert (entry.action, entry.what) == ("view", "Officer Sam Reyes")
    assert (entry.content_type.model, entry.object_id) == ("person", str(person.pk))
    assert (entry.program, entry.request_id, entry.rows) == (person.program, "req-view-1", None)


def test_a_person_one_may_not_see_is_a_404_and_reads_nobody(client_for, outsider, person):
    response = client_for(outsider).get(f"/p/riverbend/people/{person.pk}/")
    assert response.status_code == 404
    assert not AccessEntry.objects.exists()


def test_the_roster_page_itself_writes_no_entry_per_row(client_for, coordinator, person):
    PersonFactory.create_batch(3, program=person.program, agency=person.agency)
    assert client_for(coordinator).get("/p/riverbend/people/").status_code == 200
    assert not AccessEntry.objects.filter(object_id__in=[str(p.pk) for p in Person.objects.all()])


def test_reading_a_person_through_the_api_writes_one_entry(api_for, coordinator, person):
    response = api_for(coordinator).get(
        f"/api/programs/riverbend/people/{person.pk}/", HTTP_X_REQUEST_ID="req-api-1"
    )
    assert response.status_code == 200
    assert response.json()["last_name"] == "Reyes"
    entry = AccessEntry.objects.get()
    assert (entry.user, entry.source, entry.action) == (coordinator, "api", "view")
    assert (entry.object_id, entry.request_id) == (str(person.pk), "req-api-1")


def test_a_page_of_the_people_api_is_an_export_of_as_many_rows(
    api_for, coordinator, person, settings
):
    settings.CITKIT_PAGE_SIZE = 2
    PersonFactory.create_batch(2, program=person.program, agency=person.agency)
    response = api_for(coordinator).get(
        "/api/programs/riverbend/people/?sort=badge", HTTP_X_REQUEST_ID="req-list-1"
    )
    assert response.status_code == 200
    entry = AccessEntry.objects.get()
    assert (entry.action, entry.what, entry.rows) == ("export", "People list (API)", 2)
    assert (entry.query, entry.request_id, entry.source) == ("sort=badge", "req-list-1", "api")
    assert entry.content_type is None

    # The next page is a second read, of what is left.
    api_for(coordinator).get(response.json()["next"])
    assert AccessEntry.objects.latest("id").rows == 1


def test_a_refused_people_list_reads_nobody(api_for, members):
    response = api_for(members[Role.ANALYST]).get("/api/programs/riverbend/people/")
    assert response.status_code == 403
    assert not AccessEntry.objects.exists()


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_downloading_the_status_report_writes_one_entry(client_for, coordinator, fmt):
    response = client_for(coordinator).get(
        f"/p/riverbend/plan/dashboard/report.{fmt}", HTTP_X_REQUEST_ID="req-report"
    )
    assert response.status_code == 200
    entry = AccessEntry.objects.get()
    assert (entry.action, entry.what) == ("download", f"Committee status report ({fmt.upper()})")
    assert (entry.user, entry.request_id) == (coordinator, "req-report")


def test_the_report_command_logs_its_download_as_the_user(coordinator, tmp_path):
    target = tmp_path / "status.pdf"
    call_command(
        "committee_report",
        "--program=riverbend",
        f"--as={coordinator.username}",
        f"--output={target}",
        stdout=io.StringIO(),
    )
    entry = AccessEntry.objects.get()
    assert (entry.user, entry.source) == (coordinator, "command")
    assert entry.user_label == "command committee_report (coordinator_a)"
    assert (entry.action, entry.query) == ("download", "output=status.pdf")


@pytest.mark.parametrize(
    ("document", "what"),
    [
        ("agenda.pdf", "Agenda of March Steering Committee, 2026-03-12 (PDF)"),
        ("agenda.docx", "Agenda of March Steering Committee, 2026-03-12 (DOCX)"),
        ("minutes.pdf", "Minutes of March Steering Committee, 2026-03-12 (PDF)"),
        ("minutes.docx", "Minutes of March Steering Committee, 2026-03-12 (DOCX)"),
    ],
)
def test_downloading_a_meetings_agenda_or_minutes_writes_one_entry(
    client_for, members, meeting, document, what
):
    trainer = members[Role.TRAINER]
    response = client_for(trainer).get(f"/p/riverbend/committee/meetings/{meeting.pk}/{document}")
    assert response.status_code == 200
    entry = AccessEntry.objects.get()
    assert (entry.user, entry.action, entry.what) == (trainer, "download", what)
    assert (entry.content_type.model, entry.object_id) == ("meeting", str(meeting.pk))


# --- The access log page and API ----------------------------------------------------


def test_coordinators_see_who_read_what(client_for, coordinator, person):
    client = client_for(coordinator)
    client.get(f"/p/riverbend/people/{person.pk}/")
    html = client.get(PAGE).content.decode()
    assert "Officer Sam Reyes" in html
    assert "coordinator_a" in html
    assert "Viewed" in html
    assert f"object_id={person.pk}" in html  # "every read of this record"
    assert 'href="/p/riverbend/audit/"' in html  # beside the audit trail


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.COORDINATOR}))
def test_every_other_role_is_refused_the_log(client_for, api_for, members, role):
    assert client_for(members[role]).get(PAGE).status_code == 403
    assert api_for(members[role]).get(API).status_code == 403


def test_an_outsider_finds_no_log(client_for, api_for, outsider, program_a):
    _entry(program_a)
    assert client_for(outsider).get(PAGE).status_code == 404
    assert api_for(outsider).get(API).status_code == 404


def test_another_programs_reads_are_not_shown(client_for, coordinator, program_b):
    _entry(program_b, what="Deputy Lee Lakeshore")
    assert "Lakeshore" not in client_for(coordinator).get(PAGE).content.decode()


def test_the_audit_trail_and_the_access_log_link_to_each_other(client_for, coordinator):
    client = client_for(coordinator)
    html = client.get("/p/riverbend/audit/").content.decode()
    assert f'href="{PAGE}"' in html and "Access log" in html


def test_the_person_page_links_coordinators_to_who_viewed_it(
    client_for, coordinator, members, person
):
    link = f"{PAGE}?record_type=people.person&amp;object_id={person.pk}"
    assert link in client_for(coordinator).get(f"/p/riverbend/people/{person.pk}/").content.decode()
    trainer_page = client_for(members[Role.TRAINER]).get(f"/p/riverbend/people/{person.pk}/")
    assert "Who viewed this record" not in trainer_page.content.decode()


@pytest.fixture
def log(program_a, person, meeting, coordinator, members):
    """Reads of a week, in the program's zone (Chicago)."""
    trainer = members[Role.TRAINER]
    at = datetime.datetime(2026, 3, 11, 23, 30, tzinfo=CHICAGO)  # 05:30 UTC on the 12th
    person_type = ContentType.objects.get_for_model(Person)
    return {
        "viewed": _entry(
            program_a,
            created_at=at,
            user=coordinator,
            content_type=person_type,
            object_id=str(person.pk),
            request_id="req-a",
        ),
        "other_person": _entry(
            program_a,
            what="Officer Pat Other",
            created_at=at + datetime.timedelta(minutes=1),
            content_type=person_type,
            object_id=str(person.pk + 1000),
        ),
        "exported": _entry(
            program_a,
            what="People list (API)",
            action="export",
            source="api",
            rows=50,
            query="q=reyes",
            created_at=at + datetime.timedelta(days=1),
        ),
        "downloaded": _entry(
            program_a,
            what="Agenda of March Steering Committee (PDF)",
            user=trainer,
            user_label=trainer.username,
            action="download",
            created_at=at + datetime.timedelta(days=2),
        ),
    }


FILTERS = [
    ("user=trainer", {"downloaded"}),
    ("action=export", {"exported"}),
    ("q=agenda", {"downloaded"}),
    ("since=2026-03-12", {"exported", "downloaded"}),  # 23:30 on the 11th, Chicago
    ("until=2026-03-11", {"viewed", "other_person"}),
    ("since=2026-03-12&until=2026-03-12", {"exported"}),
    ("record_type=people.person", {"viewed", "other_person"}),
    ("request_id=req-a", {"viewed"}),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_the_page_filters(client_for, coordinator, log, query, expected):
    html = client_for(coordinator).get(f"{PAGE}?{query}").content.decode()
    shown = {name for name, entry in log.items() if entry.what in html}
    assert shown == expected


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_the_api_filters_the_same_way(api_for, coordinator, log, query, expected):
    response = api_for(coordinator).get(f"{API}?{query}")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {log[name].pk for name in expected}


def test_one_records_readers(client_for, coordinator, log, person):
    html = (
        client_for(coordinator)
        .get(f"{PAGE}?record_type=people.person&object_id={person.pk}")
        .content.decode()
    )
    assert "Officer Sam Reyes" in html
    assert "Officer Pat Other" not in html
    assert "Showing the reads of one record" in html


def test_the_api_answers_what_was_read(api_for, coordinator, log, person):
    rows = api_for(coordinator).get(f"{API}?sort=oldest").json()["results"]
    assert rows[0]["what"] == "Officer Sam Reyes"
    assert rows[0]["record_type"] == "people.person"
    assert rows[0]["object_id"] == str(person.pk)
    assert rows[2]["record_type"] is None
    assert (rows[2]["rows"], rows[2]["query"], rows[2]["action"]) == (50, "q=reyes", "export")


def test_bad_filters_are_named_not_a_server_error(client_for, api_for, coordinator, log):
    response = client_for(coordinator).get(f"{PAGE}?since=yesterday&record_type=nope.nope")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    answer = api_for(coordinator).get(f"{API}?record_type=nope.nope")
    assert answer.status_code == 400
    assert "record_type" in answer.json()


def test_the_csv_export_is_what_the_filters_show(client_for, coordinator, log):
    response = client_for(coordinator).get(f"{PAGE}?action=export&q=people+list&format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["id", "time (UTC)", "by"]
    assert len(rows) == 2
    assert rows[1][5:10] == ["People list (API)", "", "", "50", "q=reyes"]


def test_exporting_the_log_is_itself_a_read(client_for, coordinator, log):
    response = client_for(coordinator).get(f"{PAGE}?user=trainer&format=csv")
    b"".join(response.streaming_content)
    entry = AccessEntry.objects.latest("id")
    assert (entry.user, entry.action, entry.what) == (coordinator, "export", "Access log export")
    assert (entry.rows, entry.query) == (1, "user=trainer")


def test_the_log_pages_by_keyset(client_for, api_for, coordinator, log, settings):
    settings.CITKIT_PAGE_SIZE = 3
    html = client_for(coordinator).get(PAGE).content.decode()
    assert 'rel="next"' in html
    assert "Officer Sam Reyes" not in html  # newest first: the oldest is on page two
    first = api_for(coordinator).get(API).json()
    assert first["count"] is None and len(first["results"]) == 3
    second = api_for(coordinator).get(first["next"]).json()
    assert [row["what"] for row in second["results"]] == ["Officer Sam Reyes"]


@pytest.mark.parametrize("url", [PAGE, f"{PAGE}?format=csv", f"{PAGE}?action=view", API])
def test_the_log_costs_the_same_queries_for_1_and_50_entries(
    client_for, api_for, coordinator, program_a, url
):
    def grow(n):
        for i in range(n - AccessEntry.objects.count()):
            _entry(program_a, what=f"Officer {i}")

    client = api_for(coordinator) if url.startswith("/api/") else client_for(coordinator)
    client.get(url)  # a token's first use is stamped once; the caches fill
    assert_constant_queries(client, url, grow)


def test_a_persons_page_costs_one_insert_more_than_before(client_for, coordinator, person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(coordinator)
    client.get(f"/p/riverbend/people/{person.pk}/")  # warm the caches
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/p/riverbend/people/{person.pk}/")
    inserts = [q for q in ctx.captured_queries if "core_accessentry" in q["sql"]]
    assert len(inserts) == 1 and inserts[0]["sql"].startswith("INSERT")
