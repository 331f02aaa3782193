"""A document laid out as PDF with reportlab's platypus, on US Letter pages.

Long text never stops a report: paragraphs split across pages, tables split between
rows and inside a row (`splitInRow`, the cell's paragraphs carry on on the next page),
long words break, and user text is escaped before it meets reportlab's markup.
"""

import functools
import io
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

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

PAGE_SIZE = LETTER
MARGIN = 0.75 * inch
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
INK = colors.HexColor("#1d1d1d")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#b8c2cc")
HEADER_FILL = colors.HexColor("#e6ecf5")
STRIPE = colors.HexColor("#f6f8fa")
LABEL_WIDTH = 1.3 * inch

# Fonts with real glyphs for names such as "Nguyễn" or "Łukasz": DejaVu where the system
# has it, else the Bitstream Vera shipped inside reportlab (always present).
_SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")
_REPORTLAB_FONTS = Path(reportlab.__file__).parent / "fonts"
_FONT_CANDIDATES = [
    (
        "CitkitDejaVu",
        {
            "regular": _SYSTEM_FONTS / "DejaVuSans.ttf",
            "bold": _SYSTEM_FONTS / "DejaVuSans-Bold.ttf",
            "italic": _SYSTEM_FONTS / "DejaVuSans-Oblique.ttf",
            "bold_italic": _SYSTEM_FONTS / "DejaVuSans-BoldOblique.ttf",
        },
    ),
    (
        "CitkitVera",
        {
            "regular": _REPORTLAB_FONTS / "Vera.ttf",
            "bold": _REPORTLAB_FONTS / "VeraBd.ttf",
            "italic": _REPORTLAB_FONTS / "VeraIt.ttf",
            "bold_italic": _REPORTLAB_FONTS / "VeraBI.ttf",
        },
    ),
]


@functools.cache
def fonts() -> dict[str, str]:
    """Register one TrueType family and return its names: regular, bold, italic..."""
    for family, files in _FONT_CANDIDATES:
        if all(path.is_file() for path in files.values()):
            names = {}
            for style, path in files.items():
                name = f"{family}-{style}"
                pdfmetrics.registerFont(TTFont(name, str(path)))
                names[style] = name
            addMapping(family, 0, 0, names["regular"])
            addMapping(family, 1, 0, names["bold"])
            addMapping(family, 0, 1, names["italic"])
            addMapping(family, 1, 1, names["bold_italic"])
            return {**names, "family": family}
    # Last resort: the PDF standard fonts (Latin-1 only).
    return {
        "regular": "Helvetica",
        "bold": "Helvetica-Bold",
        "italic": "Helvetica-Oblique",
        "bold_italic": "Helvetica-BoldOblique",
        "family": "Helvetica",
    }


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles by name."""
    f = fonts()
    body = ParagraphStyle(
        "body",
        fontName=f["regular"],
        fontSize=10.5,
        leading=14,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=6,
        splitLongWords=1,
    )
    # A heading stays on the page of what follows it.
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", parent=body, fontName=f["bold"], fontSize=18, leading=22, spaceAfter=4
        ),
        "meta": ParagraphStyle(
            "meta", parent=body, fontSize=11.5, leading=15, textColor=MUTED, spaceAfter=2
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=f["bold"],
            fontSize=13.5,
            leading=17,
            spaceBefore=12,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=f["bold"],
            fontSize=11,
            leading=14,
            spaceBefore=6,
            keepWithNext=1,
        ),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=MUTED),
        "notice": ParagraphStyle(
            "notice",
            parent=body,
            fontName=f["bold"],
            textColor=colors.HexColor("#a01818"),
            spaceAfter=10,
        ),
        "item": ParagraphStyle(
            "item",
            parent=body,
            leftIndent=18,
            bulletIndent=0,
            bulletFontName=f["bold"],
            spaceAfter=2,
        ),
        "item_detail": ParagraphStyle(
            "item_detail", parent=body, fontSize=9, leading=12, textColor=MUTED, leftIndent=18
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "cell_detail": ParagraphStyle(
            "cell_detail", parent=body, fontSize=9, leading=12, textColor=MUTED, spaceAfter=0
        ),
        "cell_head": ParagraphStyle(
            "cell_head", parent=body, fontName=f["bold"], fontSize=9.5, leading=12, spaceAfter=0
        ),
        "label": ParagraphStyle(
            "label", parent=body, fontName=f["bold"], fontSize=10, leading=13, spaceAfter=0
        ),
        "value": ParagraphStyle("value", parent=body, spaceAfter=0),
    }


def markup(text: str) -> str:
    """Clean text as reportlab paragraph markup: &, < and > escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


