"""Checking every row before anything is written: values, agencies, scope, unique badges."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from citkit.core.models import Program
from citkit.core.permissions import membership_for
from citkit.core.phones import normalise_phone
from citkit.partners.models import Agency
from citkit.people.importing.mapping import IMPORT_FIELDS
from citkit.people.importing.problems import Problem, RosterImportError
from citkit.people.importing.reading import Roster, cell_text, pad_row
from citkit.people.models import Person, PersonKind, PersonStatus, Shift
from citkit.people.permissions import managed_agency_id

# Enough to fix a file in one go, without an error page as long as the file.
MAX_PROBLEMS = 200

_FORMULA_START = ("=", "+", "-", "@")
_PHONE = re.compile(r"^\+[\d\s().-]+$")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")


def _lookup(choices) -> dict[str, str]:
    """Value or label, any case -> value."""
    lookup = {}
    for value, label in choices:
        lookup[value.casefold()] = value
        lookup[str(label).casefold()] = value
    return lookup


_CHOICES = {
    "kind": (PersonKind.choices, PersonKind.OFFICER),
    "shift": (Shift.choices, ""),
    "status": (PersonStatus.choices, PersonStatus.ACTIVE),
}
_LOOKUPS = {name: _lookup(choices) for name, (choices, _) in _CHOICES.items()}
_MAX_LENGTH = {
    name: Person._meta.get_field(name).max_length
    for name in IMPORT_FIELDS
    if name not in ("agency", "hire_date")
}


class _RosterChecker:
    """Checks rows against what was loaded once: the program's agencies, the user's scope."""

    def __init__(self, *, actor, program: Program, columns: dict[str, str]):
        self.columns = columns  # field -> header
        self.problems: list[Problem] = []
        self.own_id = managed_agency_id(actor, program)
        self.own_name = membership_for(actor, program).agency.name if self.own_id else ""
        agencies = list(Agency.objects.filter(program=program))
        self.agencies = {a.name.casefold(): a for a in agencies}
        self.agencies.update({a.name: a for a in agencies})  # an exact match wins a case clash
        # "Today" is the program's today: a hire date tomorrow in Chicago is in the future.
        self.today = program.today()
        self.country = program.country
        self.number = 0
        self.officers_without_badges = 0

    def fail(self, name: str, message: str) -> None:
        self.problems.append(Problem(message, self.number, self.columns.get(name, "")))

    def check(self, number: int, values: dict) -> dict:
        """Person data for one row; problems are added to self.problems."""
        self.number = number
        texts: dict[str, str | None] = {}
        for name, value in values.items():
            text = cell_text(value)
            texts[name] = text
            if text.startswith(_FORMULA_START) and not (name == "phone" and _PHONE.match(text)):
                shown = text if len(text) <= 40 else text[:37] + "..."
                self.fail(name, f'looks like a spreadsheet formula ("{shown}"); remove it')
                texts[name] = None  # reported; other checks stay quiet about it
                continue
            length = _MAX_LENGTH.get(name)
            if length and len(text) > length:
                self.fail(
                    name, f"is {len(text)} characters long; {IMPORT_FIELDS[name]} allows {length}"
                )
                texts[name] = None

        data: dict = {}
        for name in ("first_name", "last_name"):
            if texts.get(name) == "":
                self.fail(name, f"the {IMPORT_FIELDS[name].lower()} is missing")
            elif texts.get(name):
                data[name] = texts[name]
        data["kind"] = self._choice("kind", texts.get("kind"))  # blank: an officer
        data["status"] = self._choice("status", texts.get("status"))  # blank: active
        if "shift" in texts:
            data["shift"] = self._choice("shift", texts["shift"])
        for name in ("rank", "district"):
            if texts.get(name) is not None:
                data[name] = texts[name]
        if texts.get("phone") is not None:
            try:
                data["phone"] = normalise_phone(texts["phone"], self.country, field="phone")
            except ValidationError:
                self.fail(
                    "phone",
                    '"{}" is not a phone number; write it as e.g. (573) 555-0110'.format(
                        texts["phone"]
                    ),
                )
        if texts.get("email"):
            try:
                validate_email(texts["email"])
            except ValidationError:
                self.fail("email", '"{}" is not an e-mail address'.format(texts["email"]))
            else:
                data["email"] = texts["email"]
        elif texts.get("email") == "":
            data["email"] = ""
        if texts.get("hire_date") is not None:
            data["hire_date"] = self._hire_date(values["hire_date"], texts["hire_date"])

        agency = self._agency(texts.get("agency"), data["kind"])
        if agency is not None:
            data["agency"] = agency
        badge = texts.get("badge_number")
        if badge:
            data["badge_number"] = badge
        if data["kind"] == PersonKind.OFFICER and badge == "":
            self.fail("badge_number", "an officer needs a badge number")
        elif data["kind"] == PersonKind.OFFICER and "badge_number" not in self.columns:
            self.officers_without_badges += 1
        return data

    def _choice(self, name: str, text: str | None) -> str:
        choices, default = _CHOICES[name]
        if not text:
            return default
        value = _LOOKUPS[name].get(text.casefold())
        if value is None:
            labels = ", ".join(str(label) for _, label in choices)
            self.fail(
                name, f'"{text}" is not a {IMPORT_FIELDS[name].lower()}; use one of: {labels}'
            )
            return default
        return value

    def _agency(self, text: str | None, kind: str) -> Agency | None:
        """The row's agency if known and allowed; None (reported or not needed) otherwise."""
        if text is None:
            return None  # already reported (formula, too long)
        if text == "":
            if self.own_id is not None:
                self.fail(
                    "agency", f"you may only import people of your own agency ({self.own_name})"
                )
            elif kind in (PersonKind.OFFICER, PersonKind.DISPATCHER):
                self.fail("agency", f"the agency is missing; every {kind} belongs to one")
            return None
        agency = self.agencies.get(text) or self.agencies.get(text.casefold())
        if agency is None:
            self.fail("agency", f'no partner agency named "{text}" in this program')
            return None
        if self.own_id is not None and agency.pk != self.own_id:
            self.fail("agency", f"you may only import people of your own agency ({self.own_name})")
            return None
        return agency

    def _hire_date(self, value, text: str) -> datetime.date | None:
        if text == "":
            return None
        if isinstance(value, datetime.datetime):
            day = value.date()
        elif isinstance(value, datetime.date):
            day = value
        else:
            day = None
            if isinstance(value, str):
                for pattern in _DATE_FORMATS:
                    try:
                        day = datetime.datetime.strptime(text, pattern).date()
                        break
                    except ValueError:
                        continue
            if day is None:
                self.fail("hire_date", f'"{text}" is not a date (use YYYY-MM-DD)')
                return None
        if day > self.today:
            self.fail("hire_date", f"hire date {day.isoformat()} is in the future")
            return None
        return day

    def check_badges(self, people: list[tuple[int, dict]], program: Program) -> None:
        """Badge numbers are unique per agency: within the file, and against the database."""
        wanted = [(n, d) for n, d in people if d.get("badge_number") and d.get("agency")]
        if not wanted:
            return
        agency_ids = {d["agency"].pk for _, d in wanted}
        existing = {
            (agency_id, badge): f"{first} {last}"
            for agency_id, badge, first, last in Person.objects.filter(
                program=program, agency_id__in=agency_ids
            )
            .exclude(badge_number="")
            .values_list("agency_id", "badge_number", "first_name", "last_name")
        }
        first_seen: dict[tuple[int, str], int] = {}
        for number, data in wanted:
            self.number = number
            agency, badge = data["agency"], data["badge_number"]
            key = (agency.pk, badge)
            if key in first_seen:
                self.fail(
                    "badge_number", f"badge number {badge} is already used on row {first_seen[key]}"
                )
            elif key in existing:
                self.fail(
                    "badge_number",
                    f"badge number {badge} already belongs to {existing[key]} ({agency.name})",
                )
            else:
                first_seen[key] = number


