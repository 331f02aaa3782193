"""The access log page: who read which names, beside the audit trail."""

from citkit.core.access import AccessFilterSet
from citkit.core.history import SOURCE_LABELS
from citkit.core.models import AccessEntry
from citkit.core.views.base import FilteredListView


class AccessListView(FilteredListView):
    capability = "view_audit"
    model = AccessEntry
    filterset_class = AccessFilterSet
    # Newest first; the id breaks ties between entries written in the same instant.
    sorts = {"newest": ["-created_at", "-id"], "oldest": ["created_at", "id"]}
    default_sort = "newest"
    sort_labels = {"newest": "Newest first", "oldest": "Oldest first"}
    template_name = "core/access_list.html"
    partial_template_name = "core/_access_rows.html"
    csv_filename = "access-log.csv"
    # The log names who read whom: exporting it is itself a read (core.exports).
    export_access_label = "Access log export"
    # Every read of a name adds a row: the log outgrows the audit trail, and
    # counting it on every page view buys nothing.
    with_count = False

    def get_queryset(self):
        return AccessEntry.objects.visible_to(self.request.user, self.program).select_related(
            "content_type"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context.get("filterset")
        data = filterset.data if filterset is not None and filterset.is_bound else {}
        # "Who viewed this record" opens the log filtered to one record.
        context["one_record"] = bool(data.get("object_id"))
        page = context.get("page")
        for entry in page.items if page is not None else ():
            entry.source_label = SOURCE_LABELS.get(entry.source, entry.source)
            ct = entry.content_type
            entry.record_key = f"{ct.app_label}.{ct.model}" if ct else ""
        return context

    def csv_header(self):
        return [
            "id",
            "time (UTC)",
            "by",
            "source",
            "action",
            "what",
            "record type",
            "record id",
            "rows",
            "query",
            "request id",
        ]

    def csv_row(self, entry):
        return [
            entry.pk,
            entry.created_at.isoformat(),
            entry.user_label,
            entry.source,
            entry.action,
            entry.what,
            entry.content_type.model if entry.content_type else "",
            entry.object_id,
            "" if entry.rows is None else entry.rows,
            entry.query,
            entry.request_id,
        ]
