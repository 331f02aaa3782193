"""The audit trail: program-wide with filters, and per record ("History")."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import render
from django.views import View

from citkit.core.forms import AuditFilterSet
from citkit.core.history import HISTORY_LIMIT, describe, record_entries
from citkit.core.models import AuditEntry
from citkit.core.views.base import FilteredListView, ProgramViewMixin, parse_id


class AuditListView(FilteredListView):
    capability = "view_audit"
    model = AuditEntry
    filterset_class = AuditFilterSet
    # Newest first; the id breaks ties between entries written in the same instant.
    sorts = {"newest": ["-created_at", "-id"], "oldest": ["created_at", "id"]}
    default_sort = "newest"
    sort_labels = {"newest": "Newest first", "oldest": "Oldest first"}
    template_name = "core/audit_list.html"
    partial_template_name = "core/_audit_rows.html"
    csv_filename = "audit-trail.csv"
    export_access_label = "Audit trail export"
    # Counting a million-row trail on every page view buys nothing.
    with_count = False

    def get_queryset(self):
        return AuditEntry.objects.visible_to(self.request.user, self.program).select_related(
            "content_type", "actor"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "page" in context:
            # One entry a row: the trail is paged entry by entry.
            context["items"] = describe(context["page"].items, program=self.program)
        return context

    def csv_header(self):
        return [
            "id",
            "time (UTC)",
            "by",
            "source",
            "action",
            "record type",
            "record",
            "before",
            "after",
            "request id",
        ]

    def csv_row(self, entry):
        return [
            entry.pk,
            entry.created_at.isoformat(),
            entry.actor_label,
            entry.source,
            entry.action,
            entry.content_type.model,
            entry.object_repr,
            entry.before,
            entry.after,
            entry.request_id,
        ]


class RecordHistoryView(ProgramViewMixin, View):
    """History of one record and of the records that belong to it (see core.history).

    Coordinators only, like the program-wide trail.
    """

    capability = "view_audit"
    model = None  # set in urls.py

    def get(self, request, program, pk):
        if parse_id(str(pk)) is None:
            raise Http404("No such record.")  # an id no column can hold
        obj = self.get_object(pk)
        entries = record_entries(self.model, pk, user=request.user, program=self.program)
        own_type = ContentType.objects.get_for_model(self.model).pk
        own = [e for e in entries if (e.content_type_id, e.object_id) == (own_type, str(pk))]
        if obj is None and not own:
            raise Http404("No such record.")
        return render(
            request,
            "core/history.html",
            self.get_context_data(
                object=obj,
                entries=entries,
                items=describe(entries, program=self.program, record=(self.model, pk), group=True),
                label=obj or own[0].object_repr,
                truncated=len(entries) >= HISTORY_LIMIT,
                limit=HISTORY_LIMIT,
            ),
        )

    def get_object(self, pk):
        # Deleted records keep their history, so a missing object is not a 404 by itself.
        return self.model.objects.visible_to(self.request.user, self.program).filter(pk=pk).first()
