from django.urls import path

from citkit.core.views.audit import RecordHistoryView
from citkit.people import views, views_import
from citkit.people.models import Person

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person-list"),
    path("add/", views.PersonCreateView.as_view(), name="person-add"),
    path("import/", views_import.RosterUploadView.as_view(), name="roster-import"),
    path("import/<int:pk>/", views_import.RosterMappingView.as_view(), name="roster-import-map"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("<int:pk>/edit/", views.PersonEditView.as_view(), name="person-edit"),
    path("<int:pk>/delete/", views.PersonDeleteView.as_view(), name="person-delete"),
    path("<int:pk>/history/", RecordHistoryView.as_view(model=Person), name="person-history"),
]
