"""The meeting agenda and minutes as printable documents (PDF; DOCX as well), written in
the model of citkit.core.documents, and the date and name formats they and the meeting
pages share (times in the program's zone)."""

import datetime
import zoneinfo

from citkit.core import documents
from citkit.core.documents.model import (
    Document,
    Entry,
    Fields,
    Heading,
    ItemList,
    Paragraph,
    Table,
)

# --- Dates, times and names ------------------------------------------------------------


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


def agenda_filename(meeting, extension: str = "pdf") -> str:
    return f"agenda-{filename_date(meeting)}.{extension}"


def minutes_filename(meeting, extension: str = "pdf") -> str:
    return f"minutes-{filename_date(meeting)}.{extension}"


# --- Meeting documents ------------------------------------------------------------------


def _meeting_document(meeting, title: str, kind: str) -> Document:
    program = meeting.program
    when = format_when(meeting.starts_at, meeting.ends_at, program)
    document = Document(
        title=title,
        meta=[program.name],
        author=program.name,
        subject=f"{kind} of {when}",
        footer=f"{program.name} · {kind}, {filename_date(meeting)}",
    )
    if meeting.status == meeting.Status.CANCELLED:
        document.add(Paragraph("This meeting was cancelled.", "notice"))
    document.add(
        Fields([("When", when), ("Where", meeting.location), ("Join online", meeting.call_link)])
    )
    return document


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


def agenda_document(meeting) -> Document:
    """The agenda to hand out: where and when, then the numbered items."""
    items = list(meeting.agenda_items.all())
    document = _meeting_document(meeting, f"Agenda: {meeting.title}", "Agenda")
    rows = [
        [
            f"{number}.",
            Entry(item.title, item.notes),
            item.presenter,
            f"{item.minutes} min" if item.minutes else "",
            start,
        ]
        for number, (item, start) in enumerate(
            zip(items, _item_starts(meeting, items), strict=True), start=1
        )
    ]
    document.add(
        Heading("Agenda"),
        Table(
            ["#", "Item", "Presenter", "Time", "Starts"],
            rows,
            widths=[6, 44, 22, 12, 13],
            empty="No agenda items yet.",
        ),
    )
    total = sum(i.minutes or 0 for i in items)
    if total:
        document.add(Paragraph(f"Planned time: {total} minutes.", "small"))
    return document


def _seat_label(seat) -> str:
    parts = [seat.get_seat_type_display()]
    if seat.agency_id:
        parts.append(seat.agency.name)
    return f"{seat.holder_name} ({', '.join(parts)})"


def minutes_document(meeting, *, unrecorded_seats=()) -> Document:
    """The minutes: attendance by status, the minutes text, decisions with votes and the
    action items the meeting created. `unrecorded_seats`: active seats with no attendance."""
    from citkit.committee.models import Attendance

    document = _meeting_document(meeting, f"Minutes: {meeting.title}", "Minutes")
    if meeting.status == meeting.Status.SCHEDULED:
        document.add(Paragraph("Draft: the meeting has not been marked as held.", "notice"))

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
    document.add(
        Heading("Attendance"), Fields(lines) if lines else Paragraph("No attendance recorded.")
    )

    minutes = Paragraph(meeting.minutes)
    document.add(
        Heading("Minutes"), minutes if minutes.text.strip() else Paragraph("No minutes recorded.")
    )

    decisions = list(meeting.decisions.all())
    entries = []
    for decision in decisions:
        details = [f"Decided by {decision.decided_by}." if decision.decided_by else ""]
        vote = vote_text(decision)
        if vote:
            details.append(f"Vote: {vote}.")
        entries.append(Entry(decision.text, " ".join(d for d in details if d)))
    document.add(
        Heading("Decisions"),
        ItemList(entries, numbered=True) if entries else Paragraph("No decisions recorded."),
    )

    numbers = {d.pk: n for n, d in enumerate(decisions, start=1)}
    rows = [
        [
            a.title,
            person_name(a.owner),
            format_short_date(a.due_date),
            a.get_status_display(),
            f"Decision {numbers[a.decision_id]}" if a.decision_id in numbers else "",
        ]
        for a in meeting.action_items.select_related("owner")
    ]
    document.add(
        Heading("Action items"),
        Table(
            ["Action", "Owner", "Due", "Status", "From"],
            rows,
            widths=[40, 20, 14, 12, 14],
            empty="No action items.",
        ),
    )
    return document


def agenda_pdf(meeting) -> bytes:
    return documents.render(agenda_document(meeting), "pdf")[0]


def agenda_docx(meeting) -> bytes:
    return documents.render(agenda_document(meeting), "docx")[0]


def minutes_pdf(meeting, *, unrecorded_seats=()) -> bytes:
    return documents.render(minutes_document(meeting, unrecorded_seats=unrecorded_seats), "pdf")[0]


def minutes_docx(meeting, *, unrecorded_seats=()) -> bytes:
    return documents.render(minutes_document(meeting, unrecorded_seats=unrecorded_seats), "docx")[0]
