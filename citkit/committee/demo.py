"""Demo data for the Steering Committee.

Riverbend County gets a committee of twelve active seats (and one that ended), the
three subcommittees (the Data subcommittee still lacks an advocate, so the balance
check has something to show), six monthly meetings held with agendas, attendance,
minutes, decisions and action items, one meeting coming up, and a few service gaps.
The plan's part (its tasks, the action items about them and the weekly snapshots)
is the plan app's own demo step, which runs after this one.

Everything goes through the services with actor=None (the system), like the rest
of the demo. The content is fixed; the dates count back from the day it is loaded
(a demo whose "next meeting" lies in the past shows nothing), so two loads on the
same day are identical, and loading again changes nothing.
"""

import datetime
import zoneinfo

from django.contrib.auth import get_user_model
from django.db import transaction

from citkit.committee import services
from citkit.committee.demo_data import (
    ABSENT,
    CALL_LINK,
    DAY,
    EXCUSED,
    GAPS,
    LOCATION,
    MEETING_LENGTH,
    MEETING_START,
    MEETINGS,
    SEATS,
    SUBCOMMITTEE_MEMBERS,
    SUBCOMMITTEE_REPORTS,
    UPCOMING,
    ActionSpec,
    MeetingSpec,
    SeatSpec,
)
from citkit.committee.models import ActionItem, Meeting, Seat, ServiceGap, Subcommittee
from citkit.core.models import Membership, Program
from citkit.partners.models import Agency

User = get_user_model()


# --- Loading -----------------------------------------------------------------------


def _second_tuesday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(1 - first.weekday()) % 7 + 7)


