"""Writing the audit trail.

Services call `record()` inside the same transaction as the change, so an
entry exists exactly when the change does. The request id and the source
(page, api, command, import) come from a context set by the middleware or by
the command, so services need not pass them around.
"""

import contextlib
import contextvars
import datetime
import decimal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from citkit.core import freshness
from citkit.core.models import AuditEntry, Program

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Who performs a write. Every service takes `actor: Actor`.
# `None` means the system itself: a management command run by an operator, a
# scheduled job, the demo loader. The system is not a member of any program, so
# services skip the permission check for it and the audit trail names it
# "system" (or the command, e.g. "command import_roster").
Actor: TypeAlias = "User | AnonymousUser | None"


@dataclass(frozen=True)
class AuditContext:
    source: str = "system"
    request_id: str = ""
    label: str = ""  # e.g. "command import_roster"


_DEFAULT = AuditContext()
_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar(
    "citkit_audit_context",
    default=_DEFAULT,
)


def current_context() -> AuditContext:
    return _context.get()


@contextlib.contextmanager
def audit_context(*, source: str, request_id: str = "", label: str = "") -> Iterator[None]:
    token = _context.set(
        AuditContext(source=source, request_id=request_id or uuid.uuid4().hex, label=label)
    )
    try:
        yield
    finally:
        _context.reset(token)


def _jsonable(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def auto_timestamps(model: type[models.Model]) -> tuple[str, ...]:
    """Fields Django stamps itself (auto_now, auto_now_add)."""
    return tuple(
        f.name
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    )


def picture(obj: models.Model) -> dict:
    """What the trail keeps of a record: its fields, without Django's own timestamps,
    which change on every save and say nothing a person needs, and without file
    contents (a BinaryField), which belong to the record, not to its history."""
    files = tuple(f.name for f in obj._meta.concrete_fields if isinstance(f, models.BinaryField))
    return snapshot(obj, exclude=auto_timestamps(type(obj)) + files)


def snapshot(obj: models.Model, exclude: tuple[str, ...] = ()) -> dict:
    """The object's concrete field values, JSON-safe; foreign keys by id."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.primary_key:
            continue
        data[field.name] = _jsonable(getattr(obj, field.attname))
    return data


def record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    program: Program | None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    ctx = current_context()
    actor_user = actor if actor is not None and actor.is_authenticated else None
    who = actor_user.get_username() if actor_user else "system"
    if ctx.label:
        who = f"{ctx.label} ({who})" if actor_user else ctx.label
    # Every change to a program's data passes here: what was kept from it is stale.
    freshness.changed(program.pk if program is not None else None)
    return AuditEntry.objects.create(
        program=program,
        created_at=timezone.now(),
        actor=actor_user,
        actor_label=who[:200],
        source=ctx.source,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        request_id=ctx.request_id,
    )


def record_update(
    *, actor: Actor, obj: models.Model, program: Program | None, before: dict
) -> AuditEntry | None:
    """Record an update if anything changed; returns None for a no-op save.
    `before` is the record's `picture()` taken before the change."""
    after = picture(obj)
    if after == before:
        return None
    return record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=obj,
        program=program,
        before=before,
        after=after,
    )
