"""Committee pages under /p/<program>/committee/."""

from django.urls import path

from citkit.committee.models import ActionItem, Meeting, ServiceGap
from citkit.committee.views import actions, committee, gaps, meeting_page, meetings, subcommittees
from citkit.core.views.audit import RecordHistoryView

urlpatterns = [
    # Home and seats
    path("", committee.CommitteeHomeView.as_view(), name="committee-home"),
    path("seats/add/", committee.SeatCreateView.as_view(), name="seat-add"),
    path("seats/<int:pk>/edit/", committee.SeatEditView.as_view(), name="seat-edit"),
    path("seats/<int:pk>/end/", committee.SeatEndView.as_view(), name="seat-end"),
    path("seats/<int:pk>/delete/", committee.SeatDeleteView.as_view(), name="seat-delete"),
    # Subcommittees
    path(
        "subcommittees/seed/",
        subcommittees.SubcommitteesSeedView.as_view(),
        name="subcommittees-seed",
    ),
    path(
        "subcommittees/add/",
        subcommittees.SubcommitteeCreateView.as_view(),
        name="subcommittee-add",
    ),
    path(
        "subcommittees/<int:pk>/",
        subcommittees.SubcommitteeDetailView.as_view(),
        name="subcommittee-detail",
    ),
    path(
        "subcommittees/<int:pk>/edit/",
        subcommittees.SubcommitteeEditView.as_view(),
        name="subcommittee-edit",
    ),
    path(
        "subcommittees/<int:pk>/members/add/",
        subcommittees.SubcommitteeMemberAddView.as_view(),
        name="subcommittee-member-add",
    ),
    path(
        "subcommittees/<int:pk>/members/<int:member_pk>/remove/",
        subcommittees.SubcommitteeMemberRemoveView.as_view(),
        name="subcommittee-member-remove",
    ),
    path(
        "subcommittees/<int:pk>/reports/add/",
        subcommittees.SubcommitteeReportAddView.as_view(),
        name="subcommittee-report-add",
    ),
    # Service gaps
    path("gaps/", gaps.GapListView.as_view(), name="gap-list"),
    path("gaps/add/", gaps.GapCreateView.as_view(), name="gap-add"),
    path("gaps/<int:pk>/", gaps.GapDetailView.as_view(), name="gap-detail"),
    path("gaps/<int:pk>/edit/", gaps.GapEditView.as_view(), name="gap-edit"),
    path("gaps/<int:pk>/delete/", gaps.GapDeleteView.as_view(), name="gap-delete"),
    path(
        "gaps/<int:pk>/history/",
        RecordHistoryView.as_view(model=ServiceGap),
        name="gap-history",
    ),
    # Meetings
    path("meetings/", meetings.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/add/", meetings.MeetingCreateView.as_view(), name="meeting-add"),
    path("meetings/calendar.ics", meetings.MeetingCalendarView.as_view(), name="meeting-ics"),
    path("meetings/<int:pk>/", meeting_page.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/edit/", meetings.MeetingEditView.as_view(), name="meeting-edit"),
    path("meetings/<int:pk>/delete/", meetings.MeetingDeleteView.as_view(), name="meeting-delete"),
    path("meetings/<int:pk>/status/", meetings.MeetingStatusView.as_view(), name="meeting-status"),
    path(
        "meetings/<int:pk>/history/",
        RecordHistoryView.as_view(model=Meeting),
        name="meeting-history",
    ),
    path(
        "meetings/<int:pk>/agenda/",
        meeting_page.MeetingAgendaAddView.as_view(),
        name="meeting-agenda-add",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/remove/",
        meeting_page.MeetingAgendaRemoveView.as_view(),
        name="meeting-agenda-remove",
    ),
    path(
        "meetings/<int:pk>/attendance/",
        meeting_page.MeetingRecordView.as_view(),
        name="meeting-attendance",
    ),
    path(
        "meetings/<int:pk>/minutes/",
        meeting_page.MeetingMinutesView.as_view(),
        name="meeting-minutes",
    ),
    path(
        "meetings/<int:pk>/decisions/",
        meeting_page.MeetingDecisionAddView.as_view(),
        name="meeting-decision-add",
    ),
    path(
        "meetings/<int:pk>/actions/",
        meeting_page.MeetingActionAddView.as_view(),
        name="meeting-action-add",
    ),
    path(
        "meetings/<int:pk>/agenda.pdf",
        meetings.MeetingAgendaView.as_view(fmt="pdf"),
        name="meeting-agenda-pdf",
    ),
    path(
        "meetings/<int:pk>/agenda.docx",
        meetings.MeetingAgendaView.as_view(fmt="docx"),
        name="meeting-agenda-docx",
    ),
    path(
        "meetings/<int:pk>/minutes.pdf",
        meetings.MeetingMinutesView.as_view(fmt="pdf"),
        name="meeting-minutes-pdf",
    ),
    path(
        "meetings/<int:pk>/minutes.docx",
        meetings.MeetingMinutesView.as_view(fmt="docx"),
        name="meeting-minutes-docx",
    ),
    # Action items
    path("actions/", actions.ActionItemListView.as_view(), name="action-list"),
    path("actions/mine/", actions.MyActionItemsView.as_view(), name="my-actions"),
    path("actions/add/", actions.ActionItemCreateView.as_view(), name="action-add"),
    path("actions/<int:pk>/", actions.ActionItemDetailView.as_view(), name="action-detail"),
    path("actions/<int:pk>/edit/", actions.ActionItemEditView.as_view(), name="action-edit"),
    path("actions/<int:pk>/status/", actions.ActionItemStatusView.as_view(), name="action-status"),
    path("actions/<int:pk>/delete/", actions.ActionItemDeleteView.as_view(), name="action-delete"),
    path(
        "actions/<int:pk>/history/",
        RecordHistoryView.as_view(model=ActionItem),
        name="action-history",
    ),
]
