"""The readiness dashboard: "where are we?" answered from the records.

`build_dashboard()` gathers every figure the dashboard page, its JSON twin and the
committee status report show, in a fixed number of queries whatever the size of
the plan, the action list or the gap register. `progress_chart()` turns the weekly
snapshots into the coordinates of a small server-drawn SVG line chart.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from citkit.committee.models import ActionItem, Meeting, ServiceGap, Subcommittee
from citkit.committee.selectors import (
    Composition,
    committee_composition,
    program_today,
    subcommittee_balance,
)
from citkit.core.models import Program
from citkit.plan.models import Phase, ProgressSnapshot, Task
from citkit.plan.selectors import PlanProgress, TaskView, plan_progress

NEXT_MEETINGS = 3
CHART_WEEKS = 52
MIN_TICK_GAP = 64  # chart units between two month labels ("Sep 2026" is about 56 wide)


@dataclass(frozen=True)
class SubcommitteeCheck:
    subcommittee: Subcommittee
    officer: bool
    provider: bool
    advocate: bool

    @property
    def balanced(self) -> bool:
        return self.officer and self.provider and self.advocate

    @property
    def missing(self) -> list[str]:
        labels = (
            (self.officer, "an officer"),
            (self.provider, "a mental-health provider"),
            (self.advocate, "an advocate"),
        )
        return [label for present, label in labels if not present]


@dataclass(frozen=True)
class OverdueTask:
    task: Task
    phase_name: str
    days: int


@dataclass(frozen=True)
class OverdueAction:
    item: ActionItem
    days: int


@dataclass
class Dashboard:
    program: Program
    today: datetime.date
    progress: PlanProgress | None
    composition: Composition
    subcommittees: list[SubcommitteeCheck]
    overdue_tasks: list[OverdueTask]
    overdue_actions: list[OverdueAction]
    next_meetings: list[Meeting]
    open_gaps: list[ServiceGap]
    snapshots: list[ProgressSnapshot] = field(default_factory=list)

    @property
    def has_plan(self) -> bool:
        return self.progress is not None

    @property
    def flagged(self) -> list[TaskView]:
        return self.progress.disagreements if self.progress else []

    @property
    def overdue_count(self) -> int:
        return len(self.overdue_tasks) + len(self.overdue_actions)

    @property
    def chart(self) -> "Chart":
        names = {p.phase.key: p.phase.name for p in self.progress.phases} if self.progress else {}
        return progress_chart(self.snapshots, phase_names=names)


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the day's week (snapshots are filed by it)."""
    return day - datetime.timedelta(days=day.weekday())


def build_dashboard(
    program: Program, user, *, today: datetime.date | None = None, take_snapshot: bool = True
) -> Dashboard:
    """Everything the dashboard shows. With `take_snapshot`, record this week's progress
    first if no snapshot of this week exists yet (the weekly job may not run everywhere).

    The caller checks `view_committee`; action items still go through their gatekeeper.
    """
    today = today or program_today(program)
    now = timezone.now()
    has_plan = Phase.objects.filter(program=program).exists()
    progress = plan_progress(program, include_retired=False) if has_plan else None
    if progress is not None:
        # Hand each task the phase already loaded, so `task.phase` costs no query.
        for phase in progress.phases:
            for view in phase.tasks:
                view.task.phase = phase.phase

    snapshots = list(
        ProgressSnapshot.objects.filter(program=program).order_by("-week")[:CHART_WEEKS]
    )
    if take_snapshot and has_plan and (not snapshots or snapshots[0].week < week_of(today)):
        from citkit.plan.services import snapshot_take

        snapshots.insert(0, snapshot_take(program=program, on=today))
        snapshots = snapshots[:CHART_WEEKS]
    snapshots.reverse()

    overdue_tasks = []
    if progress is not None:
        for phase in progress.phases:
            for view in phase.active_tasks:
                task = view.task
                if task.status != Task.Status.DONE and task.due_date and task.due_date < today:
                    overdue_tasks.append(
                        OverdueTask(task, phase.phase.name, (today - task.due_date).days)
                    )
        overdue_tasks.sort(key=lambda o: (o.task.due_date, o.task.pk))

    overdue_actions = [
        OverdueAction(item, (today - item.due_date).days)
        for item in ActionItem.objects.visible_to(user, program)
        .filter(status__in=ActionItem.OPEN_STATUSES, due_date__lt=today)
        .select_related("owner", "meeting")
        .order_by("due_date", "id")
    ]

    next_meetings = list(
        Meeting.objects.filter(
            program=program, status=Meeting.Status.SCHEDULED, ends_at__gte=now
        ).order_by("starts_at", "id")[:NEXT_MEETINGS]
    )

    open_gaps = list(
        ServiceGap.objects.filter(
            program=program, status__in=[ServiceGap.Status.OPEN, ServiceGap.Status.WORKAROUND]
        )
        .select_related("owner")
        .order_by(F("target_date").asc(nulls_last=True), "title", "id")
    )

    subcommittees = [
        SubcommitteeCheck(sub, **subcommittee_balance(sub))
        for sub in Subcommittee.objects.filter(program=program).prefetch_related("members")
    ]

    return Dashboard(
        program=program,
        today=today,
        progress=progress,
        composition=committee_composition(program),
        subcommittees=subcommittees,
        overdue_tasks=overdue_tasks,
        overdue_actions=overdue_actions,
        next_meetings=next_meetings,
        open_gaps=open_gaps,
        snapshots=snapshots,
    )


