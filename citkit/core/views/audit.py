"""The audit trail: program-wide with filters, and per record ("History")."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import render
from django.views import View

from citkit.core.forms import AuditFilterSet
from citkit.core.models import AuditEntry
from citkit.core.views.base import FilteredListView, ProgramViewMixin


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
    # Counting a million-row trail on every page view buys nothing.
    with_count = False

    def get_queryset(self):
        return AuditEntry.objects.visible_to(self.request.user, self.program).select_related(
            "content_type"
        )

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
    """History of one record. Coordinators only, like the program-wide trail."""

    capability = "view_audit"
    model = None  # set in urls.py

    def get(self, request, program, pk):
        obj = self.get_object(pk)
        content_type = ContentType.objects.get_for_model(self.model)
        entries = list(
            AuditEntry.objects.visible_to(request.user, self.program)
            .filter(content_type=content_type, object_id=str(pk))
            .order_by("-id")[: settings.CITKIT_PAGE_SIZE * 4]
        )
        if obj is None and not entries:
            raise Http404("No such record.")
        return render(
            request,
            "core/history.html",
            self.get_context_data(
                object=obj,
                entries=entries,
                label=obj or (entries[0].object_repr if entries else ""),
            ),
        )

    def get_object(self, pk):
        # Deleted records keep their history, so a missing object is not a 404 by itself.
        return self.model.objects.visible_to(self.request.user, self.program).filter(pk=pk).first()
