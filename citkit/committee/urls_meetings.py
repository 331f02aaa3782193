"""Meeting pages under /p/<program>/committee/meetings/."""

from django.urls import path

from citkit.committee import views_meetings as views
from citkit.committee.models import Meeting
from citkit.core.views.audit import RecordHistoryView

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting-list"),
    path("add/", views.MeetingCreateView.as_view(), name="meeting-add"),
    path("calendar.ics", views.MeetingCalendarView.as_view(), name="meeting-ics"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting-edit"),
    path("<int:pk>/delete/", views.MeetingDeleteView.as_view(), name="meeting-delete"),
    path("<int:pk>/status/", views.MeetingStatusView.as_view(), name="meeting-status"),
    path("<int:pk>/history/", RecordHistoryView.as_view(model=Meeting), name="meeting-history"),
    path("<int:pk>/agenda/", views.MeetingAgendaAddView.as_view(), name="meeting-agenda-add"),
    path(
        "<int:pk>/agenda/<int:item_pk>/remove/",
        views.MeetingAgendaRemoveView.as_view(),
        name="meeting-agenda-remove",
    ),
    path("<int:pk>/attendance/", views.MeetingAttendanceView.as_view(), name="meeting-attendance"),
    path("<int:pk>/minutes/", views.MeetingMinutesView.as_view(), name="meeting-minutes"),
    path(
        "<int:pk>/decisions/", views.MeetingDecisionAddView.as_view(), name="meeting-decision-add"
    ),
    path("<int:pk>/actions/", views.MeetingActionAddView.as_view(), name="meeting-action-add"),
    path("<int:pk>/agenda.pdf", views.MeetingAgendaPdfView.as_view(), name="meeting-agenda-pdf"),
    path("<int:pk>/minutes.pdf", views.MeetingMinutesPdfView.as_view(), name="meeting-minutes-pdf"),
]
