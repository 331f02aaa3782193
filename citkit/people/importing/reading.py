"""Reading a roster file as a stream: CSV (UTF-8, comma, semicolon or tab) or XLSX.

A state's roster is tens of thousands of rows, so nothing here holds them all:
`read_roster` finds out what the file is and reads its header row, and `Roster.rows()`
then yields one data row at a time, with its row number in the spreadsheet, from a
fresh pass over the file each time it is called (CSV through a text wrapper over the
bytes, XLSX through openpyxl's read-only mode, which parses the sheet as it goes).

Also the cell helpers the later steps share: `cell_text` and `pad_row`.
"""

import codecs
import csv
import datetime
import io
from collections.abc import Generator
from pathlib import PurePath
from typing import Any, BinaryIO

from django.conf import settings

from citkit.people.importing.problems import RosterImportError

MAX_COLUMNS = 100
# How much of the file is looked at to tell what it is (signatures, NUL bytes).
_HEAD_BYTES = 64 * 1024

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
_DAMAGED = (
    "The Excel file could not be read; it may be damaged. "
    "Open it in Excel, save it again as .xlsx, and upload that."
)

Content = bytes | memoryview | BinaryIO


class Roster:
    """An open roster file: its header row now, its data rows on demand.

    Use it as a context manager (or call `close()`): an Excel workbook read in
    read-only mode keeps its archive open.
    """

    def __init__(self, filename: str, content: Content):
        self.filename = filename
        self._stream = _as_stream(content)
        self._workbook: Any = None  # an openpyxl workbook, read-only
        self.kind = ""
        self._delimiter = ","
        self.headers: list[str] = []
        self.header_row = 0
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> "Roster":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None

    # --- What the file is ---------------------------------------------------------------

    def _open(self) -> None:
        size = _size_of(self._stream)
        check_size(size)
        head = self._stream.read(_HEAD_BYTES)
        self._stream.seek(0)
        if size <= len(head) and not head.strip(b" \t\r\n\xef\xbb\xbf"):
            raise RosterImportError.single("The file is empty.")
        for signature, message in _SIGNATURES:
            if head.startswith(signature):
                raise RosterImportError.single(message)
        extension = PurePath(self.filename).suffix.lower()
        if extension == ".xlsx":
            self._open_xlsx(head)
        elif extension == ".csv":
            if head.startswith(_ZIP):
                raise RosterImportError.single(
                    "The file is named .csv but is an Excel workbook; name it .xlsx, "
                    "or in Excel save it as 'CSV UTF-8'."
                )
            self._open_csv(head)
        elif extension == "":
            # A file without a name ending (some systems export them so): what it
            # holds decides.
            self._open_xlsx(head) if head.startswith(_ZIP) else self._open_csv(head)
        elif extension == ".xls":
            raise RosterImportError.single(
                "Old Excel files (.xls) cannot be read. In Excel, save it as .xlsx or 'CSV UTF-8'."
            )
        else:
            raise RosterImportError.single(
                f"Only CSV (.csv) and Excel (.xlsx) files can be imported; "
                f'"{self.filename}" is neither.'
            )
        self._read_header()

    def _open_csv(self, head: bytes) -> None:
        # UTF-16 decodes "successfully" as UTF-8 full of NUL bytes; no roster contains NUL.
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
            raise RosterImportError.single(_NOT_UTF8)
        self.kind = "csv"
        # Excel writes ";" where the decimal mark is a comma: the first line tells which.
        first_line = ""
        lines = self._text_lines()
        try:
            for line in lines:
                if line.strip("\r\n"):
                    first_line = line.rstrip("\r\n")
                    break
        finally:
            lines.close()
        self._delimiter = max(
            ",;\t", key=lambda d: len(next(csv.reader([first_line], delimiter=d)))
        )

    def _open_xlsx(self, head: bytes) -> None:
        import openpyxl  # imported on demand: most imports are CSV

        if not head.startswith(_ZIP):
            raise RosterImportError.single(_DAMAGED)
        self.kind = "xlsx"
        try:
            self._workbook = openpyxl.load_workbook(self._stream, read_only=True, data_only=True)
            self._workbook.worksheets[0]
        except Exception:  # zipfile, XML and KeyError alike: the workbook is broken
            self.close()
            raise RosterImportError.single(_DAMAGED) from None

    def _read_header(self) -> None:
        numbered = self._numbered_rows()
        try:
            for number, cells in numbered:
                if _blank(cells):
                    continue
                if not self.header_row:
                    self.headers, self.header_row = _clean_headers(list(cells)), number
                    continue
                return  # a first row of people under the header
        finally:
            numbered.close()
        if not self.header_row:
            raise RosterImportError.single("The file is empty.")
        raise RosterImportError.single(
            f"The file has a header row (row {self.header_row}) but no rows of people under it."
        )

    # --- Its rows -----------------------------------------------------------------------

    def rows(self) -> Generator[tuple[int, list], None, None]:
        """Each non-blank row under the header: (row number in the spreadsheet, cells)."""
        numbered = self._numbered_rows()
        try:
            for number, cells in numbered:
                if number > self.header_row and not _blank(cells):
                    yield number, cells
        finally:
            numbered.close()

    def preview(self, count: int = 5) -> list[tuple[int, list[str]]]:
        """The first rows as text, each with its row number."""
        width = len(self.headers)
        shown = []
        for number, cells in self.rows():
            shown.append((number, [cell_text(v) for v in pad_row(cells, width)]))
            if len(shown) >= count:
                break
        return shown

    def estimated_rows(self) -> int | None:
        """About how many rows of people, for a progress bar, without reading them.

        A CSV's lines are counted (a fast pass over the bytes); a workbook says its size
        in the sheet's dimension when the program that wrote it recorded one.
        """
        if self.kind == "xlsx":
            last = self._workbook.worksheets[0].max_row if self._workbook else None
            return max(0, last - self.header_row) if last else None
        self._stream.seek(0)
        lines = 0
        last = b"\n"
        while block := self._stream.read(1024 * 1024):
            lines += block.count(b"\n")
            last = block[-1:]
        self._stream.seek(0)
        return max(0, lines + (last != b"\n") - self.header_row)

    def _numbered_rows(self) -> Generator[tuple[int, list], None, None]:
        if self.kind == "xlsx":
            return self._xlsx_rows()
        return self._csv_rows()

    def _text_lines(self) -> Generator[str, None, None]:
        """The file's lines as text (newline="" keeps quoted line breaks for csv)."""
        self._stream.seek(0)
        text = io.TextIOWrapper(self._stream, encoding="utf-8-sig", newline="")
        try:
            for line in text:
                # The first 64 KiB were checked whole; NUL bytes further on say the same.
                if "\x00" in line:
                    raise RosterImportError.single(_NOT_UTF8)
                yield line
        except UnicodeDecodeError:
            raise RosterImportError.single(_NOT_UTF8) from None
        finally:
            text.detach()  # the wrapper must not close the stream it borrowed

    def _csv_rows(self) -> Generator[tuple[int, list], None, None]:
        lines = self._text_lines()
        reader = csv.reader(lines, delimiter=self._delimiter)
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise RosterImportError.single(
                f"The file is not a readable CSV file ({exc}).", row=reader.line_num or None
            ) from None
        finally:
            lines.close()

    def _xlsx_rows(self) -> Generator[tuple[int, list], None, None]:
        assert self._workbook is not None
        try:
            sheet = self._workbook.worksheets[0]
            cells = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            for number, row in enumerate(cells, start=1):
                yield number, list(row)
        except RosterImportError:
            raise
        except Exception:  # a sheet's XML can be broken even when the zip is fine
            raise RosterImportError.single(_DAMAGED) from None


def read_roster(filename: str, content: Content) -> Roster:
    """Open a CSV (UTF-8, comma or semicolon) or XLSX file, or say clearly why not.

    Only the start of the file is read here; a problem further down (a byte that is
    not UTF-8, a damaged sheet) is reported with the rows, when they are read.
    """
    return Roster(filename, content)


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


def _as_stream(content: Content) -> BinaryIO:
    if isinstance(content, bytes | bytearray | memoryview):
        return io.BytesIO(content)  # shares a bytes object's buffer, copies a view
    content.seek(0)
    return content


def _size_of(stream: BinaryIO) -> int:
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    return size


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
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()
