"""Opening hours: recurrence days, overnight shifts, 24/7, DST, and the open-now selector."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citkit.partnerships import hours
from citkit.partnerships.models import Capacity, Schedule, Service, ServiceStatus, ServiceType
from citkit.testing.factories import AgencyFactory

NY = ZoneInfo("America/New_York")
UTC = dt.UTC
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"


def schedule(**fields) -> Schedule:
    values = {"freq": "WEEKLY", "interval": 1}
    values.update(fields)
    return Schedule(**values)


def at(*args, fold: int = 0) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NY, fold=fold)


def real_hours(start: dt.datetime, end: dt.datetime) -> float:
    return (end.astimezone(UTC) - start.astimezone(UTC)) / dt.timedelta(hours=1)


WEEKDAYS_9_TO_5 = dict(byday="MO,TU,WE,TH,FR", opens_at=dt.time(8), closes_at=dt.time(17))


# 2026-03-02 is a Monday.


def test_weekday_hours_are_open_inside_and_closed_outside():
    weekdays = schedule(**WEEKDAYS_9_TO_5)
    assert hours.is_open([weekdays], NY, at(2026, 3, 4, 12)) is True
    assert hours.is_open([weekdays], NY, at(2026, 3, 4, 7, 59)) is False
    assert hours.is_open([weekdays], NY, at(2026, 3, 4, 17)) is False  # closing is exclusive
    assert hours.is_open([weekdays], NY, at(2026, 3, 4, 8)) is True


def test_weekday_hours_are_closed_at_the_weekend():
    weekdays = schedule(**WEEKDAYS_9_TO_5)
    assert hours.is_open([weekdays], NY, at(2026, 3, 7, 12)) is False
    assert hours.is_open([weekdays], NY, at(2026, 3, 8, 12)) is False


def test_open_intervals_list_each_day_in_the_window():
    weekdays = schedule(**WEEKDAYS_9_TO_5)
    intervals = hours.open_intervals(weekdays, NY, at(2026, 3, 2), at(2026, 3, 9))
    assert [(s.day, s.hour, e.hour) for s, e in intervals] == [
        (2, 8, 17),
        (3, 8, 17),
        (4, 8, 17),
        (5, 8, 17),
        (6, 8, 17),
    ]
    assert all(s.tzinfo == NY for s, _ in intervals)


def test_an_overnight_shift_stays_open_past_midnight_into_the_next_day():
    saturday_night = schedule(byday="SA", opens_at=dt.time(19), closes_at=dt.time(7))
    # 2026-03-14 is a Saturday (no DST change that weekend).
    assert hours.is_open([saturday_night], NY, at(2026, 3, 15, 2)) is True
    assert hours.is_open([saturday_night], NY, at(2026, 3, 14, 18)) is False
    assert hours.is_open([saturday_night], NY, at(2026, 3, 15, 7, 30)) is False
    # Only Saturday starts a shift: Sunday night is closed.
    assert hours.is_open([saturday_night], NY, at(2026, 3, 15, 22)) is False


def test_a_window_starting_after_midnight_finds_the_previous_evenings_shift():
    saturday_night = schedule(byday="SA", opens_at=dt.time(19), closes_at=dt.time(7))
    [(opens, closes)] = hours.open_intervals(
        saturday_night, NY, at(2026, 3, 15, 1), at(2026, 3, 15, 3)
    )
    assert (opens.day, opens.hour, closes.day, closes.hour) == (14, 19, 15, 7)


def test_a_schedule_for_every_day_all_day_is_24_7_and_always_open():
    always = schedule(byday=EVERY_DAY, opens_at=dt.time(0), closes_at=dt.time(0))
    assert hours.is_open_24_7([always])
    assert hours.is_open([always], NY, at(2026, 7, 4, 3, 33)) is True
    assert hours.next_change([always], NY, at(2026, 7, 4, 3, 33)) is None
    assert hours.hours_text([always]) == "Open 24 hours, every day"


def test_a_missing_closing_time_with_midnight_opening_is_all_day():
    always = schedule(byday=EVERY_DAY, opens_at=dt.time(0), closes_at=None)
    assert hours.is_open_24_7([always])
    assert hours.is_open([always], NY, at(2026, 1, 1, 23, 59)) is True


def test_day_and_night_shifts_together_are_24_7():
    days = schedule(byday=EVERY_DAY, opens_at=dt.time(7), closes_at=dt.time(19))
    nights = schedule(byday=EVERY_DAY, opens_at=dt.time(19), closes_at=dt.time(7))
    assert not hours.is_open_24_7([days])
    assert hours.is_open_24_7([days, nights])
    assert hours.next_change([days, nights], NY, at(2026, 3, 4, 12)) is None


def test_shifts_that_leave_one_gap_are_not_24_7():
    days = schedule(byday=EVERY_DAY, opens_at=dt.time(7), closes_at=dt.time(19))
    nights = schedule(byday="MO,TU,WE,TH,FR,SA", opens_at=dt.time(19), closes_at=dt.time(7))
    assert not hours.is_open_24_7([days, nights])
    assert hours.is_open([days, nights], NY, at(2026, 3, 8, 23)) is False  # Sunday night


def test_a_24_7_schedule_with_an_end_date_is_not_24_7():
    ends = schedule(
        byday=EVERY_DAY, opens_at=dt.time(0), closes_at=dt.time(0), valid_to=dt.date(2026, 6, 30)
    )
    assert not hours.is_open_24_7([ends])


def test_a_monthly_first_monday_rule_opens_only_on_the_first_monday():
    first_monday = schedule(
        freq="MONTHLY", byday="1MO", opens_at=dt.time(10), closes_at=dt.time(12)
    )
    intervals = hours.open_intervals(first_monday, NY, at(2026, 1, 1), at(2026, 5, 1))
    assert [s.date() for s, _ in intervals] == [
        dt.date(2026, 1, 5),
        dt.date(2026, 2, 2),
        dt.date(2026, 3, 2),
        dt.date(2026, 4, 6),
    ]
    assert hours.is_open([first_monday], NY, at(2026, 3, 2, 11)) is True
    assert hours.is_open([first_monday], NY, at(2026, 3, 9, 11)) is False
    assert hours.hours_text([first_monday]) == "First Monday of the month 10:00–12:00"


def test_days_of_the_month_follow_bymonthday():
    twice = schedule(freq="MONTHLY", bymonthday="1,15", opens_at=dt.time(9), closes_at=dt.time(11))
    intervals = hours.open_intervals(twice, NY, at(2026, 2, 1), at(2026, 3, 1))
    assert [s.day for s, _ in intervals] == [1, 15]


def test_a_schedule_whose_validity_ended_says_nothing_about_today():
    expired = schedule(**WEEKDAYS_9_TO_5, valid_to=dt.date(2026, 2, 27))
    assert hours.open_intervals(expired, NY, at(2026, 3, 2), at(2026, 3, 9)) == []
    assert hours.is_open([expired], NY, at(2026, 3, 4, 12)) is None
    # Before the end it still counts.
    assert hours.is_open([expired], NY, at(2026, 2, 25, 12)) is True


def test_an_expired_schedule_does_not_hide_the_one_in_force():
    expired = schedule(**WEEKDAYS_9_TO_5, valid_to=dt.date(2026, 2, 27))
    current = schedule(
        byday="MO,TU,WE,TH,FR",
        opens_at=dt.time(9),
        closes_at=dt.time(13),
        valid_from=dt.date(2026, 3, 1),
    )
    assert hours.is_open([expired, current], NY, at(2026, 3, 4, 12)) is True
    assert hours.is_open([expired, current], NY, at(2026, 3, 4, 14)) is False


def test_until_ends_the_rule():
    ends = schedule(**WEEKDAYS_9_TO_5, until=dt.date(2026, 3, 4))
    intervals = hours.open_intervals(ends, NY, at(2026, 3, 2), at(2026, 3, 9))
    assert [s.day for s, _ in intervals] == [2, 3, 4]


def test_spring_forward_makes_a_24_hour_day_23_real_hours():
    always = schedule(byday=EVERY_DAY, opens_at=dt.time(0), closes_at=dt.time(0))
    [(opens, closes)] = hours.open_intervals(always, NY, at(2026, 3, 8, 12), at(2026, 3, 8, 13))
    assert (opens.hour, closes.day, closes.hour) == (0, 9, 0)
    assert real_hours(opens, closes) == 23


def test_fall_back_makes_a_24_hour_day_25_real_hours():
    always = schedule(byday=EVERY_DAY, opens_at=dt.time(0), closes_at=dt.time(0))
    [(opens, closes)] = hours.open_intervals(always, NY, at(2026, 11, 1, 12), at(2026, 11, 1, 13))
    assert real_hours(opens, closes) == 25


def test_an_overnight_shift_across_spring_forward_ends_at_seven_local():
    saturday_night = schedule(byday="SA", opens_at=dt.time(19), closes_at=dt.time(7))
    [(opens, closes)] = hours.open_intervals(
        saturday_night, NY, at(2026, 3, 7, 20), at(2026, 3, 7, 21)
    )
    assert (closes.day, closes.hour, closes.utcoffset()) == (8, 7, dt.timedelta(hours=-4))
    assert real_hours(opens, closes) == 11
    # 03:30 EDT exists only after the change; the shift is open then.
    assert hours.is_open([saturday_night], NY, at(2026, 3, 8, 3, 30)) is True


def test_an_overnight_shift_across_fall_back_lasts_thirteen_real_hours():
    saturday_night = schedule(byday="SA", opens_at=dt.time(19), closes_at=dt.time(7))
    [(opens, closes)] = hours.open_intervals(
        saturday_night, NY, at(2026, 10, 31, 20), at(2026, 10, 31, 21)
    )
    assert closes.hour == 7
    assert real_hours(opens, closes) == 13


def test_at_half_past_one_on_the_fall_back_day_the_answer_holds_both_times():
    # 01:30 happens twice on 2026-11-01 (EDT, then EST).
    saturday_night = schedule(byday="SA", opens_at=dt.time(19), closes_at=dt.time(7))
    first, second = at(2026, 11, 1, 1, 30, fold=0), at(2026, 11, 1, 1, 30, fold=1)
    assert first.astimezone(UTC) != second.astimezone(UTC)
    assert hours.is_open([saturday_night], NY, first) is True
    assert hours.is_open([saturday_night], NY, second) is True
    weekdays = schedule(**WEEKDAYS_9_TO_5)
    assert hours.is_open([weekdays], NY, first) is False
    assert hours.is_open([weekdays], NY, second) is False


def test_a_shift_closing_inside_the_repeated_hour_is_open_only_the_first_time():
    # Closes at 01:30 local: the first 01:15 is before closing, the second (an hour
    # later in real time) is after it.
    late = schedule(byday="SA", opens_at=dt.time(22), closes_at=dt.time(1, 30))
    assert hours.is_open([late], NY, at(2026, 11, 1, 1, 15, fold=0)) is True
    assert hours.is_open([late], NY, at(2026, 11, 1, 1, 15, fold=1)) is False


def test_every_second_week_is_open_on_alternate_weeks_only():
    fortnightly = schedule(
        byday="TU",
        interval=2,
        dtstart=dt.date(2026, 3, 3),
        opens_at=dt.time(9),
        closes_at=dt.time(12),
    )
    intervals = hours.open_intervals(fortnightly, NY, at(2026, 3, 1), at(2026, 4, 15))
    assert [s.date() for s, _ in intervals] == [
        dt.date(2026, 3, 3),
        dt.date(2026, 3, 17),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 14),
    ]
    assert hours.is_open([fortnightly], NY, at(2026, 3, 10, 10)) is False
    assert hours.is_open([fortnightly], NY, at(2026, 3, 17, 10)) is True


def test_every_second_week_keeps_its_phase_years_after_dtstart():
    fortnightly = schedule(
        byday="TU",
        interval=2,
        dtstart=dt.date(2020, 1, 7),
        opens_at=dt.time(9),
        closes_at=dt.time(12),
    )
    intervals = hours.open_intervals(fortnightly, NY, at(2026, 3, 1), at(2026, 3, 31))
    days = [s.date() for s, _ in intervals]
    assert days and all((d - dt.date(2020, 1, 7)).days % 14 == 0 for d in days)
    assert len(days) == 2


def test_nothing_opens_before_dtstart():
    later = schedule(**WEEKDAYS_9_TO_5, dtstart=dt.date(2026, 3, 4))
    intervals = hours.open_intervals(later, NY, at(2026, 3, 2), at(2026, 3, 7))
    assert [s.day for s, _ in intervals] == [4, 5, 6]


def test_no_schedules_or_only_descriptions_mean_unknown_hours():
    described = schedule(description="Call ahead", byday="MO")
    assert hours.is_open([], NY, at(2026, 3, 4, 12)) is None
    assert hours.is_open([described], NY, at(2026, 3, 4, 12)) is None
    assert hours.open_intervals(described, NY, at(2026, 3, 2), at(2026, 3, 9)) == []
    assert hours.next_change([described], NY, at(2026, 3, 4, 12)) is None
    assert hours.hours_text([described]) == "Call ahead"
    assert hours.hours_text([]) == "Hours not known"


def test_an_unreadable_day_gives_unknown_hours_rather_than_a_guess():
    typo = schedule(byday="MO,TUE", opens_at=dt.time(8), closes_at=dt.time(17))
    assert hours.is_open([typo], NY, at(2026, 3, 2, 12)) is None


def test_next_change_is_the_closing_time_while_open():
    weekdays = schedule(**WEEKDAYS_9_TO_5)
    assert hours.next_change([weekdays], NY, at(2026, 3, 4, 12)) == at(2026, 3, 4, 17)


def test_next_change_is_the_next_opening_while_closed():
    weekdays = schedule(**WEEKDAYS_9_TO_5)
    # Friday evening: next opening is Monday morning.
    assert hours.next_change([weekdays], NY, at(2026, 3, 6, 18)) == at(2026, 3, 9, 8)


def test_next_change_looks_no_further_than_eight_days():
    first_monday = schedule(
        freq="MONTHLY", byday="1MO", opens_at=dt.time(10), closes_at=dt.time(12)
    )
    assert hours.next_change([first_monday], NY, at(2026, 3, 10, 12)) is None
    assert hours.next_change([first_monday], NY, at(2026, 3, 30, 12)) == at(2026, 4, 6, 10)


def test_next_change_joins_shifts_that_touch():
    days = schedule(byday="MO", opens_at=dt.time(7), closes_at=dt.time(19))
    nights = schedule(byday="MO", opens_at=dt.time(19), closes_at=dt.time(7))
    assert hours.next_change([days, nights], NY, at(2026, 3, 2, 12)) == at(2026, 3, 3, 7)


def test_hours_text_groups_days_with_the_same_hours():
    weekdays = schedule(**WEEKDAYS_9_TO_5)
    saturday = schedule(byday="SA", opens_at=dt.time(9), closes_at=dt.time(13))
    assert hours.hours_text([saturday, weekdays]) == "Mon–Fri 08:00–17:00; Sat 09:00–13:00"


def test_hours_text_joins_separate_schedules_for_each_day():
    days = [
        schedule(byday=d, opens_at=dt.time(8), closes_at=dt.time(17)) for d in ["MO", "TU", "WE"]
    ]
    assert hours.hours_text(days) == "Mon–Wed 08:00–17:00"


def test_hours_text_marks_overnight_shifts():
    nights = schedule(byday=EVERY_DAY, opens_at=dt.time(19), closes_at=dt.time(7))
    assert hours.hours_text([nights]) == "Every day 19:00–07:00 (overnight)"


def test_hours_text_lists_separate_days_and_every_other_week():
    some = schedule(byday="MO,WE,FR", opens_at=dt.time(9), closes_at=dt.time(12))
    fortnightly = schedule(byday="TU", interval=2, opens_at=dt.time(9), closes_at=dt.time(12))
    assert hours.hours_text([some]) == "Mon, Wed, Fri 09:00–12:00"
    assert hours.hours_text([fortnightly]) == "Every 2 weeks: Tue 09:00–12:00"


# --- The open-now selector -------------------------------------------------------------


def _service(program, agency, name, **fields) -> Service:
    return Service.objects.create(program=program, agency=agency, name=name, **fields)


def _add_hours(service: Service, **fields) -> None:
    Schedule.objects.create(program=service.program, service=service, **fields)


@pytest.fixture
def directory(program_a):
    agency = AgencyFactory(program=program_a, name="Riverbend Crisis Center")
    chicago = program_a.zone
    now = dt.datetime(2026, 3, 4, 12, tzinfo=chicago)  # a Wednesday noon
    return program_a, agency, now


def test_open_now_says_which_services_are_open_with_their_next_change(directory):
    program, agency, now = directory
    clinic = _service(program, agency, "Walk-in clinic")
    _add_hours(
        clinic, freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at=dt.time(8), closes_at=dt.time(17)
    )
    unit = _service(program, agency, "Crisis stabilization unit")
    _add_hours(unit, freq="WEEKLY", byday=EVERY_DAY, opens_at=dt.time(0), closes_at=dt.time(0))
    Capacity.objects.create(
        program=program, service=unit, unit="beds", available=3, maximum=12, updated=now
    )
    evening = _service(program, agency, "Evening peer line")
    _add_hours(evening, freq="WEEKLY", byday=EVERY_DAY, opens_at=dt.time(18), closes_at=dt.time(23))
    unknown = _service(program, agency, "Drop-in group")
    _service(program, agency, "Closed program", status=ServiceStatus.DEFUNCT)

    result = hours.open_now(program, at=now)

    by_name = {state.service.name: state for state in result}
    assert set(by_name) == {
        "Walk-in clinic",
        "Crisis stabilization unit",
        "Evening peer line",
        "Drop-in group",
    }
    assert by_name["Walk-in clinic"].open is True
    assert by_name["Walk-in clinic"].closes_at == dt.datetime(2026, 3, 4, 17, tzinfo=program.zone)
    assert by_name["Crisis stabilization unit"].open_24_7
    assert [c.unit for c in by_name["Crisis stabilization unit"].capacities] == ["beds"]
    assert by_name["Evening peer line"].open is False
    assert by_name["Evening peer line"].opens_at == dt.datetime(2026, 3, 4, 18, tzinfo=program.zone)
    assert by_name[unknown.name].open is None
    # Open first, then unknown, then closed.
    assert [s.open for s in result] == [True, True, None, False]


def test_open_now_filters_by_service_type(directory):
    program, agency, now = directory
    _service(program, agency, "988 line", service_type=ServiceType.CRISIS_LINE)
    _service(program, agency, "Shelter", service_type=ServiceType.HOUSING)
    result = hours.open_now(program, at=now, service_types=[ServiceType.CRISIS_LINE])
    assert [s.service.name for s in result] == ["988 line"]


def test_open_now_leaves_out_other_programs_services(directory, program_b):
    program, _agency, now = directory
    _service(program_b, AgencyFactory(program=program_b), "Elsewhere")
    assert hours.open_now(program, at=now) == []


def _count(program, now) -> int:
    with CaptureQueriesContext(connection) as ctx:
        hours.open_now(program, at=now)
    return len(ctx.captured_queries)


def test_open_now_costs_the_same_queries_for_1_and_20_services(directory):
    program, agency, now = directory

    def grow(n: int) -> None:
        for i in range(Service.objects.filter(program=program).count(), n):
            service = _service(program, agency, f"Service {i:02d}")
            _add_hours(
                service, freq="WEEKLY", byday="MO,WE", opens_at=dt.time(8), closes_at=dt.time(17)
            )
            _add_hours(
                service, freq="WEEKLY", byday="SA", opens_at=dt.time(19), closes_at=dt.time(7)
            )
            Capacity.objects.create(
                program=program, service=service, unit="beds", available=1, updated=now
            )

    grow(1)
    few = _count(program, now)
    grow(20)
    many = _count(program, now)
    # Services (with program and agency), schedules, capacities, phones.
    assert few == many == 4


def test_hours_that_fall_wholly_in_the_spring_gap_are_no_opening():
    in_gap = schedule(byday="SU", opens_at=dt.time(2, 30), closes_at=dt.time(3))
    assert hours.open_intervals(in_gap, NY, at(2026, 3, 8), at(2026, 3, 9)) == []
    # A week later the same hours exist.
    assert len(hours.open_intervals(in_gap, NY, at(2026, 3, 15), at(2026, 3, 16))) == 1
