"""Checking every row before anything is written: values, agencies, scope, unique badges.

Rows are checked a chunk at a time (CHUNK_ROWS) as the file streams past. Whatever
needs the database is asked once per chunk, never per row: the program's agencies
once, the badge numbers already in use once per chunk. Each row that passes is then
held to the model's own field rules (Person.clean_fields, as `writes.full_clean` does
for one person, without the per-row queries of a foreign key check), so a checked
row is a row the database will take.
"""

import contextlib
import datetime
import functools
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from citkit.core import writes
from citkit.core.audit import auto_timestamps
from citkit.core.models import Program
from citkit.core.permissions import membership_for
from citkit.core.phones import normalise_phone
from citkit.partners.models import Agency
from citkit.people import services
from citkit.people.importing.mapping import IMPORT_FIELDS
from citkit.people.importing.problems import Problem, RosterImportError
from citkit.people.importing.reading import cell_text, pad_row
from citkit.people.importing.scratch import Scratch
from citkit.people.models import Person, PersonKind, PersonStatus, Shift
from citkit.people.permissions import managed_agency_id

# Enough to fix a file in one go, without an error page as long as the file.
MAX_PROBLEMS = 200
# Rows checked (and later written) together: one badge query, one insert of people
# and one of audit entries per chunk.
CHUNK_ROWS = 1000

_FORMULA_START = ("=", "+", "-", "@")
_PHONE = re.compile(r"^\+[\d\s().-]+$")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Checked by the import itself against what it loaded once (the program, its agencies);
# the model's check of a foreign key would ask the database for every row.
_NOT_CLEANED_BY_MODEL = ["program", "agency", "user"]
# The values a checked person is kept with between the passes: every column but the id
# and Django's own timestamps (set by the insert).
KEPT_FIELDS = [
    f.attname
    for f in Person._meta.concrete_fields
    if not f.primary_key and f.name not in auto_timestamps(Person)
]


@functools.lru_cache(maxsize=4096)
def _phone(text: str, country: str) -> str:
    """normalise_phone(), remembered: a roster repeats its desks' numbers (a refused
    number raises and is not remembered)."""
    return normalise_phone(text, country, field="phone")


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


class RosterChecker:
    """Checks rows against what was loaded once: the program's agencies, the user's scope.

    `check_chunk()` for each chunk of rows, in the order of the file, then `finish()`,
    which raises RosterImportError if any row (or the file) has a problem. Problems
    are kept up to MAX_PROBLEMS, and counted beyond.
    """

    def __init__(
        self,
        *,
        actor,
        program: Program,
        headers: list[str],
        mapping: dict[str, str],
        scratch: Scratch,
    ):
        self.program = program
        self.scratch = scratch
        self.columns = {name: header for header, name in mapping.items() if name}  # field -> header
        self.index = {name: headers.index(header) for name, header in self.columns.items()}
        self.width = len(headers)
        self.position = {header: i for i, header in enumerate(headers)}
        self.problems: list[Problem] = []  # the first MAX_PROBLEMS, in the order of the file
        self.problem_count = 0
        self.rows_checked = 0
        self._found: list[Problem] = []  # the current chunk's
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

    @property
    def clean(self) -> bool:
        """No problem found so far: the rows checked can be written."""
        return self.problem_count == 0

    def check_chunk(self, rows: Iterable[tuple[int, list]]) -> list[tuple[int, Person]]:
        """Check a chunk of (row number, cells); returns (row number, person) of each
        row that passed, a Person ready to be inserted."""
        self._found = []
        checked: list[tuple[int, dict]] = []
        for number, cells in rows:
            self.rows_checked += 1
            if len(cells) < self.width:
                # A CSV row with fewer cells than the header has lost a separator or was
                # split across lines: its values no longer sit under their headers, so
                # none of them is checked or imported. (A spreadsheet row has every cell.)
                self._found.append(
                    Problem(
                        f"the row has {len(cells)} cells but the header has {self.width}", number
                    )
                )
                continue
            if any(cell_text(c) for c in cells[self.width :]):
                self._found.append(
                    Problem(
                        f"this row has more values than the header row has columns ({self.width})",
                        number,
                    )
                )
            padded = pad_row(cells, self.width)
            checked.append(
                (number, self.check(number, {n: padded[i] for n, i in self.index.items()}))
            )
        self.check_badges(checked)
        failed = {p.row for p in self._found}
        people = []
        for number, data in checked:
            if number in failed:
                continue
            person = self._model_checked(number, data)
            if person is not None:
                people.append((number, person))
        self._found.sort(key=lambda p: (p.row or 0, self.position.get(p.column, -1)))
        self.problem_count += len(self._found)
        self.problems.extend(self._found[: max(0, MAX_PROBLEMS - len(self.problems))])
        return people

    def finish(self) -> None:
        """Raise RosterImportError with every problem found, if any."""
        general = []
        if self.officers_without_badges:
            general.append(
                Problem(
                    f"No column is matched to Badge number, and the file lists "
                    f"{self.officers_without_badges} officers; every officer needs one."
                )
            )
        if not (general or self.problem_count):
            return
        problems = (general + self.problems)[:MAX_PROBLEMS]
        total = len(general) + self.problem_count
        raise RosterImportError(problems, more=total - len(problems))

    def _model_checked(self, number: int, data: dict) -> Person | None:
        """The person as it will be saved, held to the model's field rules."""
        person = Person(program=self.program)
        # As every service writes: unknown fields refused, control characters dropped.
        writes.apply_changes(person, data, services.PERSON_FIELDS)
        try:
            person.clean_fields(exclude=_NOT_CLEANED_BY_MODEL)
            person.clean()
        except ValidationError as exc:
            self.number = number
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.fail(name, message)
            return None
        return person

    def fail(self, name: str, message: str) -> None:
        """A problem with the current row, in the column of the field `name`."""
        self._found.append(Problem(message, self.number, self.columns.get(name, "")))

    def check(self, number: int, values: dict) -> dict:
        """Person data for one row; its problems are added to the chunk's."""
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
                data["phone"] = _phone(texts["phone"], self.country)
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
            if isinstance(value, str) and _ISO_DAY.fullmatch(text):
                with contextlib.suppress(ValueError):  # the quick way for the usual form
                    day = datetime.date.fromisoformat(text)
            if day is None and isinstance(value, str):
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

    def check_badges(self, checked: list[tuple[int, dict]]) -> None:
        """Badge numbers are unique per agency: within the file, and against the database.

        One query for the chunk's badges already in the program; the file's earlier
        rows are looked up in the scratch database.
        """
        wanted = [(n, d) for n, d in checked if d.get("badge_number") and d.get("agency")]
        if not wanted:
            return
        keys = {(d["agency"].pk, d["badge_number"]) for _, d in wanted}
        agency_ids = {agency_id for agency_id, _ in keys}
        existing = {
            (agency_id, badge): f"{first} {last}"
            for agency_id, badge, first, last in Person.objects.filter(
                program=self.program,
                agency_id__in=agency_ids,
                badge_number__in={badge for _, badge in keys},
            )
            .exclude(badge_number="")  # the partial unique index on (agency, badge)
            .values_list("agency_id", "badge_number", "first_name", "last_name")
            if (agency_id, badge) in keys
        }
        first_seen = self.scratch.first_rows(keys)
        new: list[tuple[int, str, int]] = []
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
                new.append((agency.pk, badge, number))
        self.scratch.add_badges(new)
