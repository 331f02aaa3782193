"""Signed-in sessions: a new id at sign-in, the idle limit without a write per request,
the absolute limit, deactivated accounts, and people seeing and ending their sessions."""

import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from citkit.core import sessions
from citkit.core.middleware import SessionLifetimeMiddleware
from citkit.core.models import AuditEntry, Membership, Role, SignedInSession
from citkit.testing.browser import PASSWORD
from citkit.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
SESSION_WRITE = re.compile(r'^\s*(UPDATE|INSERT INTO|DELETE FROM)\s+"?django_session"?', re.I)
TRACKING_WRITE = re.compile(
    r'^\s*(UPDATE|INSERT INTO|DELETE FROM)\s+"?core_signedinsession"?', re.I
)


@pytest.fixture
def stranger(program_b):
    """An officer of another program (no second factor needed to sign in)."""
    user = UserFactory(username="officer_b")
    Membership.objects.create(user=user, program=program_b, role=Role.OFFICER)
    return user


def _browser(user_agent=FIREFOX_WINDOWS, address="203.0.113.7") -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)


def _sign_in(client: Client, username="officer_a"):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]
    return response


def _key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _age_session(client: Client, **seconds_ago) -> None:
    """Move the session's own clock marks into the past (as if time had passed)."""
    session = client.session
    now = time.time()
    if "idle" in seconds_ago:
        session[SessionLifetimeMiddleware.LAST_ACTIVE] = now - seconds_ago["idle"]
    if "signed_in" in seconds_ago:
        session[SessionLifetimeMiddleware.KEY] = now - seconds_ago["signed_in"]
    session.save()


def _writes(queries, pattern) -> list[str]:
    return [q["sql"] for q in queries if pattern.search(q["sql"])]


# --- Sign-in and sign-out ----------------------------------------------------


def test_signing_in_gives_the_session_a_new_id(officer):
    client = _browser()
    before = client.session.session_key  # an anonymous visitor's session, maybe planted
    assert before
    _sign_in(client)
    after = _key(client)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.get("/p/riverbend/").status_code == 200


def test_signing_in_records_the_session_and_signing_out_forgets_it(officer):
    client = _browser()
    _sign_in(client)
    row = SignedInSession.objects.get(user=officer)
    assert row.session_key == _key(client)
    assert row.user_agent == FIREFOX_WINDOWS
    assert row.ip_address == "203.0.113.7"
    client.post("/accounts/logout/")
    assert not SignedInSession.objects.filter(user=officer).exists()
    assert not Session.objects.filter(session_key=row.session_key).exists()


# --- Idle limit without a write per request ---------------------------------


def test_the_session_is_not_saved_on_every_request():
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_a_page_view_within_the_minute_writes_nothing(officer):
    client = _browser()
    _sign_in(client)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/p/riverbend/")
    assert response.status_code == 200
    assert _writes(ctx.captured_queries, SESSION_WRITE) == []
    assert _writes(ctx.captured_queries, TRACKING_WRITE) == []
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # the cookie is not re-sent


def test_after_the_minute_a_page_view_refreshes_the_session_and_its_cookie(officer):
    client = _browser()
    _sign_in(client)
    SignedInSession.objects.filter(user=officer).update(
        last_seen_at=SignedInSession.objects.get(user=officer).created_at.replace(year=2000)
    )
    _age_session(client, idle=61)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/p/riverbend/")
    assert response.status_code == 200
    assert len(_writes(ctx.captured_queries, SESSION_WRITE)) == 1
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    assert SignedInSession.objects.get(user=officer).last_seen_at.year > 2000
    # ... and the next view, within the new minute, writes nothing again.
    with CaptureQueriesContext(connection) as ctx:
        client.get("/p/riverbend/")
    assert _writes(ctx.captured_queries, SESSION_WRITE) == []


def test_a_session_idle_longer_than_the_limit_is_signed_out(officer):
    client = _browser()
    _sign_in(client)
    key = _key(client)
    _age_session(client, idle=30 * 60 + 1)
    response = client.get("/p/riverbend/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/p/riverbend/people/")
    page = client.get(response["Location"]).content.decode()
    assert "signed out after 30 minutes without activity" in page
    assert not Session.objects.filter(session_key=key).exists()
    assert not SignedInSession.objects.filter(session_key=key).exists()
    assert client.get("/p/riverbend/").status_code == 302


