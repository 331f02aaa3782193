"""Large list exports as jobs: the same CSV as the list's export link, written to a
file with progress, complete or failed — never cut short."""

import csv
import io
import tempfile

from django.core.files import File
from django.utils import timezone
from django.utils.module_loading import import_string

from citkit.core import jobs
from citkit.core.models import AccessEntry, Job
from citkit.core.permissions import membership_for

PROGRESS_EVERY = 500


def record_export(view, *, rows: int, query: str) -> None:
    """An access-log entry for an export of a list that names people (the filters
    recorded in words, as the access log shows every read)."""
    if not view.export_access_label:
        return
    from django.http import QueryDict

    from citkit.core.access import query_of, record_access

    record_access(
        user=view.request.user,
        program=view.program,
        action=AccessEntry.Action.EXPORT,
        what=view.export_access_label,
        rows=rows,
        query=query_of(QueryDict(query)),
    )


@jobs.job(kind="core.list_export")
def export_list(job: Job, progress: jobs.Progress, *, view: str, query: str) -> dict:
    from citkit.core.views.base import FilteredListView, safe_cell

    view_class = import_string(view)
    if not (isinstance(view_class, type) and issubclass(view_class, FilteredListView)):
        raise jobs.JobFailed("This list cannot be exported.")
    user, program = job.requested_by, job.program
    if user is None or program is None or membership_for(user, program) is None:
        raise jobs.JobFailed("Only a member of the program may export its lists.")
    timezone.activate(program.time_zone)
    list_view = view_class.for_export(user, program, query)
    _, queryset, _, ordering = list_view.filtered()
    total = queryset.count()
    progress.update(total=total, written=0, phase="Writing rows")
    written = 0
    with tempfile.TemporaryFile() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(text, quoting=csv.QUOTE_ALL)
        text.write("\ufeff")
        writer.writerow(list_view.csv_header())
        for obj in queryset.order_by(*ordering).iterator(chunk_size=2000):
            writer.writerow([safe_cell(v) for v in list_view.csv_row(obj)])
            written += 1
            if written % PROGRESS_EVERY == 0:
                progress.update(written=written)
        text.flush()
        progress.update(written=written, phase="Saving the file")
        raw.seek(0)
        job.file.save(list_view.csv_filename, File(raw), save=False)
        text.detach()
    Job.objects.filter(pk=job.pk).update(
        file=job.file.name, filename=list_view.csv_filename, content_type="text/csv"
    )
    record_export(list_view, rows=written, query=query)
    return {"rows": written}
