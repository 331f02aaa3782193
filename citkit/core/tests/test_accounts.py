"""Sign-in security: Argon2, lock-out after 5 failures, unlock, session limits, passwords."""

import time

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail

import citkit.settings as project_settings
from citkit.core.middleware import SessionLifetimeMiddleware
from citkit.core.models import AuditEntry, Role
from citkit.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
LOCKED = "Too many failed sign-in attempts"


def _sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_passwords_are_hashed_with_argon2_by_the_project_settings(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = UserFactory(username="hashed")
    user.set_password("a long enough passphrase")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_a_right_password_signs_in(client, officer):
    # An officer: a coordinator also needs a code (test_mfa.py).
    response = _sign_in(client, "officer_a", PASSWORD)
    assert response.status_code == 302
    assert client.get("/p/riverbend/").status_code == 200


def test_a_wrong_password_and_an_unknown_user_get_the_same_message(client, coordinator):
    wrong = _sign_in(client, "coordinator_a", "nope").content.decode()
    unknown = _sign_in(client, "nobody_at_all", "nope").content.decode()
    assert "do not match" in wrong
    assert "do not match" in unknown


def test_five_failures_lock_the_account_even_for_the_right_password(client, coordinator):
    for _ in range(5):
        _sign_in(client, "coordinator_a", "wrong password")
    response = _sign_in(client, "coordinator_a", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert client.get("/p/riverbend/").status_code == 302  # still signed out


def test_the_lock_message_does_not_reveal_whether_the_account_exists(client, coordinator):
    for name in ("coordinator_a", "made_up_name"):
        for _ in range(5):
            _sign_in(client, name, "wrong password")
    real = _sign_in(client, "coordinator_a", "x").content.decode()
    fake = _sign_in(client, "made_up_name", "x").content.decode()
    assert LOCKED in real
    assert LOCKED in fake


def test_the_lock_lasts_at_least_ten_minutes():
    assert project_settings.AXES_COOLOFF_TIME.total_seconds() >= 600
    assert project_settings.AXES_FAILURE_LIMIT == 5


def test_a_coordinator_unlocks_a_member(client, members):
    officer = members[Role.OFFICER]
    for _ in range(5):
        _sign_in(client, officer.username, "wrong password")
    coordinator_client = type(client)()
    coordinator_client.force_login(members[Role.COORDINATOR])
    page = coordinator_client.get("/p/riverbend/members/").content.decode()
    assert "Locked" in page
    membership = officer.memberships.get()
    response = coordinator_client.post(f"/p/riverbend/members/{membership.pk}/unlock/")
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="unlock").exists()
    assert _sign_in(client, officer.username, PASSWORD).status_code == 302


def test_a_coordinator_cannot_unlock_an_account_also_used_in_another_program(
    client, members, program_b
):
    from citkit.testing.factories import MembershipFactory

    officer = members[Role.OFFICER]
    MembershipFactory(user=officer, program=program_b, role=Role.STATE_COORDINATOR)
    for _ in range(5):
        _sign_in(client, officer.username, "wrong password")
    coordinator_client = type(client)()
    coordinator_client.force_login(members[Role.COORDINATOR])
    page = coordinator_client.get("/p/riverbend/members/").content.decode()
    assert "a deployment administrator can unlock it" in page
    membership = officer.memberships.get(program__slug="riverbend")
    response = coordinator_client.post(f"/p/riverbend/members/{membership.pk}/unlock/")
    assert response.status_code == 403
    assert "only a deployment administrator can unlock" in response.content.decode()
    assert not AuditEntry.objects.filter(action="unlock").exists()
    assert _sign_in(client, officer.username, PASSWORD).status_code == 429  # still locked


def test_a_deployment_administrator_unlocks_any_account(members, program_b):
    from axes.models import AccessAttempt

    from citkit.core import services
    from citkit.testing.factories import MembershipFactory

    officer = members[Role.OFFICER]
    MembershipFactory(user=officer, program=program_b, role=Role.OFFICER)
    AccessAttempt.objects.create(
        username=officer.username, failures_since_start=5, ip_address="192.0.2.1"
    )
    # A deployment administrator who also coordinates this program may, from its page.
    program = officer.memberships.get(program__slug="riverbend").program
    admin = UserFactory(username="operator", is_superuser=True, is_staff=True)
    MembershipFactory(user=admin, program=program, role=Role.COORDINATOR)
    services.account_unlock(actor=admin, program=program, user=officer)
    assert not AccessAttempt.objects.filter(username=officer.username).exists()


def test_only_coordinators_unlock(client, members):
    membership = members[Role.OFFICER].memberships.get()
    client.force_login(members[Role.COMMITTEE_MEMBER])
    assert client.post(f"/p/riverbend/members/{membership.pk}/unlock/").status_code == 403


def test_sessions_end_after_idle_time_and_renew_on_use():
    assert project_settings.SESSION_COOKIE_AGE == 30 * 60
    # Renewed at most once a minute by SessionLifetimeMiddleware (test_sessions.py).
    assert project_settings.SESSION_SAVE_EVERY_REQUEST is False


def test_a_session_ends_after_twelve_hours_however_active(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/p/riverbend/").status_code == 200
    session = client.session
    session[SessionLifetimeMiddleware.KEY] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get("/p/riverbend/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/p/riverbend/").status_code == 302


def test_the_session_limits_are_configurable(client, coordinator, settings):
    settings.CITKIT_SESSION_MAX_HOURS = 1
    client.force_login(coordinator)
    client.get("/p/riverbend/")
    session = client.session
    session[SessionLifetimeMiddleware.KEY] = time.time() - 3601
    session.save()
    assert client.get("/p/riverbend/").status_code == 302


def test_a_user_changes_their_password_and_weak_ones_are_refused(client, coordinator):
    client.force_login(coordinator)
    weak = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert weak.status_code == 200
    assert "too short" in weak.content.decode() or "too common" in weak.content.decode()
    ok = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much better passphrase 42",
            "new_password2": "a much better passphrase 42",
        },
    )
    assert ok.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password("a much better passphrase 42")


def test_a_password_reset_sends_a_working_link(client, coordinator):
    response = client.post("/accounts/password/reset/", {"email": coordinator.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "brand new passphrase 7", "new_password2": "brand new passphrase 7"},
    )
    assert done.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password("brand new passphrase 7")


def test_a_password_reset_for_an_unknown_address_looks_the_same(client, coordinator):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
