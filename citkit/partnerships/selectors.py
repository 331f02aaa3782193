"""Reads of the directory that need more than one line, for the pages and for other
apps: "who takes a person in crisis now" and "what is open now, with how many beds".

`open_now(program, at=...)` (from `hours`) is the selector the dispatcher's lookup
calls; `crisis_board` is the page built on it.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch

from citkit.core.models import Program
from citkit.partnerships import hours
from citkit.partnerships.hours import OpenService, open_now, service_status
from citkit.partnerships.models import Responsibility, ResponsibilityKind, Schedule, ServiceType

__all__ = ["OpenService", "crisis_board", "open_now", "responsibility_hours", "service_status"]

# The order a person in crisis meets them: who comes, who takes them, who follows up.
KIND_ORDER = [
    ResponsibilityKind.RECEIVE,
    ResponsibilityKind.RESPOND,
    ResponsibilityKind.ASSESS,
    ResponsibilityKind.TRANSPORT,
    ResponsibilityKind.TREAT,
    ResponsibilityKind.ADVISE,
    ResponsibilityKind.FOLLOW_UP,
    ResponsibilityKind.SHARE_INFORMATION,
    ResponsibilityKind.TRAIN,
    ResponsibilityKind.OTHER,
]
# Services that matter in the hour of a crisis: someone to call, to respond, somewhere to go.
CRISIS_SERVICE_TYPES = [
    ServiceType.CRISIS_STABILIZATION,
    ServiceType.MOBILE_CRISIS,
    ServiceType.CO_RESPONDER,
    ServiceType.CRISIS_LINE,
    ServiceType.EMERGENCY_DEPARTMENT,
    ServiceType.INPATIENT,
    ServiceType.SUBSTANCE_USE,
    ServiceType.YOUTH,
    ServiceType.VETERANS,
    ServiceType.EMS,
]


@dataclass
class BoardEntry:
    item: Responsibility
    available: bool | None  # None: hours not known
    hours: str
    next_change: datetime.datetime | None = None


@dataclass
class CrisisBoard:
    at: datetime.datetime
    available: list[tuple[str, list[BoardEntry]]] = field(default_factory=list)
    unknown: list[BoardEntry] = field(default_factory=list)
    closed: list[BoardEntry] = field(default_factory=list)
    open_services: list[OpenService] = field(default_factory=list)


def responsibility_hours(item: Responsibility) -> str:
    if item.available_24_7:
        return "24/7"
    if item.service_id is not None:
        text = hours.hours_text(list(item.service.schedules.all()))
        if text:
            return text
    return item.hours_text or "Hours not recorded"


def crisis_board(program: Program, *, at: datetime.datetime) -> CrisisBoard:
    """Every partner responsibility as it stands at `at`, and the crisis services open then.
    A constant number of queries, whatever the number of partners."""
    zone = program.zone
    items = (
        Responsibility.objects.filter(program=program, agency__active=True)
        .select_related("program", "agency", "service")
        .prefetch_related(Prefetch("service__schedules", queryset=Schedule.objects.order_by("id")))
        .order_by("agency__name", "position", "id")
    )
    board = CrisisBoard(at=at)
    grouped: dict[str, list[BoardEntry]] = {}
    for item in items:
        if item.available_24_7:
            entry = BoardEntry(item, True, "24/7")
        elif item.service_id is not None and item.service.schedules.all():
            schedules = list(item.service.schedules.all())
            is_open = hours.is_open(schedules, zone, at)
            entry = BoardEntry(
                item,
                is_open,
                responsibility_hours(item),
                hours.next_change(schedules, zone, at),
            )
        else:
            entry = BoardEntry(item, None, item.hours_text or "Hours not recorded")
        if entry.available:
            grouped.setdefault(item.kind, []).append(entry)
        elif entry.available is None:
            board.unknown.append(entry)
        else:
            board.closed.append(entry)
    labels = dict(ResponsibilityKind.choices)
    board.available = [(labels[k], grouped[k]) for k in KIND_ORDER if k in grouped]
    order = {t: i for i, t in enumerate(CRISIS_SERVICE_TYPES)}
    found = [o for o in open_now(program, at=at, service_types=CRISIS_SERVICE_TYPES) if o.open]
    board.open_services = sorted(
        found, key=lambda o: (order.get(o.service.service_type, 99), o.service.name)
    )
    return board