def paragraphs(text: str, style: str, **kwargs) -> list[Flowable]:
    """One flowable per paragraph (blank lines), so long text splits between them too."""
    return [PdfParagraph(markup(chunk), styles()[style], **kwargs) for chunk in blocks_of(text)]


def _cell(value: Entry, style: str = "cell") -> list[Flowable]:
    flowables = paragraphs(value.text, style)
    if value.detail:
        flowables += paragraphs(value.detail, "cell_detail")
    return flowables


def _grid(
    data: list[list[list[Flowable]]], widths: list[float], commands: list, *, header: bool
) -> PdfTable:
    # splitInRow: a row taller than what is left of the page (a long workaround, a long
    # note) goes on over the next page instead of failing the whole document.
    result = PdfTable(
        data,
        colWidths=widths,
        repeatRows=1 if header else 0,
        hAlign="LEFT",
        splitByRow=1,
        splitInRow=1,
    )
    result.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *commands]))
    return result


def table(block: Table) -> list[Flowable]:
    if not block.rows:
        return paragraphs(block.empty, "body")
    data = [[_cell(Entry(h), "cell_head") for h in block.header]]
    data += [[_cell(value) for value in row] for row in block.rows]
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    widths = [FRAME_WIDTH * share for share in block.shares()]
    return [_grid(data, widths, commands, header=True), Spacer(0, 6)]


def fields(block: Fields) -> list[Flowable]:
    if not block.pairs:
        return []
    data = [
        [paragraphs(label, "label"), paragraphs(value, "value")] for label, value in block.pairs
    ]
    commands = [
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    widths = [LABEL_WIDTH, FRAME_WIDTH - LABEL_WIDTH]
    return [_grid(data, widths, commands, header=False), Spacer(0, 4)]


def item_list(block: ItemList) -> list[Flowable]:
    story: list[Flowable] = []
    for number, value in enumerate(block.entries, start=1):
        bullet = f"{number}." if block.numbered else "•"
        chunks = blocks_of(value.text) or [""]
        story.append(PdfParagraph(markup(chunks[0]), styles()["item"], bulletText=bullet))
        story += [PdfParagraph(markup(c), styles()["item"]) for c in chunks[1:]]
        if value.detail:
            story += paragraphs(value.detail, "item_detail")
    return [*story, Spacer(0, 4)]


def story(document: Document) -> list[Flowable]:
    flowables: list[Flowable] = paragraphs(document.title, "title")
    for line in document.meta:
        flowables += paragraphs(line, "meta")
    flowables.append(Spacer(0, 10))
    for block in document.blocks:
        match block:
            case Heading():
                flowables += paragraphs(block.text, f"h{min(block.level, 2)}")
            case Paragraph():
                flowables += paragraphs(block.text, block.tone)
            case ItemList():
                flowables += item_list(block)
            case Fields():
                flowables += fields(block)
            case Table():
                flowables += table(block)
            case _:
                raise TypeError(f"No PDF layout for {block!r}.")
    return flowables


def _fit(footer: str, page: str, size: float = 8.5) -> str:
    """ "footer · Page N of M" on one line within the margins (a long footer is cut short)."""
    if not footer:
        return page
    footer = " ".join(footer.split())[:200]
    font = fonts()["regular"]
    text = f"{footer} · {page}"
    while footer and pdfmetrics.stringWidth(text, font, size) > FRAME_WIDTH:
        footer = footer[: max(len(footer) - 8, 0)]
        text = f"{footer}… · {page}" if footer else page
    return text


def _numbered_canvas(footer: str):
    """A canvas that writes "footer · Page N of M" on every page (second pass for M)."""

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(fonts()["regular"], 8.5)
                self.setFillColor(MUTED)
                text = _fit(footer, f"Page {self._pageNumber} of {total}")
                self.drawRightString(PAGE_SIZE[0] - MARGIN, MARGIN / 2, text)
                super().showPage()
            super().save()

    return NumberedCanvas


def render(document: Document) -> bytes:
    """The document as PDF bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=document.title,
        author=document.author,
        subject=document.subject,
        creator="citkit",
        lang="en",
    )
    doc.build(story(document), canvasmaker=_numbered_canvas(document.footer))
    return buffer.getvalue()
