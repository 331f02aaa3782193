"""The demo's fictional counties: their partner agencies, forces and staff, and the
names people are given. Plain data; `builder.py` turns it into records."""

from dataclasses import dataclass, field

from citkit.partners.models import AgencyType
from citkit.people.models import PersonKind, Shift

# --- Agencies ---------------------------------------------------------------


@dataclass(frozen=True)
class AgencySpec:
    name: str
    agency_type: str
    street: str
    city: str
    postal_code: str
    main_phone: str
    domain: str  # e-mail domain of the agency's people
    crisis_phone: str = ""
    operates_24_7: bool = False
    notes: str = ""
    contacts: tuple[tuple[str, str], ...] = ()  # (name, title); the first is the primary


@dataclass(frozen=True)
class ProgramSpec:
    slug: str
    name: str
    jurisdiction: str
    time_zone: str
    state: str
    agencies: tuple[AgencySpec, ...]
    # (agency name, number of officers, rank of a line officer, district weights, first badge)
    law_enforcement: tuple[tuple[str, int, str, dict[str, int], int], ...]
    # (kind, agency name, number, titles)
    staff: tuple[tuple[str, str, int, tuple[str, ...]], ...] = ()
    # Logins linked to a person record: username -> (kind, agency name).
    linked_people: dict[str, tuple[str, str]] = field(default_factory=dict)


