"""Plan pages under /p/<program>/plan/: the roadmap, its tasks and their attachments,
the readiness dashboard and the committee status report."""

from django.urls import path

from citkit.core.views.audit import RecordHistoryView
from citkit.plan.models import Task
from citkit.plan.views import dashboard, plan, tasks

urlpatterns = [
    path("", plan.PlanView.as_view(), name="plan-home"),
    path("seed/", plan.PlanSeedView.as_view(), name="plan-seed"),
    path("tasks/add/", tasks.TaskCreateView.as_view(), name="task-add"),
    path("tasks/<int:pk>/", tasks.TaskDetailView.as_view(), name="task-detail"),
    path("tasks/<int:pk>/edit/", tasks.TaskEditView.as_view(), name="task-edit"),
    path("tasks/<int:pk>/status/", plan.TaskStatusView.as_view(), name="task-status"),
    path("tasks/<int:pk>/move/", tasks.TaskMoveView.as_view(), name="task-move"),
    path("tasks/<int:pk>/retire/", tasks.TaskRetireView.as_view(), name="task-retire"),
    path("tasks/<int:pk>/history/", RecordHistoryView.as_view(model=Task), name="task-history"),
    path(
        "tasks/<int:pk>/attachments/add/",
        tasks.AttachmentAddView.as_view(),
        name="task-attachment-add",
    ),
    path(
        "tasks/<int:pk>/attachments/<int:attachment_pk>/",
        tasks.AttachmentDownloadView.as_view(),
        name="task-attachment",
    ),
    path("dashboard/", dashboard.DashboardView.as_view(), name="readiness-dashboard"),
    path(
        "dashboard/report.pdf",
        dashboard.StatusReportView.as_view(format="pdf"),
        name="status-report-pdf",
    ),
    path(
        "dashboard/report.docx",
        dashboard.StatusReportView.as_view(format="docx"),
        name="status-report-docx",
    ),
]
