"""Roster imports at state scale: streamed, checked and written in bulk, all or nothing.

The files here are small enough to run in seconds; the chunk size is made small so
that they span many chunks, which is what a 50,000-row file does (bench/import.py
runs that one, and times it).
"""

import csv
import gc
import io
import tracemalloc

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError, OutputWrapper
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from citkit.core import jobs
from citkit.core.audit import audit_context, picture
from citkit.core.models import AuditEntry, Job, Membership, Role
from citkit.people import importing, services
from citkit.people.importing import validation, writing
from citkit.people.importing.job import enqueue_import
from citkit.people.management.commands.import_roster import TerminalProgress
from citkit.people.models import Person, RosterUpload
from citkit.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

POLICE = "Riverbend Police Department"
HEADER = ["First name", "Last name", "Agency", "Badge #", "Rank", "Phone"]
STRATEGIES = {"two passes": False, "one pass": True}


def row(n: int, **changes) -> list[str]:
    values = {
        "First name": f"Pat{n}",
        "Last name": f"Officer{n:05d}",
        "Agency": POLICE,
        "Badge #": str(10_000 + n),
        "Rank": "Officer",
        "Phone": "",
    }
    values.update(changes)
    return [values[h] for h in HEADER]


def roster(count: int, changes: dict[int, dict] | None = None) -> bytes:
    """A CSV of `count` officers; `changes` by sheet row number (the header is row 1)."""
    changes = changes or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for n in range(1, count + 1):
        writer.writerow(row(n, **changes.get(n + 1, {})))
    return out.getvalue().encode()


def counts() -> tuple[int, int]:
    return Person.objects.count(), AuditEntry.objects.count()


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(validation, "CHUNK_ROWS", 50)


@pytest.fixture(params=list(STRATEGIES), ids=list(STRATEGIES))
def strategy(request, monkeypatch):
    """Both ways of writing on every database: check all then write (SQLite's), and
    write each chunk as it is checked (PostgreSQL's)."""
    monkeypatch.setattr(importing, "_writes_as_it_checks", lambda: STRATEGIES[request.param])
    return request.param


def import_csv(actor, program, content, **kwargs) -> int:
    return importing.import_file(
        actor=actor, program=program, filename="roster.csv", content=content, **kwargs
    )


# --- All or nothing -------------------------------------------------------------------


def test_a_bad_row_deep_in_a_long_file_writes_nothing_and_is_named(
    strategy, small_chunks, coordinator, program_a, police_a, monkeypatch
):
    written_chunks = []
    real_write = writing.RosterWriter.write

    def spy(self, people, **kwargs):
        written_chunks.append(len(people))
        return real_write(self, people, **kwargs)

    monkeypatch.setattr(writing.RosterWriter, "write", spy)
    content = roster(2_000, {1_951: {"Agency": "Riverbend PD"}})  # in the 40th chunk of 40
    before = counts()

    with pytest.raises(importing.RosterImportError) as caught:
        import_csv(coordinator, program_a, content)

    assert [str(p) for p in caught.value.problems] == [
        'Row 1951, column "Agency": no partner agency named "Riverbend PD" in this program'
    ]
    assert counts() == before
    if strategy == "one pass":
        assert sum(written_chunks) == 1_900  # written, then rolled back
    else:
        assert written_chunks == []  # nothing is written before every row passed


def test_a_good_long_file_is_written_whole_in_either_way(
    strategy, small_chunks, coordinator, program_a, police_a
):
    assert import_csv(coordinator, program_a, roster(520)) == 520
    assert Person.objects.filter(program=program_a, agency=police_a).count() == 520
    assert AuditEntry.objects.filter(program=program_a, action="import").count() == 520


def test_a_long_excel_file_streams_in_chunks_too(small_chunks, coordinator, program_a, police_a):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for n in range(1, 131):
        sheet.append(row(n))
    out = io.BytesIO()
    workbook.save(out)

    created = importing.import_file(
        actor=coordinator, program=program_a, filename="roster.xlsx", content=out.getvalue()
    )

    assert created == 130
    assert Person.objects.get(badge_number="10130").last_name == "Officer00130"


# --- Audit ------------------------------------------------------------------------------


