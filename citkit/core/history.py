"""The audit trail in words for people: who changed what on which record.

The trail itself keeps raw pictures of records (`audit.picture`: field names,
ids, ISO dates). This module reads them back for the pages: field labels and
choice names from the model, Yes/No, the name of a related record instead of its
id, times in the program's zone. A record's history also shows the records that
belong to it (a meeting's attendance, an agency's contacts): see
`child_relations`. One request's changes to one record read as one item.

Everything here costs a fixed number of queries however many entries it reads:
one for the entries, one per related model whose names it shows.
"""

import datetime
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models.functions import Cast
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst

from citkit.core.models import AuditEntry, Program
from citkit.core.registry import audited_models
from citkit.core.selectors import user_label

# The latest entries a history page shows; the program's audit trail has them all.
HISTORY_LIMIT = 200

Action = AuditEntry.Action

SOURCE_LABELS = {
    "page": "on a page",
    "api": "through the API",
    "command": "from the command line",
    "import": "by an import",
    "system": "by the system",
}

# What happened, for the record whose history is shown and for a record that
# belongs to it ("added contact Pat Lee").
_VERBS: dict[str, tuple[str, str]] = {
    Action.CREATE: ("created", "added"),
    Action.UPDATE: ("changed", "changed"),
    Action.DELETE: ("deleted", "removed"),
    Action.IMPORT: ("imported", "imported"),
    Action.UNLOCK: ("unlocked sign-in for", "unlocked sign-in for"),
}


# --- Which records belong to a record's history ---------------------------------------


@functools.cache
def child_relations(model: type[models.Model]) -> tuple[models.ForeignObjectRel, ...]:
    """The reverse foreign keys whose records are part of `model`'s history.

    A model names them with `history_children`, a sequence of reverse accessor
    names (the `related_name`s), e.g. on a meeting::

        history_children = ("agenda_items", "attendance", "decisions", "action_items")

    An item may also be a pair (accessor, foreign key on the child), as in
    `("agenda_items", "meeting")`; the foreign key is then checked. An empty
    sequence means no children. Without the attribute, the children are the
    audited models (`registry.audited_models()`) whose foreign key to `model`
    cascades: records that cannot outlive it, so are part of it.
    """
    reverse = [
        rel
        for rel in model._meta.related_objects
        if (rel.one_to_many or rel.one_to_one) and rel.related_model is not None
    ]
    declared = getattr(model, "history_children", None)
    if declared is None:
        audited = set(audited_models())
        return tuple(
            rel
            for rel in reverse
            if rel.on_delete is models.CASCADE
            and (rel.related_model._meta.app_label, rel.related_model._meta.model_name) in audited
        )
    by_accessor = {rel.get_accessor_name(): rel for rel in reverse}
    found: list[models.ForeignObjectRel] = []
    for item in declared:
        accessor, fk = (item, None) if isinstance(item, str) else item
        rel = by_accessor.get(accessor)
        if rel is None or (fk is not None and rel.field.name != fk):
            raise ImproperlyConfigured(
                f"{model.__name__}.history_children names {item!r}, which is no reverse "
                f"foreign key of {model.__name__} (known: {sorted(str(a) for a in by_accessor)})."
            )
        found.append(rel)
    return tuple(found)


def record_entries(
    model: type[models.Model], pk, *, user, program: Program, limit: int = HISTORY_LIMIT
) -> list[AuditEntry]:
    """The latest entries of one record and of the records that belong to it, newest first.

    A child's entries are found by its id while it exists, and by the parent's id
    in its picture (`before`/`after`) once it is gone: a deleted contact still
    shows in its agency's history. One query, whatever the number of children.
    """
    pk = model._meta.pk.to_python(pk)
    wanted = models.Q(content_type=_content_type(model), object_id=str(pk))
    for rel in child_relations(model):
        child = rel.related_model
        fk = rel.field.name
        current_ids = (
            child._base_manager.filter(**{fk: pk})
            .annotate(audit_id=Cast("pk", models.CharField()))
            .values("audit_id")
        )
        wanted |= models.Q(content_type=_content_type(child)) & (
            models.Q(object_id__in=current_ids)
            | models.Q(**{f"before__{fk}": pk})
            | models.Q(**{f"after__{fk}": pk})
        )
    return list(
        AuditEntry.objects.visible_to(user, program)
        .filter(wanted)
        .select_related("content_type", "actor")
        .order_by("-id")[:limit]
    )


def _content_type(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model, for_concrete_model=True)


