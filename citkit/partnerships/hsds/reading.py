"""Reading an HSDS data package: the zip, its descriptor and its CSV files (or the
JSON form, services.json), as rows of text per table; and the problems found, each
named by file, row (as a spreadsheet numbers it, the header being row 1) and field."""

import csv
import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from citkit.partnerships.hsds.tables import (
    BY_NAME,
    TABLES,
    Table,
)

Row = int | str  # a CSV row number, or where in services.json ("service 3, phones 2")


@dataclass(frozen=True)
class Problem:
    """One reason the package cannot be imported, where a person finds it."""

    message: str
    file: str = ""
    row: Row | None = None
    field: str = ""

    def __str__(self) -> str:
        where = self.file
        if isinstance(self.row, int):
            where += f" row {self.row}"
        elif self.row:
            where += f", {self.row}"
        if self.field:
            where += f', field "{self.field}"'
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "field": self.field, "message": self.message}


class HsdsImportError(Exception):
    """The package cannot be imported (nothing was written); `problems` says why."""

    def __init__(self, problems: list[Problem], more: int = 0):
        self.problems = problems
        self.more = more
        super().__init__(self.summary())

    @classmethod
    def single(cls, message: str, file: str = "") -> "HsdsImportError":
        return cls([Problem(message, file)])

    def summary(self) -> str:
        total = len(self.problems) + self.more
        plural = "s" if total != 1 else ""
        lines = [f"Nothing was imported: {total} problem{plural} in the package."]
        lines += [f"- {p}" for p in self.problems]
        if self.more:
            lines.append(f"- … and {self.more} more.")
        return "\n".join(lines)


# --- Reading the package ------------------------------------------------------------


@dataclass
class Sheet:
    """One table as read from the package: its file and its rows of text."""

    table: Table
    file: str
    rows: list[tuple[Row, dict[str, str]]] = field(default_factory=list)


