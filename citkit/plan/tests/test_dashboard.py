"""The readiness dashboard: who sees it, the figures, the progress chart, query counts, API."""

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citkit.committee import services as committee
from citkit.committee.models import ActionItem
from citkit.core.models import Role
from citkit.plan import services as plan
from citkit.plan.models import Phase, ProgressSnapshot, Task, week_of
from citkit.plan.selectors.chart import progress_chart
from citkit.plan.selectors.dashboard import as_figures, build_dashboard
from citkit.testing.factories import ProgramFactory
from citkit.testing.queries import count_queries

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
PAGE = "/p/riverbend/plan/dashboard/"
API = "/api/programs/riverbend/plan/dashboard/"
READERS = {Role.COORDINATOR, Role.COMMITTEE_MEMBER, Role.AGENCY_ADMIN, Role.TRAINER}


def _at(program, day: datetime.date, hour: int = 9) -> datetime.datetime:
    import zoneinfo

    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(program.time_zone)
    )


def make_records(program, coordinator, police, members) -> dict:
    """A small program whose dashboard figures are known (see the test below)."""
    today = program.today()
    plan.plan_seed(actor=coordinator, program=program)
    committee.subcommittees_seed(actor=coordinator, program=program)
    tasks = {t.key: t for t in Task.objects.filter(program=program)}

    def update(key, **data):
        plan.task_update(actor=coordinator, task=tasks[key], data=data)

    update("learn-model", status="done")
    update("contact-program", status="done")
    update("share-information", status="done", due_date=today - 10 * DAY)
    # Done, but none of the three subcommittees has an officer, a provider and an advocate.
    update("create-subcommittees", status="done")
    update("develop-memorandum", status="in_progress", due_date=today - 3 * DAY, owner=coordinator)
    update("develop-policies", status="in_progress", due_date=today)
    update("consult-experts", due_date=today - 5 * DAY)
    plan.task_retire(actor=coordinator, task=tasks["consult-experts"])

    committee.seat_create(
        actor=coordinator,
        program=program,
        data={
            "holder_name": "Sgt. Luis Herrera",
            "agency": police,
            "seat_type": "le_coordinator",
            "start_date": today - 90 * DAY,
        },
    )
    held = committee.meeting_create(
        actor=coordinator,
        program=program,
        data={
            "starts_at": _at(program, today - 20 * DAY),
            "ends_at": _at(program, today - 20 * DAY, 11),
            "status": "held",
        },
    )
    decision = committee.decision_record(
        actor=coordinator,
        meeting=held,
        data={"text": "Adopt the site-visit recommendations.", "votes_for": 9},
    )
    for days, status in [(7, "scheduled"), (14, "scheduled"), (21, "scheduled"), (28, "scheduled")]:
        committee.meeting_create(
            actor=coordinator,
            program=program,
            data={
                "title": f"Meeting in {days} days",
                "starts_at": _at(program, today + days * DAY),
                "ends_at": _at(program, today + days * DAY, 11),
                "status": status,
            },
        )
    committee.meeting_create(
        actor=coordinator,
        program=program,
        data={
            "title": "Cancelled meeting",
            "starts_at": _at(program, today + 3 * DAY),
            "ends_at": _at(program, today + 3 * DAY, 11),
            "status": "cancelled",
        },
    )
    officer = members[Role.OFFICER]
    items = {}
    for title, due, status in [
        ("Call the CSU director", today - DAY, "open"),
        ("Send the MOU to counsel", today - 7 * DAY, "in_progress"),
        ("Book the room", today - 2 * DAY, "done"),
        ("Order badges", today - 2 * DAY, "dropped"),
        ("Print the agenda", today, "open"),
    ]:
        items[title] = committee.action_item_create(
            actor=coordinator,
            program=program,
            data={
                "title": title,
                "owner": officer,
                "due_date": due,
                "meeting": held,
                "decision": decision,
            },
        )
        if status != "open":
            committee.action_item_update(
                actor=coordinator, item=items[title], data={"status": status}
            )
    gaps = {}
    for title, status, target in [
        ("No mobile crisis after midnight", "open", today + 30 * DAY),
        ("No 24-hour receiving facility for youth", "workaround", None),
        ("No CSU drop-off on weekends", "resolved", today - DAY),
        ("No Sunday bus to the clinic", "accepted", None),
    ]:
        gaps[title] = committee.gap_create(
            actor=coordinator,
            program=program,
            data={"title": title, "status": status, "target_date": target},
        )
    return {"today": today, "tasks": tasks, "held": held, "items": items, "gaps": gaps}


