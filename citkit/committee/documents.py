"""Printable documents (PDF) built with reportlab's platypus: meeting agenda and minutes.

The first half of this module is a small toolkit any citkit PDF can use (the committee
status report in citkit/plan/report.py does): one font family that covers accented names,
one set of paragraph styles, escaping of user text, tables, "page N of M" footers and
times in the program's zone. The second half builds the two meeting documents.

    from citkit.committee import documents as pdf
    story = [pdf.para("Where are we?", "title"), pdf.table(["Task", "Status"], rows)]
    content = pdf.build_pdf(story, title="Status report", author=program.name)
"""

import datetime
import functools
import io
import zoneinfo
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    Flowable,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

# --- Toolkit --------------------------------------------------------------------

PAGE_SIZE = LETTER
MARGIN = 0.75 * inch
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
INK = colors.HexColor("#1d1d1d")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#b8c2cc")
HEADER_FILL = colors.HexColor("#e6ecf5")

# Fonts with real glyphs for names such as "Nguyễn" or "Łukasz": DejaVu where the system
# has it, else the Bitstream Vera shipped inside reportlab (always present).
_SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")
_REPORTLAB_FONTS = Path(reportlab.__file__).parent / "fonts"
_FONT_CANDIDATES = [
    (
        "CitkitDejaVu",
        {
            "regular": _SYSTEM_FONTS / "DejaVuSans.ttf",
            "bold": _SYSTEM_FONTS / "DejaVuSans-Bold.ttf",
            "italic": _SYSTEM_FONTS / "DejaVuSans-Oblique.ttf",
            "bold_italic": _SYSTEM_FONTS / "DejaVuSans-BoldOblique.ttf",
        },
    ),
    (
        "CitkitVera",
        {
            "regular": _REPORTLAB_FONTS / "Vera.ttf",
            "bold": _REPORTLAB_FONTS / "VeraBd.ttf",
            "italic": _REPORTLAB_FONTS / "VeraIt.ttf",
            "bold_italic": _REPORTLAB_FONTS / "VeraBI.ttf",
        },
    ),
]


@functools.cache
def fonts() -> dict[str, str]:
    """Register one TrueType family and return its names: regular, bold, italic."""
    from reportlab.lib.fonts import addMapping

    for family, files in _FONT_CANDIDATES:
        if all(path.is_file() for path in files.values()):
            names = {}
            for style, path in files.items():
                name = f"{family}-{style}"
                pdfmetrics.registerFont(TTFont(name, str(path)))
                names[style] = name
            addMapping(family, 0, 0, names["regular"])
            addMapping(family, 1, 0, names["bold"])
            addMapping(family, 0, 1, names["italic"])
            addMapping(family, 1, 1, names["bold_italic"])
            return {**names, "family": family}
    # Last resort: the PDF standard fonts (Latin-1 only).
    return {
        "regular": "Helvetica",
        "bold": "Helvetica-Bold",
        "italic": "Helvetica-Oblique",
        "bold_italic": "Helvetica-BoldOblique",
        "family": "Helvetica",
    }


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles by name: title, subtitle, h2, h3, body, small, cell, cell_head, label."""
    f = fonts()
    body = ParagraphStyle(
        "body",
        fontName=f["regular"],
        fontSize=10.5,
        leading=14,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=6,
    )
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", parent=body, fontName=f["bold"], fontSize=18, leading=22, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=11.5, leading=15, textColor=MUTED, spaceAfter=12
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=f["bold"],
            fontSize=13.5,
            leading=17,
            spaceBefore=12,
            spaceAfter=6,
        ),
        "h3": ParagraphStyle(
            "h3", parent=body, fontName=f["bold"], fontSize=11, leading=14, spaceBefore=6
        ),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "cell_head": ParagraphStyle(
            "cell_head", parent=body, fontName=f["bold"], fontSize=9.5, leading=12, spaceAfter=0
        ),
        "label": ParagraphStyle(
            "label", parent=body, fontName=f["bold"], fontSize=10, leading=13, spaceAfter=0
        ),
        "notice": ParagraphStyle(
            "notice",
            parent=body,
            fontName=f["bold"],
            textColor=colors.HexColor("#a01818"),
            spaceAfter=10,
        ),
    }


def esc(text) -> str:
    """User text made safe for reportlab's paragraph markup; line breaks kept."""
    if text is None:
        return ""
    return escape(str(text)).replace("\r\n", "\n").replace("\n", "<br/>")


def para(text, style: str = "body", *, markup: bool = False) -> Paragraph:
    """A paragraph of user text (escaped) or, with markup=True, of trusted markup."""
    return Paragraph(str(text) if markup else esc(text), styles()[style])


def paragraphs(text: str, style: str = "body") -> list[Flowable]:
    """Free text split into paragraphs at blank lines."""
    text = (text or "").replace("\r\n", "\n").strip()
    return [para(chunk.strip(), style) for chunk in text.split("\n\n") if chunk.strip()]