def test_every_person_gets_one_import_entry_as_a_single_create_would_write_it(
    strategy, coordinator, program_a, police_a
):
    with audit_context(source="page", request_id="req-import-1"):
        import_csv(coordinator, program_a, roster(3))
        by_hand = services.person_create(
            actor=coordinator,
            program=program_a,
            data={
                "first_name": "Hand",
                "last_name": "Made",
                "agency": police_a,
                "badge_number": "1",
            },
        )

    imported = Person.objects.exclude(pk=by_hand.pk).order_by("badge_number")
    assert imported.count() == 3
    for person in imported:
        [entry] = AuditEntry.objects.filter(content_type__model="person", object_id=str(person.pk))
        assert (entry.action, entry.actor, entry.actor_label) == (
            "import",
            coordinator,
            "coordinator_a",
        )
        assert (entry.source, entry.request_id, entry.program) == (
            "page",
            "req-import-1",
            program_a,
        )
        assert entry.object_repr == str(person)
        assert entry.before is None
        assert entry.after == picture(person)
    # The same picture as a person added on the page, field for field.
    single = AuditEntry.objects.get(object_id=str(by_hand.pk), content_type__model="person")
    assert set(single.after) == set(entry.after)
    assert single.actor_label == entry.actor_label


def test_the_command_names_itself_in_every_entry(
    tmp_path, small_chunks, coordinator, program_a, police_a
):
    path = tmp_path / "roster.csv"
    path.write_bytes(roster(120))

    call_command(
        "import_roster",
        str(path),
        "--program=riverbend",
        "--as=coordinator_a",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    entries = AuditEntry.objects.filter(action="import")
    assert entries.count() == 120
    assert set(entries.values_list("source", "actor_label")) == {
        ("command", "command import_roster (coordinator_a)")
    }
    assert len(set(entries.values_list("request_id", flat=True))) == 1  # one run, one id


# --- Badge numbers: within the file and against the program, across chunks -----------------


def test_a_badge_repeated_in_a_later_chunk_is_named_by_row_and_column(
    small_chunks, coordinator, program_a, police_a
):
    content = roster(
        160,
        {
            120: {"Badge #": "10003"},  # row 4 has it, two chunks earlier
            45: {"Badge #": "10040"},  # row 41 has it, in the same chunk
        },
    )
    with pytest.raises(importing.RosterImportError) as caught:
        import_csv(coordinator, program_a, content)

    assert [str(p) for p in caught.value.problems] == [
        'Row 45, column "Badge #": badge number 10040 is already used on row 41',
        'Row 120, column "Badge #": badge number 10003 is already used on row 4',
    ]
    assert counts() == (0, 0)


def test_a_badge_already_in_the_program_is_named_with_its_holder(
    small_chunks, coordinator, program_a, police_a
):
    PersonFactory(
        program=program_a,
        agency=police_a,
        first_name="Dana",
        last_name="Reyes",
        badge_number="10140",
    )
    with pytest.raises(importing.RosterImportError) as caught:
        # Row 141 holds 10140; row 150 repeats it: it names the program's holder too,
        # since row 141 was never a valid first use.
        import_csv(coordinator, program_a, roster(160, {150: {"Badge #": "10140"}}))

    assert [str(p) for p in caught.value.problems] == [
        'Row 141, column "Badge #": badge number 10140 already belongs to Dana Reyes '
        "(Riverbend Police Department)",
        'Row 150, column "Badge #": badge number 10140 already belongs to Dana Reyes '
        "(Riverbend Police Department)",
    ]


def test_problems_beyond_the_listed_ones_are_counted(
    small_chunks, coordinator, program_a, police_a
):
    bad = {n: {"Rank": "=1+1"} for n in range(2, 302)}  # 300 rows with a formula
    with pytest.raises(importing.RosterImportError) as caught:
        import_csv(coordinator, program_a, roster(400, bad))
    assert len(caught.value.problems) == validation.MAX_PROBLEMS
    assert caught.value.more == 100
    assert caught.value.problems[-1].row == validation.MAX_PROBLEMS + 1


def test_the_model_field_rules_hold_every_row(coordinator, program_a, police_a):
    # Control characters are dropped on the way in, as every service does; a name left
    # empty by that is refused by the model's own rule, on its row and column.
    content = roster(3, {3: {"First name": "\x01\x02"}, 4: {"Last name": "Ab\x07cd"}})
    with pytest.raises(importing.RosterImportError) as caught:
        import_csv(coordinator, program_a, content)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "First name")]

    import_csv(coordinator, program_a, roster(3, {4: {"Last name": "Ab\x07cd"}}))
    assert Person.objects.get(badge_number="10003").last_name == "Abcd"


# --- Permissions: judged before the file is read ---------------------------------------