@pytest.fixture
def records(program_a, coordinator, police_a, members):
    return make_records(program_a, coordinator, police_a, members)


# --- Who sees it ----------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_committee_readers_see_the_dashboard_and_other_roles_are_refused(
    client_for, members, records, role
):
    response = client_for(members[role]).get(PAGE)
    assert response.status_code == (200 if role in READERS else 403)


def test_an_outsider_does_not_learn_the_program_exists(client_for, outsider, records):
    assert client_for(outsider).get(PAGE).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, records):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", Role.values)
def test_the_api_answers_each_role_as_the_page_does(api_for, members, records, role):
    response = api_for(members[role]).get(API)
    assert response.status_code == (200 if role in READERS else 403)


def test_the_api_hides_the_program_from_an_outsider(api_for, outsider, records):
    assert api_for(outsider).get(API).status_code == 404


# --- The figures ----------------------------------------------------------------


def test_the_figures_come_from_the_records(program_a, coordinator, records):
    dashboard = build_dashboard(program_a, coordinator)
    progress = dashboard.progress
    # 36 seeded tasks, one retired; 4 done.
    assert (progress.done, progress.total, progress.percent) == (4, 35, 11)
    phases = {p.key: (p.done, p.total, p.percent) for p in progress.phases}
    assert phases["foundation"] == (3, 7, 43)
    assert phases["commit"] == (0, 5, 0)
    assert phases["plan"] == (1, 9, 11)
    assert phases["implement"] == (0, 8, 0)

    assert [v.task.key for v in dashboard.flagged] == ["create-subcommittees"]
    assert "0 of 3 subcommittees balanced" in dashboard.flagged[0].disagreement
    # Done, retired and due-today tasks are not overdue.
    assert [(o.task.key, o.days) for o in dashboard.overdue_tasks] == [("develop-memorandum", 3)]
    assert [(o.item.title, o.days) for o in dashboard.overdue_actions] == [
        ("Send the MOU to counsel", 7),
        ("Call the CSU director", 1),
    ]
    assert [m.title for m in dashboard.next_meetings] == [
        "Meeting in 7 days",
        "Meeting in 14 days",
        "Meeting in 21 days",
    ]
    assert [g.title for g in dashboard.open_gaps] == [
        "No mobile crisis after midnight",
        "No 24-hour receiving facility for youth",
    ]
    assert dashboard.composition.missing == [
        "Mental-health provider",
        "Advocate (lived experience or family)",
    ]
    assert [(s.subcommittee.name, s.balanced) for s in dashboard.subcommittees] == [
        ("Data", False),
        ("Systems", False),
        ("Training", False),
    ]


def test_the_page_shows_the_figures(client_for, coordinator, records):
    html = client_for(coordinator).get(PAGE).content.decode()
    assert re.search(
        r'<label for="phase-foundation">Lay the foundation: <strong>43%</strong>', html
    )
    assert '<progress id="phase-foundation" value="43" max="100">' in html
    assert '<progress id="phase-implement" value="0" max="100">' in html
    assert '<p class="big-number">11%</p><p>of the plan done (4 of 35 tasks)</p>' in html
    assert "Create subcommittees (Systems, Data, Training)" in html
    assert "Marked done, but the records say 0 of 3 subcommittees balanced." in html
    assert "Develop a memorandum of understanding" in html
    assert "Send the MOU to counsel" in html and "Call the CSU director" in html
    for absent in ["Book the room", "Order badges", "Print the agenda", "Cancelled meeting"]:
        assert absent not in html
    assert "Meeting in 21 days" in html and "Meeting in 28 days" not in html
    assert "No 24-hour receiving facility for youth" in html
    assert "No CSU drop-off on weekends" not in html and "No Sunday bus" not in html
    assert "still lacks mental-health provider, advocate (lived experience or family)" in html
    assert 'href="/p/riverbend/plan/dashboard/report.pdf"' in html
    assert 'href="/p/riverbend/plan/dashboard/report.docx"' in html


