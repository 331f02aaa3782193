"""The HSDS pages: download the directory as a data package, and import one.

The import runs as a job (`importing.hsds_import_job`): the page checks at once who
asks and that the file is a package at all, queues the job and sends the person to
the job's page; once the job is done, that page sends them back here
(`?job=<id>`), where the outcome is shown: the counts, or every problem by file,
row and field.
"""

import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views import View

from citkit.core.models import Job
from citkit.core.views.base import ProgramViewMixin
from citkit.partnerships.hsds import export, importing


class HsdsImportForm(forms.Form):
    file = forms.FileField(
        label="Data package",
        help_text=(
            "A zip of HSDS 3 CSV files with datapackage.json (or the JSON form, "
            f"services.json); up to {settings.CITKIT_IMPORT_MAX_BYTES // (1024 * 1024)} MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CITKIT_IMPORT_MAX_BYTES:
            raise forms.ValidationError("The file is larger than this site imports.")
        return upload


class HsdsExportView(ProgramViewMixin, View):
    """`?format=csv` (the default) or `?format=json`: the whole directory as a zip."""

    capability = "view_directory"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format", "csv")
        if fmt not in export.FORMATS:
            return HttpResponseBadRequest("Ask for format=csv or format=json.")
        content = export.export_package(self.program, fmt=fmt)
        response = HttpResponse(content, content_type="application/zip")
        name = export.filename(self.program, fmt)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response


class HsdsImportView(ProgramViewMixin, View):
    """Coordinators only: 403 for every other member before the upload is looked at."""

    capability = "view_directory"
    template_name = "partnerships/hsds_import.html"

    def allowed(self) -> None:
        importing.require_importer(self.request.user, self.program)

    def render_page(self, form, *, problems=(), more=0, status=200, job=None):
        context = self.get_context_data(
            form=form,
            problems=list(problems),
            more_problems=more,
            problem_count=len(problems) + more,
            job=job,
        )
        return render(self.request, self.template_name, context, status=status)

    def finished_job(self) -> Job | None:
        try:
            pk = uuid.UUID(self.request.GET.get("job", ""))
        except ValueError:
            return None
        return (
            Job.objects.visible_to(self.request.user, self.program)
            .filter(pk=pk, kind=importing.JOB_KIND)
            .first()
        )

    def get(self, request, *args, **kwargs):
        self.allowed()
        job = self.finished_job()
        if job is not None and not job.finished:
            return redirect(self.program_url("job-detail", job.pk))
        problems, more = [], 0
        if job is not None and job.status == Job.Status.SUCCEEDED:
            counts = job.result or {}
            messages.success(
                request,
                f"Imported {job.filename}: {counts.get('created', 0)} created, "
                f"{counts.get('updated', 0)} updated, {counts.get('unchanged', 0)} unchanged.",
            )
        elif job is not None:
            result = job.result or {}
            problems = [
                importing.Problem(
                    e.get("message", ""), e.get("file", ""), e.get("row"), e.get("field", "")
                )
                for e in result.get("errors", [])
            ] or [importing.Problem(job.error)]
            more = result.get("more_errors", 0)
        return self.render_page(HsdsImportForm(), problems=problems, more=more, job=job)

    def post(self, request, *args, **kwargs):
        self.allowed()  # before the upload is read
        form = HsdsImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form, status=400)
        upload = form.cleaned_data["file"]
        try:
            job = importing.enqueue_import(
                actor=request.user,
                program=self.program,
                filename=upload.name,
                content=upload.read(),
            )
        except importing.HsdsImportError as exc:
            form.add_error("file", "This file cannot be imported; see the problems below.")
            return self.render_page(form, problems=exc.problems, more=exc.more, status=400)
        return redirect(self.program_url("job-detail", job.pk))
