"""An MOU as a printable document (PDF or DOCX) through citkit.core.documents: the
parties, each clause as plain text, the responsibilities the parties take on, and a
signature block for each party.

Clause Markdown reaches the document only through text.plain_blocks, so the file
carries words, never markup. The footer says whether this is the version out for
(or given) signature: a draft printed for a meeting must not be mistaken for it.
"""

import datetime

from django.db.models import Prefetch
from django.utils.text import slugify

from citkit.core import documents
from citkit.core.documents.model import (
    Block,
    Document,
    Entry,
    Fields,
    Heading,
    ItemList,
    Paragraph,
    Table,
)
from citkit.partnerships import hours, starters, text
from citkit.partnerships.models import (
    EDITABLE_STATUSES,
    ClauseKind,
    Mou,
    MouCommitment,
    MouParty,
    MouSignature,
    MouVersion,
    Schedule,
)

SIGNATURE_LINE = "Signature: ______________________________    Date: ______________"


def _day(day: datetime.date | None) -> str:
    return f"{day:%b} {day.day}, {day.year}" if day else ""


def _months(months: int) -> str:
    if months and months % 12 == 0:
        years = months // 12
        return "1 year" if years == 1 else f"{years} years"
    return "1 month" if months == 1 else f"{months} months"


def term_text(mou: Mou) -> str:
    """The term in a sentence: when it starts, how long it runs, how it renews."""
    starts = (
        f"Effective {_day(mou.effective_date)}"
        if mou.effective_date
        else "Effective the day the last party signs"
    )
    parts = [f"{starts}; term {_months(mou.term_months)}"]
    if mou.auto_renew:
        parts.append(
            f"renews automatically for {_months(mou.renewal_months)} at a time unless a "
            f"party gives {mou.notice_days} days' notice"
        )
    else:
        parts.append(f"does not renew by itself; notice {mou.notice_days} days")
    sentence = "; ".join(parts) + "."
    if mou.ends_on:
        sentence += f" Current term ends {_day(mou.ends_on)}."
    return sentence


def clause_blocks(body: str) -> list[Block]:
    """A clause's Markdown as document blocks, markup reduced to plain text."""
    blocks: list[Block] = []
    for kind, content in text.plain_blocks(body):
        if kind == "heading":
            blocks.append(Heading(str(content), level=2))
        elif kind == "paragraph":
            blocks.append(Paragraph(str(content)))
        elif kind in ("bullets", "numbered"):
            blocks.append(ItemList(list(content), numbered=kind == "numbered"))
    return blocks


def _parties(mou: Mou, version: MouVersion | None) -> list[MouParty]:
    signatures = (
        MouSignature.objects.filter(version=version) if version else MouSignature.objects.none()
    )
    return list(
        mou.parties.select_related("agency").prefetch_related(
            Prefetch(
                "signatures",
                queryset=signatures.order_by("recorded_at", "id"),
                to_attr="version_signatures",
            ),
            Prefetch(
                "commitments",
                queryset=MouCommitment.objects.select_related("responsibility__service").order_by(
                    "responsibility__position", "id"
                ),
            ),
            Prefetch(
                "commitments__responsibility__service__schedules",
                queryset=Schedule.objects.order_by("id"),
            ),
        )
    )


def _hours(responsibility) -> str:
    if responsibility.available_24_7:
        return "24/7"
    if responsibility.hours_text:
        return responsibility.hours_text
    if responsibility.service is not None:
        return hours.hours_text(responsibility.service.schedules.all())
    return ""


def _responsibilities(parties: list[MouParty]) -> Table:
    rows = []
    for party in parties:
        for commitment in party.commitments.all():
            duty = commitment.responsibility
            rows.append(
                [
                    party.agency.name,
                    Entry(duty.title, commitment.note),
                    duty.applies_when,
                    _hours(duty),
                    duty.contact_phone,
                ]
            )
    return Table(
        ["Party", "Responsibility", "When it applies", "Hours", "Contact"],
        rows,
        widths=[20, 28, 24, 14, 14],
        empty="No responsibilities recorded.",
    )


