"""The kinds of record an action item may concern, registered by the apps that own them.

An action item may move a record of another app forward (a plan task, ...). The
committee does not know those apps: each registers its kind here from its own code,
and the action item form and API offer one chooser per kind, `concerns_<key>`:

    register_concern(ConcernKind(key="task", model=Task, label="Concerns plan task"))

The records offered are the ones the user may see (`Model.objects.visible_to`),
so nobody links, or learns of, a record they could not open.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet


def _unchanged(queryset: QuerySet) -> QuerySet:
    return queryset


@dataclass(frozen=True)
class ConcernKind:
    key: str  # the form and API field is `concerns_<key>`; the add page reads `?<key>=<id>`
    model: type[Model]
    label: str  # the chooser's label on the page
    help_text: str = ""  # under the chooser on the page
    api_help_text: str = ""  # in the API schema
    # Narrows and orders the page's chooser (e.g. leaves out retired records).
    choices: Callable[[QuerySet], QuerySet] = _unchanged

    @property
    def field_name(self) -> str:
        return f"concerns_{self.key}"

    def visible(self, user, program) -> QuerySet:
        """The records of this kind the user may see in the program."""
        return self.model.objects.visible_to(user, program)  # type: ignore[attr-defined]


_KINDS: dict[str, ConcernKind] = {}


def register_concern(kind: ConcernKind) -> ConcernKind:
    """Declare a kind of record action items may concern (once per key)."""
    known = _KINDS.get(kind.key)
    if known is not None and known.model is not kind.model:
        raise ValueError(f"Action items already concern a kind named {kind.key!r}.")
    _KINDS[kind.key] = kind
    return kind


def unregister_concern(key: str) -> None:
    _KINDS.pop(key, None)


def concern_kinds() -> list[ConcernKind]:
    return list(_KINDS.values())
