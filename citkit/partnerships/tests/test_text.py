"""Clause text: sanitised Markdown for pages, plain blocks for documents, version diffs."""

import re

import pytest
from django.utils.safestring import SafeString

from citkit.partnerships.text import (
    clause_diff,
    plain_blocks,
    plain_text,
    render_diff,
    render_markdown,
    word_diff,
)

NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "![x](https://tracker.example/pixel.png)",
    "<style>body{display:none}</style>",
    '<div onclick="alert(1)">click</div>',
    '<iframe src="https://evil.example"></iframe>',
    "[x](vbscript:msgbox(1))",
    '<https://ok.example/"onmouseover="alert(1)>',
    "`<script>` in code is text",
    "```\n<script>alert(1)</script>\n```",
    "[x](/relative/path)",
    "<!-- comment --><svg><script>alert(1)</script></svg>",
]


def _tags(markup: str) -> set[str]:
    return {t.lower() for t in re.findall(r"<\s*([a-zA-Z0-9]+)", markup)}


@pytest.mark.parametrize("source", NASTY)
def test_nothing_executable_survives_rendering(source):
    markup = str(render_markdown(source))
    lowered = markup.lower()
    assert "<script" not in lowered
    assert "<style" not in lowered
    assert "<img" not in lowered
    assert "<iframe" not in lowered
    assert "<svg" not in lowered
    # Inside real tags (escaped text such as "&lt;a href=…" is only words on the page):
    tags = re.findall(r"<[^>]*>", lowered)
    assert not [t for t in tags if re.search(r"\son\w+\s*=", t)]
    assert not [t for t in tags if re.search(r"(javascript|vbscript|data):", t)]
    hrefs = [h for t in tags for h in re.findall(r'href="([^"]*)"', t)]
    assert all(h.startswith(("http://", "https://", "mailto:")) for h in hrefs)
    assert _tags(markup) <= {
        "p", "h3", "h4", "h5", "h6", "strong", "em", "ul", "ol", "li", "blockquote",
        "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "a", "br", "hr",
    }  # fmt: skip


def test_raw_html_shows_as_text_on_a_page():
    assert str(render_markdown("<b>bold</b>")) == "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"


def test_markdown_becomes_the_allowed_tags():
    markup = str(render_markdown("**must** and *may*\n\n- one\n- two\n\n1. first\n\n> quoted"))
    assert "<strong>must</strong>" in markup
    assert "<em>may</em>" in markup
    assert "<ul>\n<li>one</li>" in markup
    assert "<ol>\n<li>first</li>" in markup
    assert "<blockquote>" in markup


def test_render_markdown_returns_a_safe_string():
    assert isinstance(render_markdown("x"), SafeString)
    assert render_markdown(None) == ""


def test_links_keep_their_address_and_get_noopener():
    markup = str(render_markdown("[guide](https://cit.example/guide) [mail](mailto:a@b.example)"))
    assert '<a href="https://cit.example/guide" rel="noopener noreferrer">guide</a>' in markup
    assert '<a href="mailto:a@b.example" rel="noopener noreferrer">mail</a>' in markup


def test_relative_links_lose_their_address():
    assert "href" not in str(render_markdown("[x](/admin/)"))


def test_clause_headings_start_below_the_clause_heading():
    markup = str(render_markdown("# Big\n\n## Smaller"))
    assert "<h3>Big</h3>" in markup
    assert "<h4>Smaller</h4>" in markup
    assert "<h1>" not in markup and "<h2>" not in markup


def test_tables_render_as_tables():
    markup = str(render_markdown("| Party | Role |\n|---|---|\n| Police | Lead |"))
    assert "<table>" in markup and "<td>Police</td>" in markup


def test_images_leave_their_description_only():
    markup = str(render_markdown("See ![the map](https://x.example/map.png)."))
    assert markup == "<p>See the map.</p>\n"


# --- Plain blocks ---------------------------------------------------------------------


def test_plain_blocks_reduce_markdown_to_headings_paragraphs_and_lists():
    source = (
        "## Receiving facility\n\n"
        "Accepts people **24/7** with *no refusal*.\n\n"
        "- Turnaround within `15` minutes\n"
        "- Calls the [CIT coordinator](https://cit.example/contact)\n\n"
        "1. Arrive\n2. Report\n"
    )
    assert plain_blocks(source) == [
        ("heading", "Receiving facility"),
        ("paragraph", "Accepts people 24/7 with no refusal."),
        (
            "bullets",
            [
                "Turnaround within 15 minutes",
                "Calls the CIT coordinator (https://cit.example/contact)",
            ],
        ),
        ("numbered", ["Arrive", "Report"]),
    ]


