"""API for the implementation plan (tasks.py) and the readiness dashboard (dashboard.py),
under /api/programs/<program>/plan/."""

from citkit.plan.api.dashboard import DashboardViewSet
from citkit.plan.api.tasks import PhaseViewSet, TaskViewSet

ROUTES = [
    ("plan/tasks", TaskViewSet, "api-plan-task"),
    ("plan/phases", PhaseViewSet, "api-plan-phase"),
    ("plan/dashboard", DashboardViewSet, "api-plan-dashboard"),
]