def test_a_read_only_role_is_refused_and_an_outsider_sees_nothing_whatever_the_file(
    members, outsider, program_a, police_a
):
    for role in (Role.OFFICER, Role.TRAINER, Role.ANALYST, Role.COMMITTEE_MEMBER):
        with pytest.raises(PermissionDenied):
            import_csv(members[role], program_a, b"%PDF-1.4 not a roster")
        with pytest.raises(PermissionDenied):
            enqueue_import(
                actor=members[role], program=program_a, filename="r.csv", content=b"\x00\x01"
            )
    with pytest.raises(Http404):
        import_csv(outsider, program_a, roster(1))
    with pytest.raises(Http404):
        enqueue_import(actor=outsider, program=program_a, filename="r.csv", content=b"")
    assert counts() == (0, 0)
    assert not Job.objects.exists()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.DISPATCHER, Role.ANALYST])
def test_the_page_and_the_api_refuse_read_only_roles_before_reading_the_file(
    role, members, outsider, client, api_for, program_a, police_a
):
    garbage = b"\x89PNG\r\n\x1a\n not a roster"
    client.force_login(members[role])
    response = client.post(
        "/p/riverbend/people/import/", {"file": SimpleUploadedFile("r.csv", garbage)}
    )
    assert response.status_code == 403
    response = api_for(members[role]).post(
        "/api/programs/riverbend/people/import/",
        {"file": SimpleUploadedFile("r.csv", garbage), "mapping": "not json"},
        format="multipart",
    )
    assert response.status_code == 403
    response = api_for(outsider).post(
        "/api/programs/riverbend/people/import/",
        {"file": SimpleUploadedFile("r.csv", roster(1))},
        format="multipart",
    )
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_the_command_refuses_a_read_only_role_before_reading_the_file(tmp_path, officer, program_a):
    path = tmp_path / "roster.csv"
    path.write_bytes(b"%PDF-1.4 not a roster")
    with pytest.raises(CommandError, match="officer_a may not import people"):
        call_command("import_roster", str(path), "--program=riverbend", "--as=officer_a")