def test_the_api_returns_the_same_figures(api_for, program_a, coordinator, records):
    body = api_for(coordinator).get(API).json()
    figures = as_figures(build_dashboard(program_a, coordinator))
    assert body["overall"] == figures["overall"] == {"done": 4, "total": 35, "percent": 11}
    assert body["phases"] == figures["phases"]
    assert [t["title"] for t in body["flagged_tasks"]] == [
        "Create subcommittees (Systems, Data, Training)"
    ]
    assert [(t["phase"], t["days_overdue"]) for t in body["overdue_tasks"]] == [("implement", 3)]
    assert [i["title"] for i in body["overdue_action_items"]] == [
        "Send the MOU to counsel",
        "Call the CSU director",
    ]
    assert body["overdue_action_items"][0]["owner"] == "officer_a"
    assert len(body["next_meetings"]) == 3
    assert [g["status"] for g in body["open_gaps"]] == ["open", "workaround"]
    assert body["composition"]["complete"] is False
    assert body["composition"]["missing"] == figures["composition"]["missing"]
    assert body["today"] == records["today"].isoformat()
    assert [s["week"] for s in body["progress_over_time"]] == [
        week_of(records["today"]).isoformat()
    ]


def test_a_program_without_a_plan_is_told_so_and_pointed_to_the_plan(
    client_for, coordinator, program_a
):
    response = client_for(coordinator).get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "no implementation plan yet" in html
    assert 'href="/p/riverbend/plan/"' in html
    # No empty snapshot is recorded for a plan that does not exist.
    assert not ProgressSnapshot.objects.filter(program=program_a).exists()
    assert not Phase.objects.filter(program=program_a).exists()


def test_the_dashboard_does_not_show_another_programs_records(
    client_for, coordinator, records, outsider, program_b
):
    other = committee.gap_create(
        actor=None, program=program_b, data={"title": "Lakeshore's own gap", "status": "open"}
    )
    html = client_for(coordinator).get(PAGE).content.decode()
    assert other.title not in html


# --- Progress over time ---------------------------------------------------------


def test_viewing_the_dashboard_writes_nothing_but_draws_this_week_from_the_plan(
    client_for, program_a, coordinator, records
):
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE)
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert not writes
    assert not ProgressSnapshot.objects.filter(program=program_a).exists()
    # The chart's only point is this week, as the plan stands: 11% overall.
    assert "One weekly snapshot: 11%" in response.content.decode()


def test_the_weekly_job_records_each_programs_snapshot_once_a_week(program_a, program_b, records):
    from citkit.core.schedules import run_due

    queued = run_due()
    assert "citkit.plan.tasks.take_weekly_snapshots" in queued
    snapshot = ProgressSnapshot.objects.get(program=program_a)
    assert snapshot.week == week_of(records["today"])
    assert (snapshot.overall, snapshot.by_phase["foundation"]) == (11, 43)
    # Program B has no plan: no empty snapshot.
    assert not ProgressSnapshot.objects.filter(program=program_b).exists()
    # The same period does not run twice, however often the scheduler looks.
    assert "citkit.plan.tasks.take_weekly_snapshots" not in run_due()


def test_a_snapshot_of_this_week_is_left_as_it_is(client_for, program_a, coordinator, records):
    taken = timezone.now() - 2 * DAY
    ProgressSnapshot.objects.create(
        program=program_a, week=week_of(records["today"]), overall=7, taken_at=taken
    )
    client_for(coordinator).get(PAGE)
    snapshot = ProgressSnapshot.objects.get(program=program_a)
    assert (snapshot.overall, snapshot.taken_at) == (7, taken)


def test_the_chart_draws_the_weekly_snapshots_as_an_accessible_svg(
    client_for, program_a, coordinator, records
):
    this_week = week_of(records["today"])
    for weeks_ago, overall in [(6, 2), (5, 3), (4, 5), (3, 6), (2, 8), (1, 10)]:
        ProgressSnapshot.objects.create(
            program=program_a,
            week=this_week - datetime.timedelta(weeks=weeks_ago),
            overall=overall,
            by_phase={"foundation": overall * 3},
            taken_at=timezone.now(),
        )
    html = client_for(coordinator).get(PAGE).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="progress-chart-title progress-chart-desc"' in svg
    assert '<title id="progress-chart-title">Plan completion over time</title>' in svg
    assert "7 weekly snapshots: it rose from 2% to 11%" in svg
    points = re.search(r'<polyline points="([^"]+)"', svg).group(1).split()
    assert len(points) == 7
    # Higher completion is drawn higher up (smaller y).
    ys = [float(p.split(",")[1]) for p in points]
    assert ys == sorted(ys, reverse=True) and ys[0] > ys[-1]
    # The same data as a table, for screen readers and for copying.
    start = html.index('<details id="progress-data">')
    details = html[start : html.index("</details>", start)]
    assert details.count('<th scope="row">') == 7
    assert "<td>11%</td>" in details and "<td>2%</td>" in details
    assert "<td>6%</td>" in details  # foundation 2% * 3 in the first week


