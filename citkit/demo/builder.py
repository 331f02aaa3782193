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

from citkit.core import services
from citkit.core.models import Membership, Program, Role
from citkit.core.registry import demo_steps
from citkit.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DemoLogin
from citkit.demo.programs import (
    FIRST_NAMES,
    INACTIVE_SHARE,
    LAST_NAMES,
    PROGRAMS,
    RANK_WEIGHTS_BY_SERVICE,
    SHIFT_WEIGHTS,
    SHIFTS,
    AgencySpec,
    ProgramSpec,
)
from citkit.partners import services as partner_services
from citkit.partners.models import Agency
from citkit.people import services as people_services
from citkit.people.models import Person, PersonKind, PersonStatus

User = get_user_model()

SEED = 2026
# Hire dates count back from a fixed day, not from today, so the demo is the same every day.
REFERENCE_DATE = datetime.date(2026, 1, 1)


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
            # The demo's passwords are published, so its second factor would guard
            # nothing: its programs ask none, and every demo login signs in with the
            # password alone (README, docs/two-factor.md).
            second_factor_roles=[],
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
        # Then each app's own part (the Steering Committee, the plan, ...), in the
        # order the apps declare (`demo_step`, `demo_order` in their AppConfig).
        for step in demo_steps():
            self.counts.update(step(self.program))
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
