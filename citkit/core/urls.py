from django.urls import path

from citkit.core.views import audit, members, programs

urlpatterns = [
    path("", programs.ProgramHomeView.as_view(), name="program-home"),
    path("settings/", programs.ProgramEditView.as_view(), name="program-edit"),
    path("members/", members.MemberListView.as_view(), name="member-list"),
    path("members/add/", members.MemberAddView.as_view(), name="member-add"),
    path("members/<int:pk>/edit/", members.MemberEditView.as_view(), name="member-edit"),
    path("members/<int:pk>/remove/", members.MemberRemoveView.as_view(), name="member-remove"),
    path("members/<int:pk>/unlock/", members.MemberUnlockView.as_view(), name="member-unlock"),
    path("audit/", audit.AuditListView.as_view(), name="audit-list"),
]
