"""The plan's part of the demo: Riverbend's plan part-way through *Implement*, the
action items the committee agreed about its tasks, and weekly progress snapshots over
the six months, taken as the plan moved.

It runs after the committee's demo step and builds on what that step held: the
meetings (their days and decisions), the subcommittees and the demo logins. Every
write goes through the services with actor=None (the system).
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db import transaction

from citkit.committee.demo import DemoTimeline
from citkit.committee.demo_data import ActionSpec
from citkit.committee.models import Meeting, Subcommittee
from citkit.core.models import Program
from citkit.plan import services as plan_services
from citkit.plan.models import Task


def _m(index: int, days: int = 0) -> tuple[str, int]:
    """A day counted from the `index`th meeting the demo committee held."""
    return (f"meeting{index}", days)


@dataclass(frozen=True)
class TaskSpec:
    key: str
    status: str  # where it is now
    at: tuple[str, int] | None = None  # when it reached that status
    started: tuple[str, int] | None = None  # when it went in progress, if done later
    owner: str = ""
    subcommittee: str = ""
    due: tuple[str, int] | None = None  # ("today", days) or _m(meeting, days)
    notes: str = ""


PLAN = (
    # Lay the foundation: before the committee formed.
    TaskSpec("learn-model", "done", _m(0, -120)),
    TaskSpec("contact-program", "done", _m(0, -105)),
    TaskSpec("review-core-elements", "done", _m(0, -98)),
    TaskSpec("meet-stakeholders", "done", _m(0, -80)),
    TaskSpec("host-meeting", "done", _m(0, -60)),
    TaskSpec("share-information", "in_progress", _m(0, -60), owner="committee",
             notes="Fact sheet done; a newsletter to partners every quarter."),
    TaskSpec("shared-goals", "done", _m(0, -30)),
    # Commit.
    TaskSpec("formalize-committee", "done", _m(0)),
    TaskSpec("select-chair", "done", _m(0)),
    TaskSpec("seek-funding", "in_progress", _m(1), owner="coordinator", due=("today", 45),
             notes="State CIT implementation grant; application due in January."),
    TaskSpec("influential-stakeholders", "done", _m(1), started=_m(0)),
    TaskSpec("consult-experts", "done", _m(2), started=_m(1)),
    TaskSpec("assess-needs", "done", _m(3), started=_m(1), owner="committee"),
    # Make a plan.
    TaskSpec("designate-coordinators", "done", _m(1)),
    TaskSpec("site-visit-delegation", "done", _m(1)),
    TaskSpec("choose-host-site", "done", _m(2), started=_m(1)),
    TaskSpec("report-current-system", "done", _m(3), started=_m(2), subcommittee="Systems"),
    TaskSpec("report-site-visit", "done", _m(4), started=_m(2), owner="trainer"),
    TaskSpec("develop-timeline", "in_progress", _m(3), owner="committee", due=("today", -20),
             notes="Draft timeline waits on the MOU and the trainer count."),
    # Marked done, but the Data subcommittee has no advocate: the dashboard flags it.
    TaskSpec("create-subcommittees", "done", _m(2)),
    TaskSpec("broaden-representation", "done", _m(4), started=_m(1)),
    TaskSpec("subcommittee-reports", "done", _m(5), started=_m(3)),
    # Implement: part-way.
    TaskSpec("develop-memorandum", "in_progress", _m(3), owner="coordinator",
             subcommittee="Systems", due=("today", -12),
             notes="Draft 2 with counsel; the CSU's transport clause is still open."),
    TaskSpec("develop-policies", "in_progress", _m(5), owner="agencyadmin",
             subcommittee="Systems", due=("today", 35)),
    TaskSpec("recruit-trainers", "in_progress", _m(5), owner="trainer",
             subcommittee="Training", due=("today", 21),
             notes="3 of 8 trainers have volunteered."),
    TaskSpec("select-officers", "not_started", owner="agencyadmin", due=("today", 75)),
    TaskSpec("adapt-curriculum", "not_started", subcommittee="Training", due=("today", 60)),
    TaskSpec("train-the-trainer", "not_started", subcommittee="Training", due=("today", 100)),
    TaskSpec("hold-training", "not_started", owner="coordinator", due=("today", 150)),
    TaskSpec("plan-media", "not_started", owner="committee", due=("today", 140)),
    # Sustain & expand: the committee meets every month.
    TaskSpec("meet-regularly", "done", _m(3), started=_m(0)),
)  # fmt: skip


# (index of the meeting held, the action agreed there)
MEETING_ACTIONS = (
    (1, ActionSpec("Book the site visit with the Springfield County CIT program",
        "coordinator", ("meeting", 14), "done", decision=1,
        concerns="task:site-visit-delegation")),
    (1, ActionSpec("Draft a needs assessment along the Sequential Intercept Model",
        "committee", ("meeting", 45), "done", concerns="task:assess-needs")),
    (1, ActionSpec("Prepare the state CIT implementation grant application", "coordinator",
        ("today", 30), "in_progress", concerns="task:seek-funding",
        notes="Budget drafted; letters of support from both chiefs received.")),
    (3, ActionSpec("Draft the MOU between law enforcement and the Crisis Stabilization Unit",
        "coordinator", ("today", -5), "in_progress",
        concerns="task:develop-memorandum",
        notes="Draft 2 circulated; waiting on the CSU's transport clause.")),
    (4, ActionSpec("Send the draft MOU to each agency's counsel", "agencyadmin",
        ("today", -9), "open", decision=0, concerns="task:develop-memorandum")),
    (4, ActionSpec("Review RPD's mental-health call policy against the model policy",
        "agencyadmin", ("today", 20), "in_progress",
        concerns="task:develop-policies")),
    (4, ActionSpec("Outline a media plan for the first class", "committee", ("today", 40),
        "open", concerns="task:plan-media")),
    (5, ActionSpec("Post the call for trainers in all three agencies", "coordinator",
        ("today", 7), "open", decision=0, concerns="task:recruit-trainers")),
)  # fmt: skip


class _PlanBuilder(DemoTimeline):
    def __init__(self, program: Program, today: datetime.date, meetings: list[Meeting]):
        zone = zoneinfo.ZoneInfo(program.time_zone)
        super().__init__(program, today, [m.starts_at.astimezone(zone).date() for m in meetings])
        self.meetings = meetings
        self.subcommittees = {s.name: s for s in Subcommittee.objects.filter(program=program)}
        self.counts = {"plan tasks": 0, "action items on plan tasks": 0, "snapshots": 0}

    def build(self) -> dict[str, int]:
        plan_services.plan_seed(actor=None, program=self.program)
        self.tasks = {t.key: t for t in Task.objects.filter(program=self.program)}
        self.counts["plan tasks"] = len(self.tasks)
        self._meeting_actions()
        self._plan_and_snapshots()
        return self.counts

    def _meeting_actions(self) -> None:
        for index, action in MEETING_ACTIONS:
            meeting = self.meetings[index]
            self.add_action(
                action,
                meeting=meeting,
                held_on=self.held_days[index],
                decisions=list(meeting.decisions.order_by("id")),
                concerns=self.tasks[action.concerns.removeprefix("task:")],
            )
            self.counts["action items on plan tasks"] += 1

    def _plan_and_snapshots(self) -> None:
        """Give tasks their owners and dates, then replay their progress week by week,
        taking the weekly snapshot as the plan stood at the end of each week."""
        events = []  # (day, order, task, status)
        for order, spec in enumerate(PLAN):
            task = self.tasks[spec.key]
            data = {}
            if spec.owner:
                data["owner"] = self.users[spec.owner]
            if spec.subcommittee:
                data["subcommittee"] = self.subcommittees[spec.subcommittee]
            if spec.notes:
                data["notes"] = spec.notes
            started = self.day(spec.started) or self.day(spec.at)
            if started:
                data["start_date"] = started
            if spec.due:
                data["due_date"] = self.day(spec.due)
            if data:
                plan_services.task_update(actor=None, task=task, data=data)
            if spec.started:
                events.append((self.day(spec.started), order, task, Task.Status.IN_PROGRESS))
            if spec.status != Task.Status.NOT_STARTED:
                events.append((self.day(spec.at), order, task, spec.status))
        events.sort(key=lambda e: (e[0], e[1]))

        first_week = self.today - datetime.timedelta(days=26 * 7)
        week = first_week - datetime.timedelta(days=first_week.weekday())
        pending = list(events)
        while week <= self.today:
            week_end = week + datetime.timedelta(days=6)
            while pending and pending[0][0] <= week_end:
                day, _, task, status = pending.pop(0)
                if task.status != status:
                    plan_services.task_update(actor=None, task=task, data={"status": status})
                    if status == Task.Status.DONE:
                        Task.objects.filter(pk=task.pk).update(
                            completed_at=self.at(day, datetime.time(12, 0))
                        )
            plan_services.snapshot_take(program=self.program, on=min(week_end, self.today))
            self.counts["snapshots"] += 1
            week += datetime.timedelta(days=7)


def load_plan_demo(program: Program, *, today: datetime.date | None = None) -> dict[str, int]:
    """The plan of a demo program whose demo committee is loaded, if it has no plan yet.
    Returns what was created (nothing if the plan exists or there is no demo committee)."""
    if program.slug != "riverbend" or Task.objects.filter(program=program).exists():
        return {}
    held = list(
        Meeting.objects.filter(program=program, status=Meeting.Status.HELD).order_by("starts_at")
    )
    if len(held) < max(index for index, _ in MEETING_ACTIONS) + 1:
        return {}
    with transaction.atomic():
        return _PlanBuilder(program, today or program.today(), held).build()
