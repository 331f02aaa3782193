"""Action item pages under /p/<program>/committee/actions/."""

from django.urls import path

from citkit.committee import views_actions as views
from citkit.committee.models import ActionItem
from citkit.core.views.audit import RecordHistoryView

urlpatterns = [
    path("", views.ActionItemListView.as_view(), name="action-list"),
    path("mine/", views.MyActionItemsView.as_view(), name="my-actions"),
    path("add/", views.ActionItemCreateView.as_view(), name="action-add"),
    path("<int:pk>/", views.ActionItemDetailView.as_view(), name="action-detail"),
    path("<int:pk>/edit/", views.ActionItemEditView.as_view(), name="action-edit"),
    path("<int:pk>/status/", views.ActionItemStatusView.as_view(), name="action-status"),
    path("<int:pk>/delete/", views.ActionItemDeleteView.as_view(), name="action-delete"),
    path("<int:pk>/history/", RecordHistoryView.as_view(model=ActionItem), name="action-history"),
]
