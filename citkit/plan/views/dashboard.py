"""The readiness dashboard and the committee status report (PDF, DOCX)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views import View

from citkit.core.access import record_access
from citkit.core.models import AccessEntry
from citkit.core.views.base import ProgramViewMixin
from citkit.plan import report
from citkit.plan.selectors.dashboard import build_dashboard


class DashboardView(ProgramViewMixin, View):
    capability = "view_committee"

    def get(self, request, program):
        dashboard = build_dashboard(self.program, request.user)
        return render(
            request,
            "plan/dashboard.html",
            self.get_context_data(dashboard=dashboard, chart=dashboard.chart),
        )


class StatusReportView(ProgramViewMixin, View):
    """The committee status report as a download (pdf or docx)."""

    capability = "view_committee"
    format = "pdf"

    def get(self, request, program):
        content, content_type, filename = report.download(self.program, request.user, self.format)
        # The report names owners of tasks and action items: its download is logged.
        record_access(
            user=request.user,
            program=self.program,
            action=AccessEntry.Action.DOWNLOAD,
            what=f"Committee status report ({self.format.upper()})",
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
