"""A job's page: its progress while it runs (htmx polls it), then its outcome or file."""

import uuid

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from citkit.core import jobs
from citkit.core.models import Job
from citkit.core.views.base import ProgramViewMixin


def _job_for(view, pk: str) -> Job:
    try:
        job_id = uuid.UUID(pk)
    except ValueError:
        raise Http404("No such job.") from None
    found = Job.objects.visible_to(view.request.user, view.program).filter(pk=job_id).first()
    if found is None:
        raise Http404("No such job.")
    return found


class JobDetailView(ProgramViewMixin, View):
    def get(self, request, program, pk):
        job = _job_for(self, pk)
        done_url = jobs.result_url(job) if job.finished else None
        if done_url:
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = done_url
                return response
            return redirect(done_url)
        context = self.get_context_data(
            job=job, progress=jobs.progress_of(job), percent=jobs.percent(jobs.progress_of(job))
        )
        if request.headers.get("HX-Request"):
            return render(request, "core/_job_progress.html", context)
        return render(request, "core/job_detail.html", context)


class JobDownloadView(ProgramViewMixin, View):
    def get(self, request, program, pk):
        job = _job_for(self, pk)
        return jobs.file_response(job)