def test_the_idle_limit_is_configurable(officer, settings):
    settings.CITKIT_SESSION_IDLE_MINUTES = 5
    client = _browser()
    _sign_in(client)
    _age_session(client, idle=4 * 60)
    assert client.get("/p/riverbend/").status_code == 200
    _age_session(client, idle=5 * 60 + 1)
    assert client.get("/p/riverbend/").status_code == 302


def test_an_idle_htmx_request_sends_the_whole_page_to_sign_in(officer):
    client = _browser()
    _sign_in(client)
    _age_session(client, idle=31 * 60)
    response = client.get("/p/riverbend/agencies/?q=x", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def test_an_idle_api_session_is_answered_as_anonymous(officer):
    client = _browser()
    _sign_in(client)
    _age_session(client, idle=31 * 60)
    assert client.get("/api/programs/").status_code in {401, 403}
    assert not SignedInSession.objects.filter(user=officer).exists()


def test_the_absolute_limit_still_ends_an_active_session(officer):
    client = _browser()
    _sign_in(client)
    _age_session(client, idle=10, signed_in=12 * 3600 + 1)
    assert client.get("/p/riverbend/").status_code == 302
    assert not SignedInSession.objects.filter(user=officer).exists()


# --- Deactivated accounts and ending every session ---------------------------


def test_a_deactivated_account_is_signed_out_on_its_next_request(officer):
    client = _browser()
    _sign_in(client)
    key = _key(client)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    response = client.get("/p/riverbend/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key=key).exists()
    assert not SignedInSession.objects.filter(session_key=key).exists()


def test_end_sessions_ends_every_session_of_the_user_but_the_kept_one(officer, stranger):
    kept, other, third = _browser(), _browser(SAFARI_IPHONE), _browser()
    for client in (kept, other, third):
        _sign_in(client)
    bystander = _browser()
    _sign_in(bystander, "officer_b")

    assert sessions.end_sessions(officer, keep_session_key=_key(kept)) == 2
    assert other.get("/p/riverbend/").status_code == 302
    assert third.get("/p/riverbend/").status_code == 302
    assert kept.get("/p/riverbend/").status_code == 200
    assert bystander.get("/p/lakeshore/").status_code == 200
    assert list(
        SignedInSession.objects.filter(user=officer).values_list("session_key", flat=True)
    ) == [_key(kept)]

    assert sessions.end_sessions(officer) == 1
    assert kept.get("/p/riverbend/").status_code == 302
    assert sessions.end_sessions(officer) == 0


# --- Your sessions -----------------------------------------------------------


def test_your_sessions_lists_each_browser_in_words_and_marks_this_one(officer, stranger):
    here, phone = _browser(), _browser(SAFARI_IPHONE, "198.51.100.4")
    _sign_in(here)
    _sign_in(phone)
    _sign_in(_browser(), "officer_b")
    page = here.get("/accounts/sessions/").content.decode()
    assert "Firefox on Windows" in page
    assert "Safari on an iPhone" in page
    assert "198.51.100.4" in page
    assert page.count("This session") == 1
    assert page.count(">End</a>") == 1  # not on this session
    assert "End all other sessions" in page
    assert SignedInSession.objects.filter(user=stranger).count() == 1
    assert page.count("<tr>") == 1 + 2  # the header and the officer's two


def test_ending_a_session_asks_first_then_signs_that_browser_out_and_is_audited(officer):
    here, phone = _browser(), _browser(SAFARI_IPHONE)
    _sign_in(here)
    _sign_in(phone)
    row = SignedInSession.objects.get(session_key=_key(phone))
    question = here.get(f"/accounts/sessions/{row.pk}/end/")
    assert question.status_code == 200
    assert "End the session on Safari on an iPhone?" in question.content.decode()
    assert phone.get("/p/riverbend/").status_code == 200  # asking ended nothing

    response = here.post(f"/accounts/sessions/{row.pk}/end/")
    assert response.status_code == 302
    assert phone.get("/p/riverbend/").status_code == 302
    assert here.get("/p/riverbend/").status_code == 200
    entry = AuditEntry.objects.get(object_id=str(officer.pk), program=None)
    assert entry.actor == officer
    assert entry.before == {"signed_in_sessions": 2}
    assert entry.after == {"signed_in_sessions": 1, "ended": "Safari on an iPhone"}


def test_nobody_ends_another_persons_session_nor_their_own_current_one(officer, stranger):
    mine, theirs = _browser(), _browser()
    _sign_in(mine)
    _sign_in(theirs, "officer_b")
    their_row = SignedInSession.objects.get(user=stranger)
    my_row = SignedInSession.objects.get(user=officer)
    for pk in (their_row.pk, my_row.pk, 999999):
        assert mine.get(f"/accounts/sessions/{pk}/end/").status_code == 404
        assert mine.post(f"/accounts/sessions/{pk}/end/").status_code == 404
    assert theirs.get("/p/lakeshore/").status_code == 200
    assert not AuditEntry.objects.exists()


def test_ending_all_other_sessions_keeps_this_one(officer):
    here, phone, laptop = _browser(), _browser(SAFARI_IPHONE), _browser()
    for client in (here, phone, laptop):
        _sign_in(client)
    question = here.get("/accounts/sessions/end-others/").content.decode()
    assert "End all your other sessions?" in question
    response = here.post("/accounts/sessions/end-others/", follow=True)
    assert "2 other sessions ended." in response.content.decode()
    assert phone.get("/p/riverbend/").status_code == 302
    assert laptop.get("/p/riverbend/").status_code == 302
    assert here.get("/p/riverbend/").status_code == 200
    assert AuditEntry.objects.get(program=None).after == {
        "signed_in_sessions": 1,
        "ended": "every other session",
    }
    again = here.post("/accounts/sessions/end-others/", follow=True).content.decode()
    assert "You had no other sessions." in again
    assert AuditEntry.objects.filter(program=None).count() == 1


def test_the_sessions_pages_need_a_signed_in_person(client):
    for url in (
        "/accounts/sessions/",
        "/accounts/sessions/1/end/",
        "/accounts/sessions/end-others/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_ended_and_expired_sessions_are_not_listed(officer):
    here = _browser()
    _sign_in(here)
    gone = UserFactory(username="gone_user")
    SignedInSession.objects.create(user=officer, session_key="x" * 32)  # no such session
    SignedInSession.objects.create(user=gone, session_key="y" * 32)
    assert list(sessions.live_sessions(officer)) == [
        SignedInSession.objects.get(session_key=_key(here))
    ]


@pytest.mark.parametrize(
    ("user_agent", "words"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on an iPhone"),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/130.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.5 Safari/605.1.15",
            "Safari on a Mac",
        ),
        ("curl/8.5.0", "An unknown browser"),
        ("", "An unknown browser"),
    ],
)
def test_devices_are_named_in_words(user_agent, words):
    assert sessions.device_label(user_agent) == words


def test_the_clean_up_forgets_ended_sessions_and_keeps_live_ones(officer):
    here = _browser()
    _sign_in(here)
    SignedInSession.objects.create(user=officer, session_key="x" * 32)  # no such session
    assert sessions.forget_ended_sessions() == 1
    assert list(SignedInSession.objects.values_list("session_key", flat=True)) == [_key(here)]
    assert here.get("/p/riverbend/").status_code == 200


def test_a_password_change_keeps_this_session_tracked_under_its_new_key(officer):
    here, phone = _browser(), _browser(SAFARI_IPHONE)
    _sign_in(here)
    _sign_in(phone)
    old_key = _key(here)
    started = SignedInSession.objects.get(session_key=old_key).created_at
    response = here.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much better passphrase 42",
            "new_password2": "a much better passphrase 42",
        },
    )
    assert response.status_code == 302
    assert _key(here) != old_key  # Django gives the session a new key
    row = SignedInSession.objects.get(user=officer)  # the phone's ended with the password
    assert row.session_key == _key(here)
    assert row.created_at == started
    assert phone.get("/p/riverbend/").status_code == 302
    page = here.get("/accounts/sessions/").content.decode()
    assert "This session" in page
