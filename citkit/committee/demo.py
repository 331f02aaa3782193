"""Demo data for the Steering Committee and the implementation plan.

Riverbend County gets a committee of twelve active seats (and one that ended), the
three subcommittees (the Data subcommittee still lacks an advocate, so the balance
check has something to show), six monthly meetings held with agendas, attendance,
minutes, decisions and action items, one meeting coming up, a plan part-way through
*Implement* and a few service gaps, plus weekly progress snapshots over the six
months, taken as the plan moved.

Everything goes through the services with actor=None (the system), like the rest
of the demo. The content is fixed; the dates count back from the day it is loaded
(a demo whose "next meeting" lies in the past shows nothing), so two loads on the
same day are identical, and loading again changes nothing.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from citkit.committee import services
from citkit.committee.models import ActionItem, Meeting, Seat, ServiceGap, Subcommittee
from citkit.committee.selectors import program_today
from citkit.core.models import Membership, Program
from citkit.partners.models import Agency
from citkit.plan import services as plan_services
from citkit.plan.models import Task

User = get_user_model()

DAY = datetime.timedelta(days=1)
MEETING_START = datetime.time(9, 0)
MEETING_LENGTH = datetime.timedelta(minutes=90)
LOCATION = "Riverbend County Sheriff's Office, 400 Courthouse Square, Training Room B"
CALL_LINK = "https://meet.riverbendcounty.example/cit-steering"
SHERIFF = "Riverbend County Sheriff's Office"
POLICE = "Riverbend Police Department"
RBH = "Riverbend Behavioral Health"
NAMI = "NAMI Riverbend"


# --- The committee ---------------------------------------------------------------


@dataclass(frozen=True)
class SeatSpec:
    holder: str
    agency: str  # "" for none
    seat_type: str
    joined_at: int  # index of the meeting the seat starts at
    user: str = ""  # demo login holding the seat
    left_after: int | None = None  # index of the meeting after which the seat ended


SEATS = (
    SeatSpec("Chief Deputy Raymond Hale", SHERIFF, "chair", 0),
    SeatSpec("Dr. Amara Nwosu", RBH, "co_chair", 0),
    SeatSpec("Sgt. Luis Herrera", POLICE, "le_coordinator", 1),
    SeatSpec("Priya Raman", RBH, "mh_coordinator", 1, user="trainer"),
    SeatSpec("Harold Jennings", NAMI, "advocate", 0, user="committee"),
    SeatSpec("Beatriz Souza", NAMI, "advocate", 0),
    SeatSpec("Chief Patricia Lang", POLICE, "agency_executive", 0),
    SeatSpec("Sheriff Thomas Boyd", SHERIFF, "agency_executive", 0),
    SeatSpec("Judge Eleanor Whitman", "Riverbend County Courts & Jail", "champion", 0),
    SeatSpec("Dana Whitfield", "", "member", 0, user="coordinator"),
    SeatSpec("Michael Okafor", POLICE, "member", 1, user="agencyadmin"),
    SeatSpec("Rosa Delgado", "Riverbend Crisis Stabilization Unit", "member", 4),
    SeatSpec("Capt. Derek Olsen", "Riverbend County EMS", "member", 0, left_after=2),
)

# (name, perspective, agency) per subcommittee; Data has no advocate yet.
SUBCOMMITTEE_MEMBERS = {
    "Systems": (
        ("Sgt. Luis Herrera", "officer", POLICE),
        ("Rosa Delgado", "provider", "Riverbend Crisis Stabilization Unit"),
        ("Beatriz Souza", "advocate", NAMI),
        ("Renee Castillo", "other", "Riverbend County Emergency Communications (911)"),
    ),
    "Data": (
        ("Lt. Angela Marsh", "officer", SHERIFF),
        ("Marcus Greene", "provider", "Riverbend 988 Crisis Line"),
        ("Wen Li", "other", ""),
    ),
    "Training": (
        ("Kim Tran", "officer", POLICE),
        ("Priya Raman", "provider", RBH),
        ("Harold Jennings", "advocate", NAMI),
        ("Eli Goldberg", "advocate", "Riverbend Mobile Crisis Team"),
    ),
}

# (subcommittee, meeting index it reported to, title, text)
SUBCOMMITTEE_REPORTS = (
    (
        "Systems",
        3,
        "How a mental-health crisis call is handled today",
        "Calls reach 911 or 988. 911 sends the nearest patrol unit; no CIT flag exists yet "
        "in CAD. Officers take most people to St. Luke's Emergency Department, where the "
        "median wait for an officer to hand off is 3 h 10 min. The Crisis Stabilization Unit "
        "takes police drop-offs only on weekdays. Recommendation: make the CSU the single "
        "point of entry with a no-refusal policy and a 15-minute hand-off.",
    ),
    (
        "Data",
        4,
        "Mental-health calls in the last twelve months",
        "CAD holds 2,140 calls coded as mental-health related across the three agencies "
        "(Riverbend PD 1,180; Sheriff's Office 790; Millbrook PD 170); 38% fall between 8 p.m. "
        "and 4 a.m. Dispositions are free text and cannot be counted. Recommendation: add a "
        "CIT disposition code and a short contact form officers fill in after each call.",
    ),
    (
        "Training",
        5,
        "Curriculum outline and trainers needed",
        "A 40-hour outline following the Memphis model: 12 hours of clinical topics, 10 hours "
        "of de-escalation with scenarios, site visits on day 3, family and peer presenters "
        "from NAMI Riverbend. Eight trainers are needed (four officers, four providers); "
        "three have volunteered so far.",
    ),
)


# --- Meetings ----------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionSpec:
    text: str
    votes: tuple[int, int, int] | None = (0, 0, 0)  # for, against, abstaining; None: no vote
    decided_by: str = "the committee"


@dataclass(frozen=True)
class ActionSpec:
    title: str
    owner: str  # demo login
    due: tuple[str, int]  # ("meeting", days after it) or ("today", days from the load day)
    status: str = "open"
    decision: int | None = None  # index into the meeting's decisions
    concerns: str = ""  # "task:<key>", "subcommittee:<name>" or "gap:<title>"
    notes: str = ""


@dataclass(frozen=True)
class MeetingSpec:
    title: str
    agenda: tuple[tuple[str, str, int], ...]  # (title, presenter, minutes)
    minutes: str
    decisions: tuple[DecisionSpec, ...] = ()
    actions: tuple[ActionSpec, ...] = ()
    online: bool = False


MEETINGS = (
    MeetingSpec(
        "Steering Committee kickoff",
        (
            ("Welcome and introductions", "Chief Deputy Raymond Hale", 15),
            ("What CIT is: the Memphis model and its core elements", "Dr. Amara Nwosu", 30),
            ("Committee charter and membership", "Dana Whitfield", 20),
            ("Choosing a chair", "Dana Whitfield", 10),
            ("Next steps", "Dana Whitfield", 15),
        ),
        "Ten partners met to formalize the Steering Committee. Dr. Nwosu presented the "
        "Memphis model and the ten core elements; members agreed that CIT is more than a "
        "training and needs a receiving facility that never turns officers away. The "
        "charter was adopted and officers of the committee elected.",
        (
            DecisionSpec(
                "Adopt the Steering Committee charter; the committee meets on the second "
                "Tuesday of each month.",
                (10, 0, 0),
            ),
            DecisionSpec(
                "Elect Chief Deputy Raymond Hale chair and Dr. Amara Nwosu co-chair.",
                (9, 0, 1),
            ),
        ),
        (
            ActionSpec("Circulate the charter and the contact list", "coordinator", ("meeting", 7),
                       "done", decision=0),
            ActionSpec("Invite the Millbrook police chief and the 911 director", "committee",
                       ("meeting", 21), "done"),
        ),
    ),
    MeetingSpec(
        "Coordinators and the site visit",
        (
            ("Minutes of the last meeting", "Chief Deputy Raymond Hale", 5),
            ("Designating the CIT coordinators", "Chief Patricia Lang", 20),
            ("A site visit to an established program", "Dana Whitfield", 25),
            ("Funding: the state CIT implementation grant", "Dana Whitfield", 20),
        ),
        "The committee designated a law-enforcement and a mental-health CIT coordinator and "
        "agreed to send a delegation of an officer, a provider and an advocate to visit an "
        "established CIT program. The state grant closes in the autumn; the coordinator "
        "will prepare the application.",
        (
            DecisionSpec(
                "Designate Sgt. Luis Herrera (Riverbend PD) as law-enforcement CIT coordinator "
                "and Priya Raman (Riverbend Behavioral Health) as mental-health CIT coordinator.",
                (11, 0, 0),
            ),
            DecisionSpec(
                "Send Sgt. Herrera, Priya Raman and Beatriz Souza to visit the Springfield "
                "County CIT program.",
                (11, 0, 0),
            ),
        ),
        (
            ActionSpec("Book the site visit with the Springfield County CIT program",
                       "coordinator", ("meeting", 14), "done", decision=1,
                       concerns="task:site-visit-delegation"),
            ActionSpec("Draft a needs assessment along the Sequential Intercept Model",
                       "committee", ("meeting", 45), "done", concerns="task:assess-needs"),
            ActionSpec("Prepare the state CIT implementation grant application", "coordinator",
                       ("today", 30), "in_progress", concerns="task:seek-funding",
                       notes="Budget drafted; letters of support from both chiefs received."),
        ),
    ),
    MeetingSpec(
        "Subcommittees",
        (
            ("Minutes of the last meeting", "Chief Deputy Raymond Hale", 5),
            ("Creating the Systems, Data and Training subcommittees", "Dana Whitfield", 30),
            ("Site visit: first impressions", "Sgt. Luis Herrera", 20),
            ("Data we already hold", "Michael Okafor", 15),
        ),
        "The committee created the three subcommittees the model recommends and gave each "
        "a charge and a deadline. The Data subcommittee has no advocate yet; NAMI will look "
        "for one. The site-visit delegation reported that the host program's receiving "
        "facility is what makes CIT work there.",
        (
            DecisionSpec(
                "Create the Systems, Data and Training subcommittees with the charges in "
                "these minutes; each reports back within three months.",
                (12, 0, 0),
            ),
        ),
        (
            ActionSpec("Recruit an advocate for the Data subcommittee", "committee",
                       ("meeting", 30), "open", decision=0, concerns="subcommittee:Data",
                       notes="Two NAMI volunteers asked; no answer yet."),
            ActionSpec("Pull twelve months of mental-health calls from the RPD records system",
                       "agencyadmin", ("meeting", 28), "done"),
        ),
    ),
    MeetingSpec(
        "The current crisis system",
        (
            ("Minutes of the last meeting", "Chief Deputy Raymond Hale", 5),
            ("Systems subcommittee report", "Sgt. Luis Herrera", 30),
            ("Needs assessment", "Harold Jennings", 20),
            ("Service gaps", "Dr. Amara Nwosu", 20),
        ),
        "The Systems subcommittee mapped how a crisis call is handled today. The committee "
        "accepted its report and agreed not to wait for a youth receiving facility: youth "
        "will go to St. Luke's with Youth & Family Services on call until one exists. The "
        "MOU between law enforcement and the Crisis Stabilization Unit is the next step.",
        (
            DecisionSpec("Accept the Systems subcommittee's report on the current crisis system.",
                         (11, 0, 1)),
            DecisionSpec(
                "Register the missing youth receiving facility as a service gap and proceed "
                "with implementation using the interim workaround.",
                None,
                "the committee (consensus)",
            ),
        ),
        (
            ActionSpec("Draft the MOU between law enforcement and the Crisis Stabilization Unit",
                       "coordinator", ("today", -5), "in_progress",
                       concerns="task:develop-memorandum",
                       notes="Draft 2 circulated; waiting on the CSU's transport clause."),
            ActionSpec("Ask the County for a second night mobile crisis team", "committee",
                       ("meeting", 21), "done",
                       concerns="gap:No mobile crisis after midnight in the east county"),
        ),
    ),
    MeetingSpec(
        "Site-visit report and the MOU",
        (
            ("Minutes of the last meeting", "Chief Deputy Raymond Hale", 5),
            ("Site-visit report and recommendations", "Priya Raman", 30),
            ("Data subcommittee report", "Lt. Angela Marsh", 20),
            ("MOU: first draft", "Dana Whitfield", 25),
        ),
        "The delegation presented its report. The committee adopted its two main "
        "recommendations and set a coverage target for officer training. The Data "
        "subcommittee found 2,140 mental-health calls in twelve months. The first draft "
        "of the MOU goes to each agency's counsel.",
        (
            DecisionSpec(
                "Adopt the site-visit recommendations: the Crisis Stabilization Unit becomes "
                "the single point of entry, with a 15-minute officer hand-off.",
                (11, 0, 1),
            ),
            DecisionSpec(
                "Train 25% of patrol: 75 officers across the three agencies by the end of "
                "next year, with every shift covered.",
                (12, 0, 0),
            ),
        ),
        (
            ActionSpec("Send the draft MOU to each agency's counsel", "agencyadmin",
                       ("today", -9), "open", decision=0, concerns="task:develop-memorandum"),
            ActionSpec("Review RPD's mental-health call policy against the model policy",
                       "agencyadmin", ("today", 20), "in_progress",
                       concerns="task:develop-policies"),
            ActionSpec("Outline a media plan for the first class", "committee", ("today", 40),
                       "open", concerns="task:plan-media"),
        ),
    ),
    MeetingSpec(
        "Trainers and policies",
        (
            ("Minutes of the last meeting", "Chief Deputy Raymond Hale", 5),
            ("Training subcommittee report: curriculum outline", "Priya Raman", 30),
            ("Recruiting trainers", "Sgt. Luis Herrera", 20),
            ("Policy review in each agency", "Chief Patricia Lang", 20),
        ),
        "The Training subcommittee presented a 40-hour outline. The committee approved "
        "recruiting eight trainers and asked each law-enforcement agency to review its "
        "policies against the model. The first class is planned for the spring.",
        (
            DecisionSpec(
                "Recruit eight trainers (four officers, four mental-health providers), with "
                "NAMI presenters for the family and peer perspectives.",
                (12, 0, 0),
            ),
            DecisionSpec("Plan the first 40-hour class for the spring.", None,
                         "the committee (consensus)"),
        ),
        (
            ActionSpec("Post the call for trainers in all three agencies", "coordinator",
                       ("today", 7), "open", decision=0, concerns="task:recruit-trainers"),
            ActionSpec("Ask NAMI presenters for the family and peer panels", "committee",
                       ("meeting", 10), "done"),
        ),
        online=True,
    ),
)  # fmt: skip

UPCOMING = MeetingSpec(
    "Steering Committee meeting",
    (
        ("Minutes of the last meeting", "Chief Deputy Raymond Hale", 5),
        ("Trainer recruitment: applications so far", "Sgt. Luis Herrera", 20),
        ("MOU: counsel's comments", "Dana Whitfield", 25),
        ("Policy review: Riverbend PD and Sheriff's Office drafts", "Michael Okafor", 20),
        ("Gap register: youth receiving facility", "Dr. Amara Nwosu", 15),
    ),
    "",
)

# Attendance: most members come; these (seat index, meeting index) were absent or excused.
ABSENT = {(7, 1), (8, 3), (12, 1), (6, 4)}
EXCUSED = {(8, 0), (7, 4), (5, 2), (1, 5), (11, 5)}


# --- The plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class TaskSpec:
    key: str
    status: str  # where it is now
    at: tuple[str, int] | None = None  # when it reached that status (see ActionSpec.due)
    started: tuple[str, int] | None = None  # when it went in progress, if done later
    owner: str = ""
    subcommittee: str = ""
    due: tuple[str, int] | None = None
    notes: str = ""


def _m(index: int, days: int = 0) -> tuple[str, int]:
    return (f"meeting{index}", days)


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


# --- Service gaps ------------------------------------------------------------------


@dataclass(frozen=True)
class GapSpec:
    title: str
    description: str
    status: str
    workaround: str
    owner: str
    target: tuple[str, int] | None
    affected: tuple[str, ...]


GAPS = (
    GapSpec(
        "No 24-hour receiving facility for youth",
        "The Crisis Stabilization Unit takes adults only. Officers with a young person in "
        "crisis wait in the emergency department, often for hours.",
        ServiceGap.Status.WORKAROUND,
        "Youth go to St. Luke's Emergency Department; Riverbend Youth & Family Services "
        "sends its on-call crisis coordinator within the hour.",
        "committee",
        ("today", 150),
        ("Riverbend Youth & Family Services", "St. Luke's Emergency Department", POLICE, SHERIFF),
    ),
    GapSpec(
        "No mobile crisis after midnight in the east county",
        "The Mobile Crisis Team's night shift covers the city only; between midnight and "
        "8 a.m. calls from Millbrook and the east districts go to law enforcement alone.",
        ServiceGap.Status.OPEN,
        "",
        "coordinator",
        ("today", 60),
        ("Riverbend Mobile Crisis Team", "Millbrook Police Department", SHERIFF),
    ),
    GapSpec(
        "No Spanish-speaking crisis clinician on nights",
        "About one crisis call in ten is from a Spanish-speaking household; the night "
        "clinicians rely on the phone interpreter line.",
        ServiceGap.Status.OPEN,
        "Phone interpreter line; the 988 Crisis Line has two bilingual counselors.",
        "",
        None,
        ("Riverbend Mobile Crisis Team", "Riverbend 988 Crisis Line"),
    ),
    GapSpec(
        "No police drop-off at the Crisis Stabilization Unit on weekends",
        "Officers had to take people to the emergency department on weekends.",
        ServiceGap.Status.RESOLVED,
        "",
        "coordinator",
        _m(4),
        ("Riverbend Crisis Stabilization Unit",),
    ),
)


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


class _CommitteeBuilder:
    def __init__(self, program: Program, today: datetime.date):
        self.program = program
        self.today = today
        self.zone = zoneinfo.ZoneInfo(program.time_zone)
        self.held_days, self.next_day = meeting_days(today)
        self.users = {
            m.user.username: m.user
            for m in Membership.objects.filter(program=program).select_related("user")
        }
        self.agencies = {a.name: a for a in Agency.objects.filter(program=program)}
        self.counts = {
            "seats": 0,
            "meetings": 0,
            "decisions": 0,
            "action items": 0,
            "gaps": 0,
            "snapshots": 0,
        }

    # Helpers ------------------------------------------------------------------

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

    def agency(self, name: str):
        return self.agencies.get(name) if name else None

    # Building -----------------------------------------------------------------

    def build(self) -> dict[str, int]:
        seats = self._seats()
        subcommittees = self._subcommittees()
        plan_services.plan_seed(actor=None, program=self.program)
        self.tasks = {t.key: t for t in Task.objects.filter(program=self.program)}
        self.subcommittees = subcommittees
        self.gaps = self._gaps()
        for index, spec in enumerate(MEETINGS):
            self._meeting(index, spec, self.held_days[index], seats)
        self._meeting(None, UPCOMING, self.next_day, seats)
        self._plan_and_snapshots()
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
        return {"task": self.tasks, "subcommittee": self.subcommittees, "gap": self.gaps}[kind][key]

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
            due = (
                self.day(action.due)
                if action.due[0] == "today"
                else day + datetime.timedelta(days=action.due[1])
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
                concerns=self._concerns(action.concerns),
            )
            if action.status != ActionItem.Status.OPEN:
                services.action_item_update(actor=None, item=item, data={"status": action.status})
                if action.status == ActionItem.Status.DONE:
                    # The service stamps the completion now; the demo's happened back then.
                    done_on = min(due - 2 * DAY, self.today - DAY)
                    ActionItem.objects.filter(pk=item.pk).update(
                        completed_at=self.at(done_on, datetime.time(16, 0))
                    )
            self.counts["action items"] += 1
        return meeting

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


def load_committee_demo(program: Program, *, today: datetime.date | None = None) -> dict[str, int]:
    """The committee and the plan of a demo program, if it has a demo committee and has
    none yet. Returns what was created (nothing if the committee already exists)."""
    if program.slug != "riverbend":
        return {}
    if (
        Seat.objects.filter(program=program).exists()
        or Meeting.objects.filter(program=program).exists()
    ):
        return {}
    with transaction.atomic():
        return _CommitteeBuilder(program, today or program_today(program)).build()