# --- The progress chart ---------------------------------------------------------


@dataclass(frozen=True)
class ChartPoint:
    week: datetime.date
    percent: int
    by_phase: dict
    x: float
    y: float


@dataclass(frozen=True)
class ChartTick:
    label: str
    x: float = 0
    y: float = 0


@dataclass
class Chart:
    """Coordinates for an SVG line chart of overall completion, week by week."""

    points: list[ChartPoint]
    phase_names: dict[str, str]
    width: int = 560
    height: int = 240
    left: int = 44
    right: int = 16
    top: int = 12
    bottom: int = 36
    y_ticks: list[ChartTick] = field(default_factory=list)
    x_ticks: list[ChartTick] = field(default_factory=list)

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def area(self) -> str:
        if not self.points:
            return ""
        first, last = self.points[0], self.points[-1]
        return (
            f"M{first.x:.1f},{self.plot_bottom} "
            + " ".join(f"L{p.x:.1f},{p.y:.1f}" for p in self.points)
            + f" L{last.x:.1f},{self.plot_bottom} Z"
        )

    @property
    def phase_columns(self) -> list[tuple[str, str]]:
        return list(self.phase_names.items())

    @property
    def rows(self) -> list[tuple[ChartPoint, list]]:
        """For the data table: each week with its per-phase percentages in column order."""
        return [(p, [p.by_phase.get(key, "") for key in self.phase_names]) for p in self.points]

    @property
    def description(self) -> str:
        if not self.points:
            return "No weekly snapshots yet."
        first, last = self.points[0], self.points[-1]
        if len(self.points) == 1:
            return (
                f"One weekly snapshot: {last.percent}% of plan tasks done "
                f"in the week of {_day(last.week)}."
            )
        trend = (
            "rose"
            if last.percent > first.percent
            else "fell"
            if last.percent < first.percent
            else "stayed"
        )
        verb = f"{trend} from {first.percent}% to" if trend != "stayed" else "stayed at"
        return (
            f"Share of plan tasks done, {len(self.points)} weekly snapshots: it {verb} "
            f"{last.percent}% between the weeks of {_day(first.week)} and {_day(last.week)}."
        )