def meeting_days(today: datetime.date, held: int = 6) -> tuple[list[datetime.date], datetime.date]:
    """The last `held` second-Tuesdays before today, and the first one after it."""
    days = []
    year, month = today.year, today.month - held - 2
    while month < 1:
        year, month = year - 1, month + 12
    for _ in range(held + 4):
        days.append(_second_tuesday(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    past = [d for d in days if d < today]
    return past[-held:], next(d for d in days if d > today)


class DemoTimeline:
    """What every part of the demo that follows the committee's meetings shares: the
    program's logins, its held meeting days, dates relative to them or to the load
    day, and action items agreed in a meeting (the plan's demo uses it too)."""

    def __init__(self, program: Program, today: datetime.date, held_days: list[datetime.date]):
        self.program = program
        self.today = today
        self.zone = zoneinfo.ZoneInfo(program.time_zone)
        self.held_days = held_days
        self.users = {
            m.user.username: m.user
            for m in Membership.objects.filter(program=program).select_related("user")
        }

    def day(self, when: tuple[str, int] | None) -> datetime.date | None:
        if when is None:
            return None
        anchor, days = when
        if anchor == "today":
            base = self.today
        else:
            base = self.held_days[int(anchor.removeprefix("meeting"))]
        return base + datetime.timedelta(days=days)

    def at(self, day: datetime.date, time: datetime.time = MEETING_START) -> datetime.datetime:
        return datetime.datetime.combine(day, time, tzinfo=self.zone)

    def add_action(self, action: ActionSpec, *, meeting, held_on, decisions, concerns):
        """An action item agreed at `meeting` (held on `held_on`), through the services."""
        due = (
            self.day(action.due)
            if action.due[0] == "today"
            else held_on + datetime.timedelta(days=action.due[1])
        )
        item = services.action_item_create(
            actor=None,
            program=self.program,
            data={
                "title": action.title,
                "owner": self.users[action.owner],
                "due_date": due,
                "meeting": meeting,
                "decision": decisions[action.decision] if action.decision is not None else None,
                "notes": action.notes,
            },
            concerns=concerns,
        )
        if action.status != ActionItem.Status.OPEN:
            services.action_item_update(actor=None, item=item, data={"status": action.status})
            if action.status == ActionItem.Status.DONE:
                # The service stamps the completion now; the demo's happened back then.
                done_on = min(due - 2 * DAY, self.today - DAY)
                ActionItem.objects.filter(pk=item.pk).update(
                    completed_at=self.at(done_on, datetime.time(16, 0))
                )
        return item


class _CommitteeBuilder(DemoTimeline):
    def __init__(self, program: Program, today: datetime.date):
        held_days, self.next_day = meeting_days(today)
        super().__init__(program, today, held_days)
        self.agencies = {a.name: a for a in Agency.objects.filter(program=program)}
        self.counts = {"seats": 0, "meetings": 0, "decisions": 0, "action items": 0, "gaps": 0}

    # Helpers ------------------------------------------------------------------

    def agency(self, name: str):
        return self.agencies.get(name) if name else None

    # Building -----------------------------------------------------------------

    def build(self) -> dict[str, int]:
        seats = self._seats()
        self.subcommittees = self._subcommittees()
        self.gaps = self._gaps()
        for index, spec in enumerate(MEETINGS):
            self._meeting(index, spec, self.held_days[index], seats)
        self._meeting(None, UPCOMING, self.next_day, seats)
        return self.counts

    def _seats(self) -> list[tuple[SeatSpec, Seat]]:
        seats = []
        for spec in SEATS:
            end = None
            if spec.left_after is not None:
                end = self.held_days[spec.left_after] + datetime.timedelta(days=20)
            seat = services.seat_create(
                actor=None,
                program=self.program,
                data={
                    "holder_name": spec.holder,
                    "agency": self.agency(spec.agency),
                    "user": self.users.get(spec.user) if spec.user else None,
                    "seat_type": spec.seat_type,
                    "start_date": self.held_days[spec.joined_at],
                    "end_date": end,
                },
            )
            seats.append((spec, seat))
            self.counts["seats"] += 1
        return seats

    def _subcommittees(self) -> dict[str, Subcommittee]:
        services.subcommittees_seed(actor=None, program=self.program)
        found = {s.name: s for s in Subcommittee.objects.filter(program=self.program)}
        for name, members in SUBCOMMITTEE_MEMBERS.items():
            services.subcommittee_update(
                actor=None,
                subcommittee=found[name],
                data={"deadline": self.held_days[2] + datetime.timedelta(days=91)},
            )
            for person, perspective, agency in members:
                services.subcommittee_member_add(
                    actor=None,
                    subcommittee=found[name],
                    data={
                        "name": person,
                        "perspective": perspective,
                        "agency": self.agency(agency),
                    },
                )
        for name, meeting, title, text in SUBCOMMITTEE_REPORTS:
            services.subcommittee_report_add(
                actor=None,
                subcommittee=found[name],
                data={"reported_on": self.held_days[meeting], "title": title, "text": text},
            )
        return found

    def _gaps(self) -> dict[str, ServiceGap]:
        gaps = {}
        for spec in GAPS:
            status = spec.status
            gap = services.gap_create(
                actor=None,
                program=self.program,
                data={
                    "title": spec.title,
                    "description": spec.description,
                    "workaround": spec.workaround,
                    "owner": self.users.get(spec.owner) if spec.owner else None,
                    "target_date": self.day(spec.target),
                    # A resolved gap was open first.
                    "status": ServiceGap.Status.OPEN if status == "resolved" else status,
                },
                affected=[self.agencies[name] for name in spec.affected],
            )
            if status == ServiceGap.Status.RESOLVED:
                services.gap_update(actor=None, gap=gap, data={"status": status})
            gaps[spec.title] = gap
            self.counts["gaps"] += 1
        return gaps

    def _concerns(self, ref: str):
        if not ref:
            return None
        kind, _, key = ref.partition(":")
        return {"subcommittee": self.subcommittees, "gap": self.gaps}[kind][key]

    def _meeting(self, index, spec: MeetingSpec, day: datetime.date, seats) -> Meeting:
        held = index is not None
        starts = self.at(day)
        meeting = services.meeting_create(
            actor=None,
            program=self.program,
            data={
                "title": spec.title,
                "starts_at": starts,
                "ends_at": starts + MEETING_LENGTH,
                "location": "" if spec.online else LOCATION,
                "call_link": CALL_LINK if spec.online or not held else "",
                "status": Meeting.Status.HELD if held else Meeting.Status.SCHEDULED,
                "minutes": spec.minutes,
            },
        )
        self.counts["meetings"] += 1
        for order, (title, presenter, minutes) in enumerate(spec.agenda, start=1):
            services.agenda_item_add(
                actor=None,
                meeting=meeting,
                data={"title": title, "presenter": presenter, "minutes": minutes, "order": order},
            )
        if not held:
            return meeting
        statuses = {}
        for number, (_, seat) in enumerate(seats):
            if seat.start_date > day or (seat.end_date and seat.end_date < day):
                continue
            key = (number, index)
            statuses[seat.pk] = (
                "absent" if key in ABSENT else "excused" if key in EXCUSED else "present"
            )
        services.attendance_record(actor=None, meeting=meeting, statuses=statuses)
        decisions = []
        for decision in spec.decisions:
            votes = {}
            if decision.votes is not None:
                votes = dict(
                    zip(("votes_for", "votes_against", "abstentions"), decision.votes, strict=True)
                )
            decisions.append(
                services.decision_record(
                    actor=None,
                    meeting=meeting,
                    data={"text": decision.text, "decided_by": decision.decided_by, **votes},
                )
            )
            self.counts["decisions"] += 1
        for action in spec.actions:
            self.add_action(
                action,
                meeting=meeting,
                held_on=day,
                decisions=decisions,
                concerns=self._concerns(action.concerns),
            )
            self.counts["action items"] += 1
        return meeting


def load_committee_demo(program: Program, *, today: datetime.date | None = None) -> dict[str, int]:
    """The committee of a demo program, if it has a demo committee and has none yet.
    Returns what was created (nothing if the committee already exists)."""
    if program.slug != "riverbend":
        return {}
    if (
        Seat.objects.filter(program=program).exists()
        or Meeting.objects.filter(program=program).exists()
    ):
        return {}
    with transaction.atomic():
        return _CommitteeBuilder(program, today or program.today()).build()
