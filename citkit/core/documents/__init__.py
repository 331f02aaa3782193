"""Printable documents: one model (model.py) laid out as PDF (pdf.py, reportlab) or as
DOCX (word.py, python-docx). Every citkit report builds a `model.Document` and renders
it here, so whatever prints in one format prints in the other.

    from citkit.core import documents
    from citkit.core.documents.model import Document, Heading, Table

    doc = Document(title="Status report", meta=[program.name])
    doc.add(Heading("Plan"), Table(["Task", "Status"], rows, widths=[3, 1], empty="No tasks."))
    content, content_type = documents.render(doc, "pdf")
"""

from collections.abc import Callable

from citkit.core.documents import pdf, word
from citkit.core.documents.model import Document

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

RENDERERS: dict[str, tuple[Callable[[Document], bytes], str]] = {
    "pdf": (pdf.render, PDF),
    "docx": (word.render, DOCX),
}


def render(document: Document, fmt: str) -> tuple[bytes, str]:
    """The document as bytes in the format ("pdf" or "docx"), and its content type."""
    renderer, content_type = RENDERERS[fmt]
    return renderer(document), content_type
