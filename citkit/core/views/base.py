"""Building blocks for program pages: tenancy, lists with filters, keyset paging, CSV."""

import csv
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views import View

from citkit.core.pagination import InvalidCursor, paginate_keyset
from citkit.core.permissions import get_program_for_user, membership_for, require


class ProgramViewMixin(LoginRequiredMixin):
    """Resolve the program from the URL (404 for outsiders) and show times in its zone."""

    capability: str = "view_program"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.program = get_program_for_user(request.user, kwargs["program"])
        self.membership = membership_for(request.user, self.program)
        request.program = self.program
        timezone.activate(self.program.time_zone)
        if self.capability:
            require(request.user, self.program, self.capability)
        return super().dispatch(request, *args, **kwargs)

    def program_url(self, name: str, *args) -> str:
        """The address of one of this program's pages."""
        return reverse(name, args=[self.program.slug, *args])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) if hasattr(super(), "get_context_data") else {}
        context.update(kwargs)
        context["program"] = self.program
        context["membership"] = self.membership
        return context


LARGEST_ID = 2**63 - 1


def parse_id(value: str | None) -> int | None:
    """An id typed into an address (`?meeting=12`), or None for anything else:
    "²" is a digit to Python but no number, and 20 digits fit no id column."""
    if value and value.isascii() and value.isdigit():
        number = int(value)
        if 0 < number <= LARGEST_ID:
            return number
    return None


def form_errors_from(form, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form, field by field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A separator followed by a formula character: "a;=1+1" opened by a spreadsheet
# that splits on ";" would run the second half.
_SEPARATED_FORMULA = re.compile(r"[,;\t|]\s*[=+\-@]")


def safe_cell(value) -> str:
    """A CSV cell that spreadsheet programs will not run as a formula.

    Every cell is also written quoted (see stream_csv), so no separator inside
    it can split it, whatever the reader's locale.
    """
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) or _SEPARATED_FORMULA.search(text):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def stream_csv(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)

    def lines():
        yield "\ufeff"  # so Excel opens it as UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_query(params: QueryDict) -> str:
    """The filters and sort of a list, without paging and format: what an export repeats."""
    kept = QueryDict(mutable=True)
    for key, values in params.lists():
        if key not in ("cursor", "format"):
            kept.setlist(key, [v for v in values if v != ""])
    return kept.urlencode()


@dataclass
class ExportRequest:
    """What list views read of a request, for rebuilding one in an export job."""

    user: object
    GET: QueryDict
    program: object
    headers: dict = field(default_factory=dict)
    path: str = ""


class FilteredListView(ProgramViewMixin, View):
    """A list page: gatekeeper queryset, shared FilterSet, sort, keyset paging, CSV export."""

    model = None
    filterset_class = None
    sorts: dict[str, list[str]] = {}
    sort_labels: dict[str, str] = {}
    default_sort = "name"
    template_name = ""
    partial_template_name = ""
    csv_filename = "export.csv"
    # What an export of this list is called in the access log, when its rows name
    # people (a roster, the audit trail); "" for lists that name none.
    export_access_label = ""
    with_count = True

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user, self.program)

    def get_filterset(self, queryset):
        return self.filterset_class(self.request.GET or None, queryset=queryset)

    def csv_header(self) -> list[str]:
        raise NotImplementedError

    def csv_row(self, obj) -> list:
        raise NotImplementedError

    def filtered(self):
        """(filterset, queryset, sort key, ordering) of what the request asks to see."""
        filterset = self.get_filterset(self.get_queryset())
        queryset = (
            filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        )
        sort = self.request.GET.get("sort", self.default_sort)
        if sort not in self.sorts:
            sort = self.default_sort
        return filterset, queryset, sort, self.sorts[sort]

    def export(self, queryset, ordering):
        """The CSV of what is on screen: streamed at once when small, as a job when large
        (a worker's timeout would cut a long stream short under a 200 status)."""
        from citkit.core import jobs
        from citkit.core.exports import export_list, record_export

        limit = settings.CITKIT_EXPORT_INLINE_ROWS
        rows = queryset.order_by()[: limit + 1].count()
        query = export_query(self.request.GET)
        if rows > limit:
            job = jobs.enqueue(
                export_list,
                actor=self.request.user,
                program=self.program,
                label=f"Export of {self.csv_filename}",
                view=f"{type(self).__module__}.{type(self).__qualname__}",
                query=query,
            )
            return redirect("job-detail", self.program.slug, job.pk)
        record_export(self, rows=rows, query=query)
        rows_out = (self.csv_row(o) for o in queryset.order_by(*ordering).iterator(chunk_size=2000))
        response = stream_csv(self.csv_filename, self.csv_header(), rows_out)
        response["Cache-Control"] = "no-store"
        return response

    @classmethod
    def for_export(cls, user, program, query: str) -> "FilteredListView":
        """The view as it was asked for, rebuilt off the request for an export job."""
        view = cls()
        view.request = ExportRequest(user=user, GET=QueryDict(query), program=program)
        view.args, view.kwargs = (), {"program": program.slug}
        view.program = program
        view.membership = membership_for(user, program)
        if view.capability:
            require(user, program, view.capability)
        return view

    def get(self, request, *args, **kwargs):
        filterset, queryset, sort, ordering = self.filtered()
        if request.GET.get("format") == "csv":
            return self.export(queryset, ordering)
        try:
            page = paginate_keyset(
                queryset,
                ordering=ordering,
                cursor=request.GET.get("cursor"),
                per_page=settings.CITKIT_PAGE_SIZE,
                with_count=self.with_count,
            )
            page_error = ""
        except InvalidCursor as exc:
            page = paginate_keyset(
                queryset,
                ordering=ordering,
                cursor=None,
                per_page=settings.CITKIT_PAGE_SIZE,
                with_count=self.with_count,
            )
            page_error = str(exc)
        # The filters on screen, without the page and without empty fields: the
        # export link and the pager repeat exactly what is shown.
        params = QueryDict(mutable=True)
        for key, values in request.GET.lists():
            kept = [v for v in values if v != ""]
            if key not in ("cursor", "format") and kept:
                params.setlist(key, kept)
        context = self.get_context_data(
            filterset=filterset,
            page=page,
            sort=sort,
            sorts=[(key, self.sort_labels.get(key, key)) for key in self.sorts],
            page_error=page_error,
            query=params.urlencode(),
        )
        if request.headers.get("HX-Request") and self.partial_template_name:
            # htmx swaps only the rows; the export link outside them is swapped
            # too (out of band), so that an export is always of what is on screen.
            response = render(request, self.partial_template_name, context)
            response.content += render_to_string(
                "includes/export_link.html", {"query": context["query"], "oob": True}
            ).encode()
            return response
        return render(request, self.template_name, context)
