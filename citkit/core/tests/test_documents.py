"""The document toolkit: one model read back from both formats (pypdf for PDF, python-docx
for DOCX), with the longest and oddest text people type. `odd_text` is shared with the
report tests of the apps."""

import io

import docx
import pypdf
import pytest

from citkit.core import documents
from citkit.core.documents.model import (
    Document,
    Entry,
    Fields,
    Heading,
    ItemList,
    Paragraph,
    Table,
    clean,
)

CONTROL = "".join(chr(c) for c in range(0x20)) + "\x7f"
MARKUP = "<b>&amp;</b> <para> &lt; <font size=40>"
RTL = "שלום עולם مرحبا بكم"
EMOJI = "🚑🧠👩🏽‍⚕️"


def odd_text(
    length: int = 20_000,
    *,
    start: str = "Firstword",
    end: str = "Lastword",
    storable: bool = False,
) -> str:
    """`length` characters that start with `start` and end with `end`, holding every
    control character, markup-like text, emoji, right-to-left text, a word without
    spaces longer than a column and runs of line breaks; then ordinary words.

    `storable`: without the NUL byte, which PostgreSQL cannot keep in a text column
    (every other control character it stores, so a record may still carry them).
    """
    control = CONTROL.replace("\x00", "") if storable else CONTROL
    odd = (
        f"{start} before{control}after {MARKUP} {EMOJI} {RTL} "
        f"{'Unbroken' * 250} line one\nline two\r\nline three\rline four"
        f"{chr(10) * 60}Afterthebreaks "
    )
    words = " ".join(f"word{i}" for i in range(length // 5))
    return (odd + words)[: length - len(end) - 1] + " " + end


def squash(text: str) -> str:
    """Text without any whitespace: lines wrap in different places in each format."""
    return "".join(text.split())


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    return squash("".join(pdf_pages(content)))


def docx_text(content: bytes) -> str:
    """Every paragraph of the body, the tables and the footer, in order."""
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    parts += [p.text for p in document.sections[0].footer.paragraphs]
    return "\n".join(parts)


def both(document: Document) -> tuple[str, str]:
    """The document's text from the PDF (without whitespace) and from the DOCX."""
    pdf, pdf_type = documents.render(document, "pdf")
    word, word_type = documents.render(document, "docx")
    assert (pdf_type, word_type) == (documents.PDF, documents.DOCX)
    return pdf_text(pdf), docx_text(word)


def page_count(document: Document) -> int:
    return len(pdf_pages(documents.render(document, "pdf")[0]))


def sample() -> Document:
    return Document(
        title="Status report",
        meta=["Riverbend County CIT", "Prepared Mar 12, 2026"],
        author="Riverbend County CIT",
        footer="Riverbend · Report",
    ).add(
        Heading("Plan"),
        Paragraph("First paragraph.\n\nSecond paragraph,\nwith a line break."),
        ItemList(["Four tasks done.", Entry("Two flagged.", "Records disagree.")]),
        ItemList([Entry("Adopt the MOU.", "Vote: 7 for.")], numbered=True),
        Fields([("Program", "Riverbend County CIT"), ("Empty", "")]),
        Table(["Task", "Status"], [["Develop a memorandum", Entry("Done", "in March")]], [3, 1]),
        Table(["Gap", "Owner"], [], empty="No open gaps."),
        Paragraph("Watch this.", "notice"),
        Paragraph("Small print.", "small"),
    )


# --- Every block, in both formats -----------------------------------------------------


def test_every_block_prints_in_the_pdf():
    content = documents.render(sample(), "pdf")[0]
    text = " ".join(" ".join(pdf_pages(content)).split())
    for expected in [
        "Status report",
        "Riverbend County CIT",
        "Prepared Mar 12, 2026",
        "Plan",
        "First paragraph.",
        "Second paragraph, with a line break.",
        "• Four tasks done.",
        "Records disagree.",
        "1. Adopt the MOU.",
        "Program Riverbend County CIT",
        "Task Status",
        "Develop a memorandum Done",
        "No open gaps.",
        "Watch this.",
        "Small print.",
        "Riverbend · Report · Page 1 of 1",
    ]:
        assert expected in text, expected
    assert "Empty" not in text
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert reader.metadata.title == "Status report"
    assert reader.metadata.author == "Riverbend County CIT"


def test_every_block_prints_in_the_docx_with_headings_lists_and_tables():
    content = documents.render(sample(), "docx")[0]
    document = docx.Document(io.BytesIO(content))
    assert document.core_properties.title == "Status report"
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert paragraphs[:4] == [
        ("Title", "Status report"),
        ("Normal", "Riverbend County CIT"),
        ("Normal", "Prepared Mar 12, 2026"),
        ("Heading 1", "Plan"),
    ]
    texts = [text for _, text in paragraphs]
    assert "Second paragraph,\nwith a line break." in texts
    assert ("List Bullet", "Four tasks done.") in paragraphs
    assert "1.\tAdopt the MOU." in texts
    assert "Program: Riverbend County CIT" in texts
    assert "No open gaps." in texts and not any("Empty" in t for t in texts)
    [grid] = document.tables
    assert [c.text for c in grid.rows[0].cells] == ["Task", "Status"]
    assert [c.text for c in grid.rows[1].cells] == ["Develop a memorandum", "Done\nin March"]
    assert "Riverbend · Report · Page" in docx_text(content)


def test_a_row_with_the_wrong_number_of_cells_is_refused():
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        Table(["A", "B", "C"], [["1", "2"]])


# --- Text that once broke the documents ---------------------------------------------------


def test_cleaning_drops_control_characters_and_keeps_tabs_and_line_breaks():
    # \r is a line ending of its own (old Mac files).
    assert clean(f"a{CONTROL}b") == "a\t\n\nb"
    assert clean("one\r\ntwo\rthree\nfour") == "one\ntwo\nthree\nfour"
    assert clean("lone \ud800 surrogate \ufffe") == "lone  surrogate "
    assert clean(None) == ""
    assert clean(f"{RTL} {EMOJI} {MARKUP}") == f"{RTL} {EMOJI} {MARKUP}"


def test_an_escape_character_in_any_block_costs_neither_format():
    text = "Bridged by the\x1b mobile team\x00 until\x0c March"
    document = Document(title=f"Report\x1b{text}", meta=[text], footer=text, author=text).add(
        Heading(text),
        Paragraph(text),
        ItemList([Entry(text, text)], numbered=True),
        Fields([(text, text)]),
        Table([text], [[Entry(text, text)]]),
    )
    pdf, word = both(document)
    assert pdf.count("Bridgedbythemobileteamuntil") >= 7
    assert word.count("Bridged by the mobile team until March") >= 7
    assert "\x1b" not in word and "\x00" not in word


def test_text_that_looks_like_markup_is_printed_as_written():
    document = Document(title=MARKUP).add(
        Heading(MARKUP),
        Paragraph(MARKUP),
        ItemList([MARKUP]),
        Fields([("Note", MARKUP)]),
        Table(["Note"], [[MARKUP]]),
    )
    pdf, word = both(document)
    assert pdf.count(squash(MARKUP)) == 6
    assert word.count(MARKUP) == 6


def test_emoji_and_right_to_left_text_do_not_stop_either_format():
    document = Document(title="Languages").add(
        Paragraph(f"Spanish: señal. Hebrew and Arabic: {RTL}. Emoji: {EMOJI}. End."),
        Table(["Note"], [[f"{RTL} {EMOJI} Vietnamese Nguyễn"]]),
    )
    pdf, word = both(document)
    # reportlab neither shapes right-to-left text nor draws emoji without a font for
    # them; the text around them prints.
    assert "Spanish:señal." in pdf and "End." in pdf and "VietnameseNguyễn" in pdf
    assert f"Hebrew and Arabic: {RTL}. Emoji: {EMOJI}. End." in word
    assert f"{RTL} {EMOJI} Vietnamese Nguyễn" in word


def test_a_word_longer_than_its_column_breaks_across_lines():
    word = "Unbroken" * 400
    document = Document(title="Long word").add(Table(["#", "Note"], [["1", word]], [1, 20]))
    pdf, docx_content = both(document)
    assert word in pdf
    assert word in docx_content


def test_a_table_cell_longer_than_a_page_carries_on_over_the_next_pages():
    long = odd_text(20_000, start="Cellstarts", end="Cellends")
    short = Document(title="Gaps").add(Table(["Gap", "Interim workaround"], [["Youth", "A"]]))
    document = Document(title="Gaps").add(
        Table(
            ["Gap", "Interim workaround"],
            [["Youth beds", long], ["After midnight", "Mobile team on call"]],
            [1, 2],
        )
    )
    content = documents.render(document, "pdf")[0]
    pages = pdf_pages(content)
    assert page_count(short) == 1
    assert len(pages) >= 4
    text = pdf_text(content)
    assert "Cellstarts" in text and "Cellends" in text
    assert "word1000" in text and "Afterthebreaks" in text and "beforeafter" in text
    assert text.index("Cellends") < text.index("Mobileteamoncall")
    # The header row is repeated on each page the table runs over.
    assert all("Interim workaround" in page for page in pages)
    assert "Cellends" in docx_text(documents.render(document, "docx")[0])


def test_the_longest_text_in_every_block_runs_onto_more_pages():
    title = odd_text(200, start="Titlestarts", end="Titleends")
    long = odd_text(20_000)
    document = Document(title=title, meta=[title], footer=title, author=title, subject=title)
    document.add(
        Heading(title),
        Paragraph(long),
        ItemList([Entry(long, long)], numbered=True),
        ItemList([long]),
        Fields([("When", long), (title, title)]),
        Table(["Item", "Note", "Who"], [[title, Entry(long, long), title]], [2, 5, 2]),
    )
    pdf, word = both(document)
    assert page_count(document) >= 20
    assert pdf.count("Firstword") == 7 and pdf.count("Lastword") == 7
    assert "Titlestarts" in pdf and "Titleends" in pdf
    assert word.count("Firstword") == 7 and word.count("Lastword") == 7
    assert squash(MARKUP) in pdf and MARKUP in word
    assert "beforeafter" in pdf and "before\t\nafter" in word
    assert "line one\nline two\nline three\nline four" in word


def test_a_long_footer_is_cut_to_the_width_of_the_page():
    document = Document(title="Footer", footer="Riverbend " * 40).add(Paragraph("Text."))
    last_line = pdf_pages(documents.render(document, "pdf")[0])[0].splitlines()[-1]
    assert last_line.startswith("Riverbend Riverbend")
    assert last_line.endswith("… · Page 1 of 1")
    assert last_line.count("Riverbend") < 40
