"""Opening hours from HSDS schedules, and which services are open now.

A schedule is an RFC 5545 recurrence of *days* (expanded by dateutil's rrule), each
open from `opens_at` to `closes_at` local time in the program's zone. Wall-clock
times are turned into instants one day at a time, so a 24-hour day on a DST change
is 23 or 25 real hours and a night shift across the change ends at 07:00 local.

Results are aware datetimes in the program's zone. Python compares and subtracts two
datetimes that share a tzinfo by wall clock, ignoring `fold`, so everything here is
compared in UTC; callers doing arithmetic across the repeated autumn hour should too.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.db.models import Prefetch
from django.utils import timezone

from citkit.partnerships.models import (
    WEEKDAYS,
    Capacity,
    Frequency,
    Phone,
    Schedule,
    Service,
    ServiceStatus,
)

UTC = datetime.UTC
MIDNIGHT = datetime.time(0)
ONE_DAY = datetime.timedelta(days=1)
# How far next_change looks: a week and a day, so a weekly rule always shows its
# next opening even when it opened a moment ago.
LOOKAHEAD = datetime.timedelta(days=8)

# A schedule without dtstart is anchored on a Monday long ago: a weekly rule with an
# interval of 1 gives the same days from any anchor, and RFC 5545's default week
# start (WKST=MO) then counts "every 2 weeks" from a fixed, documented week.
DEFAULT_ANCHOR = datetime.date(2001, 1, 1)

_DAY_TOKEN = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_RRULE_DAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]
DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
LONG_DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth", -1: "Last"}

Interval = tuple[datetime.datetime, datetime.datetime]


# --- Reading one schedule ------------------------------------------------------------


def _byday(schedule: Schedule) -> list[tuple[int, int | None]] | None:
    """(weekday 0-6, n or None) for each BYDAY token; None when a token is unreadable,
    so a typo gives "unknown hours" rather than a wrong day."""
    days: list[tuple[int, int | None]] = []
    for token in (t.strip().upper() for t in (schedule.byday or "").split(",")):
        if not token:
            continue
        match = _DAY_TOKEN.match(token)
        if match is None:
            return None
        n = int(match.group(1)) if match.group(1) else None
        if n is not None and not (1 <= abs(n) <= 5):
            return None
        days.append((WEEKDAYS.index(match.group(2)), n))
    return days


def _bymonthday(schedule: Schedule) -> list[int] | None:
    values: list[int] = []
    for token in (t.strip() for t in (schedule.bymonthday or "").split(",")):
        if not token:
            continue
        try:
            day = int(token)
        except ValueError:
            return None
        if day == 0 or not -31 <= day <= 31:
            return None
        values.append(day)
    return values


def has_hours(schedule: Schedule) -> bool:
    """Whether the schedule says when it is open: an opening time and a readable rule
    that names its days (by weekday, day of the month, or its first day)."""
    if schedule.opens_at is None:
        return False
    byday, bymonthday = _byday(schedule), _bymonthday(schedule)
    if byday is None or bymonthday is None:
        return False
    return bool(byday or bymonthday or schedule.dtstart)


def in_force(schedule: Schedule, day: datetime.date) -> bool:
    """Whether the schedule speaks for that local day (its validity and its rule's span).
    Outside it the schedule says nothing: hours there are unknown, not closed."""
    return (
        (schedule.valid_from is None or schedule.valid_from <= day)
        and (schedule.valid_to is None or day <= schedule.valid_to)
        and (schedule.dtstart is None or schedule.dtstart <= day)
        and (schedule.until is None or day <= schedule.until)
    )


def _whole_day(schedule: Schedule) -> bool:
    return schedule.opens_at == MIDNIGHT and schedule.closes_at in (None, MIDNIGHT)


def _overnight(schedule: Schedule) -> bool:
    closes = schedule.closes_at
    return (
        schedule.opens_at is not None
        and closes is not None
        and closes != MIDNIGHT
        and closes <= schedule.opens_at
    )


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _rule(schedule: Schedule, first_day: datetime.date) -> rrule.rrule | None:
    """The schedule's rule, started close to `first_day` so expansion does not walk
    every week since the anchor. The start moves by whole intervals only, so
    "every 2 weeks" and "every 3 months" keep their phase."""
    byday, bymonthday = _byday(schedule), _bymonthday(schedule)
    if byday is None or bymonthday is None:
        return None
    anchor = schedule.dtstart or DEFAULT_ANCHOR
    interval = max(schedule.interval or 1, 1)
    weekdays = [_RRULE_DAYS[day] if n is None else _RRULE_DAYS[day](n) for day, n in byday]
    start = anchor
    if schedule.freq == Frequency.MONTHLY:
        freq = rrule.MONTHLY
        if not weekdays and not bymonthday:
            # RFC 5545: a monthly rule without BYxxx repeats on DTSTART's day of the
            # month; said explicitly so that the start may move to the 1st below.
            bymonthday = [anchor.day]
        months = _month_index(first_day) - 1 - _month_index(anchor)
        shift = months // interval * interval if months > 0 else 0
        if shift:
            index = _month_index(anchor) + shift
            start = datetime.date(index // 12, index % 12 + 1, 1)
    else:
        freq = rrule.WEEKLY
        if not weekdays and not bymonthday:
            weekdays = [_RRULE_DAYS[anchor.weekday()]]
        weeks = ((first_day - anchor).days - 7) // 7
        if weeks > 0:
            start = anchor + datetime.timedelta(weeks=weeks // interval * interval)
    until = schedule.until
    return rrule.rrule(
        freq,
        dtstart=datetime.datetime.combine(start, MIDNIGHT),
        interval=interval,
        wkst=rrule.MO,
        byweekday=weekdays or None,
        bymonthday=bymonthday or None,
        until=datetime.datetime.combine(until, MIDNIGHT) if until else None,
    )


def _local(day: datetime.date, time: datetime.time, zone: ZoneInfo) -> datetime.datetime:
    """A local wall-clock time as an instant (UTC). In the spring gap fold=0 reads the
    time with the offset before the change (02:30 becomes 03:30 EDT); in the autumn
    repeat it is the first 01:30, PEP 495's defaults."""
    return datetime.datetime.combine(day, time, tzinfo=zone).astimezone(UTC)


def _day_interval(schedule: Schedule, day: datetime.date, zone: ZoneInfo) -> Interval:
    opens = schedule.opens_at
    assert opens is not None
    closes = schedule.closes_at if schedule.closes_at is not None else MIDNIGHT
    # A closing time at or before the opening time is the next morning (19:00-07:00),
    # and 00:00 closes at the end of the day.
    close_day = day + ONE_DAY if closes <= opens else day
    return _local(day, opens, zone), _local(close_day, closes, zone)


def _days(schedule: Schedule, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    rule = _rule(schedule, first)
    if rule is None:
        return []
    occurrences = rule.between(
        datetime.datetime.combine(first, MIDNIGHT),
        datetime.datetime.combine(last, MIDNIGHT),
        inc=True,
    )
    days = [moment.date() for moment in occurrences]
    return [
        day
        for day in days
        if (schedule.valid_from is None or schedule.valid_from <= day)
        and (schedule.valid_to is None or day <= schedule.valid_to)
    ]


def _utc_intervals(
    schedule: Schedule, zone: ZoneInfo, start: datetime.datetime, end: datetime.datetime
) -> list[Interval]:
    if not has_hours(schedule):
        return []
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    # The day before the window counts too: its night shift may still be open.
    first = start.astimezone(zone).date() - ONE_DAY
    last = end.astimezone(zone).date()
    result = []
    for day in _days(schedule, first, last):
        opens, closes = _day_interval(schedule, day, zone)
        # A span inside the spring-forward gap (02:30-03:00) is no real time at all.
        if opens < closes and opens < end and closes > start:
            result.append((opens, closes))
    return result


def open_intervals(
    schedule: Schedule, zone: ZoneInfo, start: datetime.datetime, end: datetime.datetime
) -> list[Interval]:
    """The schedule's opening intervals that overlap [start, end), in order, as aware
    datetimes in `zone`. A schedule without hours gives none."""
    return [
        (opens.astimezone(zone), closes.astimezone(zone))
        for opens, closes in _utc_intervals(schedule, zone, start, end)
    ]


# --- Several schedules (one service) -------------------------------------------------


def _with_hours(schedules: Iterable[Schedule]) -> list[Schedule]:
    return [s for s in schedules if has_hours(s)]


def _merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Overlapping or touching intervals joined: a 07:00-19:00 day shift and a
    19:00-07:00 night shift are open without a break."""
    merged: list[Interval] = []
    for opens, closes in sorted(intervals):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


def is_open(schedules: Iterable[Schedule], zone: ZoneInfo, at: datetime.datetime) -> bool | None:
    """Open at that moment; None when no schedule says (no hours given, or none in
    force that day). An officer must not be sent by a guess, so unknown stays unknown."""
    known = _with_hours(schedules)
    if not known:
        return None
    moment = at.astimezone(UTC)
    instant = moment + datetime.timedelta(microseconds=1)
    for schedule in known:
        for opens, closes in _utc_intervals(schedule, zone, moment, instant):
            if opens <= moment < closes:
                return True
    day = moment.astimezone(zone).date()
    if any(in_force(s, day) for s in known):
        return False
    return None


# Moments asked about lie within fifty years of now: the recurrence rules and the
# time zones can then always step a week on without leaving the calendar.
REACH = datetime.timedelta(days=50 * 366)


def within_reach(moment: datetime.datetime) -> bool:
    try:
        return abs(moment - timezone.now()) <= REACH
    except (OverflowError, ValueError):
        return False


def _starts(schedule: Schedule) -> datetime.date | None:
    """The first day a schedule is in force, if it names one."""
    days = [d for d in (schedule.valid_from, schedule.dtstart) if d is not None]
    return max(days) if days else None


def _started(schedule: Schedule, on: datetime.date | None) -> bool:
    """In force by `on`; without a day, only a schedule that names no first day counts
    (a 24/7 service that opens next month is not 24/7 today)."""
    starts = _starts(schedule)
    return starts is None or (on is not None and starts <= on)


def _permanent_weekly(schedule: Schedule, on: datetime.date | None = None) -> bool:
    return (
        _started(schedule, on)
        and has_hours(schedule)
        and schedule.freq == Frequency.WEEKLY
        and schedule.interval == 1
        and not schedule.bymonthday
        and schedule.valid_to is None
        and schedule.until is None
    )


def _week_minutes(schedule: Schedule) -> list[tuple[int, int]]:
    """The wall-clock minutes of a week (0 = Monday 00:00) a weekly rule covers. Wall
    clock, not real time: "open around the clock" is a statement about the clock."""
    byday = _byday(schedule) or []
    days = {day for day, _ in byday}
    if not days and schedule.dtstart:
        days = {schedule.dtstart.weekday()}
    opens = schedule.opens_at
    assert opens is not None
    closes = schedule.closes_at if schedule.closes_at is not None else MIDNIGHT
    start = opens.hour * 60 + opens.minute
    end = closes.hour * 60 + closes.minute
    if end <= start:
        end += 24 * 60
    return [(day * 1440 + start, day * 1440 + end) for day in sorted(days)]


def is_open_24_7(schedules: Iterable[Schedule], on: datetime.date | None = None) -> bool:
    """Open every hour of every week from `on` on: one schedule that says so
    (Schedule.is_24_7), or open-ended weekly schedules that together leave no gap (day
    and night shifts). A schedule that starts after `on` (or names a first day, when no
    day is given) does not count."""
    schedules = list(schedules)
    if any(s.is_24_7 and _started(s, on) for s in schedules):
        return True
    week = 7 * 1440
    spans: list[tuple[int, int]] = []
    for schedule in schedules:
        if not _permanent_weekly(schedule, on):
            continue
        for start, end in _week_minutes(schedule):
            # Sunday's night shift runs into Monday morning: wrap it around the week.
            if end > week:
                spans += [(start, week), (0, end - week)]
            else:
                spans.append((start, end))
    covered = 0
    for start, end in sorted(spans):
        if start > covered:
            return False
        covered = max(covered, end)
    return covered >= week


def next_change(
    schedules: Iterable[Schedule], zone: ZoneInfo, at: datetime.datetime
) -> datetime.datetime | None:
    """When the service next opens (if closed) or closes (if open), within 8 days; None
    when the hours are unknown or nothing changes in that time (open 24/7)."""
    known = _with_hours(schedules)
    if not known:
        return None
    moment = at.astimezone(UTC)
    horizon = moment + LOOKAHEAD
    # A microsecond past the horizon, so an opening exactly at the end of a merged
    # interval is fetched and joins it instead of looking like a closing.
    intervals = [
        interval
        for schedule in known
        for interval in _utc_intervals(
            schedule, zone, moment, horizon + datetime.timedelta(microseconds=1)
        )
    ]
    for opens, closes in _merged(intervals):
        if opens <= moment < closes:
            return closes.astimezone(zone) if closes <= horizon else None
        if opens > moment:
            return opens.astimezone(zone) if opens <= horizon else None
    return None


# --- In words ------------------------------------------------------------------------


def _clock(time: datetime.time) -> str:
    return f"{time:%H:%M}"


def _times(schedule: Schedule) -> str:
    if _whole_day(schedule):
        return "24 hours"
    opens = schedule.opens_at
    assert opens is not None
    closes = schedule.closes_at if schedule.closes_at is not None else MIDNIGHT
    text = f"{_clock(opens)}–{_clock(closes)}"
    return f"{text} (overnight)" if _overnight(schedule) else text


def _day_list(days: Sequence[int]) -> str:
    """Mon-Fri; Mon, Wed, Fri; Every day. Runs of three or more days become a range."""
    days = sorted(set(days))
    if len(days) == 7:
        return "Every day"
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAY_NAMES[run[0]]}–{DAY_NAMES[run[-1]]}")
        else:
            parts += [DAY_NAMES[d] for d in run]
    return ", ".join(parts)


def _monthly_days(schedule: Schedule) -> str:
    byday = _byday(schedule) or []
    bymonthday = _bymonthday(schedule) or []
    parts = []
    for day, n in byday:
        if n is None:
            parts.append(f"every {LONG_DAY_NAMES[day]}")
        else:
            parts.append(f"{ORDINALS.get(n, f'{n}th').lower()} {LONG_DAY_NAMES[day]}")
    for day in bymonthday:
        parts.append("the last day" if day == -1 else f"day {day}")
    if not parts and schedule.dtstart:
        parts.append(f"day {schedule.dtstart.day}")
    text = " and ".join(parts)
    return (text[:1].upper() + text[1:]) + " of the month"


def _bounds(schedule: Schedule) -> str:
    ends = [d for d in (schedule.valid_to, schedule.until) if d is not None]
    parts = []
    if schedule.valid_from:
        parts.append(f"from {_date(schedule.valid_from)}")
    if ends:
        parts.append(f"until {_date(min(ends))}")
    return f" ({' '.join(parts)})" if parts else ""


def _date(day: datetime.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _weekday_order(schedule: Schedule) -> int:
    byday = _byday(schedule) or []
    return min((day for day, _ in byday), default=7)


def hours_text(schedules: Iterable[Schedule]) -> str:
    """The hours in words: "Open 24 hours, every day"; "Mon-Fri 08:00-17:00; Sat
    09:00-13:00"; "Every day 19:00-07:00 (overnight)". Schedules without hours give
    their descriptions, or "Hours not known"."""
    schedules = list(schedules)
    known = _with_hours(schedules)
    if not known:
        descriptions = [s.description.strip() for s in schedules if s.description.strip()]
        return "; ".join(descriptions) or "Hours not known"
    if is_open_24_7(known):
        return "Open 24 hours, every day"
    starts = [d for d in (_starts(x) for x in known) if d is not None]
    if starts and is_open_24_7(known, on=max(starts)):
        return (
            f"Open 24 hours, every day, from {max(starts):%B} {max(starts).day}, {max(starts).year}"
        )
    # Plain weekly schedules with the same hours read as one line: Mon-Fri, not five.
    weekly: dict[tuple[str, str], set[int]] = {}
    order: dict[tuple[str, str], int] = {}
    other: list[tuple[int, str]] = []
    for schedule in sorted(known, key=_weekday_order):
        byday = _byday(schedule) or []
        if (
            schedule.freq == Frequency.WEEKLY
            and schedule.interval == 1
            and not schedule.bymonthday
            and byday
        ):
            key = (_times(schedule), _bounds(schedule))
            weekly.setdefault(key, set()).update(day for day, _ in byday)
            order.setdefault(key, _weekday_order(schedule))
        elif schedule.freq == Frequency.MONTHLY:
            every = f"every {schedule.interval} months: " if schedule.interval > 1 else ""
            text = f"{every}{_monthly_days(schedule)} {_times(schedule)}{_bounds(schedule)}"
            other.append((_weekday_order(schedule), text[:1].upper() + text[1:]))
        else:
            days = [day for day, _ in byday] or (
                [schedule.dtstart.weekday()] if schedule.dtstart else []
            )
            every = f"Every {schedule.interval} weeks: " if schedule.interval > 1 else ""
            text = f"{every}{_day_list(days)} {_times(schedule)}{_bounds(schedule)}"
            other.append((_weekday_order(schedule), text))
    lines = [
        (order[key], f"{_day_list(sorted(days))} {key[0]}{key[1]}") for key, days in weekly.items()
    ]
    return "; ".join(text for _, text in sorted(lines + other, key=lambda pair: pair[0]))


# --- What is open now (the selector other apps call) ---------------------------------


@dataclass(frozen=True)
class OpenService:
    """One service's state at a moment. `open` is None when its hours are unknown;
    `closes_at` is set while open and `opens_at` while closed (within 8 days)."""

    service: Service
    open: bool | None
    open_24_7: bool
    closes_at: datetime.datetime | None
    opens_at: datetime.datetime | None
    capacities: list[Capacity] = field(default_factory=list)
    hours: str = ""


def service_status(service: Service, zone: ZoneInfo, at: datetime.datetime) -> OpenService:
    """The state of one service whose schedules and capacities are prefetched (or are
    fetched here, two queries)."""
    schedules = list(service.schedules.all())
    state = is_open(schedules, zone, at)
    always = is_open_24_7(schedules, on=at.astimezone(zone).date())
    change = None if always else next_change(schedules, zone, at)
    return OpenService(
        service=service,
        open=state,
        open_24_7=always,
        closes_at=change if state else None,
        opens_at=change if state is False else None,
        capacities=list(service.capacities.all()),
        hours=hours_text(schedules),
    )


# Open first, then unknown hours (worth a call), then closed.
_RANK = {True: 0, None: 1, False: 2}


def open_now(
    program,
    *,
    at: datetime.datetime | None = None,
    service_types: Iterable[str] | None = None,
) -> list[OpenService]:
    """The program's active services with whether each is open at `at` (default now),
    open ones first, then those with unknown hours, then closed ones; by name within.
    Four queries whatever the number of services."""
    moment = at or timezone.now()
    services = (
        Service.objects.filter(program=program, status=ServiceStatus.ACTIVE)
        .select_related("program", "agency")
        .prefetch_related(
            Prefetch("schedules", queryset=Schedule.objects.order_by("id")),
            Prefetch("capacities", queryset=Capacity.objects.order_by("unit", "id")),
            # The crisis page links each service and offers its numbers to call.
            Prefetch("phones", queryset=Phone.objects.order_by("id")),
        )
        .order_by("name", "id")
    )
    if service_types is not None:
        services = services.filter(service_type__in=list(service_types))
    zone = program.zone
    states = [service_status(service, zone, moment) for service in services]
    return sorted(states, key=lambda state: _RANK[state.open])
