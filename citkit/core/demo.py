"""The demo: two fictional county CIT programs, built through the services.

Everything goes through the same services as the pages and the API, so the demo
has a real audit trail and obeys every rule a coordinator's own data does. It is
deterministic (a fixed seed, fixed name lists, a fixed reference date), so every
machine gets the same Riverbend County, and loading it again changes nothing.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from citkit.committee.demo import load_committee_demo
from citkit.core import services
from citkit.core.models import Membership, Program, Role
from citkit.partners import services as partner_services
from citkit.partners.models import Agency, AgencyType
from citkit.people import services as people_services
from citkit.people.models import Person, PersonKind, PersonStatus, Shift

User = get_user_model()

DEMO_PASSWORD = "citkit-demo-2026"  # noqa: S105 — published on purpose: demo logins only
SEED = 2026
# Hire dates count back from a fixed day, not from today, so the demo is the same every day.
REFERENCE_DATE = datetime.date(2026, 1, 1)


# --- Logins -----------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    role: str
    programs: tuple[str, ...]
    sees: str
    agency: str = ""  # for an agency administrator: the agency they act for


DEMO_LOGINS = [
    DemoLogin(
        "coordinator", "Dana", "Whitfield", Role.COORDINATOR, ("riverbend",),
        "everything in Riverbend: committee & plan, agencies, people, members, audit trail",
    ),
    DemoLogin(
        "committee", "Harold", "Jennings", Role.COMMITTEE_MEMBER, ("riverbend",),
        "runs the committee and plan with the coordinator; directory and roster read-only",
    ),
    DemoLogin(
        "agencyadmin", "Michael", "Okafor", Role.AGENCY_ADMIN, ("riverbend",),
        "follows the plan; edits Riverbend Police Department, its people, own action items",
        agency="Riverbend Police Department",
    ),
    DemoLogin(
        "trainer", "Priya", "Raman", Role.TRAINER, ("riverbend",),
        "the partner directory, the roster and the committee's work, read-only",
    ),
    DemoLogin(
        "officer", "Jordan", "Reyes", Role.OFFICER, ("riverbend",),
        "the partner directory and their own officer record",
    ),
    DemoLogin(
        "dispatcher", "Tamika", "Brooks", Role.DISPATCHER, ("riverbend",),
        "the partner directory and the roster (who is CIT, where, which shift), read-only",
    ),
    DemoLogin(
        "analyst", "Wen", "Li", Role.ANALYST, ("riverbend",),
        "the partner directory and aggregate figures, never individual people",
    ),
    DemoLogin(
        "state", "Grace", "Holloway", Role.STATE_COORDINATOR, ("riverbend", "lakeshore"),
        "both programs (program switcher): directory and aggregate figures",
    ),
    DemoLogin(
        "lakeshore", "Samuel", "Ortega", Role.COORDINATOR, ("lakeshore",),
        "everything in Lakeshore, nothing of Riverbend",
    ),
]  # fmt: skip


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


# --- Loading ----------------------------------------------------------------


@dataclass
class DemoResult:
    loaded: list[str] = field(default_factory=list)  # program names
    skipped: list[str] = field(default_factory=list)  # program names already present
    accounts: list[str] = field(default_factory=list)  # usernames created
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # program -> what -> n


def load_demo(*, if_empty: bool = False) -> DemoResult:
    """Load both demo programs; a program whose slug already exists is left as it is.

    With `if_empty`, load nothing unless the database holds no program at all.
    All or nothing: one transaction.
    """
    result = DemoResult()
    if if_empty and Program.objects.exists():
        result.skipped = list(Program.objects.values_list("name", flat=True)[:20])
        return result
    with transaction.atomic():
        for spec in PROGRAMS:
            existing = Program.objects.filter(slug=spec.slug).first()
            if existing is not None:
                result.skipped.append(existing.name)
                continue
            _ProgramBuilder(spec, result).build()
            result.loaded.append(spec.name)
    return result


def demo_logins_present() -> bool:
    return Program.objects.filter(slug="riverbend").exists() and (
        User.objects.filter(username=DEMO_LOGINS[0].username).exists()
    )


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


class _ProgramBuilder:
    def __init__(self, spec: ProgramSpec, result: DemoResult):
        self.spec = spec
        self.result = result
        # One stream per program, so adding a program never changes another's people.
        self.rng = random.Random(f"{SEED}-{spec.slug}")
        self.agencies: dict[str, Agency] = {}
        self.domains: dict[str, str] = {}
        self.used_names: set[tuple[str, str]] = set()
        self.counts = {"agencies": 0, "contacts": 0, "people": 0, "memberships": 0}

    def build(self) -> None:
        self.program = services.program_create(
            actor=None,
            name=self.spec.name,
            slug=self.spec.slug,
            jurisdiction=self.spec.jurisdiction,
            time_zone=self.spec.time_zone,
        )
        for agency_spec in self.spec.agencies:
            self._agency(agency_spec)
        logins = [login for login in DEMO_LOGINS if self.spec.slug in login.programs]
        users = {login.username: self._login(login) for login in logins}
        # contact_create checks the actor's role even for the system (actor=None), so the
        # program's coordinator enters the contacts, as a coordinator would.
        coordinator = next(users[x.username] for x in logins if x.role == Role.COORDINATOR)
        for agency_spec in self.spec.agencies:
            self._contacts(agency_spec, coordinator)
        # Names of people with logins are taken first, so the generated roster avoids them.
        for login in logins:
            self.used_names.add((login.first_name, login.last_name))
        for agency_name, count, line_rank, districts, first_badge in self.spec.law_enforcement:
            self._officers(agency_name, count, line_rank, districts, first_badge, users)
        for kind, agency_name, count, titles in self.spec.staff:
            self._staff(kind, agency_name, count, titles, users)
        # The Steering Committee, its meetings, the plan and the gap register.
        self.counts.update(load_committee_demo(self.program))
        self.result.counts[self.spec.name] = self.counts

    # Agencies and contacts ----------------------------------------------------

    def _agency(self, spec: AgencySpec) -> None:
        agency = partner_services.agency_create(
            actor=None,
            program=self.program,
            data={
                "name": spec.name,
                "agency_type": spec.agency_type,
                "street": spec.street,
                "city": spec.city,
                "state": self.spec.state,
                "postal_code": spec.postal_code,
                "main_phone": spec.main_phone,
                "crisis_phone": spec.crisis_phone,
                "email": f"info@{spec.domain}",
                "website": f"https://www.{spec.domain}/",
                "operates_24_7": spec.operates_24_7,
                "notes": spec.notes,
            },
        )
        self.agencies[spec.name] = agency
        self.domains[spec.name] = spec.domain
        self.counts["agencies"] += 1

    def _contacts(self, spec: AgencySpec, actor) -> None:
        for index, (name, title) in enumerate(spec.contacts):
            # "Lt. Angela Marsh" -> angela.marsh@...
            email_name = ".".join(_ascii(part) for part in name.split()[-2:])
            partner_services.contact_create(
                actor=actor,
                agency=self.agencies[spec.name],
                data={
                    "name": name,
                    "title": title,
                    "email": f"{email_name}@{spec.domain}",
                    "phone": f"{spec.main_phone} ext. {201 + index * 7}",
                    "is_primary": index == 0,
                },
            )
            self.counts["contacts"] += 1

    # Logins -------------------------------------------------------------------

    def _login(self, login: DemoLogin):
        """The demo account (created with the published demo password if new) and its
        membership, through `member_add` as the system."""
        user = User.objects.filter(username=login.username).first()
        if user is None or not Membership.objects.filter(user=user, program=self.program).exists():
            membership, created = services.member_add(
                actor=None,
                program=self.program,
                username=login.username,
                role=login.role,
                agency=self.agencies[login.agency] if login.agency else None,
                email=f"{login.username}@citkit-demo.example",
                first_name=login.first_name,
                last_name=login.last_name,
                password=DEMO_PASSWORD,
            )
            user = membership.user
            if created:
                self.result.accounts.append(user.username)
            self.counts["memberships"] += 1
        return user

    # People -------------------------------------------------------------------

    def _name(self) -> tuple[str, str]:
        while True:
            name = (self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES))
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def _hire_date(self, max_years: float = 25, mode_years: float = 4) -> datetime.date:
        # Most of a force is junior; a few have served 20 years and more.
        years = self.rng.triangular(0.2, max_years, mode_years)
        return REFERENCE_DATE - datetime.timedelta(days=int(years * 365.25))

    def _shift(self) -> str:
        return self.rng.choices(SHIFTS, weights=SHIFT_WEIGHTS)[0]

    def _status(self) -> str:
        return PersonStatus.INACTIVE if self.rng.random() < INACTIVE_SHARE else PersonStatus.ACTIVE

    def _rank(self, line_rank: str, hire_date: datetime.date) -> str:
        """Promotion comes with years of service; most people stay in the line rank."""
        years = (REFERENCE_DATE - hire_date).days / 365.25
        for min_years, weights in RANK_WEIGHTS_BY_SERVICE:
            if years >= min_years:
                ranks = [rank or line_rank for rank in weights]
                return self.rng.choices(ranks, weights=list(weights.values()))[0]
        return line_rank

    def _email(self, first: str, last: str, agency_name: str) -> str:
        return f"{_ascii(first)}.{_ascii(last)}@{self.domains[agency_name]}"

    def _linked_login(self, users, kind: str, agency_name: str):
        """The login whose person record is the next one of this kind in this agency."""
        for username, (linked_kind, linked_agency) in self.spec.linked_people.items():
            if linked_kind == kind and linked_agency == agency_name and username in users:
                user = users.pop(username)
                # An account that existed before the demo may already have a record.
                if not Person.objects.filter(user=user).exists():
                    return user
        return None

    def _create_person(self, data: dict) -> None:
        people_services.person_create(actor=None, program=self.program, data=data)
        self.counts["people"] += 1

    def _officers(self, agency_name, count, line_rank, districts, first_badge, users) -> None:
        agency = self.agencies[agency_name]
        hire_dates = sorted(self._hire_date() for _ in range(count))
        # Badge numbers are issued in order of hiring, with gaps left by people who left.
        badges = sorted(self.rng.sample(range(first_badge, first_badge + count * 3), count))
        district_names, district_weights = list(districts), list(districts.values())
        for hire_date, badge in zip(hire_dates, badges, strict=True):
            rank = self._rank(line_rank, hire_date)
            user = None
            status = self._status()
            if rank == line_rank and status == PersonStatus.ACTIVE:
                user = self._linked_login(users, PersonKind.OFFICER, agency_name)
            first, last = (user.first_name, user.last_name) if user else self._name()
            self._create_person(
                {
                    "kind": PersonKind.OFFICER,
                    "first_name": first,
                    "last_name": last,
                    "agency": agency,
                    "badge_number": str(badge),
                    "rank": rank,
                    "district": self.rng.choices(district_names, weights=district_weights)[0],
                    "shift": self._shift(),
                    "hire_date": hire_date,
                    "status": status,
                    "email": self._email(first, last, agency_name),
                    "user": user,
                }
            )

    def _staff(self, kind, agency_name, count, titles, users) -> None:
        agency = self.agencies[agency_name]
        for number in range(1, count + 1):
            user = self._linked_login(users, kind, agency_name)
            first, last = (user.first_name, user.last_name) if user else self._name()
            dispatcher = kind == PersonKind.DISPATCHER
            # 911 and mobile crisis staff work shifts; office staff do not.
            works_shifts = dispatcher or (agency.operates_24_7 and kind != PersonKind.ADVOCATE)
            self._create_person(
                {
                    "kind": kind,
                    "first_name": first,
                    "last_name": last,
                    "agency": agency,
                    # A telecommunicator's employee number; others carry none.
                    "badge_number": f"T{100 + number * 3}" if dispatcher else "",
                    "rank": self.rng.choice(titles),
                    "district": "",
                    "shift": self._shift() if works_shifts else "",
                    "hire_date": self._hire_date(max_years=20, mode_years=3),
                    "status": PersonStatus.ACTIVE if user else self._status(),
                    "email": self._email(first, last, agency_name),
                    "user": user,
                }
            )
