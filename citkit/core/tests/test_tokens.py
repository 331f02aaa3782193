"""API tokens with a lifecycle, calendar addresses their owner can replace, and both
revoked (with the sessions) when the password changes, the account is deactivated or
a membership ends. Password-reset requests are limited and answered alike."""

import datetime
import hashlib
import re

import pytest
from django.conf import settings as project_settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from citkit.committee.calendar import feed_token
from citkit.core import services
from citkit.core.api_tokens import make_token
from citkit.core.models import ApiToken, AuditEntry, Membership, Role, SignedInSession
from citkit.testing.factories import UserFactory
from citkit.testing.mfa import app_device, code_at, current_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
TOKENS = "/accounts/token/"
ICS = "/p/riverbend/committee/meetings/calendar.ics"


def _api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _works(key) -> bool:
    status = _api(key).get("/api/programs/").status_code
    assert status in (200, 401), status
    return status == 200


def _token(user, name="script", **kwargs):
    token, key = make_token(user, name=name, **kwargs)
    token.save()
    return token, key


def _new_key(response) -> str:
    html = response.content.decode()
    start = html.index('id="new-token"')
    return html[
        html.index('value="', start) + 7 : html.index('"', html.index('value="', start) + 7)
    ]


# --- Making, listing, revoking ------------------------------------------------------------


def test_a_token_is_made_on_the_page_and_its_key_shown_once(client, officer):
    client.force_login(officer)
    made = client.post(TOKENS, {"name": "Roster sync", "days": 30})
    assert made.status_code == 201
    key = _new_key(made)
    assert key.startswith("ck_") and _works(key)
    listing = client.get(TOKENS).content.decode()
    assert "Roster sync" in listing and key[:10] in listing
    assert key not in listing
    assert made["Cache-Control"].startswith("max-age=0") or "no-store" in made["Cache-Control"]


def test_only_the_hash_of_a_key_is_stored(officer):
    token, key = services.api_token_create(actor=officer, name="ci")
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert key not in stored
    entry = AuditEntry.objects.get(content_type__model="apitoken")
    assert entry.program is None and "key_hash" not in entry.after
    assert key not in str(entry.after)


def test_a_person_holds_several_tokens_and_revokes_one_after_being_asked(client, officer):
    first, first_key = _token(officer, "laptop")
    _, second_key = _token(officer, "server")
    client.force_login(officer)
    question = client.get(f"/accounts/token/{first.pk}/revoke/")
    assert "Revoke the API token “laptop”?" in question.content.decode()
    assert _works(first_key)
    done = client.post(f"/accounts/token/{first.pk}/revoke/", follow=True)
    assert "is revoked" in done.content.decode()
    assert not _works(first_key) and _works(second_key)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert AuditEntry.objects.filter(content_type__model="apitoken", action="update").count() == 1


def test_nobody_revokes_someone_elses_token(client, officer, coordinator):
    token, key = _token(coordinator)
    client.force_login(officer)
    assert client.post(f"/accounts/token/{token.pk}/revoke/").status_code == 404
    assert _works(key)


def test_a_token_expires_after_the_configured_days(settings, officer):
    settings.CITKIT_TOKEN_DAYS = 7
    token, _ = services.api_token_create(actor=officer, name="short")
    left = token.expires_at - token.created_at
    assert abs(left - datetime.timedelta(days=7)) < datetime.timedelta(minutes=1)
    assert project_settings.CITKIT_TOKEN_DAYS == 7


def test_the_default_lifetime_is_ninety_days():
    import citkit.settings as project

    assert project.CITKIT_TOKEN_DAYS == 90


def test_a_lifetime_past_the_limit_is_refused(client, officer):
    client.force_login(officer)
    response = client.post(TOKENS, {"name": "forever", "days": 10_000})
    assert response.status_code == 400
    assert "At most 90 days" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name(client, officer):
    client.force_login(officer)
    response = client.post(TOKENS, {"name": "  ", "days": 5})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_there_is_a_cap_on_working_tokens(officer):
    for n in range(services.TOKEN_LIMIT):
        _token(officer, f"t{n}")
    with pytest.raises(Exception, match="Revoke one"):
        services.api_token_create(actor=officer, name="one more")


# --- Which keys are let in ------------------------------------------------------------------


def test_expired_revoked_unknown_and_deactivated_keys_get_401(officer):
    expired, expired_key = _token(officer)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    revoked, revoked_key = _token(officer)
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    assert not _works(expired_key)
    assert not _works(revoked_key)
    assert not _works("ck_not-a-real-key")
    assert not _works("0123456789abcdef0123456789abcdef01234567")  # an old DRF key
    _, good = _token(officer)
    assert _works(good)
    officer.is_active = False
    officer.save()
    assert not _works(good)


