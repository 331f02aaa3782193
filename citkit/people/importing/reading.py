"""Reading a roster file: decode CSV (UTF-8, comma or semicolon) or XLSX into a Roster.

Also the cell helpers the later steps share: `cell_text` and `pad_row`.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings

from citkit.people.importing.problems import RosterImportError

# An import runs inside one web request: 20,000 rows through person_create took ~40 s, past
# a web worker's timeout. A quarter of that leaves room on a slower server.
MAX_ROWS = 5_000
MAX_COLUMNS = 100

_NOT_UTF8 = "The file is not UTF-8 text. In Excel, save it as 'CSV UTF-8'."
# What a file's first bytes say it is, when it is not a spreadsheet we read.
_SIGNATURES = (
    (b"\x89PNG", "The file is a PNG image, not a CSV or Excel roster."),
    (b"\xff\xd8\xff", "The file is a JPEG image, not a CSV or Excel roster."),
    (b"GIF8", "The file is a GIF image, not a CSV or Excel roster."),
    (b"%PDF", "The file is a PDF document, not a CSV or Excel roster."),
    (
        b"\xd0\xcf\x11\xe0",
        "The file is an old Excel (.xls) or Word file. In Excel, save it as .xlsx or 'CSV UTF-8'.",
    ),
)
_ZIP = b"PK\x03\x04"


@dataclass
class Roster:
    """A file's header row and its data rows, each with its row number in the spreadsheet."""

    filename: str
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)

    def preview(self, count: int = 5) -> list[tuple[int, list[str]]]:
        """The first rows as text, each with its row number."""
        width = len(self.headers)
        return [
            (n, [cell_text(v) for v in pad_row(cells, width)]) for n, cells in self.rows[:count]
        ]


def read_roster(filename: str, content: bytes) -> Roster:
    """Parse a CSV (UTF-8, comma or semicolon) or XLSX file, or say clearly why not."""
    check_size(len(content))
    if not content.strip(b" \t\r\n\xef\xbb\xbf"):
        raise RosterImportError.single("The file is empty.")
    for signature, message in _SIGNATURES:
        if content.startswith(signature):
            raise RosterImportError.single(message)
    extension = PurePath(filename).suffix.lower()
    if extension == ".xlsx":
        headers, rows = _read_xlsx(content)
    elif extension == ".csv":
        if content.startswith(_ZIP):
            raise RosterImportError.single(
                "The file is named .csv but is an Excel workbook; name it .xlsx, "
                "or in Excel save it as 'CSV UTF-8'."
            )
        headers, rows = _read_csv(content)
    elif extension == "":
        # A file without a name ending (some systems export them so): what it
        # holds decides.
        headers, rows = _read_xlsx(content) if content.startswith(_ZIP) else _read_csv(content)
    elif extension == ".xls":
        raise RosterImportError.single(
            "Old Excel files (.xls) cannot be read. In Excel, save it as .xlsx or 'CSV UTF-8'."
        )
    else:
        raise RosterImportError.single(
            f'Only CSV (.csv) and Excel (.xlsx) files can be imported; "{filename}" is neither.'
        )
    return Roster(filename=filename, headers=_clean_headers(headers), rows=rows)


def check_size(size: int) -> None:
    """Refuse a file over CITKIT_IMPORT_MAX_BYTES (callers check before reading it all)."""
    limit = settings.CITKIT_IMPORT_MAX_BYTES
    if size > limit:
        raise RosterImportError.single(
            f"The file is {_megabytes(size)}; the limit is {_megabytes(limit)}. "
            "Split it into smaller files."
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _read_csv(content: bytes) -> tuple[list, list[tuple[int, list]]]:
    # UTF-16 decodes "successfully" as UTF-8 full of NUL bytes; no roster contains NUL.
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content:
        raise RosterImportError.single(_NOT_UTF8)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterImportError.single(_NOT_UTF8) from None
    # Excel writes ";" where the decimal mark is a comma: the header row tells which.
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(",;\t", key=lambda d: len(next(csv.reader([first_line], delimiter=d))))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _split_header(enumerate(reader, start=1))
    except csv.Error as exc:
        raise RosterImportError.single(
            f"The file is not a readable CSV file ({exc}).", row=reader.line_num or None
        ) from None


def _read_xlsx(content: bytes) -> tuple[list, list[tuple[int, list]]]:
    import openpyxl  # imported on demand: most imports are CSV

    damaged = RosterImportError.single(
        "The Excel file could not be read; it may be damaged. "
        "Open it in Excel, save it again as .xlsx, and upload that."
    )
    if not content.startswith(_ZIP):
        raise damaged
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # zipfile, XML and KeyError alike: the workbook is broken
        raise damaged from None
    try:
        sheet = workbook.worksheets[0]
        cells = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        return _split_header(enumerate(cells, start=1))
    except RosterImportError:
        raise
    except Exception:  # a sheet's XML can be broken even when the zip is fine
        raise damaged from None
    finally:
        workbook.close()


def _split_header(numbered_rows) -> tuple[list, list[tuple[int, list]]]:
    """The first non-blank row names the columns; blank rows are skipped, numbers kept."""
    headers: list | None = None
    rows: list[tuple[int, list]] = []
    for number, cells in numbered_rows:
        if _blank(cells):
            continue
        if headers is None:
            headers, header_row = list(cells), number
        elif len(rows) >= MAX_ROWS:
            raise RosterImportError.single(
                f"The file has more than {MAX_ROWS:,} rows, the most one import takes. "
                f"Split it into files of up to {MAX_ROWS:,} rows and import each one.",
                row=number,
            )
        else:
            rows.append((number, list(cells)))
    if headers is None:
        raise RosterImportError.single("The file is empty.")
    if not rows:
        raise RosterImportError.single(
            f"The file has a header row (row {header_row}) but no rows of people under it."
        )
    return headers, rows


def _clean_headers(cells: list) -> list[str]:
    # Trailing empty header cells (common in Excel) are not columns.
    while cells and cell_text(cells[-1]) == "":
        cells = cells[:-1]
    if len(cells) > MAX_COLUMNS:
        raise RosterImportError.single(f"The file has more than {MAX_COLUMNS} columns.")
    headers = [cell_text(c) or f"Column {_letter(i)}" for i, c in enumerate(cells)]
    seen: dict[str, int] = {}
    for i, header in enumerate(headers):
        key = header.casefold()
        if key in seen:
            raise RosterImportError.single(
                f'two columns are named "{header}" (columns {_letter(seen[key])} and '
                f"{_letter(i)}); rename one of them.",
                column=header,
            )
        seen[key] = i
    return headers


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _blank(cells) -> bool:
    return all(cell_text(c) == "" for c in cells)


def pad_row(cells: list, width: int) -> list:
    return list(cells[:width]) + [None] * (width - len(cells))


def cell_text(value) -> str:
    """A cell as text: Excel numbers without a trailing .0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()
