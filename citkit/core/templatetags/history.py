"""`{% changes_table item %}`: the fields a change touched, as a table in a <details>.

The audit trail shows fifty entries a page and each may list a dozen fields: drawn by
an included template, the tables were most of the page's time (the template engine
pays for every node of every row). This draws the same markup with `format_html`,
which escapes every value exactly as the template did.
"""

from django import template
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
