"""Roster import pages: upload a CSV/XLSX file, match its columns, import all or nothing.

The import itself runs as a job (`importing.job`): matching the columns queues it and
sends the person to the job's page, whose progress bar follows the rows checked and
written; once it is done that page sends them to `RosterImportResultView`, which ends
where the import always ended: the roster with "Imported N people", or the matching
page again with the problems by row and column.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from citkit.core.models import Job
from citkit.core.policies import policy_for
from citkit.core.views.base import ProgramViewMixin
from citkit.core.views.writes import ServiceFormView
from citkit.people import importing
from citkit.people.forms import RosterMappingForm, RosterUploadForm
from citkit.people.importing.job import KIND, enqueue_import
from citkit.people.models import Person, PersonKind, PersonStatus, RosterUpload, Shift
from citkit.people.permissions import managed_agency_id


def _labels(choices) -> str:
    return ", ".join(str(label) for _, label in choices)


# What each importable field accepts, shown on the upload page.
FIELD_HELP = {
    "first_name": "Required.",
    "last_name": "Required.",
    "agency": (
        "The partner agency's name, as in the program's agency list "
        "(required for officers and dispatchers)."
    ),
    "kind": f"{_labels(PersonKind.choices)}. Empty means Officer.",
    "badge_number": "Required for officers; unique within an agency.",
    "rank": "",
    "district": "",
    "shift": f"{_labels(Shift.choices)}, or empty.",
    "hire_date": "YYYY-MM-DD, MM/DD/YYYY or an Excel date; not in the future.",
    "status": f"{_labels(PersonStatus.choices)}. Empty means Active.",
    "email": "",
    "phone": "",
}


class _ImportPageMixin:
    """Coordinators and agency administrators only (403 others, 404 outsiders),
    asked of the program before the file or the upload is looked at."""

    model = Person
    action = "import"

    def setup_object(self):
        policy_for(Person).require(self.request.user, self.program, self.action)
        self.object = self.get_object()

    def get_context_data(self, **kwargs):
        own = None
        if managed_agency_id(self.request.user, self.program) is not None:
            own = self.membership.agency
        return super().get_context_data(own_agency=own, **kwargs)


class RosterUploadView(_ImportPageMixin, ServiceFormView):
    """Step 1: upload the file. Its start is read at once, so a file that is no roster
    (an image, a PDF, a header without rows) is refused here."""

    form_class = RosterUploadForm
    template_name = "people/import_upload.html"

    def get_object(self):
        return None

    def get_context_data(self, **kwargs):
        fields = [
            (label, FIELD_HELP.get(name, "")) for name, label in importing.IMPORT_FIELDS.items()
        ]
        return super().get_context_data(fields=fields, **kwargs)

    def call_service(self, form):
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            with importing.read_roster(upload.name, content):
                pass
        except importing.RosterImportError as exc:
            raise ValidationError({"file": [str(p) for p in exc.problems]}) from exc
        return importing.store_upload(
            program=self.program, user=self.request.user, filename=upload.name, content=content
        )

    def get_success_url(self, obj):
        return self.program_url("roster-import-map", obj.pk)


def _read(upload: RosterUpload):
    """(headers, first rows, None), or (None, [], the reason it cannot be read)."""
    try:
        with importing.read_roster(upload.filename, bytes(upload.content)) as roster:
            return roster.headers, roster.preview(5), None
    except importing.RosterImportError as exc:  # e.g. the size limit was lowered since
        return None, [], exc


def _render_mapping(
    view, *, upload, filename, headers, preview, form, error=None, checked=0, status=200
):
    problems = error.problems if error else []
    more = error.more if error else 0
    context = view.get_context_data(
        upload=upload,
        filename=filename,
        headers=headers,
        form=form,
        preview=preview,
        problems=problems,
        more_problems=more,
        problem_count=len(problems) + more,
        checked=checked,
    )
    return render(view.request, "people/import_map.html", context, status=status)


class RosterMappingView(_ImportPageMixin, ServiceFormView):
    """Step 2: match columns to fields, then import (or only check) every row, as a job.

    Not a plain form page: besides importing it can check without writing and cancel
    (the waiting file is deleted). A mapping that does not fit the file is refused at
    once; the rows are checked by the job.
    """

    form_class = RosterMappingForm
    template_name = "people/import_map.html"

    def get_object(self) -> RosterUpload:
        # Only the person who uploaded a file may finish its import.
        return get_object_or_404(
            RosterUpload,
            pk=self.kwargs["pk"],
            program=self.program,
            uploaded_by=self.request.user,
        )

    def get(self, request, *args, **kwargs):
        self.setup_object()
        upload = self.object
        headers, preview, error = _read(upload)
        form = None
        if headers:
            guess = importing.guess_mapping(headers)
            form = RosterMappingForm(headers=headers, initial_mapping=guess)
        return _render_mapping(
            self,
            upload=upload,
            filename=upload.filename,
            headers=headers,
            preview=preview,
            form=form,
            error=error,
        )

    def post(self, request, *args, **kwargs):
        self.setup_object()
        upload = self.object
        if "cancel" in request.POST:
            importing.discard_upload(upload)
            messages.info(request, f"Import of {upload.filename} cancelled; nothing was imported.")
            return redirect(self.program_url("person-list"))
        headers, preview, error = _read(upload)
        page = {
            "upload": upload,
            "filename": upload.filename,
            "headers": headers,
            "preview": preview,
        }
        if headers is None:
            return _render_mapping(self, **page, form=None, error=error, status=400)
        form = RosterMappingForm(request.POST, headers=headers, initial_mapping={})
        if not form.is_valid():
            return _render_mapping(self, **page, form=form, status=400)
        try:
            job = enqueue_import(
                actor=request.user,
                program=self.program,
                filename=upload.filename,
                content=bytes(upload.content),
                mapping=form.mapping(),
                dry_run="check" in request.POST,
                upload=upload,
            )
        except importing.RosterImportError as exc:
            return _render_mapping(self, **page, form=form, error=exc, status=400)
        return redirect(self.program_url("job-detail", job.pk))


class RosterImportResultView(_ImportPageMixin, ProgramViewMixin, View):
    """Where the job page sends the person once their import is done: the roster with
    "Imported N people", or the matching page with the problems (or with "All N rows
    can be imported" after a check). Each person sees their own imports only."""

    def get_object(self) -> Job:
        return get_object_or_404(
            Job.objects.visible_to(self.request.user, self.program),
            pk=self.kwargs["pk"],
            kind=KIND,
        )

    def get(self, request, *args, **kwargs):
        self.setup_object()
        job = self.object
        if not job.finished:
            return redirect(self.program_url("job-detail", job.pk))
        params = (job.params or {}).get("kwargs", {})
        result = job.result or {}
        if job.status == Job.Status.SUCCEEDED and not params.get("dry_run"):
            count = result.get("created", 0)
            noun = "person" if count == 1 else "people"
            messages.success(request, f"Imported {count} {noun} from {job.filename}.")
            return redirect(self.program_url("person-list"))
        upload = RosterUpload.objects.filter(
            pk=params.get("upload"), program=self.program, uploaded_by=request.user
        ).first()
        headers, preview, form = None, [], None
        if upload is not None:
            headers, preview, _ = _read(upload)
            if headers:
                form = RosterMappingForm(
                    headers=headers, initial_mapping=params.get("mapping") or {}
                )
        error = None
        if job.status == Job.Status.FAILED:
            problems = [
                importing.Problem(e["message"], e.get("row"), e.get("column") or "")
                for e in result.get("errors", [])
            ] or [importing.Problem(job.error)]
            error = importing.RosterImportError(problems, more=result.get("more_errors", 0))
        return _render_mapping(
            self,
            upload=upload,
            filename=job.filename,
            headers=headers,
            preview=preview,
            form=form,
            error=error,
            checked=result.get("would_create", 0) if error is None else 0,
        )
