"""Writing checked people: one transaction, in bulk, each with its own "import" audit entry.

The rows were checked (validation.py), so writing only inserts: a chunk of people with
one `bulk_create`, then their audit entries with another, as `core.writes.create`
would have written them one by one (the same picture of the record, the same actor
label, source and request id). Everything is in one transaction (`all_or_nothing`):
a failure anywhere leaves neither people nor entries behind.

When the people were checked in an earlier pass (SQLite, see `importing`), another
page or import may have saved one of their badge numbers since; each chunk asks the
database again (one query), so that such a row is named like any other problem
instead of failing on the table's unique rule.
"""

import contextlib
from collections.abc import Iterator, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from citkit.core import freshness
from citkit.core.audit import Actor, auto_timestamps, current_context, snapshot
from citkit.core.models import AuditEntry, Program
from citkit.people.importing import validation
from citkit.people.importing.problems import Problem, RosterImportError
from citkit.people.importing.progress import Progress
from citkit.people.importing.scratch import Scratch
from citkit.people.importing.validation import KEPT_FIELDS
from citkit.people.models import Person
from citkit.people.services import BADGE_TAKEN


def audit_entries(
    *, actor: Actor, action: str, objs: Sequence[models.Model], program: Program | None
) -> list[AuditEntry]:
    """Unsaved "created" entries for saved records, made as `core.audit.record` makes one
    (written with bulk_create by the caller, in the same transaction as the records).

    A candidate for core.audit (`record_many`) when another bulk write needs it.
    """
    if not objs:
        return []
    ctx = current_context()
    actor_user = actor if actor is not None and actor.is_authenticated else None
    actor_id = actor_user.pk if actor_user else None
    who = actor_user.get_username() if actor_user else "system"
    if ctx.label:
        who = f"{ctx.label} ({who})" if actor_user else ctx.label
    model = type(objs[0])
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    # What core.audit.picture() leaves out, worked out once rather than per record.
    left_out = auto_timestamps(model) + tuple(
        f.name for f in model._meta.concrete_fields if isinstance(f, models.BinaryField)
    )
    now = timezone.now()
    return [
        AuditEntry(
            program_id=program.pk if program else None,
            created_at=now,
            actor_id=actor_id,
            actor_label=who[:200],
            source=ctx.source,
            action=action,
            content_type_id=content_type.pk,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            before=None,
            after=snapshot(obj, exclude=left_out),
            request_id=ctx.request_id,
        )
        for obj in objs
    ]


class RosterWriter:
    """Inserts checked people a chunk at a time, with their audit entries; call it
    inside `all_or_nothing()`."""

    def __init__(
        self, *, actor: Actor, program: Program, columns: dict[str, str], progress: Progress
    ):
        self.actor = actor
        self.program = program
        self.columns = columns  # field -> header, to name the column of a late clash
        self.progress = progress
        self.written = 0

    def write(self, people: list[tuple[int, Person]], *, recheck: bool = False) -> None:
        """Insert (row number, person) pairs. `recheck`: the rows were checked a while
        ago (the first of two passes), so ask again whether their badges are free."""
        if not people:
            return
        if recheck:
            _refuse_badges_taken_meanwhile(self.program, people, self.columns)
        saved = Person.objects.bulk_create([person for _, person in people])
        freshness.changed(self.program.pk)  # the bulk audit entries skip audit.record
        AuditEntry.objects.bulk_create(
            audit_entries(
                actor=self.actor, action=AuditEntry.Action.IMPORT, objs=saved, program=self.program
            )
        )
        self.written += len(saved)
        self.progress.update(written=self.written)

    def write_kept(self, scratch: Scratch) -> None:
        """Insert the people kept in the scratch database by the first pass."""
        for batch in scratch.people(validation.CHUNK_ROWS):
            self.write([(number, Person(**values)) for number, values in batch], recheck=True)


def kept_values(person: Person) -> dict:
    """What the scratch database keeps of a checked person until it is written."""
    return {name: getattr(person, name) for name in KEPT_FIELDS}


@contextlib.contextmanager
def all_or_nothing() -> Iterator[None]:
    """One transaction for the whole import; a clash the database finds is a problem."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        # Saved at the same moment by someone else, after the import's own check.
        raise RosterImportError.single(
            "A person in the file clashes with a record saved at the same time "
            "(for example the same badge number); nothing was imported. Try again."
        ) from exc


def _refuse_badges_taken_meanwhile(
    program: Program, people: list[tuple[int, Person]], columns: dict[str, str]
) -> None:
    keys = {(p.agency_id, p.badge_number) for _, p in people if p.agency_id and p.badge_number}
    if not keys:
        return
    taken = {
        key
        for key in Person.objects.filter(
            program=program,
            agency_id__in={agency for agency, _ in keys},
            badge_number__in={badge for _, badge in keys},
        )
        .exclude(badge_number="")  # the partial unique index on (agency, badge)
        .values_list("agency_id", "badge_number")
        if key in keys
    }
    if taken:
        column = columns.get("badge_number", "")
        raise RosterImportError(
            [
                Problem(BADGE_TAKEN, number, column)
                for number, person in people
                if (person.agency_id, person.badge_number) in taken
            ]
        )
