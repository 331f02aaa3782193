"""Writing checked people: one transaction, each through person_create with an audit entry."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from citkit.core.audit import Actor
from citkit.core.models import AuditEntry, Program
from citkit.people import services
from citkit.people.importing.problems import Problem, RosterImportError


def write_roster(
    *, actor: Actor, program: Program, people: list[tuple[int, dict]], columns: dict[str, str]
) -> int:
    """Create every person in one transaction, each with its own "import" audit entry."""
    with transaction.atomic():
        for number, data in people:
            try:
                services.person_create(
                    actor=actor, program=program, data=data, audit_action=AuditEntry.Action.IMPORT
                )
            except ValidationError as exc:
                # Something changed since validation (e.g. the same badge saved meanwhile).
                raise RosterImportError(_problems_from(exc, number, columns)) from exc
            except IntegrityError as exc:
                raise RosterImportError.single(
                    "this person clashes with a record saved at the same time; try again",
                    row=number,
                ) from exc
    return len(people)


def _problems_from(exc: ValidationError, number: int, columns: dict[str, str]) -> list[Problem]:
    if not hasattr(exc, "error_dict"):
        return [Problem(m, number) for m in exc.messages]
    return [
        Problem(message, number, columns.get(name, ""))
        for name, messages in exc.message_dict.items()
        for message in messages
    ]
