"""Roster import: read a CSV or XLSX roster, map its columns, check every row, write all or none.

No request objects here: the page and the API (through a job, `importing.jobs`) and the
`import_roster` command all call `import_roster()`, so they accept and refuse exactly
the same files. The steps live in `reading` (the file as a stream), `mapping`,
`validation` (rows checked a chunk at a time) and `writing` (bulk inserts in one
transaction); files waiting for their columns to be matched in `uploads`.

A state's roster must neither fill the worker's memory nor stop everyone else's work:
the file streams past a chunk at a time, and what must outlive a chunk (which row first
used each badge number; on SQLite, the checked people until they are written) waits in
a scratch database on disk. Everything is written in one transaction, all or nothing
(see `_writes_as_it_checks` for when).
"""

from collections.abc import Callable
from itertools import islice

from django.db import connection

from citkit.core.audit import Actor
from citkit.core.models import Program
from citkit.core.policies import policy_for
from citkit.people.importing import validation
from citkit.people.importing.mapping import IMPORT_FIELDS, guess_mapping, resolve_mapping
from citkit.people.importing.problems import Problem, RosterImportError
from citkit.people.importing.progress import NO_PROGRESS, Progress
from citkit.people.importing.reading import Content, Roster, check_size, read_roster
from citkit.people.importing.scratch import Scratch
from citkit.people.importing.uploads import discard_upload, store_upload
from citkit.people.importing.validation import MAX_PROBLEMS, RosterChecker
from citkit.people.importing.writing import RosterWriter, all_or_nothing, kept_values
from citkit.people.models import Person

__all__ = [
    "IMPORT_FIELDS",
    "MAX_PROBLEMS",
    "Problem",
    "Roster",
    "RosterImportError",
    "check_size",
    "discard_upload",
    "guess_mapping",
    "import_file",
    "import_roster",
    "read_roster",
    "resolve_mapping",
    "store_upload",
]


def import_roster(
    *,
    actor: Actor,
    program: Program,
    roster: Roster,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    progress: Progress = NO_PROGRESS,
    inside_transaction: Callable[[], None] | None = None,
) -> int:
    """Map, check every row, then write all the people or none. Returns how many.

    `mapping` (header -> field, "" to ignore) overrides the guessed one. `progress`
    hears total, checked, written, errors and phase once per chunk. `inside_transaction`
    runs in the import's transaction once every person is written. Raises
    PermissionDenied/Http404 for users who may not manage people (actor None = the
    system), RosterImportError when the mapping or any row is wrong.
    """
    policy_for(Person).require(actor, program, "import")  # 404 outsiders, 403 other roles
    resolved = resolve_mapping(roster.headers, mapping)
    columns = {name: header for header, name in resolved.items() if name}
    progress.update(
        total=roster.estimated_rows(), checked=0, written=0, errors=0, phase="Checking rows"
    )
    with Scratch() as scratch:
        checker = RosterChecker(
            actor=actor, program=program, headers=roster.headers, mapping=resolved, scratch=scratch
        )
        writer = RosterWriter(actor=actor, program=program, columns=columns, progress=progress)
        try:
            if dry_run:
                _check_every_row(roster, checker, progress, keep=None)
            elif _writes_as_it_checks():
                progress.update(phase="Checking and saving rows")
                with all_or_nothing():
                    _check_every_row(roster, checker, progress, keep=writer.write)
                    if inside_transaction:
                        inside_transaction()
            else:
                _check_every_row(roster, checker, progress, keep=_keep_in(scratch))
                progress.update(total=checker.rows_checked, phase="Saving people")
                with all_or_nothing():
                    writer.write_kept(scratch)
                    if inside_transaction:
                        inside_transaction()
        except BaseException:
            progress.update(written=0, phase="Nothing was saved")  # all was rolled back
            raise
    progress.update(total=checker.rows_checked, phase="Checked" if dry_run else "Saved")
    return checker.rows_checked if dry_run else writer.written


def _writes_as_it_checks() -> bool:
    """One pass or two. SQLite has one write lock for the whole database, held from
    the first insert to the commit: checking the file first, and writing only then,
    keeps other people's saves waiting for the writing alone. PostgreSQL locks only the
    new rows, so it writes each chunk as soon as it is checked (and a problem found
    later rolls them back)."""
    return connection.vendor != "sqlite"


def _keep_in(scratch: Scratch):
    def keep(people) -> None:
        scratch.keep((number, kept_values(person)) for number, person in people)

    return keep


def _check_every_row(roster: Roster, checker: RosterChecker, progress: Progress, *, keep) -> None:
    """Check the file a chunk at a time, handing each chunk's people to `keep` while no
    problem has been found (after one, nothing will be written); raise
    RosterImportError at the end if there was any."""
    rows = roster.rows()
    try:
        while chunk := list(islice(rows, validation.CHUNK_ROWS)):
            people = checker.check_chunk(chunk)
            if keep is not None and checker.clean:
                keep(people)
            progress.update(checked=checker.rows_checked, errors=checker.problem_count)
    finally:
        rows.close()
    checker.finish()


def import_file(
    *,
    actor: Actor,
    program: Program,
    filename: str,
    content: Content,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    progress: Progress = NO_PROGRESS,
) -> int:
    """import_roster() for a file's bytes (or an open binary file); the permission is
    checked before the file is read."""
    policy_for(Person).require(actor, program, "import")
    with read_roster(filename, content) as roster:
        return import_roster(
            actor=actor,
            program=program,
            roster=roster,
            mapping=mapping,
            dry_run=dry_run,
            progress=progress,
        )
