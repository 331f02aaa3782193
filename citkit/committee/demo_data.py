"""The fixed content of the demo committee: who sits on it, what each meeting
discussed and decided, and the service gaps (loaded by committee.demo)."""

import datetime
from dataclasses import dataclass

from citkit.committee.models import ServiceGap

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
    concerns: str = ""  # "subcommittee:<name>" or "gap:<title>" (plan tasks: plan.demo)
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


def _m(index: int, days: int = 0) -> tuple[str, int]:
    """A day counted from the `index`th meeting held."""
    return (f"meeting{index}", days)


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
