"""What a printable document says, before it is laid out: a title, lines under it, then
blocks (headings, paragraphs, lists, label/value lines, tables).

Every piece of text is cleaned when a block is made: line endings become "\\n" and
characters no document format can hold (control characters other than tab and line
break, lone surrogates, U+FFFE/U+FFFF) are dropped. Records reach the documents from
data written before input was cleaned, from imports and from the shell, and one escape
character must not cost a coordinator the whole report.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

Tone = Literal["body", "small", "notice"]


def clean(text: object) -> str:
    """Text any format can hold: line breaks kept (as "\\n"), tabs kept, other control
    characters dropped. None becomes ""."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub("", value)


def blocks_of(text: str) -> list[str]:
    """Free text split into paragraphs at blank lines; single line breaks stay."""
    return [chunk.strip("\n") for chunk in re.split(r"\n[ \t]*\n", text) if chunk.strip()]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 for a section, 2 for a part of one

    def __post_init__(self):
        object.__setattr__(self, "text", clean(self.text))


@dataclass(frozen=True)
class Paragraph:
    """Free text; blank lines start new paragraphs, single line breaks are kept."""

    text: str
    tone: Tone = "body"

    def __post_init__(self):
        object.__setattr__(self, "text", clean(self.text))


@dataclass(frozen=True)
class Entry:
    """A list entry or a table cell: its text and, optionally, smaller text beneath."""

    text: str
    detail: str = ""

    def __post_init__(self):
        object.__setattr__(self, "text", clean(self.text))
        object.__setattr__(self, "detail", clean(self.detail))


def entry(value: object) -> Entry:
    """A table cell or list entry from an Entry or from any text."""
    return value if isinstance(value, Entry) else Entry(clean(value))


@dataclass(frozen=True, init=False)
class ItemList:
    """Bullets, or numbered entries (1., 2., ...)."""

    entries: tuple[Entry, ...]
    numbered: bool

    def __init__(self, entries: Iterable[Entry | str], numbered: bool = False):
        object.__setattr__(self, "entries", tuple(entry(e) for e in entries))
        object.__setattr__(self, "numbered", numbered)


@dataclass(frozen=True, init=False)
class Fields:
    """Label and value lines (When, Where, ...); a pair with an empty value is left out."""

    pairs: tuple[tuple[str, str], ...]

    def __init__(self, pairs: Iterable[tuple[str, object]]):
        cleaned = ((clean(label), clean(value)) for label, value in pairs)
        object.__setattr__(self, "pairs", tuple((k, v) for k, v in cleaned if v.strip()))


@dataclass(frozen=True, init=False)
class Table:
    """A header row, then rows of cells (text or Entry). `widths` are relative column
    widths (scaled to the page); `empty` is printed instead of a table without rows."""

    header: tuple[str, ...]
    rows: tuple[tuple[Entry, ...], ...]
    widths: tuple[float, ...]
    empty: str

    def __init__(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[object]],
        widths: Sequence[float] | None = None,
        *,
        empty: str = "None.",
    ):
        columns = tuple(clean(h) for h in header)
        cells = tuple(tuple(entry(cell) for cell in row) for row in rows)
        for row in cells:
            if len(row) != len(columns):
                raise ValueError(f"A row has {len(row)} cells for {len(columns)} columns.")
        widths = tuple(widths) if widths else (1.0,) * len(columns)
        if len(widths) != len(columns):
            raise ValueError(f"{len(widths)} widths for {len(columns)} columns.")
        object.__setattr__(self, "header", columns)
        object.__setattr__(self, "rows", cells)
        object.__setattr__(self, "widths", widths)
        object.__setattr__(self, "empty", clean(empty))

    def shares(self) -> list[float]:
        """Each column's share of the text width (the shares sum to 1)."""
        total = sum(self.widths)
        return [w / total for w in self.widths]


Block = Heading | Paragraph | ItemList | Fields | Table


@dataclass
class Document:
    """A whole document. `meta` are the lines under the title (program, date...);
    `footer` is printed at the foot of every page, before "Page N of M"."""

    title: str
    meta: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    author: str = ""
    subject: str = ""
    footer: str = ""

    def __post_init__(self):
        self.title = clean(self.title)
        self.meta = [clean(line) for line in self.meta if clean(line)]
        self.author, self.subject = clean(self.author), clean(self.subject)
        self.footer = clean(self.footer)

    def add(self, *blocks: Block) -> "Document":
        self.blocks.extend(blocks)
        return self