def validate_roster(
    roster: Roster, mapping: dict[str, str], *, actor, program: Program
) -> list[tuple[int, dict]]:
    """Every row checked before anything is written: (row number, person data) for each.

    Raises RosterImportError listing the problems. Queries do not grow with the rows:
    one for the program's agencies, one for the badge numbers already in use.
    """
    columns = {name: header for header, name in mapping.items() if name}
    checker = _RosterChecker(actor=actor, program=program, columns=columns)
    index = {name: roster.headers.index(header) for name, header in columns.items()}
    width = len(roster.headers)
    people = []
    for number, cells in roster.rows:
        if len(cells) < width:
            # A CSV row with fewer cells than the header has lost a separator or was
            # split across lines: its values no longer sit under their headers, so
            # none of them is checked or imported. (A spreadsheet row has every cell.)
            checker.problems.append(
                Problem(f"the row has {len(cells)} cells but the header has {width}", number)
            )
            continue
        if any(cell_text(c) for c in cells[width:]):
            checker.problems.append(
                Problem(
                    f"this row has more values than the header row has columns ({width})", number
                )
            )
        padded = pad_row(cells, width)
        people.append((number, checker.check(number, {n: padded[i] for n, i in index.items()})))
    checker.check_badges(people, program)
    if checker.officers_without_badges:
        checker.problems.append(
            Problem(
                f"No column is matched to Badge number, and the file lists "
                f"{checker.officers_without_badges} officers; every officer needs one."
            )
        )
    position = {header: i for i, header in enumerate(roster.headers)}
    problems = sorted(checker.problems, key=lambda p: (p.row or 0, position.get(p.column, -1)))
    if problems:
        raise RosterImportError(problems[:MAX_PROBLEMS], more=max(0, len(problems) - MAX_PROBLEMS))
    return people