def read_package(content: bytes) -> dict[str, Sheet]:
    """The tables of a package ({table name: Sheet}); raises HsdsImportError for a file
    that is no package, a missing required file or one that cannot be read."""
    if not content or not zipfile.is_zipfile(io.BytesIO(content)):
        raise HsdsImportError.single(
            "The file is not a zip archive. An HSDS data package is a zip of CSV files "
            "with datapackage.json (or the JSON form, services.json)."
        )
    limit = settings.CITKIT_IMPORT_MAX_BYTES
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = {i.filename: i for i in archive.infolist() if not i.is_dir()}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise HsdsImportError.single(f"The zip archive cannot be read ({exc}).") from None
    if sum(i.file_size for i in members.values()) > limit:
        raise HsdsImportError.single(
            f"The package unpacks to more than {limit // (1024 * 1024)} MB, "
            "the largest this site imports."
        )
    # A package zipped with its folder: read it from the folder that holds the descriptor.
    base = ""
    for name in sorted(members, key=lambda n: n.count("/")):
        if name.rsplit("/", 1)[-1] in ("datapackage.json", "services.json"):
            base = name[: -len(name.rsplit("/", 1)[-1])]
            break

    def read(name: str) -> bytes:
        try:
            return archive.read(members[base + name])
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
            raise HsdsImportError.single(f"The file cannot be unpacked ({exc}).", name) from None

    if base + "datapackage.json" not in members:
        if base + "services.json" in members:
            return _sheets_from_json(read("services.json"))
        raise HsdsImportError.single(
            "The package has no datapackage.json, the descriptor that lists its tables."
        )
    try:
        descriptor = json.loads(read("datapackage.json").decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise HsdsImportError.single(
            f"This is not valid JSON ({exc}).", "datapackage.json"
        ) from None
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        raise HsdsImportError.single('There is no list of "resources".', "datapackage.json")
    named = {
        r.get("name"): r.get("path")
        for r in resources
        if isinstance(r, dict) and isinstance(r.get("path"), str)
    }
    problems: list[Problem] = []
    sheets: dict[str, Sheet] = {}
    for table in TABLES:
        path = named.get(table.name)
        if path is not None and base + path not in members:
            problems.append(
                Problem(
                    f"datapackage.json lists {path} for the {table.name} table, "
                    "but the package has no such file.",
                    path,
                )
            )
            continue
        if path is None:
            path = next((p for p in (table.path, f"{table.name}.csv") if base + p in members), None)
        if path is None:
            if table.required_file:
                problems.append(
                    Problem(
                        f"The package has no {table.path} (the {table.name} table), "
                        "which an import needs.",
                        table.path,
                    )
                )
            continue
        try:
            sheets[table.name] = _read_csv(table, path, read(path))
        except HsdsImportError as exc:
            problems.extend(exc.problems)
    if problems:
        raise HsdsImportError(problems)
    return sheets


def _read_csv(table: Table, path: str, data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HsdsImportError.single("The file is not UTF-8 text.", path) from None
    sheet = Sheet(table, path)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header is None:
            if table.required_file:
                raise HsdsImportError.single("The file is empty; it needs a header row.", path)
            return sheet
        names = [h.strip().lower() for h in header]
        if "id" not in names:
            raise HsdsImportError([Problem('The header row has no "id" column.', path, 1)])
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            sheet.rows.append((number, dict(zip(names, values, strict=False))))
    except csv.Error as exc:
        raise HsdsImportError.single(f"The CSV cannot be read ({exc}).", path) from None
    return sheet


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def _flat(obj: dict, table: str) -> dict[str, str]:
    names = set(BY_NAME[table].header)
    return {k: _text(v) for k, v in obj.items() if k in names}


def _sheets_from_json(data: bytes) -> dict[str, Sheet]:
    """The JSON form (a list of full service objects) as the same tables as the CSVs."""
    file = "services.json"
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise HsdsImportError.single(f"This is not valid JSON ({exc}).", file) from None
    if isinstance(items, dict) and isinstance(items.get("contents"), list):
        items = items["contents"]  # a page of the HSDS API
    if not isinstance(items, list):
        raise HsdsImportError.single("The file must hold a list of service objects.", file)
    sheets = {t.name: Sheet(t, file) for t in TABLES}
    seen: dict[str, set[str]] = defaultdict(set)

    def add(table: str, where: str, obj: dict, **extra: Any) -> None:
        values = {**_flat(obj, table), **{k: _text(v) for k, v in extra.items()}}
        key = values.get("id", "")
        if table != "service":
            if key and key in seen[table]:
                return  # the same record nested in several services
            seen[table].add(key)
        sheets[table].rows.append((where, values))

    def nested(obj: dict, key: str) -> list[tuple[int, dict]]:
        value = obj.get(key)
        if not isinstance(value, list):
            return []
        return [(i, v) for i, v in enumerate(value, start=1) if isinstance(v, dict)]

    def attributes(obj: dict, where: str, entity: str) -> None:
        for i, attribute in nested(obj, "attributes"):
            spot = f"{where}, attributes {i}"
            term = attribute.get("taxonomy_term")
            if isinstance(term, dict):
                taxonomy = term.get("taxonomy_detail") or term.get("taxonomy_object")
                if isinstance(taxonomy, dict):
                    add("taxonomy", spot, taxonomy)
                elif term.get("taxonomy_id") and term.get("taxonomy"):
                    # The API's terms name their taxonomy rather than holding it.
                    add("taxonomy", spot, {"id": term["taxonomy_id"], "name": term["taxonomy"]})
                add("taxonomy_term", spot, term)
            add(
                "attribute",
                spot,
                attribute,
                link_id=attribute.get("link_id") or obj.get("id"),
                link_entity=attribute.get("link_entity") or entity,
            )

    for n, service in enumerate(items, start=1):
        where = f"service {n}"
        if not isinstance(service, dict):
            raise HsdsImportError([Problem("This is not a service object.", file, where)])
        organization = service.get("organization")
        org_id = service.get("organization_id")
        if isinstance(organization, dict):
            add("organization", f"{where}, organization", organization)
            attributes(organization, f"{where}, organization", "organization")
            org_id = org_id or organization.get("id")
        add("service", where, service, organization_id=org_id)
        attributes(service, where, "service")
        sid = service.get("id")
        for key, table in (
            ("phones", "phone"),
            ("schedules", "schedule"),
            ("service_areas", "service_area"),
            ("languages", "language"),
            ("contacts", "contact"),
        ):
            for i, obj in nested(service, key):
                add(table, f"{where}, {key} {i}", obj, service_id=obj.get("service_id") or sid)
        for i, capacity in nested(service, "capacities"):
            spot = f"{where}, capacities {i}"
            unit = capacity.get("unit")
            unit_ref = capacity.get("unit_id")
            if isinstance(unit, dict):
                add("unit", spot, unit)
                unit_ref = unit_ref or unit.get("id")
            add("service_capacity", spot, capacity, service_id=sid, unit_id=unit_ref)
        for i, sal in nested(service, "service_at_locations"):
            spot = f"{where}, service_at_locations {i}"
            location = sal.get("location")
            loc_id = sal.get("location_id")
            if isinstance(location, dict):
                add("location", f"{spot}, location", location)
                loc_id = loc_id or location.get("id")
                for j, address in nested(location, "addresses"):
                    add(
                        "address",
                        f"{spot}, location, addresses {j}",
                        address,
                        location_id=address.get("location_id") or location.get("id"),
                    )
            add("service_at_location", spot, sal, service_id=sid, location_id=loc_id)
    return sheets
