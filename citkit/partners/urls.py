from django.urls import path

from citkit.core.views.audit import RecordHistoryView
from citkit.partners import views
from citkit.partners.models import Agency

urlpatterns = [
    path("", views.AgencyListView.as_view(), name="agency-list"),
    path("add/", views.AgencyCreateView.as_view(), name="agency-add"),
    path("<int:pk>/", views.AgencyDetailView.as_view(), name="agency-detail"),
    path("<int:pk>/edit/", views.AgencyEditView.as_view(), name="agency-edit"),
    path("<int:pk>/delete/", views.AgencyDeleteView.as_view(), name="agency-delete"),
    path("<int:pk>/history/", RecordHistoryView.as_view(model=Agency), name="agency-history"),
    path("<int:pk>/contacts/add/", views.ContactFormView.as_view(), name="contact-add"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/edit/",
        views.ContactFormView.as_view(),
        name="contact-edit",
    ),
    path(
        "<int:pk>/contacts/<int:contact_pk>/delete/",
        views.ContactDeleteView.as_view(),
        name="contact-delete",
    ),
]