# --- Entries in words --------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field of a record: its label and its values before and after, in words."""

    label: str
    before: str
    after: str


@dataclass
class HistoryItem:
    """One thing that happened: one entry, or one request's entries on one record."""

    action: str
    actor: str
    source: str
    created_at: datetime.datetime
    request_id: str
    record_type: str  # "Agency contact"
    record: str  # the record's name when the entry was written
    changes: list[Change]
    # The record belongs to the one whose history is shown (a meeting's decision).
    is_child: bool = False
    entries: list[AuditEntry] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return Action(self.action).label if self.action in Action.values else self.action

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def shows_before_and_after(self) -> bool:
        """A creation has no "before" and a deletion no "after": one column says it all."""
        return self.action not in (Action.CREATE, Action.DELETE, Action.IMPORT)

    @property
    def summary(self) -> str:
        """ "Dana Whitfield changed 2 fields: Phone, Notes"; "... added contact “Pat Lee”"."""
        own, child = _VERBS.get(self.action, (self.action, self.action))
        verb = child if self.is_child else own
        subject = f"{self.record_type.lower()} “{self.record}”" if self.is_child else ""
        if self.action == Action.UPDATE and self.changes:
            count = len(self.changes)
            fields = ", ".join(c.label for c in self.changes)
            of = f" of {subject}" if subject else ""
            return f"{self.actor} {verb} {count} field{'s' if count != 1 else ''}{of}: {fields}"
        return f"{self.actor} {verb} {subject or 'this record'}"


def describe(
    entries: Sequence[AuditEntry],
    *,
    program: Program | None,
    record: tuple[type[models.Model], object] | None = None,
    group: bool = False,
) -> list[HistoryItem]:
    """Entries in words, in the order given.

    `record` is (model, pk) of the record whose history is shown: entries of
    other records are its children. With `group`, the entries one request wrote
    on one record read as one item (the first change's "before", the last one's
    "after").
    """
    words = _Words(entries, program)
    own = None
    # A child's foreign key to the record says only what the page already says.
    parent_keys: dict[int, str] = {}
    if record is not None:
        own = (_content_type(record[0]).pk, str(record[1]))
        parent_keys = {
            _content_type(rel.related_model).pk: rel.field.name
            for rel in child_relations(record[0])
        }
    items = []
    for batch in _batches(entries) if group else ([e] for e in entries):
        is_child = own is not None and (batch[0].content_type_id, batch[0].object_id) != own
        hide = parent_keys.get(batch[0].content_type_id) if is_child else None
        item = words.item(batch, hide=hide)
        item.is_child = is_child
        items.append(item)
    return items


def _batches(entries: Iterable[AuditEntry]) -> list[list[AuditEntry]]:
    """Entries grouped by (request, actor, record), each group where its newest entry was."""
    groups: dict[tuple, list[AuditEntry]] = {}
    for entry in entries:
        key: tuple = (
            (entry.request_id, entry.actor_label, entry.content_type_id, entry.object_id)
            if entry.request_id
            else ("entry", entry.pk)
        )
        groups.setdefault(key, []).append(entry)
    return list(groups.values())


def actor_name(entry: AuditEntry) -> str:
    """The person by name if the account still exists; otherwise the words the trail kept."""
    if entry.actor is not None and entry.actor_label == entry.actor.get_username():
        return user_label(entry.actor)
    if entry.actor_label == "system":
        return "The system"
    return entry.actor_label


