"""A document laid out as DOCX with python-docx: real headings, list paragraphs and tables
with a header row that repeats on each page, so the file reads well in Word and in a
screen reader and can be edited before a meeting."""

import io

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from citkit.core.documents.model import (
    Document,
    Entry,
    Fields,
    Heading,
    ItemList,
    Paragraph,
    Table,
    blocks_of,
)

MUTED = RGBColor(0x55, 0x55, 0x55)
NOTICE = RGBColor(0xA0, 0x18, 0x18)
INDENT = Pt(18)


def _text(paragraph, text: str, *, tone: str = "body", bold: bool = False):
    """Add text as a run; python-docx turns "\\n" into line breaks and "\\t" into tabs."""
    run = paragraph.add_run(text)
    run.bold = bold or tone == "notice" or None
    if tone == "small":
        run.font.size = Pt(9)
        run.font.color.rgb = MUTED
    elif tone == "notice":
        run.font.color.rgb = NOTICE
    return run


def _paragraphs(container, text: str, *, tone: str = "body", style=None) -> None:
    for chunk in blocks_of(text):
        _text(container.add_paragraph(style=style), chunk, tone=tone)


def _repeat_header(row) -> None:
    """Mark a table row as a header row, repeated on each page (and read as one)."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _fill(cell, value: Entry, *, bold: bool = False) -> None:
    chunks = blocks_of(value.text) or [""]
    first = cell.paragraphs[0]
    _text(first, chunks[0], bold=bold)
    for chunk in chunks[1:]:
        _text(cell.add_paragraph(), chunk, bold=bold)
    if value.detail:
        _paragraphs(cell, value.detail, tone="small")


def _grid(document, header: list[Entry] | None, rows, shares: list[float], *, style=None):
    columns = len(shares)
    grid = document.add_table(rows=0, cols=columns)
    if style:
        grid.style = style
    if header is not None:
        cells = grid.add_row().cells
        for cell, value in zip(cells, header, strict=True):
            _fill(cell, value, bold=True)
        _repeat_header(grid.rows[0])
    for row in rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            _fill(cell, value)
    page = document.sections[0]
    text_width = page.page_width - page.left_margin - page.right_margin
    grid.autofit = False
    for column, share in zip(grid.columns, shares, strict=True):
        for cell in column.cells:
            cell.width = int(text_width * share)
    return grid


def _table(document, block: Table) -> None:
    if not block.rows:
        _paragraphs(document, block.empty)
        return
    header = [Entry(h) for h in block.header]
    _grid(document, header, block.rows, block.shares(), style="Table Grid")
    document.add_paragraph()


def _fields(document, block: Fields) -> None:
    if not block.pairs:
        return
    for label, value in block.pairs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        _text(paragraph, f"{label}: ", bold=True)
        _text(paragraph, value)


def _item_list(document, block: ItemList) -> None:
    # The number is written out rather than left to Word's list numbering, which
    # carries on from one list to the next in python-docx's default template.
    for number, value in enumerate(block.entries, start=1):
        chunks = blocks_of(value.text) or [""]
        for index, chunk in enumerate(chunks):
            bullet = not block.numbered and index == 0
            paragraph = document.add_paragraph(style="List Bullet" if bullet else None)
            if not bullet:
                paragraph.paragraph_format.left_indent = INDENT
            if block.numbered and index == 0:
                paragraph.paragraph_format.first_line_indent = -INDENT
                _text(paragraph, f"{number}.\t", bold=True)
            _text(paragraph, chunk)
        for chunk in blocks_of(value.detail):
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.left_indent = INDENT
            _text(paragraph, chunk, tone="small")


def _footer(document, footer: str) -> None:
    """ "footer · Page N" at the foot of every page (a PAGE field Word fills in)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    run = _text(paragraph, f"{footer} · Page " if footer else "Page ", tone="small")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    number.append(text)
    field.append(number)
    run._r.addnext(field)


def render(document: Document) -> bytes:
    """The document as DOCX bytes."""
    result = docx.Document()
    properties = result.core_properties
    # Word limits the core properties to 255 characters.
    properties.title = document.title[:255]
    properties.author = document.author[:255]
    properties.subject = document.subject[:255]
    result.styles["Normal"].font.size = Pt(10)

    result.add_heading(document.title, level=0)
    for line in document.meta:
        _text(result.add_paragraph(), line).italic = True
    for block in document.blocks:
        match block:
            case Heading():
                result.add_heading(block.text, level=min(block.level, 2))
            case Paragraph():
                _paragraphs(result, block.text, tone=block.tone)
            case ItemList():
                _item_list(result, block)
            case Fields():
                _fields(result, block)
            case Table():
                _table(result, block)
            case _:
                raise TypeError(f"No DOCX layout for {block!r}.")
    _footer(result, document.footer)
    buffer = io.BytesIO()
    result.save(buffer)
    return buffer.getvalue()
