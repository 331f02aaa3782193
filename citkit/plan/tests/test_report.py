"""The committee status report: PDF and DOCX read back (also with the longest and oddest
text each field takes), who may have it, the command."""

import datetime
import io

import docx
import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citkit.committee import services as committee
from citkit.core import freshness
from citkit.core.documents import DOCX as DOCX_TYPE
from citkit.core.models import AccessEntry, Role
from citkit.core.tests.test_documents import MARKUP, RTL, odd_text, squash
from citkit.plan import services as plan
from citkit.plan.models import Phase
from citkit.plan.report import build_report, decisions_since, render
from citkit.plan.tests.test_dashboard import _at, make_records

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
PDF = "/p/riverbend/plan/dashboard/report.pdf"
DOCX = "/p/riverbend/plan/dashboard/report.docx"
READERS = {Role.COORDINATOR, Role.COMMITTEE_MEMBER, Role.AGENCY_ADMIN, Role.TRAINER}
PHASES = ["Lay the foundation", "Commit", "Make a plan", "Implement", "Sustain & expand"]


@pytest.fixture
def records(program_a, coordinator, police_a, members):
    found = make_records(program_a, coordinator, police_a, members)
    today = found["today"]
    # An older meeting: its decision was reported last time and stays out.
    older = committee.meeting_create(
        actor=coordinator,
        program=program_a,
        data={
            "starts_at": _at(program_a, today - 50 * DAY),
            "ends_at": _at(program_a, today - 50 * DAY, 11),
            "status": "held",
        },
    )
    committee.decision_record(
        actor=coordinator, meeting=older, data={"text": "Meet on the second Tuesday."}
    )
    return found


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    # Table cells wrap; join the lines so phrases can be found whole.
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


EXPECTED = [
    *PHASES,
    "Create subcommittees (Systems, Data, Training)",  # flagged
    "Marked done, but the records say 0 of 3 subcommittees balanced.",
    "Adopt the site-visit recommendations.",  # decision of the last meeting
    "9 for",
    "Develop a memorandum of understanding",  # overdue plan task
    "Send the MOU to counsel",  # overdue action item
    "Call the CSU director",
    "No mobile crisis after midnight",  # open gap
    "No 24-hour receiving facility for youth",
]
NOT_EXPECTED = ["Meet on the second Tuesday.", "Book the room", "No CSU drop-off on weekends"]


def test_the_pdf_report_holds_the_plan_flags_decisions_overdue_items_and_gaps(
    client_for, coordinator, records
):
    response = client_for(coordinator).get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = records["today"]
    assert (
        f'filename="riverbend-status-report-{today:%Y-%m-%d}.pdf"'
        in (response["Content-Disposition"])
    )
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Riverbend County CIT: committee status report"
    text = pdf_text(response.content)
    for phrase in EXPECTED:
        assert phrase in text, phrase
    for phrase in NOT_EXPECTED:
        assert phrase not in text, phrase
    assert "Plan: 11% complete (4 of 35 tasks done)." in text


def test_the_docx_report_has_headings_and_tables_with_the_same_content(
    client_for, coordinator, records
):
    response = client_for(coordinator).get(DOCX)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    text = docx_text(response.content)
    for phrase in EXPECTED:
        assert phrase in text, phrase
    for phrase in NOT_EXPECTED:
        assert phrase not in text, phrase
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Summary",
        "Plan status by phase",
        "Tasks in progress",
        "Tasks flagged",
        "Decisions",
        "Overdue items",
        "Open service gaps",
    ]
    phase_table = document.tables[0]
    assert [c.text for c in phase_table.rows[0].cells] == ["Phase", "Done", "Tasks", "Complete"]
    assert [c.text for c in phase_table.rows[1].cells] == ["Lay the foundation", "3", "7", "43%"]


@pytest.mark.parametrize("url", [PDF, DOCX])
@pytest.mark.parametrize("role", Role.values)
def test_committee_readers_may_download_the_report(client_for, members, records, role, url):
    assert client_for(members[role]).get(url).status_code == (200 if role in READERS else 403)


@pytest.mark.parametrize("url", [PDF, DOCX])
def test_an_outsider_gets_no_report(client_for, outsider, records, url):
    assert client_for(outsider).get(url).status_code == 404


def test_the_dashboard_offers_both_reports(client_for, coordinator, records):
    html = client_for(coordinator).get("/p/riverbend/plan/dashboard/").content.decode()
    assert f'href="{PDF}"' in html and f'href="{DOCX}"' in html


def test_without_a_meeting_held_the_report_covers_the_last_60_days(program_a, coordinator, records):
    today = records["today"]
    # The meeting of 20 days ago was cancelled, the one of 50 days ago never marked held.
    committee.meeting_update(
        actor=coordinator, meeting=records["held"], data={"status": "cancelled"}
    )
    for meeting in program_a.meetings.filter(status="held"):
        committee.meeting_update(actor=coordinator, meeting=meeting, data={"status": "scheduled"})
    long_ago = committee.meeting_create(
        actor=coordinator,
        program=program_a,
        data={
            "starts_at": _at(program_a, today - 70 * DAY),
            "ends_at": _at(program_a, today - 70 * DAY, 11),
        },
    )
    committee.decision_record(actor=coordinator, meeting=long_ago, data={"text": "Too old."})

    decisions, label = decisions_since(program_a, timezone.now())
    assert [d.text for d in decisions] == ["Meet on the second Tuesday."]
    assert label == "No meeting has been held yet; decisions of the last 60 days."


