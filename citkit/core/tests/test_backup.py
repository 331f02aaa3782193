"""manage.py backup / restore: a real round trip on the database under test.

The tests run on whichever database the suite runs on: SQLite by default (the
test database is in memory; backup and restore go through Django's own
connection, so it is copied to a file and back), PostgreSQL when DATABASE_URL
points to one (pg_dump and pg_restore against the test database). CI runs both.

Transactional tests: pg_dump and pg_restore are other processes, which see only
committed rows, and the restore replaces the tables the test case would hold.
"""

import io
import sqlite3
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from citkit.core import backups
from citkit.core.models import AuditEntry, Job, Program
from citkit.partners.models import Agency
from citkit.people.models import Person
from citkit.testing.factories import AgencyFactory, PersonFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ENGINE = "sqlite" if connection.vendor == "sqlite" else "postgresql"


@pytest.fixture
def records():
    """Rows of many kinds: text with quotes and accents, dates, JSON, bytes, nulls."""
    program = ProgramFactory(name="Riverbend County CIT", slug="riverbend")
    other = ProgramFactory(name="Lakeshore County CIT", slug="lakeshore")
    police = AgencyFactory(program=program, name="Riverbend Police Department")
    AgencyFactory(program=other, name="Lakeshore Sheriff's Office")
    for i in range(30):
        PersonFactory(program=program, agency=police, last_name=f"O'Brien-Núñez {i}")
    user = UserFactory(username="coord")
    Job.objects.create(
        program=program,
        kind="people.roster_import",
        label="Import of roster.csv",
        requested_by=user,
        params={"mapping": {"Last": "last_name"}, "rows": [1, 2, 3]},
        content=b"\x00\x01last,first\r\nSmith,\xc3\xa9\n\xff",
        filename="roster.csv",
    )
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    person = Person.objects.first()
    AuditEntry.objects.create(
        program=program,
        created_at=timezone.now(),
        actor=user,
        actor_label="coord",
        source="page",
        action=AuditEntry.Action.UPDATE,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        object_repr=str(person),
        before={"rank": "Officer", "notes": None},
        after={"rank": "Sergeant", "notes": 'Ünïcode "quoted"'},
        request_id="r1",
    )
    return program


def checksum_in(output: str) -> str:
    (line,) = [line for line in output.splitlines() if ", checksum " in line]
    return line.rsplit(" ", 1)[1]


def test_backup_then_restore_brings_back_every_table_exactly(records, tmp_path):
    before = backups.summarize(connection)
    assert before.tables["people_person"][0] == 30
    assert before.tables["core_job"][0] == 1
    assert before.tables["django_migrations"][0] > 0
    path = tmp_path / "citkit.backup"

    out = io.StringIO()
    call_command("backup", str(path), "--verify", stdout=out)
    # What the file holds, as --verify reports it, is the database as it was.
    assert checksum_in(out.getvalue()) == before.checksum
    assert backups.backup_kind(path) == ENGINE

    # Change the database in several ways after the backup.
    Person.objects.filter(program=records).update(rank="Chief")
    Agency.objects.filter(program=records).update(name="Renamed")
    Job.objects.update(content=b"other bytes", params={})
    ProgramFactory(name="Added after the backup", slug="added")
    changed = backups.summarize(connection)
    for table in ("people_person", "partners_agency", "core_job", "core_program"):
        assert changed.tables[table] != before.tables[table], table

    out = io.StringIO()
    call_command("restore", str(path), "--yes", "--verify", stdout=out)
    after = backups.summarize(connection)
    assert after.tables == before.tables  # same rows and the same values, table by table
    assert after.checksum == before.checksum
    assert checksum_in(out.getvalue()) == before.checksum
    assert not Program.objects.filter(slug="added").exists()
    assert bytes(Job.objects.get().content) == b"\x00\x01last,first\r\nSmith,\xc3\xa9\n\xff"

    # The restored database takes new records (sequences came back too).
    created = PersonFactory(program=records, agency=Agency.objects.filter(program=records).first())
    assert created.pk > max(Person.objects.exclude(pk=created.pk).values_list("pk", flat=True))


def test_the_checksum_notices_a_single_changed_value(records):
    before = backups.summarize(connection)
    person = Person.objects.order_by("pk").last()
    Person.objects.filter(pk=person.pk).update(first_name=person.first_name + "x")
    after = backups.summarize(connection)
    assert after.checksum != before.checksum
    changed = {t for t in before.tables if before.tables[t] != after.tables[t]}
    assert changed == {"people_person"}
    assert after.tables["people_person"][0] == before.tables["people_person"][0]