def test_a_job_runs_with_the_permissions_its_requester_has_when_it_runs(
    settings, coordinator, program_a, police_a
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = enqueue_import(
        actor=coordinator, program=program_a, filename="roster.csv", content=roster(2)
    )
    assert job.status == Job.Status.QUEUED
    # Made a trainer while the job waited for a worker.
    Membership.objects.filter(user=coordinator, program=program_a).update(role=Role.TRAINER)

    jobs.run_job.call(str(job.pk))

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "You may no longer import people into this program; nothing was imported."
    assert job.content is None
    assert counts() == (0, 0)


# --- The API: 202 and a job to poll ------------------------------------------------------


def test_the_api_answers_202_with_a_job_only_its_requester_can_poll(
    api_for, coordinator, members, program_a, police_a
):
    client = api_for(coordinator)
    response = client.post(
        "/api/programs/riverbend/people/import/",
        {"file": SimpleUploadedFile("roster.csv", roster(3))},
        format="multipart",
    )

    assert response.status_code == 202
    job = Job.objects.get()
    assert response["Location"] == f"/api/programs/riverbend/jobs/{job.pk}/"
    body = response.json()
    assert (body["id"], body["status"], body["result"]) == (
        str(job.pk),
        "succeeded",
        {"created": 3},
    )
    assert body["page_url"] == f"/p/riverbend/jobs/{job.pk}/"
    assert client.get(response["Location"]).status_code == 200
    other = api_for(members[Role.AGENCY_ADMIN])
    assert other.get(response["Location"]).status_code == 404


# --- Cost: queries per chunk, memory flat ---------------------------------------------------


def test_the_jobs_queries_grow_with_chunks_not_rows(small_chunks, coordinator, program_a, police_a):
    def queries_for(rows: int) -> int:
        actor = get_user_model().objects.get(pk=coordinator.pk)  # nothing cached
        Person.objects.filter(program=program_a).delete()
        with CaptureQueriesContext(connection) as queries:
            job = enqueue_import(
                actor=actor, program=program_a, filename="roster.csv", content=roster(rows)
            )
        job.refresh_from_db()
        assert job.result == {"created": rows}, job.error
        return len(queries)

    two, three, twenty = queries_for(100), queries_for(150), queries_for(1_000)  # chunks of 50
    per_chunk = three - two
    assert 0 < per_chunk <= 6  # a badge query, inserts of people and entries (and a recheck)
    assert twenty - two == 18 * per_chunk
    assert twenty < 1_000 / 10


def test_memory_held_does_not_grow_as_the_file_goes_by(
    strategy, small_chunks, coordinator, program_a, police_a
):
    # What is still held after each chunk (garbage collected first): holding the rows
    # would add kilobytes per row, megabytes over this file.
    held: dict[str, list[int]] = {"checked": [], "written": []}

    class Measure:
        def update(self, **counts):
            for key in held:
                if counts.get(key):
                    gc.collect()
                    held[key].append(tracemalloc.get_traced_memory()[0])

    import_csv(coordinator, program_a, roster(100), dry_run=True)  # warm: imports, caches
    content = roster(1_500)
    tracemalloc.start()
    try:
        import_csv(coordinator, program_a, content, progress=Measure())
    finally:
        tracemalloc.stop()

    for key, sizes in held.items():
        assert len(sizes) >= 30, key  # one look per chunk of 50 rows
        early, late = sizes[5], sizes[-1]
        assert late - early < 200_000, (key, early, late)


# --- Progress ----------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.updates: list[dict] = []
        self.counts: dict = {}

    def update(self, **counts):
        self.counts.update(counts)
        self.updates.append(dict(self.counts))


def test_progress_counts_rows_checked_and_written(small_chunks, coordinator, program_a, police_a):
    progress = Recorder()
    import_csv(coordinator, program_a, roster(120), progress=progress)

    checked = [u["checked"] for u in progress.updates if u.get("phase", "").startswith("Check")]
    assert sorted(set(checked)) == [0, 50, 100, 120]
    assert progress.counts == {
        "total": 120,
        "checked": 120,
        "written": 120,
        "errors": 0,
        "phase": "Saved",
    }


def test_progress_counts_problems_and_ends_with_nothing_written(
    strategy, small_chunks, coordinator, program_a, police_a
):
    progress = Recorder()
    with pytest.raises(importing.RosterImportError):
        import_csv(coordinator, program_a, roster(120, {10: {"Rank": "=X"}}), progress=progress)
    assert progress.counts["errors"] == 1
    assert progress.counts["checked"] == 120
    assert (progress.counts["written"], progress.counts["phase"]) == (0, "Nothing was saved")


# --- The pages around the job --------------------------------------------------------------


def upload_and_import(client, content, **extra):
    client.post("/p/riverbend/people/import/", {"file": SimpleUploadedFile("roster.csv", content)})
    waiting = RosterUpload.objects.latest("pk")
    mapping = {f"column_{i}": f for i, f in enumerate(importing.guess_mapping(HEADER).values())}
    return client.post(f"/p/riverbend/people/import/{waiting.pk}/", {**mapping, **extra})


def test_the_result_of_a_job_still_running_is_its_progress_page(
    settings, client_for, coordinator, program_a, police_a
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = client_for(coordinator)
    response = upload_and_import(client, roster(3), **{"import": ""})
    job = Job.objects.get()
    assert response.url == f"/p/riverbend/jobs/{job.pk}/"

    response = client.get(f"/p/riverbend/people/import/result/{job.pk}/")

    assert response.status_code == 302
    assert response.url == f"/p/riverbend/jobs/{job.pk}/"
    page = client.get(response.url)
    assert "<progress" in page.content.decode()


def test_the_problems_stay_readable_after_the_file_was_replaced(
    client_for, coordinator, program_a, police_a
):
    client = client_for(coordinator)
    upload_and_import(client, roster(3, {3: {"Agency": "Nope"}}), **{"import": ""})
    job = Job.objects.get()
    client.post("/p/riverbend/people/import/", {"file": SimpleUploadedFile("b.csv", roster(1))})

    response = client.get(f"/p/riverbend/people/import/result/{job.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported: 1 problem" in html
    assert "no partner agency named &quot;Nope&quot; in this program" in html
    assert "Import every row" not in html  # that file is gone; upload it again
    assert 'href="/p/riverbend/people/import/"' in html


def test_the_command_reports_its_steps_when_not_on_a_terminal(
    tmp_path, coordinator, program_a, police_a
):
    path = tmp_path / "roster.csv"
    path.write_bytes(roster(2))
    err = io.StringIO()
    call_command(
        "import_roster",
        str(path),
        "--program=riverbend",
        "--as=coordinator_a",
        stdout=io.StringIO(),
        stderr=err,
    )
    steps = err.getvalue().splitlines()
    assert steps[0] == "Checking rows"
    assert steps[-1] == "Saved"


def test_the_terminal_progress_bar_shows_how_far_it_got():
    progress = TerminalProgress(OutputWrapper(io.StringIO()))
    progress.update(total=200, checked=100, written=50, errors=1, phase="Saving people")
    assert progress.line().startswith(
        "[#######.......................]  25%  100 checked, 50 written, 1 problem  Saving people"
    )
