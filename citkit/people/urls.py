from django.urls import path

from citkit.core.views.audit import RecordHistoryView
from citkit.people.models import Person
from citkit.people.views import importing, roster

urlpatterns = [
    path("", roster.PersonListView.as_view(), name="person-list"),
    path("add/", roster.PersonCreateView.as_view(), name="person-add"),
    path("import/", importing.RosterUploadView.as_view(), name="roster-import"),
    path("import/<int:pk>/", importing.RosterMappingView.as_view(), name="roster-import-map"),
    path(
        "import/result/<uuid:pk>/",
        importing.RosterImportResultView.as_view(),
        name="roster-import-result",
    ),
    path("<int:pk>/", roster.PersonDetailView.as_view(), name="person-detail"),
    path("<int:pk>/edit/", roster.PersonEditView.as_view(), name="person-edit"),
    path("<int:pk>/delete/", roster.PersonDeleteView.as_view(), name="person-delete"),
    path("<int:pk>/history/", RecordHistoryView.as_view(model=Person), name="person-history"),
]
