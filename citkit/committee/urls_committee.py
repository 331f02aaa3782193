"""Committee home, seats, subcommittees and the service-gap register."""

from django.urls import path

from citkit.committee import views_committee as views
from citkit.committee.models import ServiceGap
from citkit.core.views.audit import RecordHistoryView

urlpatterns = [
    path("", views.CommitteeHomeView.as_view(), name="committee-home"),
    path("seats/add/", views.SeatCreateView.as_view(), name="seat-add"),
    path("seats/<int:pk>/edit/", views.SeatEditView.as_view(), name="seat-edit"),
    path("seats/<int:pk>/end/", views.SeatEndView.as_view(), name="seat-end"),
    path("seats/<int:pk>/delete/", views.SeatDeleteView.as_view(), name="seat-delete"),
    path("subcommittees/seed/", views.SubcommitteesSeedView.as_view(), name="subcommittees-seed"),
    path("subcommittees/add/", views.SubcommitteeCreateView.as_view(), name="subcommittee-add"),
    path(
        "subcommittees/<int:pk>/",
        views.SubcommitteeDetailView.as_view(),
        name="subcommittee-detail",
    ),
    path(
        "subcommittees/<int:pk>/edit/",
        views.SubcommitteeEditView.as_view(),
        name="subcommittee-edit",
    ),
    path(
        "subcommittees/<int:pk>/members/add/",
        views.SubcommitteeMemberAddView.as_view(),
        name="subcommittee-member-add",
    ),
    path(
        "subcommittees/<int:pk>/members/<int:member_pk>/remove/",
        views.SubcommitteeMemberRemoveView.as_view(),
        name="subcommittee-member-remove",
    ),
    path(
        "subcommittees/<int:pk>/reports/add/",
        views.SubcommitteeReportAddView.as_view(),
        name="subcommittee-report-add",
    ),
    path("gaps/", views.GapListView.as_view(), name="gap-list"),
    path("gaps/add/", views.GapCreateView.as_view(), name="gap-add"),
    path("gaps/<int:pk>/", views.GapDetailView.as_view(), name="gap-detail"),
    path("gaps/<int:pk>/edit/", views.GapEditView.as_view(), name="gap-edit"),
    path("gaps/<int:pk>/delete/", views.GapDeleteView.as_view(), name="gap-delete"),
    path(
        "gaps/<int:pk>/history/",
        RecordHistoryView.as_view(model=ServiceGap),
        name="gap-history",
    ),
]
