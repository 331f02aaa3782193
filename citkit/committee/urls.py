"""Committee pages under /p/<program>/committee/, one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("", include("citkit.committee.urls_committee")),
    path("meetings/", include("citkit.committee.urls_meetings")),
    path("actions/", include("citkit.committee.urls_actions")),
]