def test_last_use_is_written_at_most_once_a_minute(officer):
    token, key = _token(officer)
    assert token.last_used_at is None
    _api(key).get("/api/programs/")
    token.refresh_from_db()
    assert token.last_used_at is not None
    with CaptureQueriesContext(connection) as queries:
        _api(key).get("/api/programs/")
    writes = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "apitoken" in q["sql"]]
    assert writes == []
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    before = ApiToken.objects.get(pk=token.pk).last_used_at
    _api(key).get("/api/programs/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > before


def test_the_project_no_longer_uses_drfs_token_table():
    assert "rest_framework.authtoken" not in project_settings.INSTALLED_APPS
    classes = project_settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    assert "citkit.core.api_tokens.ApiTokenAuthentication" in classes
    assert "rest_framework.authentication.TokenAuthentication" not in classes


# --- The second factor ---------------------------------------------------------------------


def test_a_coordinator_without_a_second_factor_is_asked_to_set_one_up(client, coordinator):
    client.force_login(coordinator)
    page = client.get(TOKENS).content.decode()
    assert "Set up two-factor sign-in" in page
    response = client.post(TOKENS, {"name": "x", "days": 5, "code": "123456"})
    assert response.status_code == 400
    assert "Set up two-factor sign-in first" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_right_code_when_the_account_has_a_second_factor(client, coordinator):
    device = app_device(coordinator)
    client.force_login(coordinator)
    wrong = client.post(TOKENS, {"name": "x", "days": 5, "code": code_at(device, steps=-20)})
    assert wrong.status_code == 400
    assert "not right" in wrong.content.decode()
    assert not ApiToken.objects.exists()
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post(TOKENS, {"name": "x", "days": 5, "code": current_code(device)})
    assert right.status_code == 201
    assert ApiToken.objects.filter(user=coordinator).count() == 1


def test_an_officer_who_chose_a_second_factor_is_asked_for_it_too(officer):
    app_device(officer)
    with pytest.raises(Exception, match="not right"):
        services.api_token_create(actor=officer, name="x", code="000000")
    assert not ApiToken.objects.exists()


# --- Revoked with the password, the account and the membership ------------------------


@pytest.fixture
def committee_member(members):
    return members[Role.COMMITTEE_MEMBER]


def _sign_in(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response
    return client


def _feed_works(client, token) -> bool:
    status = client.get(ICS, {"token": token}).status_code
    assert status in (200, 404)
    return status == 200


def test_changing_the_password_revokes_everything_but_the_session_it_was_changed_from(
    client, committee_member
):
    from django.test import Client

    other_device = _sign_in(Client(), committee_member)
    here = _sign_in(client, committee_member)
    _, key = _token(committee_member)
    feed = feed_token(committee_member, committee_member.memberships.get().program)
    assert _feed_works(Client(), feed)
    changed = here.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much better passphrase 42",
            "new_password2": "a much better passphrase 42",
        },
    )
    assert changed.status_code == 302
    assert not _works(key)
    assert not _feed_works(Client(), feed)
    assert here.get("/p/riverbend/").status_code == 200
    assert other_device.get("/p/riverbend/").status_code == 302
    entry = AuditEntry.objects.get(after__credentials_revoked="password changed")
    assert entry.after["api_tokens_revoked"] == 1 and entry.program is None