def heading(text, level: int = 2) -> Paragraph:
    return para(text, f"h{level}")


def table(
    header: list[str],
    rows: list[list],
    col_widths: list[float] | None = None,
    *,
    zebra: bool = True,
) -> Table:
    """A table with a repeated header row. A cell is text (escaped), a flowable or a list
    of flowables; col_widths are relative (they are scaled to the page width)."""

    def cell(value, style):
        if isinstance(value, Flowable) or (
            isinstance(value, list) and all(isinstance(v, Flowable) for v in value)
        ):
            return value
        return Paragraph(esc("" if value is None else value), styles()[style])

    data = [[cell(h, "cell_head") for h in header]]
    data += [[cell(v, "cell") for v in row] for row in rows]
    if col_widths is not None:
        total = sum(col_widths)
        col_widths = [FRAME_WIDTH * w / total for w in col_widths]
    result = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if zebra:
        commands += [
            ("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f6f8fa"))
            for i in range(2, len(data), 2)
        ]
    result.setStyle(TableStyle(commands))
    return result


def key_values(pairs: list[tuple[str, object]]) -> Flowable:
    """Label / value lines (When, Where, ...); pairs with an empty value are left out."""
    rows = [
        [
            Paragraph(esc(label), styles()["label"]),
            value if isinstance(value, Flowable) else Paragraph(esc(value), styles()["body"]),
        ]
        for label, value in pairs
        if value not in (None, "")
    ]
    if not rows:
        return Spacer(0, 0)
    result = Table(rows, colWidths=[1.3 * inch, FRAME_WIDTH - 1.3 * inch], hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return result


def numbered(items: list[list[Flowable] | Flowable]) -> ListFlowable:
    """A numbered list; each item is a flowable or a list of flowables."""
    return ListFlowable(
        [ListItem(i if isinstance(i, list) else [i], leftIndent=18) for i in items],
        bulletType="1",
        bulletFormat="%s.",
        bulletFontName=fonts()["bold"],
        bulletFontSize=10.5,
        leftIndent=18,
    )


def _numbered_canvas(footer: str):
    """A canvas that writes "footer · Page N of M" on every page (second pass for M)."""

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(fonts()["regular"], 8.5)
                self.setFillColor(MUTED)
                text = f"Page {self._pageNumber} of {total}"
                if footer:
                    text = f"{footer} · {text}"
                self.drawRightString(PAGE_SIZE[0] - MARGIN, MARGIN / 2, text)
                super().showPage()
            super().save()

    return NumberedCanvas


def build_pdf(
    story: list[Flowable], *, title: str, author: str = "", subject: str = "", footer: str = ""
) -> bytes:
    """Lay the story out on US Letter pages and return the PDF's bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        subject=subject,
        creator="citkit",
        lang="en",
    )
    doc.build(list(story), canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


def zone(program) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(program.time_zone)


def local(moment: datetime.datetime, program) -> datetime.datetime:
    """An aware datetime in the program's time zone."""
    return moment.astimezone(zone(program))


def _clock(moment: datetime.datetime) -> str:
    return moment.strftime("%I:%M %p").lstrip("0")


def format_date(day: datetime.date) -> str:
    """Thursday, March 12, 2026"""
    return f"{day:%A, %B} {day.day}, {day.year}"


def format_short_date(day: datetime.date) -> str:
    """Apr 1, 2026"""
    return f"{day:%b} {day.day}, {day.year}"


def format_when(starts: datetime.datetime, ends: datetime.datetime, program) -> str:
    """Like "Thursday, March 12, 2026, 6:00 PM to 7:30 PM CDT" (a dash, not "to")."""
    start, end = local(starts, program), local(ends, program)
    text = f"{format_date(start.date())}, {_clock(start)} – "
    if end.date() != start.date():
        text += f"{format_date(end.date())}, "
    return text + f"{_clock(end)} {end.tzname()}"


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# --- Meeting documents ------------------------------------------------------------


def _meeting_header(meeting, heading_text: str) -> list[Flowable]:
    program = meeting.program
    story: list[Flowable] = [
        para(heading_text, "title"),
        para(program.name, "subtitle"),
    ]
    if meeting.status == meeting.Status.CANCELLED:
        story.append(para("This meeting was cancelled.", "notice"))
    story.append(
        key_values(
            [
                ("When", format_when(meeting.starts_at, meeting.ends_at, program)),
                ("Where", meeting.location),
                ("Join online", meeting.call_link),
            ]
        )
    )
    return story


def _item_starts(meeting, items) -> list[str]:
    """Planned start time of each item while every earlier item has a duration."""
    times: list[str] = []
    moment: datetime.datetime | None = local(meeting.starts_at, meeting.program)
    for item in items:
        times.append(_clock(moment) if moment is not None else "")
        if moment is not None and item.minutes:
            moment = moment + datetime.timedelta(minutes=item.minutes)
        else:
            moment = None
    return times


def agenda_pdf(meeting) -> bytes:
    """The agenda to hand out: where and when, then the numbered items."""
    items = list(meeting.agenda_items.all())
    story = _meeting_header(meeting, f"Agenda: {meeting.title}")
    story.append(heading("Agenda"))
    if items:
        starts = _item_starts(meeting, items)
        rows = []
        for number, (item, start) in enumerate(zip(items, starts, strict=True), start=1):
            cell = [para(item.title, "cell")]
            if item.notes:
                cell.append(para(item.notes, "small"))
            rows.append(
                [
                    f"{number}.",
                    cell,
                    item.presenter,
                    f"{item.minutes} min" if item.minutes else "",
                    start,
                ]
            )
        story.append(table(["#", "Item", "Presenter", "Time", "Starts"], rows, [6, 44, 22, 12, 13]))
        total = sum(i.minutes or 0 for i in items)
        if total:
            story.append(Spacer(0, 6))
            story.append(para(f"Planned time: {total} minutes.", "small"))
    else:
        story.append(para("No agenda items yet."))
    return build_pdf(
        story,
        title=f"Agenda: {meeting.title}",
        author=meeting.program.name,
        subject=f"Agenda of {format_when(meeting.starts_at, meeting.ends_at, meeting.program)}",
        footer=f"{meeting.program.name} · Agenda, {filename_date(meeting)}",
    )


def _seat_label(seat) -> str:
    parts = [seat.get_seat_type_display()]
    if seat.agency_id:
        parts.append(seat.agency.name)
    return f"{seat.holder_name} ({', '.join(parts)})"


def minutes_pdf(meeting, *, unrecorded_seats=()) -> bytes:
    """The minutes: attendance by status, the minutes text, decisions with votes and the
    action items the meeting created. `unrecorded_seats`: active seats with no attendance."""
    from citkit.committee.models import Attendance

    program = meeting.program
    story = _meeting_header(meeting, f"Minutes: {meeting.title}")
    if meeting.status == meeting.Status.SCHEDULED:
        story.append(para("Draft: the meeting has not been marked as held.", "notice"))

    story.append(heading("Attendance"))
    by_status: dict[str, list[str]] = {value: [] for value in Attendance.Status.values}
    for row in meeting.attendance.select_related("seat__agency"):
        by_status[row.status].append(_seat_label(row.seat))
    lines = [
        (f"{label} ({len(by_status[value])})", "; ".join(by_status[value]))
        for value, label in Attendance.Status.choices
        if by_status[value]
    ]
    if unrecorded_seats:
        names = [_seat_label(s) for s in unrecorded_seats]
        lines.append((f"Not recorded ({len(names)})", "; ".join(names)))
    story.append(key_values(lines) if lines else para("No attendance recorded."))

    story.append(heading("Minutes"))
    story.extend(paragraphs(meeting.minutes) or [para("No minutes recorded.")])

    decisions = list(meeting.decisions.all())
    story.append(heading("Decisions"))
    if decisions:
        entries = []
        for decision in decisions:
            entry = [para(decision.text)]
            details = [f"Decided by {decision.decided_by}." if decision.decided_by else ""]
            vote = vote_text(decision)
            if vote:
                details.append(f"Vote: {vote}.")
            detail = " ".join(d for d in details if d)
            if detail:
                entry.append(para(detail, "small"))
            entries.append(entry)
        story.append(numbered(entries))
    else:
        story.append(para("No decisions recorded."))

    actions = list(meeting.action_items.select_related("owner"))
    story.append(heading("Action items"))
    if actions:
        numbers = {d.pk: n for n, d in enumerate(decisions, start=1)}
        rows = [
            [
                a.title,
                person_name(a.owner),
                format_short_date(a.due_date),
                a.get_status_display(),
                f"Decision {numbers[a.decision_id]}" if a.decision_id in numbers else "",
            ]
            for a in actions
        ]
        story.append(
            table(["Action", "Owner", "Due", "Status", "From"], rows, [40, 20, 14, 12, 14])
        )
    else:
        story.append(para("No action items."))
    return build_pdf(
        story,
        title=f"Minutes: {meeting.title}",
        author=program.name,
        subject=f"Minutes of {format_when(meeting.starts_at, meeting.ends_at, program)}",
        footer=f"{program.name} · Minutes, {filename_date(meeting)}",
    )


def vote_text(decision) -> str:
    """'7 for, 1 against, 2 abstaining', or '' when no vote was taken."""
    parts = []
    if decision.votes_for is not None:
        parts.append(f"{decision.votes_for} for")
    if decision.votes_against is not None:
        parts.append(f"{decision.votes_against} against")
    if decision.abstentions is not None:
        parts.append(f"{decision.abstentions} abstaining")
    return ", ".join(parts)


def filename_date(meeting) -> str:
    return local(meeting.starts_at, meeting.program).date().isoformat()


def agenda_filename(meeting) -> str:
    return f"agenda-{filename_date(meeting)}.pdf"


def minutes_filename(meeting) -> str:
    return f"minutes-{filename_date(meeting)}.pdf"