class _Words:
    """Labels and values of the fields in a set of entries, names looked up once per model."""

    def __init__(self, entries: Sequence[AuditEntry], program: Program | None):
        self.zone = program.zone if program is not None else datetime.UTC
        self.program = program
        self.names: dict[tuple[type[models.Model], object], str] = {}
        self._load_names(entries)

    @staticmethod
    def model_of(entry: AuditEntry) -> type[models.Model] | None:
        return entry.content_type.model_class()

    @staticmethod
    def field_of(model: type[models.Model] | None, name: str) -> models.Field | None:
        if model is None:
            return None
        try:
            found = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        return found if isinstance(found, models.Field) else None

    def _load_names(self, entries: Sequence[AuditEntry]) -> None:
        wanted: dict[type[models.Model], set] = {}
        for entry in entries:
            model = self.model_of(entry)
            for picture in (entry.before, entry.after):
                for name, value in (picture or {}).items():
                    f = self.field_of(model, name)
                    if value is None or f is None or not f.is_relation or not f.related_model:
                        continue
                    # A many-to-many field is kept as a list of ids.
                    values = value if isinstance(value, list) else [value]
                    wanted.setdefault(f.related_model, set()).update(
                        i for i in values if isinstance(i, int | str)
                    )
        user_model = get_user_model()
        for related, ids in wanted.items():
            if related is Program:
                continue
            if related is user_model:
                users = user_model._default_manager.filter(pk__in=ids)
                self.names.update(((related, u.pk), user_label(u)) for u in users)
                continue
            # Names often include a parent ("Pat Lee (Riverbend Police)"): fetch it along.
            records = related._base_manager.filter(pk__in=ids).select_related()
            self.names.update(((related, obj.pk), str(obj)) for obj in records)
            self._load_deleted_names(related, ids)

    def _load_deleted_names(self, related: type[models.Model], ids: set) -> None:
        """A record that is gone is named as the trail last named it."""
        missing = {str(i) for i in ids if (related, i) not in self.names}
        if not missing or self.program is None:
            return
        rows = (
            AuditEntry.objects.filter(
                program=self.program, content_type=_content_type(related), object_id__in=missing
            )
            .order_by("id")
            .values_list("object_id", "object_repr")
        )
        pk_field = related._meta.pk
        for object_id, name in rows:  # the newest name wins
            self.names[(related, pk_field.to_python(object_id))] = f"{name} (deleted)"

    def _name(self, model: type[models.Model], pk) -> str:
        try:
            return self.names.get((model, pk), f"#{pk}")
        except TypeError:  # not an id at all
            return str(pk)

    def label(self, model: type[models.Model] | None, name: str) -> str:
        f = self.field_of(model, name)
        return str(capfirst(f.verbose_name if f is not None else name.replace("_", " ")))

    def value(self, model: type[models.Model] | None, name: str, raw) -> str:
        if raw is None or raw == "" or raw == []:
            return ""
        f = self.field_of(model, name)
        if f is None:
            return str(raw)
        if f.choices:
            return str(dict(f.flatchoices).get(raw, raw))
        if isinstance(f, models.BooleanField):
            return "Yes" if raw else "No"
        if f.is_relation and f.related_model is not None:
            if isinstance(raw, list):
                return ", ".join(self._name(f.related_model, i) for i in raw)
            return self._name(f.related_model, raw)
        if isinstance(f, models.DateTimeField):
            moment = parse_datetime(str(raw))
            if moment is None:
                return str(raw)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=datetime.UTC)
            return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")
        if isinstance(f, models.DateField):
            day = parse_date(str(raw))
            return day.isoformat() if day else str(raw)
        if isinstance(f, models.TimeField):
            return str(raw)[:5]
        return str(raw)

    def shown(self, model: type[models.Model] | None, name: str) -> bool:
        """Fields a person reads: not the program (the same on every record), nor
        what nobody edits (file contents, computed columns)."""
        f = self.field_of(model, name)
        if f is None:
            return True
        return f.editable and f.related_model is not Program

    def changes(
        self, model, before: dict | None, after: dict | None, hide: str | None = None
    ) -> list[Change]:
        before = before or {}
        after = after or {}
        one_sided = not before or not after
        result = []
        for name in dict.fromkeys([*before, *after]):
            old, new = before.get(name), after.get(name)
            if old == new or (one_sided and name == hide) or not self.shown(model, name):
                continue
            if one_sided and old in (None, "", []) and new in (None, "", []):
                continue
            result.append(
                Change(
                    label=self.label(model, name),
                    before=self.value(model, name, old),
                    after=self.value(model, name, new),
                )
            )
        return result

    def item(self, batch: list[AuditEntry], hide: str | None = None) -> HistoryItem:
        """One item from one request's entries on one record (newest first)."""
        newest, oldest = batch[0], batch[-1]
        actions = {e.action for e in batch}
        action: str
        if Action.DELETE in actions:
            action = Action.DELETE
            deleted = next(e for e in batch if e.action == Action.DELETE)
            before, after = deleted.before, None
        elif Action.CREATE in actions:
            action = Action.CREATE
            before, after = None, newest.after
        else:
            action = newest.action
            before, after = oldest.before, newest.after
        model = self.model_of(newest)
        return HistoryItem(
            action=action,
            actor=actor_name(newest),
            source=newest.source,
            created_at=newest.created_at,
            request_id=newest.request_id,
            record_type=str(
                capfirst(
                    model._meta.verbose_name if model is not None else newest.content_type.model
                )
            ),
            record=newest.object_repr,
            changes=self.changes(model, before, after, hide=hide),
            entries=batch,
        )
