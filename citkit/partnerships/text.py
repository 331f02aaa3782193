"""MOU clause text: Markdown for pages (sanitised HTML), for documents (plain blocks),
and the difference between two versions, clause by clause and word by word.

Clause text comes from coordinators, from templates and from imports, and ends up in
pages other members read and in documents agencies sign, so nothing in it is trusted:
pages get CommonMark with raw HTML disabled and then an allow-list sanitiser (two
locks, so a parser bug alone cannot open a hole); documents get plain text only.
"""

import difflib
import html
import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

# --- Markdown for pages --------------------------------------------------------------

ALLOWED_TAGS = {
    "p",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "br",
    "hr",
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# Removed with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = {"script", "style"}

# The page puts each clause's heading at h2, so headings inside a clause start at h3.
_HEADING_TAGS = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6", "h6": "h6"}


def _page_parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


_PAGE = _page_parser()


def _allowed_url(value: str) -> bool:
    # Relative and scheme-less links are refused too: a clause is read in pages,
    # e-mails and exports, where a relative link means something different each time.
    scheme = urlsplit(value.strip()).scheme.lower()
    return scheme in ALLOWED_SCHEMES


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if _allowed_url(value) else None
    return value


def sanitize(markup: str) -> str:
    """HTML reduced to the allow-list: the tags above, href (http, https, mailto) on
    links with rel="noopener noreferrer", nothing else."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes={"a": {"href"}},
        attribute_filter=_attribute_filter,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str | None) -> SafeString:
    """Clause Markdown as HTML safe to put in a page."""
    tokens = _PAGE.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_TAGS.get(token.tag, token.tag)
        # Images are not on the allow-list (they fetch from anywhere when the page is
        # opened); their description stays as text instead.
        for child in token.children or []:
            if child.type == "image":
                child.type, child.tag = "text", ""
                child.content = "".join(c.content for c in child.children or [])
                child.children = None
    markup = _PAGE.renderer.render(tokens, _PAGE.options, {})
    return mark_safe(sanitize(markup))  # sanitised just above


# --- Plain blocks for documents ------------------------------------------------------

PlainBlock = (
    tuple[Literal["heading"], str]
    | tuple[Literal["paragraph"], str]
    | tuple[Literal["bullets"], list[str]]
    | tuple[Literal["numbered"], list[str]]
)

# Raw HTML is parsed as HTML here (not as text, as on pages) so that documents can
# leave it out: a signed PDF carries the words of the clause, never markup.
_DOCUMENT = MarkdownIt("commonmark", {"html": True}).enable("table")
_SPACES = re.compile(r"[ \t]+")
_OPENS = re.compile(r"^<\s*(script|style)\b", re.IGNORECASE)
_CLOSES = re.compile(r"^<\s*/\s*(script|style)\b", re.IGNORECASE)


def _tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _html_text(markup: str) -> str:
    """The words of a raw HTML block: tags dropped, script and style with their content."""
    return html.unescape(nh3.clean(markup, tags=set(), clean_content_tags=DROPPED_WITH_CONTENT))


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    hidden = 0  # inside an inline <script> or <style>
    link: str | None = None
    link_start = 0
    for child in token.children or []:
        if child.type == "html_inline":
            if _OPENS.match(child.content):
                hidden += 1
            elif _CLOSES.match(child.content):
                hidden = max(hidden - 1, 0)
            continue
        if hidden:
            continue
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append("".join(c.content for c in child.children or []))
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
            link = href if _allowed_url(href) else None
            link_start = len(parts)
        elif child.type == "link_close":
            # On paper a link is only useful with its address written out.
            label = "".join(parts[link_start:]).strip()
            shown = link.removeprefix("mailto:") if link else ""
            if link and shown and shown != label:
                parts.append(f" ({shown})")
            link = None
    return _tidy("".join(parts))


def _close_index(tokens: list[Token], start: int) -> int:
    """The index of the token that closes tokens[start]."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _item_text(tokens: list[Token]) -> str:
    """One list item's text: its paragraphs on separate lines, nested list items as
    "- item" lines beneath."""
    lines: list[str] = []
    for block in _blocks(tokens):
        _kind, content = block
        if isinstance(content, list):
            lines += [f"– {item}" for item in content]
        elif content:
            lines.append(content)
    return "\n".join(lines)


def _blocks(tokens: list[Token]) -> list[PlainBlock]:
    blocks: list[PlainBlock] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            text = _inline_text(tokens[index + 1])
            if text:
                blocks.append(("heading", text))
            index = _close_index(tokens, index) + 1
        elif kind == "paragraph_open":
            text = _inline_text(tokens[index + 1])
            if text:
                blocks.append(("paragraph", text))
            index = _close_index(tokens, index) + 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            end = _close_index(tokens, index)
            items: list[str] = []
            position = index + 1
            while position < end:
                item_end = _close_index(tokens, position)
                text = _item_text(tokens[position + 1 : item_end])
                if text:
                    items.append(text)
                position = item_end + 1
            if items and kind == "ordered_list_open":
                blocks.append(("numbered", items))
            elif items:
                blocks.append(("bullets", items))
            index = end + 1
        elif kind in ("fence", "code_block"):
            text = _tidy(token.content)
            if text:
                blocks.append(("paragraph", text))
            index += 1
        elif kind == "html_block":
            text = _tidy(_html_text(token.content))
            if text:
                blocks.append(("paragraph", text))
            index += 1
        elif kind == "table_open":
            end = _close_index(tokens, index)
            rows: list[str] = []
            cells: list[str] = []
            for inner in tokens[index + 1 : end]:
                if inner.type == "inline":
                    cells.append(_inline_text(inner))
                elif inner.type == "tr_close":
                    rows.append(" | ".join(cells))
                    cells = []
            if rows:
                blocks.append(("paragraph", "\n".join(rows)))
            index = end + 1
        else:
            # blockquote_open/close, hr, list item wrappers: their content is walked.
            index += 1
    return blocks


def plain_blocks(text: str | None) -> list[PlainBlock]:
    """Clause Markdown as plain blocks for a document: ("heading", text), ("paragraph",
    text), ("bullets", [items]), ("numbered", [items]). Emphasis, code and links are
    reduced to their words (a link's address follows in brackets); raw HTML is left out,
    script and style with their content."""
    return _blocks(_DOCUMENT.parse(text or ""))


def plain_text(text: str | None) -> str:
    """Clause Markdown as plain text (paragraphs separated by blank lines)."""
    chunks = []
    for kind, content in plain_blocks(text):
        if kind == "bullets":
            chunks.append("\n".join(f"• {item}" for item in content))
        elif kind == "numbered":
            chunks.append("\n".join(f"{n}. {item}" for n, item in enumerate(content, 1)))
        else:
            chunks.append(str(content))
    return "\n\n".join(chunks)


# --- Differences between versions ----------------------------------------------------

Op = Literal["equal", "insert", "delete"]
Piece = tuple[Op, str]
Status = Literal["added", "removed", "changed", "unchanged", "moved"]

# Words and the whitespace between them, both kept, so the pieces join back to the text.
_WORDS = re.compile(r"\s+|\S+")


def word_diff(old: str, new: str) -> list[Piece]:
    """The old text turned into the new, word by word: equal, delete and insert pieces
    whose equal+delete texts join to `old` and equal+insert texts join to `new`."""
    a, b = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    # autojunk off: in a long clause the space between words is in every other slot,
    # and the heuristic would stop matching on it.
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pieces: list[Piece] = []

    def add(op: Op, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if pieces and pieces[-1][0] == op:
            pieces[-1] = (op, pieces[-1][1] + text)
        else:
            pieces.append((op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            if i2 > i1:
                add("delete", a[i1:i2])
            if j2 > j1:
                add("insert", b[j1:j2])
    return pieces


@dataclass(frozen=True)
class ClauseChange:
    """What became of one clause (by key) from the old version to the new. `moved` is
    also set on a changed clause that changed place; positions count from 0."""

    key: str
    status: Status
    old: dict | None
    new: dict | None
    old_position: int | None = None
    new_position: int | None = None
    moved: bool = False
    kind_changed: bool = False
    heading_diff: list[Piece] = field(default_factory=list)
    body_diff: list[Piece] = field(default_factory=list)

    @property
    def heading(self) -> str:
        clause = self.new or self.old or {}
        return str(clause.get("heading", ""))


def _text(clause: dict | None, name: str) -> str:
    return str((clause or {}).get(name) or "")


def _moved_keys(old_keys: list[str], new_keys: list[str]) -> set[str]:
    """Keys of clauses kept in both versions whose order relative to the others changed:
    the clauses outside the longest run kept in order. Removing clause 1 moves none."""
    common = set(old_keys) & set(new_keys)
    a = [k for k in old_keys if k in common]
    b = [k for k in new_keys if k in common]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    in_place = {
        k for block in matcher.get_matching_blocks() for k in a[block.a : block.a + block.size]
    }
    return common - in_place


def clause_diff(old_clauses: list[dict], new_clauses: list[dict]) -> list[ClauseChange]:
    """Clause by clause by key, in the new version's order with removed clauses where
    they stood: added, removed, changed (heading, body or kind), moved, unchanged."""
    old_by_key = {c["key"]: (i, c) for i, c in enumerate(old_clauses)}
    new_by_key = {c["key"]: (i, c) for i, c in enumerate(new_clauses)}
    old_keys = [c["key"] for c in old_clauses]
    new_keys = [c["key"] for c in new_clauses]
    moved = _moved_keys(old_keys, new_keys)

    changes: dict[str, ClauseChange] = {}
    for position, clause in enumerate(new_clauses):
        key = clause["key"]
        if key not in old_by_key:
            changes[key] = ClauseChange(
                key=key,
                status="added",
                old=None,
                new=clause,
                new_position=position,
                heading_diff=word_diff("", _text(clause, "heading")),
                body_diff=word_diff("", _text(clause, "body")),
            )
            continue
        old_position, before = old_by_key[key]
        heading = word_diff(_text(before, "heading"), _text(clause, "heading"))
        body = word_diff(_text(before, "body"), _text(clause, "body"))
        kind_changed = _text(before, "kind") != _text(clause, "kind")
        edited = kind_changed or any(op != "equal" for op, _ in heading + body)
        status: Status = "changed" if edited else "moved" if key in moved else "unchanged"
        changes[key] = ClauseChange(
            key=key,
            status=status,
            old=before,
            new=clause,
            old_position=old_position,
            new_position=position,
            moved=key in moved,
            kind_changed=kind_changed,
            heading_diff=heading,
            body_diff=body,
        )

    # Removed clauses go after the nearest earlier clause that survived.
    ordered: list[ClauseChange] = []
    removed_after: dict[str | None, list[ClauseChange]] = {}
    previous: str | None = None
    for position, clause in enumerate(old_clauses):
        key = clause["key"]
        if key in new_by_key:
            previous = key
            continue
        removed_after.setdefault(previous, []).append(
            ClauseChange(
                key=key,
                status="removed",
                old=clause,
                new=None,
                old_position=position,
                heading_diff=word_diff(_text(clause, "heading"), ""),
                body_diff=word_diff(_text(clause, "body"), ""),
            )
        )
    ordered += removed_after.get(None, [])
    for key in new_keys:
        ordered.append(changes[key])
        ordered += removed_after.get(key, [])
    return ordered


def render_diff(pieces: list[Piece]) -> SafeString:
    """The pieces as HTML: inserted words in <ins>, deleted ones in <del>, all escaped."""
    out = []
    for op, text in pieces:
        if op == "insert":
            out.append(f"<ins>{escape(text)}</ins>")
        elif op == "delete":
            out.append(f"<del>{escape(text)}</del>")
        else:
            out.append(str(escape(text)))
    return mark_safe("".join(out))  # every piece escaped above
