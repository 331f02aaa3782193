"""The committee status report: one model, rendered to PDF (reportlab) and DOCX (python-docx).

What a coordinator brings to the next Steering Committee meeting: plan status per
phase, tasks whose typed status and measured progress disagree, the decisions taken
since the last meeting, everything overdue, and the open service gaps.
"""

import datetime
import io
import zoneinfo
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone

from citkit.committee.models import Decision, Meeting
from citkit.core.models import Program
from citkit.plan.dashboard import Dashboard, build_dashboard
from citkit.plan.models import Task

DECISION_WINDOW_DAYS = 60


@dataclass(frozen=True)
class Table:
    """A section's table: header cells, then rows of plain strings."""

    header: list[str]
    rows: list[list[str]]
    widths: list[float]  # share of the page width per column (sums to 1)


@dataclass(frozen=True)
class Section:
    heading: str
    intro: str
    table: Table | None
    empty: str = "None."


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


def build_report(program: Program, user, *, today: datetime.date | None = None) -> StatusReport:
    """The report's content, as plain strings (the renderers only lay it out).

    The caller checks that `user` may view the committee (view_committee).
    """
    dashboard = build_dashboard(program, user, today=today, take_snapshot=False)
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
                )
                if in_progress
                else None,
                empty="No task is in progress.",
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
                )
                if dashboard.flagged
                else None,
                empty="No task is flagged.",
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
            )
            if decisions
            else None,
            empty="No decisions recorded in this period.",
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
            )
            if overdue_rows
            else None,
            empty="Nothing is overdue.",
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
            )
            if dashboard.open_gaps
            else None,
            empty="No open gaps.",
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


# --- PDF ---------------------------------------------------------------------------


def render_pdf(report: StatusReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )
    from reportlab.platypus import (
        Table as PdfTable,
    )

    styles = getSampleStyleSheet()
    stripe = colors.HexColor("#f6f8fa")
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=9, leading=11)
    head = ParagraphStyle("head", parent=cell, fontName="Helvetica-Bold")
    # A section's heading and introduction stay on the page of its table.
    heading = ParagraphStyle("heading", parent=styles["Heading2"], keepWithNext=1)
    intro = ParagraphStyle("intro", parent=styles["BodyText"], keepWithNext=1)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
        topMargin=0.75 * inch,
        bottomMargin=0.75 * inch,
        title=report.title,
        author=report.program.name,
        subject="Committee status report",
        creator="citkit",
    )

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(
            document.leftMargin,
            0.5 * inch,
            f"{report.program.name} · status report · {_day(report.prepared_on)}",
        )
        canvas.drawRightString(
            LETTER[0] - document.rightMargin, 0.5 * inch, f"Page {document.page}"
        )
        canvas.restoreState()

    def p(text: str, style) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story = [
        p(report.title, styles["Title"]),
        p(report.subtitle, styles["Italic"]),
        Spacer(1, 8),
        p("Summary", heading),
        ListFlowable(
            [ListItem(p(line, styles["BodyText"]), leftIndent=12) for line in report.summary],
            bulletType="bullet",
            start="•",
        ),
    ]
    for section in report.sections:
        story.append(p(section.heading, heading))
        if section.intro:
            story.append(p(section.intro, intro))
        if section.table is None:
            story.append(p(section.empty, styles["BodyText"]))
            continue
        table = section.table
        data = [[p(h, head) for h in table.header]]
        data += [[p(value, cell) for value in row] for row in table.rows]
        pdf_table = PdfTable(
            data, colWidths=[w * doc.width for w in table.widths], repeatRows=1, hAlign="LEFT"
        )
        pdf_table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6ecf5")),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, stripe]),
                ]
            )
        )
        story += [pdf_table, Spacer(1, 6)]
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# --- DOCX --------------------------------------------------------------------------


def render_docx(report: StatusReport) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.title = report.title
    document.core_properties.author = report.program.name
    document.core_properties.subject = "Committee status report"
    document.styles["Normal"].font.size = Pt(10)
    page = document.sections[0]
    text_width = page.page_width - page.left_margin - page.right_margin

    document.add_heading(report.title, level=0)
    subtitle = document.add_paragraph()
    subtitle.add_run(report.subtitle).italic = True
    document.add_heading("Summary", level=1)
    for line in report.summary:
        document.add_paragraph(line, style="List Bullet")
    for section in report.sections:
        document.add_heading(section.heading, level=1)
        if section.intro:
            document.add_paragraph(section.intro)
        if section.table is None:
            document.add_paragraph(section.empty)
            continue
        table = section.table
        grid = document.add_table(rows=1, cols=len(table.header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        _repeat_header(grid.rows[0])
        for row in table.rows:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
        grid.autofit = False
        for column, share in zip(grid.columns, table.widths, strict=True):
            for cell in column.cells:
                cell.width = int(text_width * share)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _repeat_header(row) -> None:
    """Mark a table row as a header row, repeated on each page (and read as one)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


RENDERERS = {
    "pdf": (render_pdf, "application/pdf"),
    "docx": (
        render_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


def render(report: StatusReport, fmt: str) -> tuple[bytes, str]:
    """The report as bytes in the format ("pdf" or "docx"), and its content type."""
    renderer, content_type = RENDERERS[fmt]
    return renderer(report), content_type