def test_the_chart_describes_an_empty_or_single_history():
    assert progress_chart([]).description == "No weekly snapshots yet."
    single = ProgressSnapshot(week=datetime.date(2026, 3, 2), overall=40, by_phase={})
    chart = progress_chart([single])
    assert chart.description.startswith("One weekly snapshot: 40%")
    assert len(chart.points) == 1 and chart.x_ticks[0].label == "Mar 2026"


def test_month_labels_never_crowd_each_other():
    start = datetime.date(2024, 1, 1)
    snapshots = [
        ProgressSnapshot(week=start + datetime.timedelta(weeks=n), overall=n % 100, by_phase={})
        for n in range(52 * 3)
    ]
    xs = [tick.x for tick in progress_chart(snapshots).x_ticks]
    assert len(xs) >= 6
    assert all(b - a >= 64 for a, b in itertools.pairwise(xs))


# --- Cost ---------------------------------------------------------------------------


def _grow(program, coordinator, members, n, start=0):
    """n more overdue plan tasks, overdue action items, open gaps, upcoming meetings,
    subcommittees with a member, and weekly snapshots."""
    today = program.today()
    implement = Phase.objects.get(program=program, key="implement")
    for i in range(start, start + n):
        plan.task_create(
            actor=coordinator,
            program=program,
            data={
                "phase": implement,
                "title": f"Grown task {i:03d}",
                "status": "in_progress",
                "due_date": today - DAY,
                "owner": coordinator,
                "measure": "meets_regularly",
            },
        )
        committee.action_item_create(
            actor=coordinator,
            program=program,
            data={
                "title": f"Grown item {i:03d}",
                "owner": members[Role.TRAINER],
                "due_date": today - DAY,
            },
        )
        committee.gap_create(
            actor=coordinator,
            program=program,
            data={"title": f"Grown gap {i:03d}", "owner": coordinator, "status": "open"},
        )
        committee.meeting_create(
            actor=coordinator,
            program=program,
            data={
                "starts_at": _at(program, today + (i + 1) * DAY),
                "ends_at": _at(program, today + (i + 1) * DAY, 11),
            },
        )
        sub = committee.subcommittee_create(
            actor=coordinator, program=program, data={"name": f"Grown subcommittee {i:03d}"}
        )
        committee.subcommittee_member_add(
            actor=coordinator,
            subcommittee=sub,
            data={"name": "Sgt. Diaz", "perspective": "officer"},
        )
        ProgressSnapshot.objects.create(
            program=program,
            week=week_of(today) - datetime.timedelta(weeks=i + 1),
            overall=i % 100,
            taken_at=timezone.now(),
        )


def _count(client, url) -> int:
    return count_queries(client, url)


@pytest.mark.parametrize("url", [PAGE, API, f"{PAGE}report.pdf", f"{PAGE}report.docx"])
def test_the_dashboard_costs_the_same_queries_for_5_and_for_50_records(
    client, program_a, coordinator, police_a, members, records, url
):
    client.force_login(coordinator)
    if url == API:
        from citkit.testing.tokens import token_key

        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token_key(coordinator)}"
    _grow(program_a, coordinator, members, 5)
    _count(client, url)  # takes this week's snapshot, warms the caches
    with_five = _count(client, url)
    _grow(program_a, coordinator, members, 45, start=5)
    with_fifty = _count(client, url)
    assert with_fifty == with_five, (url, with_five, with_fifty)
    assert ActionItem.objects.filter(program=program_a).count() >= 50


def test_the_snapshot_of_another_program_is_not_drawn(client_for, coordinator, records):
    other = ProgramFactory(slug="elsewhere")
    ProgressSnapshot.objects.create(
        program=other, week=datetime.date(2026, 1, 5), overall=99, taken_at=timezone.now()
    )
    html = client_for(coordinator).get(PAGE).content.decode()
    assert "99%" not in html
