"""Matching a roster's columns to Person fields: guessed from headers, overridden by the user."""

import re

from citkit.people.importing.problems import Problem, RosterImportError

# The Person fields a roster may fill, with the names people see.
IMPORT_FIELDS: dict[str, str] = {
    "kind": "Kind",
    "first_name": "First name",
    "last_name": "Last name",
    "agency": "Agency",
    "badge_number": "Badge number",
    "rank": "Rank",
    "district": "District",
    "shift": "Shift",
    "hire_date": "Hire date",
    "status": "Status",
    "email": "E-mail",
    "phone": "Phone",
}
REQUIRED_COLUMNS = ("first_name", "last_name", "agency")

# Headers seen on real rosters, compared after `_normalise_header` ("Badge #" = "badge number").
_HEADER_GUESSES: dict[str, str] = {
    "kind": "kind|type|person type|staff type|personnel type",
    "first_name": "first name|firstname|first|given name|forename|fname",
    "last_name": "last name|lastname|last|surname|family name|lname",
    "agency": "agency|agency name|department|dept|department name|organization|employer",
    "badge_number": "badge|badge number|badge no|badge num|badge id|shield|shield number",
    "rank": "rank|title|position|job title",
    "district": "district|precinct|beat|division|zone|area|sector",
    "shift": "shift|watch|platoon",
    "hire_date": "hire date|hiredate|hired|date hired|date of hire|doh|start date",
    "status": "status|employment status",
    "email": "email|e mail|email address|e mail address|mail",
    "phone": "phone|phone number|telephone|tel|mobile|cell|cell phone",
}


def _normalise_header(header: str) -> str:
    text = header.casefold().replace("#", " number ").replace("№", " number ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """header -> field ("" = ignore), each field guessed for one column at most."""
    lookup = {}
    for name, guesses in _HEADER_GUESSES.items():
        for guess in (*guesses.split("|"), name, IMPORT_FIELDS[name]):
            lookup.setdefault(_normalise_header(guess), name)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        name = lookup.get(_normalise_header(header), "")
        if name in taken:
            name = ""
        mapping[header] = name
        if name:
            taken.add(name)
    return mapping


def resolve_mapping(headers: list[str], chosen: dict[str, str] | None = None) -> dict[str, str]:
    """The guess, overridden by the user's choices (a field chosen wins over its guess).

    Raises RosterImportError if a chosen header is not in the file, a field is unknown,
    a field is given to two columns, or a required field has no column.
    """
    mapping = guess_mapping(headers)
    problems = []
    chosen = chosen or {}
    by_key = {h.casefold(): h for h in headers}
    explicit: dict[str, str] = {}
    for header, name in chosen.items():
        name = (name or "").strip()
        if name.casefold() in ("ignore", "-"):
            name = ""
        actual = by_key.get(str(header).strip().casefold())
        if actual is None:
            problems.append(Problem("there is no column with this name in the file", None, header))
            continue
        if name and name not in IMPORT_FIELDS:
            problems.append(
                Problem(
                    f'"{name}" is not a field that can be imported; use one of: '
                    f"{', '.join(IMPORT_FIELDS)}",
                    None,
                    actual,
                )
            )
            continue
        explicit[actual] = name
    chosen_fields = {n for n in explicit.values() if n}
    for header in headers:
        if header in explicit:
            mapping[header] = explicit[header]
        elif mapping[header] in chosen_fields:
            mapping[header] = ""  # the user put this field on another column
    columns: dict[str, list[str]] = {}
    for header, name in mapping.items():
        if name:
            columns.setdefault(name, []).append(header)
    for name, headers_of in columns.items():
        if len(headers_of) > 1:
            listed = " and ".join(f'"{h}"' for h in headers_of)
            problems.append(
                Problem(f"{listed} are both matched to {IMPORT_FIELDS[name]}; choose one.")
            )
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            problems.append(
                Problem(
                    f"No column is matched to {IMPORT_FIELDS[name]}; "
                    "choose the column that holds it."
                )
            )
    if problems:
        raise RosterImportError(problems)
    return mapping
