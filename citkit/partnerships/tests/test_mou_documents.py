"""The MOU as a printable document: parties, clause text without markup, the
responsibilities table and a signature block for each party, in DOCX and PDF."""

import datetime as dt
import io

import docx
import pypdf
import pytest

from citkit.core.documents.model import Heading, ItemList, Paragraph, Table
from citkit.partnerships import mou_documents
from citkit.partnerships.models import (
    Mou,
    MouCommitment,
    MouParty,
    MouSignature,
    MouStatus,
    MouVersion,
    Responsibility,
    ResponsibilityKind,
    Schedule,
    Service,
    SignatureMethod,
)
from citkit.partnerships.starters import STARTER_TEMPLATES, fill_clauses
from citkit.testing.factories import AgencyFactory

CLAUSES = [
    {
        "key": "purpose",
        "kind": "purpose",
        "heading": "Purpose",
        "body": "The parties **share** the work of the *CIT* program.",
    },
    {
        "key": "roles",
        "kind": "roles",
        "heading": "Roles and responsibilities",
        "body": (
            "## Receiving facility\n\n"
            "- Accepts people **24/7**\n"
            "- Turnaround within 15 minutes\n\n"
            "1. Call ahead\n2. Hand over the form\n\n"
            "<script>alert('x')</script>Nothing else."
        ),
    },
    {
        "key": "signatures",
        "kind": "signatures",
        "heading": "Signatures",
        "body": "Each signer is authorized to sign.",
    },
]


@pytest.fixture
def mou(program_a):
    police = AgencyFactory(program=program_a, name="Riverbend Police Department")
    clinic = AgencyFactory(
        program=program_a, name="Riverbend Behavioral Health", agency_type="mental_health"
    )
    hospital = AgencyFactory(program=program_a, name="St. Anne Crisis Center")
    mou = Mou.objects.create(
        program=program_a,
        title="Riverbend CIT operations MOU",
        status=MouStatus.OUT_FOR_SIGNATURE,
        effective_date=dt.date(2026, 4, 1),
    )
    first = MouVersion.objects.create(mou=mou, number=1, clauses=CLAUSES[:1])
    MouVersion.objects.create(mou=mou, number=2, clauses=CLAUSES)
    parties = [
        MouParty.objects.create(
            mou=mou, agency=police, signatory_name="Dana Reyes", signatory_title="Chief", position=0
        ),
        MouParty.objects.create(
            mou=mou,
            agency=clinic,
            signatory_name="Sam Okafor",
            signatory_title="Executive Director",
            position=1,
        ),
        MouParty.objects.create(
            mou=mou,
            agency=hospital,
            signatory_name="Lee Park",
            signatory_title="Administrator",
            position=2,
        ),
    ]
    unit = Service.objects.create(program=program_a, agency=hospital, name="Walk-in assessment")
    Schedule.objects.create(
        program=program_a,
        service=unit,
        byday="MO,TU,WE,TH,FR",
        opens_at=dt.time(9),
        closes_at=dt.time(17),
    )
    duties = [
        (parties[0], dict(kind=ResponsibilityKind.RESPOND, title="Lead on scene")),
        (
            parties[2],
            dict(
                kind=ResponsibilityKind.RECEIVE,
                title="Accept every person brought by an officer",
                applies_when="Adults under an emergency custody order",
                available_24_7=True,
                contact_phone="555-0100",
            ),
        ),
        (
            parties[2],
            dict(kind=ResponsibilityKind.ASSESS, title="Walk-in assessment", service=unit),
        ),
    ]
    for party, fields in duties:
        duty = Responsibility.objects.create(program=program_a, agency=party.agency, **fields)
        MouCommitment.objects.create(party=party, responsibility=duty)
    signing = mou.versions.get(number=2)
    MouSignature.objects.create(
        party=parties[0],
        version=signing,
        method=SignatureMethod.TYPED,
        signer_name="Dana Reyes",
        signer_title="Chief of Police",
        signed_on=dt.date(2026, 3, 20),
    )
    # A signature on the older version does not count for the newer one.
    MouSignature.objects.create(
        party=parties[1],
        version=first,
        method=SignatureMethod.SCAN,
        signer_name="Sam Okafor",
        signed_on=dt.date(2026, 3, 1),
    )
    return mou