def _signature_blocks(parties: list[MouParty]) -> list[Block]:
    blocks: list[Block] = []
    for party in parties:
        blocks.append(Heading(f"For {party.agency.name}", level=2))
        signed = party.version_signatures[0] if party.version_signatures else None  # type: ignore[attr-defined]
        if signed is not None:
            blocks.append(
                Fields(
                    [
                        ("Signed by", signed.signer_name),
                        ("Title", signed.signer_title),
                        ("Signed on", f"{_day(signed.signed_on)} ({signed.get_method_display()})"),
                    ]
                )
            )
        else:
            blocks.append(
                Fields([("Name", party.signatory_name), ("Title", party.signatory_title)])
            )
            blocks.append(Paragraph(SIGNATURE_LINE))
    return blocks


def _latest(mou: Mou) -> MouVersion | None:
    return mou.versions.order_by("-number").first()


def is_signing_version(mou: Mou, version: MouVersion | None, latest: MouVersion | None) -> bool:
    """The version signatures are given to: the newest, once its text is locked."""
    return (
        version is not None
        and latest is not None
        and version.pk == latest.pk
        and mou.status not in EDITABLE_STATUSES
    )


def mou_document(mou: Mou, version: MouVersion | None = None) -> Document:
    """The MOU's text at `version` (default: the newest) as a document."""
    program = mou.program
    latest = _latest(mou)
    version = version or latest
    for_signature = is_signing_version(mou, version, latest)
    number = version.number if version else 0
    if for_signature:
        state = f"Version {number}"
    elif version is None:
        state = "Draft — no text yet, not for signature"
    else:
        state = f"Draft — version {number}, not for signature"

    meta = [program.name, f"Status: {mou.get_status_display()}"]
    if version is not None:
        written = version.created_at.astimezone(program.zone).date()
        meta.append(f"Version {number} of {_day(written)}")
    meta.append(term_text(mou))
    if mou.supersedes_id:
        meta.append(f"Amends and replaces: {mou.supersedes}")
    document = Document(
        title=mou.title,
        meta=meta,
        author=program.name,
        subject=f"Memorandum of understanding ({mou.get_kind_display().split(':')[0]})",
        footer=f"{mou.title} · {state}",
    )
    if not for_signature:
        document.add(Paragraph(f"{state}.", "notice"))

    parties = _parties(mou, version)
    document.add(
        Heading("Parties"),
        Table(
            ["Agency", "Signatory", "Title"],
            [[p.agency.name, p.signatory_name, p.signatory_title] for p in parties],
            widths=[40, 30, 30],
            empty="No parties yet.",
        ),
    )

    # Placeholders ({{program}}, {{parties}}) stay in the stored text and are filled
    # from the parties as they stand, which no longer change once signing starts.
    clauses = starters.fill_clauses(
        list(version.clauses) if version else [],
        program_name=program.name,
        party_names=[p.agency.name for p in parties],
    )
    if not clauses:
        document.add(Paragraph("This version has no clauses yet."))
    responsibilities: list[Block] = [
        Heading("Responsibilities of the parties"),
        _responsibilities(parties),
    ]
    signatures = _signature_blocks(parties)
    placed = False
    for position, clause in enumerate(clauses, start=1):
        is_signatures = clause.get("kind") == ClauseKind.SIGNATURES and not placed
        if is_signatures:
            # The table of duties belongs to the text the parties sign, just before
            # the signatures clause, and the signature lines right after it.
            document.add(*responsibilities)
        document.add(Heading(f"{position}. {clause.get('heading', '')}"))
        document.add(*clause_blocks(str(clause.get("body") or "")))
        if is_signatures:
            document.add(*signatures)
            placed = True
    if not placed:
        document.add(*responsibilities, Heading("Signatures"), *signatures)
    return document


def filename(mou: Mou, version: MouVersion | None, fmt: str) -> str:
    number = version.number if version else 0
    name = slugify(mou.title)[:60] or "mou"
    return f"{mou.program.slug}-{name}-v{number}.{fmt}"


def render_mou(mou: Mou, fmt: str, version: MouVersion | None = None) -> tuple[bytes, str, str]:
    """The MOU as (bytes, content type, file name) in "pdf" or "docx"."""
    version = version or _latest(mou)
    content, content_type = documents.render(mou_document(mou, version), fmt)
    return content, content_type, filename(mou, version, fmt)