def test_text_that_looks_like_markup_is_printed_as_written(program_a, coordinator, records):
    committee.gap_create(
        actor=coordinator,
        program=program_a,
        data={"title": "No <b>youth</b> beds & no <para> tag", "status": "open"},
    )
    status_report = build_report(program_a, coordinator)
    pdf, _ = render(status_report, "pdf")
    assert "No <b>youth</b> beds & no <para> tag" in pdf_text(pdf)
    document, _ = render(status_report, "docx")
    assert "No <b>youth</b> beds & no <para> tag" in docx_text(document)


def test_a_program_without_a_plan_still_gets_a_report(program_a, coordinator):
    assert not Phase.objects.filter(program=program_a).exists()
    status_report = build_report(program_a, coordinator)
    text = pdf_text(render(status_report, "pdf")[0])
    assert "No implementation plan has been set up yet." in text
    assert "Nothing is overdue." in text and "No open gaps." in text
    assert "No implementation plan has been set up yet." in docx_text(
        render(status_report, "docx")[0]
    )


def test_a_long_plan_runs_over_several_pdf_pages(program_a, coordinator, records):
    implement = Phase.objects.get(program=program_a, key="implement")
    for i in range(80):
        plan.task_create(
            actor=coordinator,
            program=program_a,
            data={
                "phase": implement,
                "title": f"Extra task {i:02d}",
                "status": "in_progress",
                "due_date": records["today"] - DAY,
            },
        )
    pdf, _ = render(build_report(program_a, coordinator), "pdf")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    assert "Extra task 79" in pdf_text(pdf)


# --- The command ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_command_writes_the_report(tmp_path, coordinator, records, fmt):
    target = tmp_path / f"status.{fmt}"
    out = io.StringIO()
    call_command(
        "committee_report",
        "--program",
        "riverbend",
        "--as",
        coordinator.username,
        "--format",
        fmt,
        "--output",
        str(target),
        stdout=out,
    )
    content = target.read_bytes()
    text = pdf_text(content) if fmt == "pdf" else docx_text(content)
    assert "Send the MOU to counsel" in text
    assert f"Wrote {target}" in out.getvalue()
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_the_command_takes_the_format_from_the_file_name(tmp_path, coordinator, records):
    target = tmp_path / "status.docx"
    call_command(
        "committee_report",
        "--program=riverbend",
        f"--as={coordinator.username}",
        f"--output={target}",
        stdout=io.StringIO(),
    )
    assert "Send the MOU to counsel" in docx_text(target.read_bytes())


@pytest.mark.parametrize(
    ("who", "message"),
    [
        (Role.OFFICER, "may not see the committee's work"),
        (Role.ANALYST, "may not see the committee's work"),
        ("outsider", "is not a member"),
        ("nobody", "no active user"),
    ],
)
def test_the_command_refuses_a_user_without_access(
    tmp_path, members, outsider, records, who, message
):
    username = {"outsider": outsider.username, "nobody": "nobody"}.get(who) or members[who].username
    target = tmp_path / "status.pdf"
    with pytest.raises(CommandError, match=message):
        call_command(
            "committee_report",
            "--program=riverbend",
            f"--as={username}",
            f"--output={target}",
            stdout=io.StringIO(),
        )
    assert not target.exists()


def test_the_command_needs_a_format_it_knows(tmp_path, coordinator, records):
    with pytest.raises(CommandError, match="--format pdf or --format docx"):
        call_command(
            "committee_report",
            "--program=riverbend",
            f"--as={coordinator.username}",
            f"--output={tmp_path / 'status.txt'}",
            stdout=io.StringIO(),
        )


# --- The longest and oddest text ------------------------------------------------

# Each field gets text as long as it takes, holding control characters, markup, emoji,
# right-to-left text, a word longer than a column and runs of line breaks. Services drop
# control characters at input, so the odd text is written with the ORM afterwards, as
# older records, imports and the shell can.
ODD_FIELDS = {
    "program": 200,
    "jurisdiction": 200,
    "phase": 100,
    "task": 200,
    "owner_first": 150,
    "owner_last": 150,
    "decision": 20_000,
    "decided_by": 200,
    "action": 200,
    "gap": 200,
    "workaround": 20_000,
}


def _odd(field: str) -> str:
    marker = field.replace("_", "").capitalize()
    return odd_text(ODD_FIELDS[field], start=f"{marker}starts", end=f"{marker}ends", storable=True)