def test_plain_blocks_leave_raw_html_and_scripts_out():
    source = (
        "Before <script>alert(1)</script> after <b>bold</b>\n\n"
        "<script>\nsteal()\n</script>\n\n"
        '<div onclick="x()">kept words</div>\n\n'
        "<img src=x onerror=alert(1)>"
    )
    blocks = plain_blocks(source)
    flat = repr(blocks)
    assert "<" not in flat and "alert" not in flat and "steal" not in flat
    assert blocks == [("paragraph", "Before after bold"), ("paragraph", "kept words")]


def test_plain_blocks_write_nested_items_under_their_parent():
    assert plain_blocks("- parent\n  - child\n- next") == [("bullets", ["parent\n– child", "next"])]


def test_plain_blocks_keep_a_link_once_when_its_text_is_the_address():
    assert plain_blocks("<https://cit.example>") == [("paragraph", "https://cit.example")]


def test_plain_blocks_of_nothing_are_empty():
    assert plain_blocks("") == []
    assert plain_blocks(None) == []


def test_plain_text_joins_the_blocks():
    assert plain_text("# A\n\n- x\n- y\n\n1. z") == "A\n\n• x\n• y\n\n1. z"


# --- Differences ----------------------------------------------------------------------


def clause(key, heading, body, kind="other"):
    return {"key": key, "kind": kind, "heading": heading, "body": body}


def test_word_diff_marks_inserted_and_deleted_words():
    pieces = word_diff("Officers lead on scene.", "CIT officers lead on the scene.")
    assert pieces == [
        ("delete", "Officers"),
        ("insert", "CIT officers"),
        ("equal", " lead on "),
        ("insert", "the "),
        ("equal", "scene."),
    ]


def test_word_diff_pieces_join_back_to_both_texts():
    old = "The facility accepts people\n24/7 with  no refusal."
    new = "The receiving facility accepts adults\n24/7, with no refusal."
    pieces = word_diff(old, new)
    assert "".join(t for op, t in pieces if op != "insert") == old
    assert "".join(t for op, t in pieces if op != "delete") == new


def test_clause_diff_reports_each_clause_by_key():
    old = [
        clause("purpose", "Purpose", "To serve."),
        clause("term", "Term", "One year."),
        clause("data", "Data", "Quarterly."),
        clause("old", "Old clause", "Gone."),
    ]
    new = [
        clause("purpose", "Purpose", "To serve."),
        clause("term", "Term and renewal", "One year, renewing."),
        clause("data", "Data", "Quarterly.", kind="data"),
        clause("training", "Training", "40 hours."),
    ]
    changes = {c.key: c for c in clause_diff(old, new)}
    assert changes["purpose"].status == "unchanged"
    assert changes["term"].status == "changed"
    assert ("insert", " and renewal") in changes["term"].heading_diff
    assert changes["term"].body_diff == [
        ("equal", "One "),
        ("delete", "year."),
        ("insert", "year, renewing."),
    ]
    assert changes["data"].status == "changed" and changes["data"].kind_changed
    assert changes["old"].status == "removed"
    assert changes["old"].body_diff == [("delete", "Gone.")]
    assert changes["training"].status == "added"
    assert changes["training"].body_diff == [("insert", "40 hours.")]


def test_clause_diff_places_removed_clauses_where_they_stood():
    old = [clause("a", "A", ""), clause("b", "B", ""), clause("c", "C", "")]
    new = [clause("a", "A", ""), clause("c", "C", ""), clause("d", "D", "")]
    assert [(c.key, c.status) for c in clause_diff(old, new)] == [
        ("a", "unchanged"),
        ("b", "removed"),
        ("c", "unchanged"),
        ("d", "added"),
    ]


def test_a_removed_first_clause_moves_nothing_else():
    old = [clause("a", "A", ""), clause("b", "B", ""), clause("c", "C", "")]
    new = [clause("b", "B", ""), clause("c", "C", "")]
    assert [(c.key, c.status) for c in clause_diff(old, new)] == [
        ("a", "removed"),
        ("b", "unchanged"),
        ("c", "unchanged"),
    ]


def test_a_clause_that_changed_place_is_moved():
    old = [clause("a", "A", "x"), clause("b", "B", "y"), clause("c", "C", "z")]
    new = [clause("c", "C", "z"), clause("a", "A", "x"), clause("b", "B", "y2")]
    changes = {c.key: c for c in clause_diff(old, new)}
    assert changes["c"].status == "moved"
    assert (changes["c"].old_position, changes["c"].new_position) == (2, 0)
    assert changes["a"].status == "unchanged"
    assert changes["b"].status == "changed" and not changes["b"].moved


def test_render_diff_escapes_and_wraps_changes():
    html = render_diff([("equal", "a <b> "), ("delete", "x&y"), ("insert", "<script>")])
    assert isinstance(html, SafeString)
    assert str(html) == "a &lt;b&gt; <del>x&amp;y</del><ins>&lt;script&gt;</ins>"