def _docx_text(content: bytes) -> tuple[list[tuple[str, str]], list[list[list[str]]], str]:
    document = docx.Document(io.BytesIO(content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    footer = "\n".join(p.text for p in document.sections[0].footer.paragraphs)
    return paragraphs, tables, footer


def test_the_docx_has_the_parties_clauses_and_no_markup(mou):
    content, content_type, filename = mou_documents.render_mou(mou, "docx")
    assert content_type.endswith("wordprocessingml.document")
    assert filename == "riverbend-riverbend-cit-operations-mou-v2.docx"
    paragraphs, tables, footer = _docx_text(content)
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert headings[:4] == [
        "Parties",
        "1. Purpose",
        "2. Roles and responsibilities",
        "Receiving facility",
    ]
    assert "3. Signatures" in headings
    texts = [text for _, text in paragraphs]
    assert "The parties share the work of the CIT program." in texts
    assert "Accepts people 24/7" in texts
    assert "Nothing else." in texts
    assert any(t.startswith("1.") and "Call ahead" in t for t in texts)

    parties = tables[0]
    assert parties[0] == ["Agency", "Signatory", "Title"]
    assert parties[1:] == [
        ["Riverbend Police Department", "Dana Reyes", "Chief"],
        ["Riverbend Behavioral Health", "Sam Okafor", "Executive Director"],
        ["St. Anne Crisis Center", "Lee Park", "Administrator"],
    ]
    everything = "\n".join(texts + [c for t in tables for r in t for c in r] + [footer])
    assert "<script" not in everything
    assert "alert" not in everything
    assert "**" not in everything
    assert "##" not in everything


def test_the_responsibilities_table_lists_each_commitment(mou):
    _, tables, _ = _docx_text(mou_documents.render_mou(mou, "docx")[0])
    duties = tables[1]
    assert duties[0] == ["Party", "Responsibility", "When it applies", "Hours", "Contact"]
    rows = {row[1]: row for row in duties[1:]}
    assert rows["Lead on scene"][0] == "Riverbend Police Department"
    receive = rows["Accept every person brought by an officer"]
    assert receive[2:] == ["Adults under an emergency custody order", "24/7", "555-0100"]
    assert rows["Walk-in assessment"][3] == "Mon–Fri 09:00–17:00"


def test_signature_blocks_show_who_signed_this_version_and_blank_lines_for_the_rest(mou):
    paragraphs, _, _ = _docx_text(mou_documents.render_mou(mou, "docx")[0])
    texts = [text for _, text in paragraphs]
    start = texts.index("For Riverbend Police Department")
    police_block = texts[start : texts.index("For Riverbend Behavioral Health")]
    assert "Signed by: Dana Reyes" in police_block
    assert any("Signed on: Mar 20, 2026" in t and "Typed attestation" in t for t in police_block)
    # Signed version 1 only: for version 2 this party has not signed yet.
    clinic_block = texts[texts.index("For Riverbend Behavioral Health") :]
    assert "Name: Sam Okafor" in clinic_block
    assert sum(t.startswith("Signature: ___") for t in texts) == 2


def test_the_version_out_for_signature_has_a_plain_footer(mou):
    _, _, footer = _docx_text(mou_documents.render_mou(mou, "docx")[0])
    assert "Version 2" in footer
    assert "Draft" not in footer


def test_an_older_version_is_marked_as_a_draft_not_for_signature(mou):
    first = mou.versions.get(number=1)
    paragraphs, _, footer = _docx_text(mou_documents.render_mou(mou, "docx", first)[0])
    assert "Draft — version 1, not for signature" in footer
    assert "Draft — version 1, not for signature." in [t for _, t in paragraphs]
    # Its signatures are those given to version 1.
    assert "Signed by: Sam Okafor" in [t for _, t in paragraphs]


def test_a_draft_mou_is_marked_as_a_draft(mou):
    Mou.objects.filter(pk=mou.pk).update(status=MouStatus.DRAFT)
    mou.refresh_from_db()
    document = mou_documents.mou_document(mou)
    assert document.footer.endswith("Draft — version 2, not for signature")


def test_the_meta_lines_give_status_version_and_term(mou):
    document = mou_documents.mou_document(mou)
    assert document.meta[0] == "Riverbend County CIT"
    assert document.meta[1] == "Status: Out for signature"
    assert document.meta[2].startswith("Version 2 of ")
    assert document.meta[3] == (
        "Effective Apr 1, 2026; term 1 year; renews automatically for 1 year at a time "
        "unless a party gives 60 days' notice."
    )


def test_the_responsibilities_come_just_before_the_signatures_clause(mou):
    blocks = mou_documents.mou_document(mou).blocks
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    at = headings.index("Responsibilities of the parties")
    assert headings[at + 1] == "3. Signatures"
    assert headings[at + 2] == "For Riverbend Police Department"


def test_clause_markdown_becomes_paragraphs_and_lists():
    blocks = mou_documents.clause_blocks("Intro **bold**\n\n- a\n- b\n\n1. one")
    assert blocks == [
        Paragraph("Intro bold"),
        ItemList(["a", "b"]),
        ItemList(["one"], numbered=True),
    ]


def test_the_pdf_carries_the_parties_headings_and_signature_lines(mou):
    content, content_type, filename = mou_documents.render_mou(mou, "pdf")
    assert content_type == "application/pdf"
    assert filename.endswith("-v2.pdf")
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Riverbend Police Department",
        "Riverbend Behavioral Health",
        "St. Anne Crisis Center",
        "1. Purpose",
        "2. Roles and responsibilities",
        "Receiving facility",
        "Signature",
        "Dana Reyes",
    ):
        assert expected in text
    assert "<script" not in text and "**" not in text


def test_an_mou_without_versions_still_prints(program_a):
    mou = Mou.objects.create(program=program_a, title="Empty")
    document = mou_documents.mou_document(mou)
    assert "no text yet" in document.footer
    assert any(isinstance(b, Table) for b in document.blocks)
    content, _, filename = mou_documents.render_mou(mou, "pdf")
    assert content.startswith(b"%PDF")
    assert filename.endswith("-v0.pdf")


@pytest.mark.parametrize("template", STARTER_TEMPLATES, ids=lambda t: t["kind"])
def test_starter_templates_print_without_markup_or_unfilled_placeholders(program_a, template):
    clauses = fill_clauses(
        [{"key": f"c{n}", **c} for n, c in enumerate(template["clauses"])],
        program_name=program_a.name,
        party_names=["Riverbend Police Department", "St. Anne *Crisis* Center"],
    )
    mou = Mou.objects.create(program=program_a, title=template["name"], kind=template["kind"])
    MouVersion.objects.create(mou=mou, number=1, clauses=clauses)
    paragraphs, _, _ = _docx_text(mou_documents.render_mou(mou, "docx")[0])
    texts = "\n".join(t for _, t in paragraphs)
    assert "{{" not in texts and "**" not in texts and "\\" not in texts
    assert "Riverbend County CIT" in texts
    assert "St. Anne *Crisis* Center" in texts  # a name stays a name


def test_starter_templates_use_known_clause_kinds_and_cover_the_toolkit_sections():
    from citkit.partnerships.models import ClauseKind, MouKind

    by_kind = {t["kind"]: t for t in STARTER_TEMPLATES}
    assert set(by_kind) == {MouKind.GENERAL, MouKind.SPECIFIC}
    for template in STARTER_TEMPLATES:
        assert {c["kind"] for c in template["clauses"]} <= set(ClauseKind.values)
    specific = [c["kind"] for c in by_kind[MouKind.SPECIFIC]["clauses"]]
    for kind in ("purpose", "parties", "term", "roles", "custody_transfer", "confidentiality",
                 "data", "training", "disputes", "termination", "signatures"):  # fmt: skip
        assert kind in specific
    confidentiality = next(
        c["body"] for c in by_kind[MouKind.SPECIFIC]["clauses"] if c["kind"] == "confidentiality"
    )
    for law in ("HIPAA", "CJIS", "42 CFR Part 2"):
        assert law in confidentiality
    assert confidentiality.count("[Counsel to insert") >= 3


def test_fill_replaces_placeholders_and_keeps_names_literal():
    from citkit.partnerships.starters import fill

    text = "{{program}} with {{parties}}:\n\n{{party_list}}\n\n{{unknown}}"
    filled = fill(text, program_name="Riverbend CIT", party_names=["A_1", "B", "C"])
    assert filled == "Riverbend CIT with A\\_1, B and C:\n\n- A\\_1\n- B\n- C\n\n{{unknown}}"
