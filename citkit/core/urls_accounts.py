from django.contrib.auth import views as auth_views
from django.urls import path

from citkit.core.views import accounts, invitations, mfa, password_reset, sessions, tokens

urlpatterns = [
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", accounts.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Rate-limited, and as slow for an unknown address as for a known one.
    path("password/reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("token/", tokens.ApiTokenView.as_view(), name="api-token"),
    path("token/<int:pk>/revoke/", tokens.ApiTokenRevokeView.as_view(), name="api-token-revoke"),
    path(
        "calendar/new-address/",
        tokens.FeedAddressReplaceView.as_view(),
        name="feed-address-replace",
    ),
    path("invitations/", invitations.InvitationListView.as_view(), name="invitations"),
    path(
        "invitations/link/<str:token>/",
        invitations.InvitationOpenView.as_view(),
        name="invitation-open",
    ),
    path(
        "invitations/<int:pk>/accept/",
        invitations.InvitationAnswerView.as_view(answer="accept"),
        name="invitation-accept",
    ),
    path(
        "invitations/<int:pk>/decline/",
        invitations.InvitationAnswerView.as_view(answer="decline"),
        name="invitation-decline",
    ),
    # Two-factor sign-in: the second step of signing in, and the account page.
    path("login/code/", mfa.VerifyView.as_view(), name="mfa-verify"),
    path("login/setup/", mfa.EnrolView.as_view(), name="mfa-enrol"),
    path("two-factor/", mfa.ManageView.as_view(), name="mfa-manage"),
    path("two-factor/setup/", mfa.SetupView.as_view(), name="mfa-setup"),
    path("two-factor/recovery-codes/", mfa.RecoveryCodesView.as_view(), name="mfa-recovery-codes"),
    path(
        "two-factor/recovery-codes/new/",
        mfa.RecoveryCodesNewView.as_view(),
        name="mfa-recovery-codes-new",
    ),
    path("two-factor/turn-off/", mfa.RemoveView.as_view(), name="mfa-remove"),
    path("sessions/", sessions.SessionListView.as_view(), name="sessions"),
    path("sessions/<int:pk>/end/", sessions.SessionEndView.as_view(), name="session-end"),
    path(
        "sessions/end-others/", sessions.OtherSessionsEndView.as_view(), name="sessions-end-others"
    ),
]
