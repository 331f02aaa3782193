"""The readiness dashboard: "where are we?" answered from the records.

`build_dashboard()` gathers every figure the dashboard page, its JSON twin and the
committee status report show, in a fixed number of queries whatever the size of
the plan, the action list or the gap register. The chart is drawn by
`selectors.chart.progress_chart()`.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from citkit.committee.models import ActionItem, Meeting, ServiceGap, Subcommittee
from citkit.committee.selectors import Composition, committee_composition, subcommittee_balance
from citkit.core import freshness
from citkit.core.models import Program
from citkit.plan.models import Phase, ProgressSnapshot, Task, week_of
from citkit.plan.selectors import PlanProgress, TaskView, plan_progress
from citkit.plan.selectors.chart import Chart, progress_chart

NEXT_MEETINGS = 3
CHART_WEEKS = 52


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
    def chart(self) -> Chart:
        names = {p.phase.key: p.phase.name for p in self.progress.phases} if self.progress else {}
        return progress_chart(self.snapshots, phase_names=names)


# The program-wide figures are kept this long at most, changed records or not: "next
# meetings" moves with the clock.
KEPT_SECONDS = 5 * 60


def build_dashboard(
    program: Program, user, *, today: datetime.date | None = None, fresh: bool = False
) -> Dashboard:
    """Everything the dashboard shows. It writes nothing: the worker records each week's
    snapshot (plan/tasks.py); until it has, the chart's current week is drawn from the
    plan as it stands.

    The figures of the whole program (the plan with every measure, the committee, the
    gaps: some twenty queries) are the same for every reader and kept until the
    program's data changes (core.freshness); `fresh` computes them anew. The caller
    checks `view_committee`; the overdue action items are read for each request,
    through their gatekeeper.
    """
    today = today or program.today()
    if fresh:  # for what is itself kept (the status report): not stale twice over
        dashboard = _program_figures(program, today)
    else:
        dashboard = freshness.cached(
            program.pk,
            f"plan:dashboard:{today.isoformat()}",
            lambda: _program_figures(program, today),
            ttl=KEPT_SECONDS,
        )
    dashboard.overdue_actions = [
        OverdueAction(item, (today - item.due_date).days)
        for item in ActionItem.objects.visible_to(user, program)
        .filter(status__in=ActionItem.OPEN_STATUSES, due_date__lt=today)
        .select_related("owner", "meeting")
        .order_by("due_date", "id")
    ]
    return dashboard


def _program_figures(program: Program, today: datetime.date) -> Dashboard:
    """The dashboard without the reader's action items."""
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
    if progress is not None and (not snapshots or snapshots[0].week < week_of(today)):
        this_week = ProgressSnapshot(
            program=program,
            week=week_of(today),
            overall=progress.percent,
            by_phase={p.key: p.percent for p in progress.phases},
            taken_at=now,
        )
        snapshots = [this_week, *snapshots][:CHART_WEEKS]
    snapshots.reverse()

    overdue_tasks: list[OverdueTask] = []
    if progress is not None:
        for phase in progress.phases:
            for view in phase.active_tasks:
                task = view.task
                if task.due_date is not None and task.is_overdue(today):
                    overdue_tasks.append(
                        OverdueTask(task, phase.phase.name, (today - task.due_date).days)
                    )
        overdue_tasks.sort(key=lambda o: (o.task.due_date, o.task.pk))

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
        overdue_actions=[],
        next_meetings=next_meetings,
        open_gaps=open_gaps,
        snapshots=snapshots,
    )


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