T = AgencyType
RIVERBEND_AGENCIES = (
    AgencySpec(
        "Riverbend County Sheriff's Office", T.LAW_ENFORCEMENT, "400 Courthouse Square",
        "Riverbend", "65590", "(573) 555-0110", "rcso.riverbendcounty.example",
        crisis_phone="(573) 555-0111", operates_24_7=True,
        notes="Patrols the unincorporated county in four districts; countywide units "
        "(courts, transport, warrants) are listed under district County.",
        contacts=(("Lt. Angela Marsh", "CIT Coordinator"), ("Sheriff Thomas Boyd", "Sheriff")),
    ),
    AgencySpec(
        "Riverbend Police Department", T.LAW_ENFORCEMENT, "200 W Main Street", "Riverbend",
        "65590", "(573) 555-0120", "police.riverbend.example",
        crisis_phone="(573) 555-0121", operates_24_7=True,
        contacts=(
            ("Sgt. Luis Herrera", "CIT Coordinator"),
            ("Chief Patricia Lang", "Chief of Police"),
            ("Kim Tran", "Training Unit"),
        ),
    ),
    AgencySpec(
        "Millbrook Police Department", T.LAW_ENFORCEMENT, "15 Mill Street", "Millbrook",
        "65592", "(573) 555-0125", "police.millbrook.example",
        crisis_phone="(573) 555-0126", operates_24_7=True,
        notes="Small city in the east of the county; its officers all work district East.",
        contacts=(("Cpl. Ben Whitaker", "CIT Liaison"), ("Chief Ronald Pierce", "Chief of Police")),
    ),
    AgencySpec(
        "Riverbend County Emergency Communications (911)", T.DISPATCH, "410 Courthouse Square",
        "Riverbend", "65590", "(573) 555-0130", "911.riverbendcounty.example",
        crisis_phone="(573) 555-0131", operates_24_7=True,
        notes="Answers 911 for all three law-enforcement agencies. CAD flags calls where the "
        "caller or officer asks for a CIT officer.",
        contacts=(("Renee Castillo", "Communications Director"), ("Tamika Brooks", "CIT Liaison")),
    ),
    AgencySpec(
        "Riverbend Behavioral Health", T.MENTAL_HEALTH, "1200 Hospital Drive", "Riverbend",
        "65590", "(573) 555-0140", "rbh.example", crisis_phone="(573) 555-0141",
        operates_24_7=True,
        notes="Community mental-health center: outpatient care, case management and the "
        "24-hour crisis clinicians who staff the Mobile Crisis Team.",
        contacts=(
            ("Dr. Amara Nwosu", "Clinical Director"),
            ("Priya Raman", "CIT Trainer, LCSW"),
        ),
    ),
    AgencySpec(
        "Riverbend 988 Crisis Line", T.CRISIS_LINE, "1200 Hospital Drive, Suite 300",
        "Riverbend", "65590", "(573) 555-0145", "988.rbh.example", crisis_phone="988",
        operates_24_7=True,
        notes="Answers 988 calls, texts and chats from the county; can send the Mobile "
        "Crisis Team without police.",
        contacts=(("Marcus Greene", "Call Center Manager"),),
    ),
    AgencySpec(
        "Riverbend Mobile Crisis Team", T.MOBILE_CRISIS, "1200 Hospital Drive", "Riverbend",
        "65590", "(573) 555-0150", "mct.rbh.example", crisis_phone="(573) 555-0151",
        operates_24_7=True,
        notes="Clinician and peer teams; respond countywide and co-respond with CIT officers "
        "on request.",
        contacts=(("Jasmine Carter", "Team Lead"), ("Eli Goldberg", "Peer Coordinator")),
    ),
    AgencySpec(
        "Riverbend Crisis Stabilization Unit", T.RECEIVING_FACILITY, "1250 Hospital Drive",
        "Riverbend", "65590", "(573) 555-0155", "csu.rbh.example",
        crisis_phone="(573) 555-0156", operates_24_7=True,
        notes="Single point of entry for law enforcement: no-refusal policy, takes walk-ins "
        "and police drop-offs at any hour. Officer hand-off target: 15 minutes.",
        contacts=(
            ("Rosa Delgado", "Program Manager"),
            ("Felix Adeyemi", "Intake Nurse Supervisor"),
        ),
    ),
    AgencySpec(
        "St. Luke's Emergency Department", T.EMERGENCY_DEPARTMENT, "3000 St. Luke's Way",
        "Riverbend", "65591", "(573) 555-0160", "stlukes-riverbend.example",
        crisis_phone="(573) 555-0161", operates_24_7=True,
        notes="For medical emergencies and medical clearance; otherwise take the person to the "
        "Crisis Stabilization Unit.",
        contacts=(("Dr. Hannah Fischer", "ED Medical Director"), ("Omar Siddiqui", "Social Work")),
    ),
    AgencySpec(
        "Riverbend County EMS", T.EMS, "55 Station Road", "Riverbend", "65590",
        "(573) 555-0165", "ems.riverbendcounty.example", operates_24_7=True,
        contacts=(("Capt. Derek Olsen", "EMS Operations"),),
    ),
    AgencySpec(
        "Riverbend County Department of Social Services", T.SOCIAL_SERVICES,
        "600 Commerce Street", "Riverbend", "65590", "(573) 555-0170",
        "dss.riverbendcounty.example",
        contacts=(("Linda Park", "Adult Protective Services Supervisor"),),
    ),
    AgencySpec(
        "Riverbend Youth & Family Services", T.YOUTH_SERVICES, "88 Elm Street", "Riverbend",
        "65590", "(573) 555-0175", "ryfs.example", crisis_phone="(573) 555-0176",
        contacts=(("Andre Williams", "Youth Crisis Coordinator"),),
    ),
    AgencySpec(
        "Riverbend VA Community Clinic", T.VETERANS_SERVICES, "700 Liberty Avenue",
        "Riverbend", "65591", "(573) 555-0180", "va-riverbend.example",
        notes="Veterans in crisis: the Veterans Crisis Line is 988, then press 1.",
        contacts=(("Gloria Mendez", "Veterans Justice Outreach Specialist"),),
    ),
    AgencySpec(
        "NAMI Riverbend", T.ADVOCACY, "120 Oak Street", "Riverbend", "65590",
        "(573) 555-0185", "namiriverbend.example",
        notes="Family and peer presenters for the 40-hour class; runs the family support group.",
        contacts=(
            ("Harold Jennings", "President"),
            ("Beatriz Souza", "Family Programs Coordinator"),
        ),
    ),
    AgencySpec(
        "Riverbend County Courts & Jail", T.COURTS_JAIL, "400 Courthouse Square, Annex",
        "Riverbend", "65590", "(573) 555-0190", "courts.riverbendcounty.example",
        operates_24_7=True,
        notes="Mental-health court docket on Thursdays; jail intake screens for CIT referrals.",
        contacts=(
            ("Judge Eleanor Whitman", "Mental Health Court"),
            ("Capt. Ray Dunn", "Jail Administrator"),
        ),
    ),
    AgencySpec(
        "Riverbend Unified School District", T.SCHOOLS, "900 Learning Lane", "Riverbend",
        "65590", "(573) 555-0195", "rusd.example",
        contacts=(("Monica Ellis", "Director of Student Services"),),
    ),
    AgencySpec(
        "Riverbend 211 Information & Referral", T.OTHER, "120 Oak Street, Suite 2",
        "Riverbend", "65590", "(573) 555-0198", "211riverbend.example", crisis_phone="211",
        operates_24_7=True,
        notes="Housing, food and benefits referrals after a crisis.",
        contacts=(("Paul Novak", "Resource Manager"),),
    ),
)  # fmt: skip

