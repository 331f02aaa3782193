from django.urls import path

from citkit.core.views import audit, jobs, members, programs
from citkit.core.views.access import AccessListView
from citkit.core.views.mfa import MemberSecondFactorResetView

urlpatterns = [
    path("", programs.ProgramHomeView.as_view(), name="program-home"),
    path("settings/", programs.ProgramEditView.as_view(), name="program-edit"),
    path("members/", members.MemberListView.as_view(), name="member-list"),
    path("members/add/", members.MemberAddView.as_view(), name="member-add"),
    path("members/<int:pk>/edit/", members.MemberEditView.as_view(), name="member-edit"),
    path("members/<int:pk>/remove/", members.MemberRemoveView.as_view(), name="member-remove"),
    path("members/<int:pk>/unlock/", members.MemberUnlockView.as_view(), name="member-unlock"),
    path(
        "members/invitations/<int:pk>/withdraw/",
        members.InvitationRevokeView.as_view(),
        name="invitation-revoke",
    ),
    path(
        "members/<int:pk>/two-factor/reset/",
        MemberSecondFactorResetView.as_view(),
        name="member-second-factor-reset",
    ),
    path("audit/", audit.AuditListView.as_view(), name="audit-list"),
    path("access/", AccessListView.as_view(), name="access-list"),
    path("jobs/<str:pk>/", jobs.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<str:pk>/download/", jobs.JobDownloadView.as_view(), name="job-download"),
]
