"""Plan pages under /p/<program>/plan/."""

from django.urls import include, path

urlpatterns = [
    path("", include("citkit.plan.urls_plan")),
    path("dashboard/", include("citkit.plan.urls_dashboard")),
]
