"""Plan pages under /p/<program>/plan/: the roadmap, its tasks and their attachments."""

from django.urls import path

from citkit.core.views.audit import RecordHistoryView
from citkit.plan import views
from citkit.plan.models import Task

urlpatterns = [
    path("", views.PlanView.as_view(), name="plan-home"),
    path("seed/", views.PlanSeedView.as_view(), name="plan-seed"),
    path("tasks/add/", views.TaskCreateView.as_view(), name="task-add"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task-detail"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task-edit"),
    path("tasks/<int:pk>/move/", views.TaskMoveView.as_view(), name="task-move"),
    path("tasks/<int:pk>/retire/", views.TaskRetireView.as_view(), name="task-retire"),
    path("tasks/<int:pk>/history/", RecordHistoryView.as_view(model=Task), name="task-history"),
    path(
        "tasks/<int:pk>/attachments/add/",
        views.AttachmentAddView.as_view(),
        name="task-attachment-add",
    ),
    path(
        "tasks/<int:pk>/attachments/<int:attachment_pk>/",
        views.AttachmentDownloadView.as_view(),
        name="task-attachment",
    ),
]
