"""The one audited write path every service uses.

A service decides (permission, the rules of its domain) and then calls one of
these to write: each validates the record (model rules and table constraints,
with a constraint's message placed on the field it concerns), writes inside a
transaction and records the audit entry in that same transaction, so an entry
exists exactly when the change does. Timestamps kept by Django (`auto_now`,
`auto_now_add`) are left out of the before/after pictures: they change on
every save and say nothing a person needs.
"""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from citkit.core import audit
from citkit.core.audit import Actor
from citkit.core.models import AuditEntry, Program

M = TypeVar("M", bound=models.Model)


picture = audit.picture


def _constraint_field(obj: models.Model, code: str | None) -> str | None:
    """The field a table constraint is about, so its message lands next to it.

    A unique constraint is about its last field that is not the program (a name
    is unique *in a program*); a check constraint names its field in the model's
    `constraint_fields` ({violation code: field}).
    """
    if not code:
        return None
    declared = getattr(type(obj), "constraint_fields", {})
    if code in declared:
        return declared[code]
    for constraint in obj._meta.constraints:
        if getattr(constraint, "violation_error_code", None) != code:
            continue
        fields = [f for f in getattr(constraint, "fields", ()) if f != "program"]
        if fields:
            return fields[-1]
    return None


def full_clean(obj: models.Model, exclude: Iterable[str] | None = None) -> None:
    """Model validation, including unique and check constraints."""
    try:
        obj.full_clean(exclude=list(exclude) if exclude else None)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict") or "__all__" not in exc.error_dict:
            raise
        errors = dict(exc.error_dict)
        general = []
        for error in errors.pop("__all__"):
            field = _constraint_field(obj, error.code)
            if field:
                errors.setdefault(field, []).append(error)
            else:
                general.append(error)
        if general:
            errors["__all__"] = general
        raise ValidationError(errors) from exc


# Control characters (ESC, NUL, ...) other than tab and line breaks: invisible on
# screen, refused by PostgreSQL (NUL) and by the document formats (DOCX, PDF).
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
_CONTROL[0x7F] = None


def clean_text(value: str) -> str:
    """Text as people meant it: without control characters."""
    return value.translate(_CONTROL)


def apply_changes(obj: models.Model, data: dict, allowed: set[str] | frozenset[str]) -> None:
    """Set the fields in `data`; a field the service does not allow is refused by name.
    Text loses any control characters on the way in."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: "This field cannot be set here." for name in sorted(unknown)})
    for name, value in data.items():
        setattr(obj, name, clean_text(value) if isinstance(value, str) else value)


def create(
    actor: Actor,
    obj: M,
    *,
    program: Program | None,
    check: Callable[[M], None] | None = None,
    exclude: Iterable[str] | None = None,
    action: str = AuditEntry.Action.CREATE,
) -> M:
    """Validate and save a new record, with its "created" audit entry (or another
    action that creates, such as "imported")."""
    with transaction.atomic():
        if check:
            check(obj)
        full_clean(obj, exclude)
        obj.save()
        audit.record(actor=actor, action=action, obj=obj, program=program, after=picture(obj))
    return obj


def update(
    actor: Actor,
    obj: M,
    *,
    program: Program | None,
    data: dict,
    allowed: set[str] | frozenset[str],
    check: Callable[[M], None] | None = None,
    exclude: Iterable[str] | None = None,
) -> M:
    """Apply `data`, validate and save; an audit entry only if something changed.

    The row is locked for the length of the transaction, so two people saving
    the same record at once are applied one after the other.
    """
    with transaction.atomic():
        if obj.pk is not None:
            type(obj)._base_manager.select_for_update().filter(pk=obj.pk).first()
        before = picture(obj)
        apply_changes(obj, data, allowed)
        if check:
            check(obj)
        full_clean(obj, exclude)
        obj.save()
        after = picture(obj)
        if after != before:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=obj,
                program=program,
                before=before,
                after=after,
            )
    return obj


def delete(actor: Actor, obj: models.Model, *, program: Program | None) -> None:
    """Delete the record, keeping its last picture in the audit trail.

    A record other records still point at (a partner agency holding a committee
    seat) is refused with what still uses it, whichever app those records are in.
    """
    try:
        with transaction.atomic():
            audit.record(
                actor=actor,
                action=AuditEntry.Action.DELETE,
                obj=obj,
                program=program,
                before=picture(obj),
            )
            obj.delete()
    except models.ProtectedError as exc:
        raise ValidationError(_still_used(obj, exc.protected_objects)) from exc


def _still_used(obj: models.Model, users) -> str:
    kinds: dict[type[models.Model], int] = {}
    for used_by in users:
        kinds[type(used_by)] = kinds.get(type(used_by), 0) + 1
    listed = ", ".join(
        f"{n} {model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural}"
        for model, n in sorted(kinds.items(), key=lambda item: item[0].__name__)
    )
    return (
        f"{obj} is still used by {listed}. Change or remove those first, "
        "or mark it inactive where that is offered."
    )


def set_many(
    actor: Actor, obj: models.Model, field: str, values, *, program: Program | None
) -> bool:
    """Replace a many-to-many relation (a gap's affected agencies, a task's
    dependencies) and record it as a change of `field`, by ids; True if it changed.

    The record's picture holds its own columns only; the relation lives in a table
    of its own, so its change is an entry of its own.
    """
    manager = getattr(obj, field)
    with transaction.atomic():
        before = sorted(manager.values_list("pk", flat=True))
        after = sorted(v.pk for v in values)
        if before == after:
            return False
        manager.set(values)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=obj,
            program=program,
            before={field: before},
            after={field: after},
        )
    return True