def _day(day: datetime.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def progress_chart(snapshots: list[ProgressSnapshot], *, phase_names=None) -> Chart:
    chart = Chart(points=[], phase_names=dict(phase_names or {}))
    plot_w = chart.plot_right - chart.left
    plot_h = chart.plot_bottom - chart.top
    chart.y_ticks = [
        ChartTick(f"{value}%", y=chart.top + plot_h * (1 - value / 100))
        for value in (0, 25, 50, 75, 100)
    ]
    if not snapshots:
        return chart
    first, last = snapshots[0].week, snapshots[-1].week
    span = max((last - first).days, 1)

    def x_of(week: datetime.date) -> float:
        if first == last:
            return chart.left + plot_w / 2
        return chart.left + plot_w * (week - first).days / span

    chart.points = [
        ChartPoint(
            week=s.week,
            percent=s.overall,
            by_phase=s.by_phase or {},
            x=x_of(s.week),
            y=chart.top + plot_h * (1 - min(s.overall, 100) / 100),
        )
        for s in snapshots
    ]
    # A tick at the first week of each month; a tick too close to the next one (the
    # partial first month, or months when the chart spans years) is left out.
    months = []
    for s in snapshots:
        if not months or (s.week.year, s.week.month) != (months[-1].year, months[-1].month):
            months.append(s.week)
    kept: list[datetime.date] = []
    for week in reversed(months):
        if not kept or x_of(kept[-1]) - x_of(week) >= MIN_TICK_GAP:
            kept.append(week)
    kept.reverse()
    chart.x_ticks = [
        ChartTick(f"{week:%b %Y}" if i == 0 or week.month == 1 else f"{week:%b}", x=x_of(week))
        for i, week in enumerate(kept)
    ]
    return chart


# --- The same figures as plain data (the JSON API) ----------------------------------


def _owner(user) -> str:
    return user.get_username() if user is not None else ""


def as_figures(dashboard: Dashboard) -> dict:
    """The dashboard's figures as plain values, for the API."""
    progress = dashboard.progress
    composition = dashboard.composition
    return {
        "program": dashboard.program.slug,
        "today": dashboard.today,
        "has_plan": dashboard.has_plan,
        "overall": {
            "done": progress.done if progress else 0,
            "total": progress.total if progress else 0,
            "percent": progress.percent if progress else 0,
        },
        "phases": [
            {
                "key": p.phase.key,
                "name": p.phase.name,
                "done": p.done,
                "total": p.total,
                "percent": p.percent,
            }
            for p in (progress.phases if progress else [])
        ],
        "flagged_tasks": [
            {
                "id": v.task.pk,
                "title": v.task.title,
                "phase": v.task.phase.key,
                "status": v.task.status,
                "measured": v.measurement.text if v.measurement else "",
                "disagreement": v.disagreement,
            }
            for v in dashboard.flagged
        ],
        "overdue_tasks": [
            {
                "id": o.task.pk,
                "title": o.task.title,
                "phase": o.task.phase.key,
                "status": o.task.status,
                "owner": _owner(o.task.owner),
                "due_date": o.task.due_date,
                "days_overdue": o.days,
            }
            for o in dashboard.overdue_tasks
        ],
        "overdue_action_items": [
            {
                "id": o.item.pk,
                "title": o.item.title,
                "status": o.item.status,
                "owner": _owner(o.item.owner),
                "due_date": o.item.due_date,
                "days_overdue": o.days,
                "meeting": o.item.meeting_id,
            }
            for o in dashboard.overdue_actions
        ],
        "next_meetings": [
            {
                "id": m.pk,
                "title": m.title,
                "starts_at": m.starts_at,
                "ends_at": m.ends_at,
                "location": m.location,
                "call_link": m.call_link,
            }
            for m in dashboard.next_meetings
        ],
        "open_gaps": [
            {
                "id": g.pk,
                "title": g.title,
                "status": g.status,
                "workaround": g.workaround,
                "owner": _owner(g.owner),
                "target_date": g.target_date,
            }
            for g in dashboard.open_gaps
        ],
        "composition": {
            "complete": composition.complete,
            "has_chair": composition.has_chair,
            "active_seats": composition.seats,
            "missing": composition.missing,
        },
        "subcommittees": [
            {
                "id": s.subcommittee.pk,
                "name": s.subcommittee.name,
                "officer": s.officer,
                "provider": s.provider,
                "advocate": s.advocate,
                "balanced": s.balanced,
            }
            for s in dashboard.subcommittees
        ],
        "progress_over_time": [
            {"week": s.week, "overall": s.overall, "by_phase": s.by_phase}
            for s in dashboard.snapshots
        ],
    }
