"""The committee status report, written in the document model of citkit.core.documents
and rendered by it to PDF (reportlab) and DOCX (python-docx).

What a coordinator brings to the next Steering Committee meeting: plan status per
phase, tasks whose typed status and measured progress disagree, the decisions taken
since the last meeting, everything overdue, and the open service gaps.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

from citkit.committee.models import Decision, Meeting
from citkit.core import documents, freshness
from citkit.core.documents.model import Document, Heading, ItemList, Paragraph, Table
from citkit.core.models import Program
from citkit.plan.models import Task
from citkit.plan.selectors.dashboard import Dashboard, build_dashboard

DECISION_WINDOW_DAYS = 60

# The formats the report comes in: {"pdf": (renderer, content type), "docx": ...}.
RENDERERS = documents.RENDERERS


@dataclass(frozen=True)
class Section:
    heading: str
    intro: str
    table: Table  # its `empty` text stands in when it has no rows


@dataclass
class StatusReport:
    program: Program
    prepared_on: datetime.date
    subtitle: str
    summary: list[str]
    sections: list[Section]
    dashboard: Dashboard
    decisions: list[Decision]

    @property
    def title(self) -> str:
        return f"{self.program.name}: committee status report"

    def filename(self, extension: str) -> str:
        return f"{self.program.slug}-status-report-{self.prepared_on:%Y-%m-%d}.{extension}"

    def document(self) -> Document:
        document = Document(
            title=self.title,
            meta=[self.subtitle],
            author=self.program.name,
            subject="Committee status report",
            footer=f"{self.program.name} · status report · {_day(self.prepared_on)}",
        )
        document.add(Heading("Summary"), ItemList(self.summary))
        for section in self.sections:
            document.add(Heading(section.heading))
            if section.intro:
                document.add(Paragraph(section.intro))
            document.add(section.table)
        return document


def _day(day: datetime.date | None) -> str:
    return f"{day:%b} {day.day}, {day.year}" if day else "—"


def _votes(decision: Decision) -> str:
    parts = [
        (decision.votes_for, "for"),
        (decision.votes_against, "against"),
        (decision.abstentions, "abstaining"),
    ]
    taken = [f"{n} {label}" for n, label in parts if n is not None]
    return ", ".join(taken) if taken else "no vote taken"


def _name(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def decisions_since(program: Program, now: datetime.datetime) -> tuple[list[Decision], str]:
    """Decisions of the last meeting held and of any meeting after it; with no meeting
    held yet, those of the last 60 days."""
    last_held = (
        Meeting.objects.filter(program=program, status=Meeting.Status.HELD, starts_at__lte=now)
        .order_by("-starts_at", "-id")
        .first()
    )
    zone = zoneinfo.ZoneInfo(program.time_zone)
    if last_held is not None:
        since = last_held.starts_at
        held_on = _day(since.astimezone(zone).date())
        label = f"Decisions taken at the last meeting ({held_on}) and since."
    else:
        since = now - datetime.timedelta(days=DECISION_WINDOW_DAYS)
        label = f"No meeting has been held yet; decisions of the last {DECISION_WINDOW_DAYS} days."
    decisions = list(
        Decision.objects.filter(
            meeting__program=program, meeting__starts_at__gte=since, meeting__starts_at__lte=now
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .select_related("meeting")
        .order_by("meeting__starts_at", "id")
    )
    return decisions, label


def build_report(
    program: Program, user, *, today: datetime.date | None = None, fresh: bool = False
) -> StatusReport:
    """The report's content, as plain strings (the renderers only lay it out).

    The caller checks that `user` may view the committee (view_committee).
    """
    dashboard = build_dashboard(program, user, today=today, fresh=fresh)
    zone = zoneinfo.ZoneInfo(program.time_zone)
    now = timezone.now()
    decisions, decisions_label = decisions_since(program, now)
    progress = dashboard.progress

    subtitle = f"Prepared {_day(dashboard.today)}"
    if dashboard.next_meetings:
        upcoming = dashboard.next_meetings[0]
        subtitle += f" for the meeting of {_day(upcoming.starts_at.astimezone(zone).date())}"
    subtitle += f" · {program.jurisdiction}"

    summary = []
    if progress is not None:
        summary.append(
            f"Plan: {progress.percent}% complete ({progress.done} of {progress.total} tasks done)."
        )
    else:
        summary.append("No implementation plan has been set up yet.")
    summary += [
        f"Tasks flagged (status and records disagree): {len(dashboard.flagged)}.",
        f"Overdue: {len(dashboard.overdue_tasks)} plan task(s) and "
        f"{len(dashboard.overdue_actions)} action item(s).",
        f"Open service gaps: {len(dashboard.open_gaps)}.",
    ]
    composition = dashboard.composition
    if composition.complete:
        summary.append(f"Committee: {composition.seats} active seats; all core partners seated.")
    else:
        missing = ", ".join(composition.missing)
        summary.append(f"Committee: {composition.seats} active seats; missing {missing}.")

    sections = []
    if progress is not None:
        sections.append(
            Section(
                "Plan status by phase",
                f"Overall {progress.percent}% of tasks done.",
                Table(
                    ["Phase", "Done", "Tasks", "Complete"],
                    [
                        [p.phase.name, str(p.done), str(p.total), f"{p.percent}%"]
                        for p in progress.phases
                    ],
                    [0.55, 0.15, 0.15, 0.15],
                ),
            )
        )
        in_progress = [
            view
            for phase in progress.phases
            for view in phase.active_tasks
            if view.task.status == Task.Status.IN_PROGRESS
        ]
        sections.append(
            Section(
                "Tasks in progress",
                "",
                Table(
                    ["Task", "Phase", "Owner", "Due", "Measured progress"],
                    [
                        [
                            v.task.title,
                            v.task.phase.name,
                            _name(v.task.owner),
                            _day(v.task.due_date),
                            v.measurement.text if v.measurement else "—",
                        ]
                        for v in in_progress
                    ],
                    [0.3, 0.16, 0.16, 0.14, 0.24],
                    empty="No task is in progress.",
                ),
            )
        )
        sections.append(
            Section(
                "Tasks flagged",
                "The typed status and the progress measured from the records disagree.",
                Table(
                    ["Task", "Phase", "Status", "What the records say"],
                    [
                        [
                            v.task.title,
                            v.task.phase.name,
                            v.task.get_status_display(),
                            v.disagreement,
                        ]
                        for v in dashboard.flagged
                    ],
                    [0.28, 0.16, 0.14, 0.42],
                    empty="No task is flagged.",
                ),
            )
        )
    sections.append(
        Section(
            "Decisions",
            decisions_label,
            Table(
                ["Meeting", "Decision", "Decided by", "Votes"],
                [
                    [
                        _day(d.meeting.starts_at.astimezone(zone).date()),
                        d.text,
                        d.decided_by or "—",
                        _votes(d),
                    ]
                    for d in decisions
                ],
                [0.15, 0.5, 0.15, 0.2],
                empty="No decisions recorded in this period.",
            ),
        )
    )
    overdue_rows = [
        ["Plan task", o.task.title, _name(o.task.owner), _day(o.task.due_date), str(o.days)]
        for o in dashboard.overdue_tasks
    ] + [
        ["Action item", o.item.title, _name(o.item.owner), _day(o.item.due_date), str(o.days)]
        for o in dashboard.overdue_actions
    ]
    sections.append(
        Section(
            "Overdue items",
            f"Open plan tasks and action items due before {_day(dashboard.today)}.",
            Table(
                ["Kind", "Item", "Owner", "Due", "Days overdue"],
                overdue_rows,
                [0.14, 0.4, 0.18, 0.14, 0.14],
                empty="Nothing is overdue.",
            ),
        )
    )
    sections.append(
        Section(
            "Open service gaps",
            "Services the crisis system lacks, open or bridged by an interim workaround.",
            Table(
                ["Gap", "Status", "Interim workaround", "Owner", "Target date"],
                [
                    [
                        g.title,
                        g.get_status_display(),
                        g.workaround or "—",
                        _name(g.owner),
                        _day(g.target_date),
                    ]
                    for g in dashboard.open_gaps
                ],
                [0.25, 0.15, 0.3, 0.15, 0.15],
                empty="No open gaps.",
            ),
        )
    )
    return StatusReport(
        program=program,
        prepared_on=dashboard.today,
        subtitle=subtitle,
        summary=summary,
        sections=sections,
        dashboard=dashboard,
        decisions=decisions,
    )


def render(report: StatusReport, fmt: str) -> tuple[bytes, str]:
    """The report as bytes in the format ("pdf" or "docx"), and its content type."""
    return documents.render(report.document(), fmt)


# A kept report is redrawn after this long even if no record changed: "upcoming
# meetings" and "decisions since the last meeting" move with the clock.
KEPT_SECONDS = 5 * 60


def download(program: Program, user, fmt: str) -> tuple[bytes, str, str]:
    """(bytes, content type, file name) of the report, drawn once per change of data.

    Laying out a full plan takes reportlab or python-docx a few hundred milliseconds,
    and the committee downloads the same report many times before a meeting: it is
    kept until the program's data changes (core.freshness), for KEPT_SECONDS at most.
    Every reader of the report (view_committee) sees every action item, so one copy
    serves them all; the caller checks view_committee.
    """
    today = program.today()

    def draw() -> tuple[bytes, str, str]:
        status_report = build_report(program, user, today=today, fresh=True)
        content, content_type = render(status_report, fmt)
        return content, content_type, status_report.filename(fmt)

    return freshness.cached(
        program.pk, f"plan:status-report:{fmt}:{today.isoformat()}", draw, ttl=KEPT_SECONDS
    )