def test_a_password_reset_revokes_tokens_and_every_session(client, committee_member, settings):
    settings.CITKIT_PASSWORD_RESET_SECONDS = 0
    from django.test import Client

    signed_in = _sign_in(Client(), committee_member)
    _, key = _token(committee_member)
    client.post("/accounts/password/reset/", {"email": committee_member.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    form = client.get(link.split("testserver", 1)[1], follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand new passphrase 7", "new_password2": "brand new passphrase 7"},
    )
    assert done.status_code == 302
    assert not _works(key)
    assert signed_in.get("/p/riverbend/").status_code == 302
    assert not SignedInSession.objects.filter(user=committee_member).exists()


def test_deactivating_an_account_revokes_its_tokens_and_calendar_address(committee_member):
    from django.test import Client

    _, key = _token(committee_member)
    feed = feed_token(committee_member, committee_member.memberships.get().program)
    committee_member.is_active = False
    committee_member.save(update_fields=["is_active"])
    assert ApiToken.objects.get(user=committee_member).revoked_reason == "account deactivated"
    committee_member.is_active = True
    committee_member.save()
    assert not _works(key)
    assert not _feed_works(Client(), feed)


def test_a_hash_upgrade_at_sign_in_revokes_nothing(client, committee_member, settings):
    _, key = _token(committee_member)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    _sign_in(client, committee_member)  # Django re-hashes the password with PBKDF2 here
    committee_member.refresh_from_db()
    assert committee_member.password.startswith("pbkdf2_")
    assert _works(key)


def test_ending_a_membership_revokes_the_accounts_tokens_and_sessions(
    client_for, coordinator, committee_member
):
    from django.test import Client

    signed_in = _sign_in(Client(), committee_member)
    _, key = _token(committee_member)
    membership = committee_member.memberships.get()
    client_for(coordinator).post(f"/p/riverbend/members/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not _works(key)
    assert signed_in.get("/").status_code == 302
    entry = AuditEntry.objects.get(after__credentials_revoked__startswith="membership in")
    assert entry.actor == coordinator


def test_revoking_ends_only_that_accounts_credentials(committee_member, coordinator):
    _, theirs = _token(committee_member)
    _, mine = _token(coordinator)
    from citkit.core.credentials import revoke_credentials

    revoke_credentials(committee_member, reason="test")
    assert not _works(theirs) and _works(mine)


# --- The calendar address ---------------------------------------------------------------


def test_the_owner_gets_a_new_calendar_address_after_being_asked(
    client, committee_member, program_a
):
    from django.test import Client

    old = feed_token(committee_member, program_a)
    client.force_login(committee_member)
    meetings = client.get("/p/riverbend/committee/meetings/").content.decode()
    assert "/accounts/calendar/new-address/" in meetings
    question = client.get("/accounts/calendar/new-address/?next=/p/riverbend/committee/meetings/")
    assert "Get a new calendar address?" in question.content.decode()
    assert _feed_works(Client(), old)
    done = client.post(
        "/accounts/calendar/new-address/", {"next": "/p/riverbend/committee/meetings/"}
    )
    assert done["Location"] == "/p/riverbend/committee/meetings/"
    new = feed_token(committee_member, program_a)
    assert new != old
    assert not _feed_works(Client(), old) and _feed_works(Client(), new)
    assert new in client.get("/p/riverbend/committee/meetings/").content.decode()
    assert AuditEntry.objects.filter(after__calendar_address="replaced by its owner").exists()


def test_the_new_address_page_goes_back_only_to_this_site(client, committee_member):
    client.force_login(committee_member)
    done = client.post("/accounts/calendar/new-address/", {"next": "https://evil.example/"})
    assert done["Location"] == TOKENS


def test_an_address_made_before_feed_secrets_keeps_working_until_replaced(
    committee_member, program_a
):
    from django.core import signing
    from django.test import Client

    from citkit.committee.calendar import FEED_SALT

    legacy = signing.Signer(salt=FEED_SALT).sign_object([committee_member.pk, program_a.pk])
    assert _feed_works(Client(), legacy)
    services.feed_address_replace(actor=committee_member)
    assert not _feed_works(Client(), legacy)


# --- Password reset: limited, and alike for known and unknown addresses -----------------


@pytest.fixture
def quick_reset(settings):
    settings.CITKIT_PASSWORD_RESET_SECONDS = 0.01
    return settings


def _without_csrf(response) -> str:
    html = response.content.decode()
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _reset(client, email, **extra):
    return client.post("/accounts/password/reset/", {"email": email}, **extra)


def test_known_and_unknown_addresses_get_the_same_answer(client, coordinator, quick_reset):
    known = _reset(client, coordinator.email, follow=True)
    unknown = _reset(client, "nobody@example.org", follow=True)
    assert known.status_code == unknown.status_code == 200
    assert (
        known.redirect_chain == unknown.redirect_chain == [("/accounts/password/reset/sent/", 302)]
    )
    # The pages differ only in their (per-request, masked) CSRF tokens.
    assert _without_csrf(known) == _without_csrf(unknown)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [coordinator.email]


def test_every_answer_waits_for_the_configured_minimum(client, coordinator, settings, monkeypatch):
    # Far longer than any request takes, however busy the machine: every answer waits.
    settings.CITKIT_PASSWORD_RESET_SECONDS = 60
    from citkit.core import throttle

    slept = []
    monkeypatch.setattr(throttle.time, "sleep", slept.append)
    _reset(client, coordinator.email)
    _reset(client, "nobody@example.org")
    assert len(slept) == 2 and all(0 < s <= 60 for s in slept)


def test_an_address_is_limited_whether_or_not_it_has_an_account(client, coordinator, quick_reset):
    limit = quick_reset.CITKIT_PASSWORD_RESET_PER_ADDRESS
    for email in (coordinator.email, "nobody@example.org"):
        answers = [
            _reset(client, email.upper() if n % 2 else email).status_code for n in range(limit)
        ]
        assert answers == [302] * limit
        refused = _reset(client, email)
        assert refused.status_code == 429
        assert "Too many requests for a reset link" in refused.content.decode()
    assert len(mail.outbox) == limit  # the refused request sent nothing


def test_a_client_is_limited_across_addresses(client, quick_reset):
    quick_reset.CITKIT_PASSWORD_RESET_PER_CLIENT = 3
    answers = [_reset(client, f"person{n}@example.org").status_code for n in range(4)]
    assert answers == [302, 302, 302, 429]
    from django.test import Client

    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert _reset(elsewhere, "person9@example.org").status_code == 302


def test_the_limit_window_is_configurable(quick_reset):
    from citkit.core import throttle

    assert all(throttle.hit("t", "k", limit=2, window_seconds=60) for _ in range(2))
    assert not throttle.hit("t", "k", limit=2, window_seconds=60)
    assert throttle.hit("t", "other", limit=2, window_seconds=60)


def test_a_new_user_tokens_page_shows_nothing_yet(client, db):
    user = UserFactory(username="lonely")
    client.force_login(user)
    assert "You have no working token." in client.get(TOKENS).content.decode()