LAKESHORE_AGENCIES = (
    AgencySpec(
        "Lakeshore County Sheriff's Office", T.LAW_ENFORCEMENT, "1 Harbor Plaza", "Port Avery",
        "49770", "(231) 555-0110", "sheriff.lakeshorecounty.example", operates_24_7=True,
        contacts=(("Sgt. Nora Lindqvist", "CIT Coordinator"),),
    ),
    AgencySpec(
        "Port Avery Police Department", T.LAW_ENFORCEMENT, "22 Dock Street", "Port Avery",
        "49770", "(231) 555-0120", "police.portavery.example", operates_24_7=True,
        contacts=(("Lt. Frank Kowalski", "Patrol Commander"),),
    ),
    AgencySpec(
        "Lakeshore County 911", T.DISPATCH, "3 Harbor Plaza", "Port Avery", "49770",
        "(231) 555-0130", "911.lakeshorecounty.example", operates_24_7=True,
        contacts=(("Aaron Bright", "Director"),),
    ),
    AgencySpec(
        "Lakeshore Counseling Center", T.MENTAL_HEALTH, "410 Lake Road", "Port Avery", "49770",
        "(231) 555-0140", "lakeshorecounseling.example", crisis_phone="(231) 555-0141",
        operates_24_7=True, contacts=(("Dr. Ingrid Sato", "Executive Director"),),
    ),
    AgencySpec(
        "Lakeshore Regional Medical Center", T.EMERGENCY_DEPARTMENT, "900 Shore Drive",
        "Port Avery", "49771", "(231) 555-0160", "lrmc.example", operates_24_7=True,
        contacts=(("Carl Jensen", "ED Nurse Manager"),),
    ),
    AgencySpec(
        "NAMI Lakeshore", T.ADVOCACY, "18 Pine Street", "Port Avery", "49770",
        "(231) 555-0185", "namilakeshore.example",
        contacts=(("Ruth Abernathy", "President"),),
    ),
)  # fmt: skip

QUARTERS = {"North": 1, "South": 1, "East": 1, "West": 1}
# Deputies patrol the unincorporated parts of the four quarters; countywide units are "County".
SHERIFF_DISTRICTS = {"North": 22, "South": 22, "East": 22, "West": 22, "County": 12}

