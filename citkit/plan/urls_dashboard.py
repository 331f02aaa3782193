"""The readiness dashboard and the committee status report, under /p/<program>/plan/dashboard/."""

from django.urls import path

from citkit.plan.views_dashboard import DashboardView, StatusReportView

urlpatterns = [
    path("", DashboardView.as_view(), name="readiness-dashboard"),
    path("report.pdf", StatusReportView.as_view(format="pdf"), name="status-report-pdf"),
    path("report.docx", StatusReportView.as_view(format="docx"), name="status-report-docx"),
]
