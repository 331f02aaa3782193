"""`{% changes_table item %}`: the fields a change touched, as a table in a <details>.

The audit trail shows fifty entries a page and each may list a dozen fields: drawn by
an included template, the tables were most of the page's time (the template engine
pays for every node of every row). This draws the same markup with `format_html`,
which escapes every value exactly as the template did.
"""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from citkit.core.history import HistoryItem

register = template.Library()

DASH = "—"


@register.simple_tag
def changes_table(item: HistoryItem) -> SafeString:
    changes = item.changes
    if not changes:
        return mark_safe("")
    count = len(changes)
    summary = f"{count} field{'' if count == 1 else 's'}"
    if item.shows_before_and_after:
        head = mark_safe(
            '<th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th>'
        )
        rows = format_html_join(
            "\n",
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
            ((c.label, c.before or DASH, c.after or DASH) for c in changes),
        )
    else:
        deleted = item.action == "delete"
        head = format_html(
            '<th scope="col">Field</th><th scope="col">{}</th>', "Was" if deleted else "Value"
        )
        rows = format_html_join(
            "\n",
            '<tr><th scope="row">{}</th><td>{}</td></tr>',
            ((c.label, (c.before if deleted else c.after) or DASH) for c in changes),
        )
    return format_html(
        '<details><summary>{}</summary>\n<table class="diff">\n<thead><tr>{}</tr></thead>'
        "<tbody>\n{}\n</tbody></table></details>",
        summary,
        head,
        rows,
    )


@register.simple_tag
def entry_time(moment, seconds: bool = True) -> SafeString:
    """`<time datetime="2026-12-04T08:15:02-06:00">2026-12-04 08:15:02</time>` in the
    active time zone (the program's), as `|date:'c'` and `|date:"Y-m-d H:i:s"` wrote
    it; two date filters a row were a fifth of the audit page's rendering."""
    local = timezone.localtime(moment)
    shown = local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), shown)