PROGRAMS = (
    ProgramSpec(
        slug="riverbend",
        name="Riverbend County CIT Program",
        jurisdiction="Riverbend County",
        time_zone="America/Chicago",
        state="MO",
        agencies=RIVERBEND_AGENCIES,
        law_enforcement=(
            ("Riverbend County Sheriff's Office", 100, "Deputy", SHERIFF_DISTRICTS, 1100),
            ("Riverbend Police Department", 160, "Officer", QUARTERS, 2100),
            ("Millbrook Police Department", 40, "Officer", {"East": 1}, 300),
        ),
        staff=(
            (
                PersonKind.DISPATCHER,
                "Riverbend County Emergency Communications (911)",
                30,
                ("Telecommunicator",) * 6 + ("Senior Telecommunicator", "Shift Supervisor"),
            ),
            (
                PersonKind.CLINICIAN,
                "Riverbend Behavioral Health",
                9,
                ("LCSW", "Licensed Professional Counselor", "Case Manager", "Psychiatrist"),
            ),
            (
                PersonKind.CLINICIAN,
                "Riverbend Mobile Crisis Team",
                5,
                ("Crisis Clinician", "LCSW"),
            ),
            (
                PersonKind.CLINICIAN,
                "Riverbend Crisis Stabilization Unit",
                4,
                ("Psychiatric Nurse", "Crisis Clinician", "Nurse Practitioner"),
            ),
            (PersonKind.CLINICIAN, "St. Luke's Emergency Department", 1, ("Social Worker",)),
            (PersonKind.CLINICIAN, "Riverbend VA Community Clinic", 1, ("Psychologist",)),
            (
                PersonKind.ADVOCATE,
                "NAMI Riverbend",
                10,
                ("Family Presenter", "Peer Presenter", "Volunteer Advocate"),
            ),
            (
                PersonKind.PEER,
                "Riverbend Mobile Crisis Team",
                3,
                ("Certified Peer Specialist",),
            ),
            (
                PersonKind.PEER,
                "Riverbend Crisis Stabilization Unit",
                2,
                ("Certified Peer Specialist",),
            ),
        ),
        linked_people={
            "officer": (PersonKind.OFFICER, "Riverbend Police Department"),
            "dispatcher": (
                PersonKind.DISPATCHER,
                "Riverbend County Emergency Communications (911)",
            ),
            "trainer": (PersonKind.CLINICIAN, "Riverbend Behavioral Health"),
        },
    ),
    ProgramSpec(
        slug="lakeshore",
        name="Lakeshore County CIT Program",
        jurisdiction="Lakeshore County",
        time_zone="America/New_York",
        state="MI",
        agencies=LAKESHORE_AGENCIES,
        law_enforcement=(
            ("Lakeshore County Sheriff's Office", 12, "Deputy", {"North": 1, "South": 1}, 400),
            ("Port Avery Police Department", 8, "Officer", {"Harbor": 1}, 60),
        ),
    ),
)

# --- Names ------------------------------------------------------------------

FIRST_NAMES = (  # noqa: SIM905 — easier to read than 100 quoted names
    "James Maria Michael Aisha David Mei Robert Fatima Daniel Keisha Carlos Emily Jamal Sofia "
    "Kevin Priya Brian Ana Tyrone Hannah Luis Grace Marcus Nicole Ahmed Rachel Jose Lauren "
    "DeShawn Megan Hiroshi Olivia Anthony Yesenia Eric Chloe Samuel Tanisha Christopher Leah "
    "Miguel Amanda Andre Rebecca Tuan Jessica Patrick Imani Steven Gabriela Kwame Katherine Jacob "
    "Lucia Terrence Sarah Ivan Brianna Matthew Esperanza Darnell Heather Rajesh Natalie Joseph "
    "Alejandra Thomas Ebony Ryan Mariana William Krystal Nathan Ayesha Cody Veronica Raymond Mia "
    "Adrian Shaniqua Gregory Elena Tyler Danielle Omar Stephanie Victor Jasmine"
).split()
LAST_NAMES = (  # noqa: SIM905 — easier to read than 100 quoted names
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Kim Patel Chen "
    "Okonkwo Washington Jefferson Begay Yazzie Schmidt Kowalski Novak Murphy O'Brien Sullivan "
    "Kaur Singh Tanaka Park Cohen Rosen Haddad Khan Ali Mensah Diallo Ortiz Castillo Vargas "
    "Romero Jimenez Morales Reyes Cruz Gutierrez Bennett Foster Hughes Price Sanders Ross Jenkins "
    "Powell Long Patterson Fischer Weber Larsen Olsen Horvat Petrov"
).split()

SHIFTS = (Shift.DAY, Shift.EVENING, Shift.NIGHT, Shift.ROTATING)
SHIFT_WEIGHTS = (32, 32, 31, 5)
INACTIVE_SHARE = 0.05
# (years of service at least, {rank: weight}); "" is the line rank (Officer or Deputy).
RANK_WEIGHTS_BY_SERVICE = (
    (15, {"Captain": 8, "Lieutenant": 15, "Sergeant": 27, "Corporal": 12, "": 38}),
    (8, {"Lieutenant": 4, "Sergeant": 16, "Corporal": 12, "": 68}),
    (3, {"Sergeant": 3, "Corporal": 8, "": 89}),
    (0, {"": 1}),
)
