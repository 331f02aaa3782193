"""Roster import: read a CSV or XLSX roster, map its columns, validate every row, write all or none.

No request objects here: the page, the API and the `import_roster` command all call
`import_roster()` (or its steps), so they accept and refuse exactly the same files. The steps
live in `reading`, `mapping`, `validation` and `writing`; files waiting for their columns to be
matched in `uploads`. The names below are what callers use.
"""

from django.db import transaction

from citkit.core.audit import Actor
from citkit.core.models import Program
from citkit.core.policies import policy_for
from citkit.people.importing.mapping import IMPORT_FIELDS, guess_mapping, resolve_mapping
from citkit.people.importing.problems import Problem, RosterImportError
from citkit.people.importing.reading import MAX_ROWS, Roster, check_size, read_roster
from citkit.people.importing.uploads import discard_upload, store_upload
from citkit.people.importing.validation import validate_roster
from citkit.people.importing.writing import write_roster
from citkit.people.models import Person, RosterUpload

__all__ = [
    "IMPORT_FIELDS",
    "MAX_ROWS",
    "Problem",
    "Roster",
    "RosterImportError",
    "check_size",
    "discard_upload",
    "guess_mapping",
    "import_file",
    "import_roster",
    "import_upload",
    "read_roster",
    "resolve_mapping",
    "store_upload",
    "validate_roster",
    "write_roster",
]


def import_roster(
    *,
    actor: Actor,
    program: Program,
    roster: Roster,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
) -> int:
    """Map, validate every row, then write all the people or none. Returns how many.

    `mapping` (header -> field, "" to ignore) overrides the guessed one. Raises
    PermissionDenied/Http404 for users who may not manage people (actor None = the
    system), RosterImportError when the mapping or any row is wrong.
    """
    policy_for(Person).require(actor, program, "import")  # 404 outsiders, 403 other roles
    resolved = resolve_mapping(roster.headers, mapping)
    people = validate_roster(roster, resolved, actor=actor, program=program)
    if dry_run:
        return len(people)
    columns = {name: header for header, name in resolved.items() if name}
    return write_roster(actor=actor, program=program, people=people, columns=columns)


def import_file(
    *,
    actor: Actor,
    program: Program,
    filename: str,
    content: bytes,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
) -> int:
    """import_roster() for a file's bytes; the permission is checked before the file is read."""
    policy_for(Person).require(actor, program, "import")
    roster = read_roster(filename, content)
    return import_roster(
        actor=actor, program=program, roster=roster, mapping=mapping, dry_run=dry_run
    )


def import_upload(
    *,
    actor: Actor,
    program: Program,
    upload: RosterUpload,
    roster: Roster,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
) -> int:
    """import_roster() for a file waiting in `upload`, which goes once its people are written."""
    with transaction.atomic():
        count = import_roster(
            actor=actor, program=program, roster=roster, mapping=mapping, dry_run=dry_run
        )
        if not dry_run:
            upload.delete()
    return count