def test_restore_asks_first_and_a_no_changes_nothing(records, tmp_path, monkeypatch):
    path = tmp_path / "citkit.backup"
    call_command("backup", str(path), stdout=io.StringIO())
    ProgramFactory(name="Added after the backup", slug="added")
    current = backups.summarize(connection)
    questions = []

    def answer(prompt):
        questions.append(prompt)
        return "no"

    monkeypatch.setattr("builtins.input", answer)
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(path), stdout=out)
    assert questions == ['Type "yes" to restore: ']
    assert "replaces everything" in out.getvalue()
    assert backups.summarize(connection).checksum == current.checksum

    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("restore", str(path), stdout=io.StringIO())
    assert not Program.objects.filter(slug="added").exists()


def test_restore_without_an_answer_restores_nothing(records, tmp_path, monkeypatch):
    path = tmp_path / "citkit.backup"
    call_command("backup", str(path), stdout=io.StringIO())
    ProgramFactory(name="Added after the backup", slug="added")

    def no_terminal(prompt):
        raise EOFError

    monkeypatch.setattr("builtins.input", no_terminal)
    with pytest.raises(CommandError, match="pass --yes"):
        call_command("restore", str(path), stdout=io.StringIO())
    assert Program.objects.filter(slug="added").exists()


def _backup_of_the_other_engine(tmp_path: Path) -> Path:
    path = tmp_path / "other.backup"
    if ENGINE == "sqlite":
        path.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 200)  # a pg_dump archive's header
    else:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE django_migrations (id integer primary key)")
        db.commit()
        db.close()
    return path


def test_restore_refuses_a_backup_of_the_other_engine_by_name(records, tmp_path):
    path = _backup_of_the_other_engine(tmp_path)
    current = backups.summarize(connection)
    other, this = ("PostgreSQL", "SQLite") if ENGINE == "sqlite" else ("SQLite", "PostgreSQL")
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), "--yes", stdout=io.StringIO())
    message = str(refused.value)
    assert f"is a {other} backup, but this database is {this}" in message
    assert "Nothing was restored" in message
    assert backups.summarize(connection).checksum == current.checksum


def test_restore_refuses_a_file_that_is_not_a_backup(records, tmp_path, monkeypatch):
    path = tmp_path / "notes.txt"
    path.write_text("not a database")
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked for nothing"))
    with pytest.raises(CommandError, match="is not a citkit backup"):
        call_command("restore", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="There is no backup file"):
        call_command("restore", str(tmp_path / "missing"), "--yes", stdout=io.StringIO())


def test_a_backup_is_private_and_never_replaces_a_file_unasked(records, tmp_path):
    path = tmp_path / "citkit.backup"
    path.write_text("an older backup")
    with pytest.raises(CommandError, match="pass --force"):
        call_command("backup", str(path), stdout=io.StringIO())
    assert path.read_text() == "an older backup"

    call_command("backup", str(path), "--force", stdout=io.StringIO())
    assert backups.backup_kind(path) == ENGINE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["citkit.backup"]  # no partial file left


def test_a_backup_into_a_missing_folder_is_refused(records, tmp_path):
    with pytest.raises(CommandError, match="There is no folder"):
        call_command("backup", str(tmp_path / "nowhere" / "b"), stdout=io.StringIO())


@pytest.mark.skipif(ENGINE != "sqlite", reason="the SQLite file itself")
def test_a_sqlite_backup_is_a_complete_database_on_its_own(records, tmp_path):
    path = tmp_path / "citkit.sqlite3"
    call_command("backup", str(path), stdout=io.StringIO())
    copy = sqlite3.connect(path)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("SELECT count(*) FROM people_person").fetchone()[0] == 30
        assert backups.summarize_sqlite(copy).checksum == backups.summarize(connection).checksum
    finally:
        copy.close()


def test_the_postgresql_password_goes_to_the_environment_not_the_command_line():
    env = backups.pg_environment(
        {
            "NAME": "citkit",
            "USER": "app",
            "PASSWORD": "s3cret",
            "HOST": "db.internal",
            "PORT": 5432,
            "OPTIONS": {"sslmode": "verify-full"},
        }
    )
    assert env["PGPASSWORD"] == "s3cret"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.internal",
        "5432",
        "app",
        "citkit",
    )
    assert env["PGSSLMODE"] == "verify-full"


def test_missing_postgresql_client_programs_are_named(monkeypatch):
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    with pytest.raises(backups.BackupError, match=r"pg_dump is not installed.*postgresql-client"):
        backups._tool("pg_dump")


def test_a_restore_makes_every_kept_figure_stale(records, tmp_path):
    from citkit.core import freshness

    path = tmp_path / "citkit.backup"
    call_command("backup", str(path), stdout=io.StringIO())
    freshness.cached(records.pk, "sample", lambda: "from before the restore")
    call_command("restore", str(path), "--yes", stdout=io.StringIO())
    assert freshness.cached(records.pk, "sample", lambda: "after") == "after"