def _assert_holds(text: str, fields) -> None:
    for field in fields:
        marker = field.replace("_", "").capitalize()
        assert f"{marker}starts" in text, field
        assert f"{marker}ends" in text, field


def _make_odd(program_a, coordinator, records) -> None:
    program_a.__class__.objects.filter(pk=program_a.pk).update(
        name=_odd("program"), jurisdiction=_odd("jurisdiction")
    )
    task = records["tasks"]["develop-memorandum"]  # in progress, overdue, owned
    Phase.objects.filter(pk=task.phase_id).update(name=_odd("phase"))
    task.__class__.objects.filter(pk=task.pk).update(title=_odd("task"))
    coordinator.__class__.objects.filter(pk=coordinator.pk).update(
        first_name=_odd("owner_first"), last_name=_odd("owner_last")
    )
    records["held"].decisions.update(text=_odd("decision"), decided_by=_odd("decided_by"))
    item = records["items"]["Send the MOU to counsel"]
    item.__class__.objects.filter(pk=item.pk).update(title=_odd("action"), owner=coordinator)
    gap = records["gaps"]["No 24-hour receiving facility for youth"]
    gap.__class__.objects.filter(pk=gap.pk).update(
        title=_odd("gap"), workaround=_odd("workaround"), owner=coordinator
    )
    for field, length in ODD_FIELDS.items():
        assert len(_odd(field)) == length
    # Written around the services, which would have said that the data changed.
    freshness.changed(program_a.pk)
    program_a.refresh_from_db()
    coordinator.refresh_from_db()


@pytest.fixture
def odd_records(program_a, coordinator, records):
    _make_odd(program_a, coordinator, records)
    return records


def test_the_report_prints_the_longest_and_oddest_text_of_every_field(
    program_a, coordinator, records
):
    plain, _ = render(build_report(program_a, coordinator), "pdf")
    _make_odd(program_a, coordinator, records)
    status_report = build_report(program_a, coordinator)
    pdf, _ = render(status_report, "pdf")
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= len(pypdf.PdfReader(io.BytesIO(plain)).pages) + 10
    text = squash(pdf_text(pdf))
    _assert_holds(text, ODD_FIELDS)
    assert squash(MARKUP) in text and "beforeafter" in text

    word = docx_text(render(status_report, "docx")[0])
    _assert_holds(word, ODD_FIELDS)
    assert MARKUP in word and RTL in word and "\x1b" not in word


@pytest.mark.parametrize(
    ("url", "content_type"),
    [(PDF, "application/pdf"), (DOCX, DOCX_TYPE)],
)
def test_the_report_pages_answer_with_the_oddest_text(
    client_for, coordinator, odd_records, url, content_type
):
    response = client_for(coordinator).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    text = squash(pdf_text(response.content) if url == PDF else docx_text(response.content))
    assert "Workaroundstarts" in text and "Workaroundends" in text


def test_a_workaround_of_2000_characters_typed_in_prints_in_the_report(
    client_for, program_a, coordinator, records
):
    workaround = odd_text(2_000, start="Bridgestarts", end="Bridgeends", storable=True)
    committee.gap_create(
        actor=coordinator,
        program=program_a,
        data={"title": "No youth beds", "status": "workaround", "workaround": workaround},
    )
    for url in [PDF, DOCX]:
        response = client_for(coordinator).get(url)
        assert response.status_code == 200, url
        text = squash(pdf_text(response.content) if url == PDF else docx_text(response.content))
        assert "Bridgestarts" in text and "Bridgeends" in text, url


def test_an_escape_character_in_a_workaround_still_gives_both_reports(
    client_for, coordinator, records
):
    gap = records["gaps"]["No 24-hour receiving facility for youth"]
    gap.__class__.objects.filter(pk=gap.pk).update(workaround="Mobile\x1b team on call")
    for url in [PDF, DOCX]:
        response = client_for(coordinator).get(url)
        assert response.status_code == 200, url
        text = pdf_text(response.content) if url == PDF else docx_text(response.content)
        assert "Mobile team on call" in text, url


@pytest.mark.parametrize("url", [PDF, DOCX])
def test_the_report_is_drawn_once_and_again_after_a_change(
    client_for, program_a, coordinator, members, records, url
):
    read = pdf_text if url == PDF else docx_text
    first = client_for(coordinator).get(url)
    # Another reader, later: the same document, without laying it out again.
    with CaptureQueriesContext(connection) as ctx:
        again = client_for(members[Role.TRAINER]).get(url)
    assert again.content == first.content
    assert not any("plan_task" in q["sql"] for q in ctx.captured_queries)
    assert again["Content-Disposition"] == first["Content-Disposition"]
    # Each download is still in the access log.
    assert AccessEntry.objects.filter(program=program_a, action="download").count() == 2

    committee.gap_create(
        actor=coordinator, program=program_a, data={"title": "No crisis beds for veterans"}
    )
    changed = client_for(coordinator).get(url)
    new_gap = squash("No crisis beds for veterans")
    assert new_gap in squash(read(changed.content))
    assert new_gap not in squash(read(first.content))
