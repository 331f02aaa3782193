"""Two-factor sign-in: who must, the code step, recovery codes, throttling, set-up, the
account page, the reset by a coordinator, password reset, the admin and program settings."""

import io
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from citkit.core import mfa, services
from citkit.core.models import AuditEntry, Membership, Program, Role
from citkit.core.views.mfa import PENDING_KEY
from citkit.testing.factories import MembershipFactory, UserFactory
from citkit.testing.mfa import app_device, code_at, current_code, verified_login

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
LOGIN = "/accounts/login/"
CODE_STEP = "/accounts/login/code/"
SETUP_STEP = "/accounts/login/setup/"


def _password(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _signed_in(client) -> bool:
    return SESSION_KEY in client.session


def _recovery_codes(user, count=mfa.RECOVERY_CODE_COUNT) -> list[str]:
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [f"code{n:04d}" for n in range(count)]
    for code in codes:
        device.token_set.create(token=code)
    return codes


@pytest.fixture
def slow_throttle(settings):
    """A wrong code makes the next attempt wait a minute (django-otp's factor), so that a
    test sees the throttle whatever the speed of the machine running it."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    settings.OTP_STATIC_THROTTLE_FACTOR = 60


@pytest.fixture
def no_throttle(settings):
    """For tests that type a wrong code and then the right one: the wait in between is
    the matter of the throttling tests."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


# --- Who must ---------------------------------------------------------------------------


def test_coordinators_agency_admins_and_state_coordinators_must_use_a_second_factor(members):
    must = {role for role, user in members.items() if mfa.second_factor_required(user)}
    assert must == {Role.COORDINATOR, Role.AGENCY_ADMIN, Role.STATE_COORDINATOR}


def test_deployment_administrators_always_must(db, program_a):
    staff = UserFactory(username="operator", is_staff=True)
    assert mfa.second_factor_required(staff)
    program_a.second_factor_roles = []
    program_a.save()
    MembershipFactory(user=staff, program=program_a, role=Role.OFFICER)
    assert mfa.second_factor_required(staff)


def test_a_program_chooses_the_roles_that_must(members, program_a):
    program_a.second_factor_roles = [Role.OFFICER]
    program_a.save()
    assert mfa.second_factor_required(members[Role.OFFICER])
    assert not mfa.second_factor_required(members[Role.COORDINATOR])


def test_one_requiring_program_is_enough(members, program_b):
    officer = members[Role.OFFICER]
    assert not mfa.second_factor_required(officer)
    MembershipFactory(user=officer, program=program_b, role=Role.COORDINATOR)
    assert mfa.second_factor_required(officer)


# --- Codes ------------------------------------------------------------------------------


def test_the_current_code_is_accepted_once(coordinator):
    device = app_device(coordinator)
    code = current_code(device)
    assert mfa.verify_code(coordinator, code)
    assert not mfa.verify_code(coordinator, code)  # replayed


def test_an_old_code_is_refused(coordinator):
    device = app_device(coordinator)
    assert not mfa.verify_code(coordinator, code_at(device, steps=-20))


def test_codes_typed_with_spaces_are_read(coordinator):
    device = app_device(coordinator)
    code = current_code(device)
    assert mfa.verify_code(coordinator, f" {code[:3]} {code[3:]} ")


def test_a_recovery_code_works_once_and_is_then_gone(coordinator):
    app_device(coordinator)
    codes = _recovery_codes(coordinator)
    assert mfa.verify_code(coordinator, codes[0].upper())
    assert not mfa.verify_code(coordinator, codes[0])
    assert mfa.recovery_codes_left(coordinator) == mfa.RECOVERY_CODE_COUNT - 1


def test_a_wrong_code_makes_even_the_right_one_wait(coordinator, slow_throttle):
    device = app_device(coordinator)
    assert not mfa.verify_code(coordinator, code_at(device, steps=-20))
    check = mfa.check_code(coordinator, current_code(device))
    assert not check.ok
    assert check.throttled
    assert "Too many wrong codes" in mfa.refusal_message(check)
    # Once the wait is over, the right code works again.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp.replace(year=2000)
    )
    assert mfa.verify_code(coordinator, current_code(device))


def test_recovery_codes_cannot_be_tried_while_the_app_is_throttled(coordinator, slow_throttle):
    device = app_device(coordinator)
    codes = _recovery_codes(coordinator)
    assert not mfa.verify_code(coordinator, code_at(device, steps=-20))
    assert not mfa.verify_code(coordinator, codes[0])
    assert mfa.recovery_codes_left(coordinator) == mfa.RECOVERY_CODE_COUNT  # not used up


def test_a_user_with_no_app_has_no_code_to_give(officer):
    assert not mfa.has_second_factor(officer)
    assert not mfa.verify_code(officer, "123456")


# --- The sign-in steps ------------------------------------------------------------------


def test_a_coordinator_is_not_signed_in_by_the_password_alone(client, coordinator):
    app_device(coordinator)
    response = _password(client, "coordinator_a")
    assert response.status_code == 302
    assert response["Location"] == CODE_STEP
    assert not _signed_in(client)
    assert client.get("/p/riverbend/").status_code == 302
    assert client.get("/api/programs/riverbend/").status_code in (401, 403)


def test_the_right_code_signs_in_with_a_new_session_id(client, coordinator):
    device = app_device(coordinator)
    _password(client, "coordinator_a", next="/p/riverbend/members/")
    page = client.get(CODE_STEP)
    assert "Signing in as" in page.content.decode()
    pending_key = client.session.session_key
    response = client.post(CODE_STEP, {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/p/riverbend/members/"
    assert _signed_in(client)
    assert client.session.session_key != pending_key
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING_KEY not in client.session
    assert client.get("/p/riverbend/").status_code == 200


def test_a_wrong_code_is_refused_then_throttled_with_a_clear_message(
    client, coordinator, slow_throttle
):
    device = app_device(coordinator)
    _password(client, "coordinator_a")
    wrong = client.post(CODE_STEP, {"code": code_at(device, steps=-20)})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    right_too_soon = client.post(CODE_STEP, {"code": current_code(device)})
    assert right_too_soon.status_code == 429
    assert "Too many wrong codes. Wait" in right_too_soon.content.decode()
    assert not _signed_in(client)


def test_the_throttle_holds_across_fresh_sign_ins(client, coordinator, slow_throttle):
    """Starting again from the password does not reset the count of wrong codes."""
    device = app_device(coordinator)
    _password(client, "coordinator_a")
    client.post(CODE_STEP, {"code": code_at(device, steps=-20)})
    client.cookies.clear()
    _password(client, "coordinator_a")
    assert client.post(CODE_STEP, {"code": current_code(device)}).status_code == 429


def test_a_recovery_code_signs_in_once(client, coordinator):
    app_device(coordinator)
    codes = _recovery_codes(coordinator)
    _password(client, "coordinator_a")
    response = client.post(CODE_STEP, {"code": codes[3]}, follow=True)
    assert _signed_in(client)
    assert "You used a recovery code; 9 left" in response.content.decode()
    client.post("/accounts/logout/")
    _password(client, "coordinator_a")
    again = client.post(CODE_STEP, {"code": codes[3]})
    assert again.status_code == 400
    assert not _signed_in(client)


def test_the_half_done_sign_in_expires(client, coordinator):
    device = app_device(coordinator)
    _password(client, "coordinator_a")
    session = client.session
    session[PENDING_KEY] = {**session[PENDING_KEY], "at": time.time() - mfa.PENDING_SECONDS - 1}
    session.save()
    response = client.post(CODE_STEP, {"code": current_code(device)}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "Signing in took more than 5 minutes" in response.content.decode()
    assert not _signed_in(client)


def test_the_code_step_without_a_password_first_goes_back_to_sign_in(client, coordinator):
    response = client.get(CODE_STEP)
    assert response.status_code == 302
    assert response["Location"] == LOGIN


def test_failed_passwords_still_lock_the_account(client, coordinator):
    app_device(coordinator)
    for _ in range(5):
        _password(client, "coordinator_a", "wrong password")
    response = _password(client, "coordinator_a")
    assert response.status_code == 429
    assert PENDING_KEY not in client.session
    assert client.get(CODE_STEP).status_code == 302


def test_an_officer_without_an_app_signs_in_with_the_password(client, officer):
    response = _password(client, "officer_a")
    assert response.status_code == 302
    assert response["Location"] != CODE_STEP
    assert _signed_in(client)


# --- Setting up an app while signing in -------------------------------------------------


def test_a_coordinator_without_an_app_sets_one_up_before_being_signed_in(client, coordinator):
    response = _password(client, "coordinator_a")
    assert response["Location"] == SETUP_STEP
    page = client.get(SETUP_STEP)
    html = page.content.decode()
    assert "<svg" in html
    assert "<script" not in html.split("<main", 1)[1]
    assert not _signed_in(client)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert mfa.secret_text(device) in html
    # Reloading shows the same secret: the QR code already scanned stays valid.
    assert mfa.secret_text(device) in client.get(SETUP_STEP).content.decode()

    done = client.post(SETUP_STEP, {"code": current_code(device)})
    assert done["Location"] == "/accounts/two-factor/recovery-codes/"
    assert _signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    device.refresh_from_db()
    assert device.confirmed

    codes_page = client.get("/accounts/two-factor/recovery-codes/")
    assert codes_page["Cache-Control"].count("no-store")
    codes = list(
        StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)
    )
    assert len(codes) == mfa.RECOVERY_CODE_COUNT
    assert all(code in codes_page.content.decode() for code in codes)
    # Shown once.
    assert client.get("/accounts/two-factor/recovery-codes/").status_code == 302
    assert AuditEntry.objects.filter(actor=coordinator, after__second_factor="set up").exists()


def test_a_wrong_first_code_sets_nothing_up(client, coordinator):
    _password(client, "coordinator_a")
    client.get(SETUP_STEP)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    response = client.post(SETUP_STEP, {"code": code_at(device, steps=-20)})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert not _signed_in(client)
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=coordinator).exists()


def test_someone_with_an_app_cannot_set_up_another_while_signing_in(client, coordinator):
    app_device(coordinator)
    _password(client, "coordinator_a")
    assert client.get(SETUP_STEP)["Location"] == CODE_STEP


# --- The account page ------------------------------------------------------------------


def test_an_officer_may_set_up_two_factor_and_is_then_asked_for_a_code(client, officer):
    client.force_login(officer)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "optional for you" in page
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    response = client.post("/accounts/two-factor/setup/", {"code": current_code(device)})
    assert response["Location"] == "/accounts/two-factor/recovery-codes/"
    assert mfa.has_second_factor(officer)
    assert "An authenticator app is set up" in client.get("/accounts/two-factor/").content.decode()

    client.post("/accounts/logout/")
    assert _password(client, "officer_a")["Location"] == CODE_STEP
    assert not _signed_in(client)


def test_a_coordinator_is_told_why_it_is_required(client, coordinator):
    client.force_login(coordinator)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "required" in page
    assert "Program coordinator in Riverbend County CIT" in page


def test_replacing_the_app_needs_a_code_from_the_current_one(client, officer, no_throttle):
    old = app_device(officer)
    client.force_login(officer)
    client.get("/accounts/two-factor/setup/")
    new = TOTPDevice.objects.get(user=officer, confirmed=False)
    refused = client.post(
        "/accounts/two-factor/setup/", {"code": current_code(new), "current_code": "000000x"}
    )
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(pk=old.pk).exists()
    client.post(
        "/accounts/two-factor/setup/",
        {"code": current_code(new), "current_code": current_code(old)},
    )
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert mfa.app_device(officer) == new


def test_new_recovery_codes_replace_the_old_ones(client, officer):
    device = app_device(officer)
    old_codes = _recovery_codes(officer)
    client.force_login(officer)
    response = client.post(
        "/accounts/two-factor/recovery-codes/new/", {"code": current_code(device)}, follow=True
    )
    new_codes = list(
        StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)
    )
    assert len(new_codes) == mfa.RECOVERY_CODE_COUNT
    assert not set(old_codes) & set(new_codes)
    assert new_codes[0] in response.content.decode()


def test_new_recovery_codes_need_a_right_code(client, officer):
    app_device(officer)
    old_codes = _recovery_codes(officer)
    client.force_login(officer)
    response = client.post("/accounts/two-factor/recovery-codes/new/", {"code": "999999x"})
    assert response.status_code == 400
    assert set(
        StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)
    ) == set(old_codes)


def test_an_officer_turns_it_off_with_a_code(client, officer, no_throttle):
    device = app_device(officer)
    _recovery_codes(officer)
    client.force_login(officer)
    assert client.post("/accounts/two-factor/turn-off/", {"code": "1"}).status_code == 400
    assert mfa.has_second_factor(officer)
    response = client.post("/accounts/two-factor/turn-off/", {"code": current_code(device)})
    assert response.status_code == 302
    assert not mfa.has_second_factor(officer)
    assert not StaticDevice.objects.filter(user=officer).exists()
    assert AuditEntry.objects.filter(actor=officer, after__second_factor="removed").exists()


def test_a_coordinator_cannot_turn_it_off(client, coordinator):
    device = app_device(coordinator)
    client.force_login(coordinator)
    page = client.get("/accounts/two-factor/turn-off/").content.decode()
    assert "Your role requires two-factor sign-in" in page
    response = client.post("/accounts/two-factor/turn-off/", {"code": current_code(device)})
    assert response.status_code == 400
    assert mfa.has_second_factor(coordinator)


def test_the_account_pages_need_a_signed_in_user(client):
    for url in ["/accounts/two-factor/", "/accounts/two-factor/setup/"]:
        assert client.get(url)["Location"].startswith(LOGIN)


# --- A coordinator resets a member's second factor ---------------------------------------


def _reset_url(user) -> str:
    membership = Membership.objects.get(user=user, program__slug="riverbend")
    return f"/p/riverbend/members/{membership.pk}/two-factor/reset/"


def test_a_coordinator_resets_a_members_second_factor_audited(client, members):
    agency_admin = members[Role.AGENCY_ADMIN]
    app_device(agency_admin)
    _recovery_codes(agency_admin)
    client.force_login(members[Role.COORDINATOR])
    question = client.get(_reset_url(agency_admin))
    assert question.status_code == 200
    assert "Reset two-factor sign-in of agency_admin_a (now set up)?" in question.content.decode()
    response = client.post(_reset_url(agency_admin), follow=True)
    assert "Two-factor sign-in of agency_admin_a is reset." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=agency_admin).exists()
    assert not StaticDevice.objects.filter(user=agency_admin).exists()
    entry = AuditEntry.objects.get(after__second_factor="reset")
    assert entry.actor == members[Role.COORDINATOR]
    assert entry.program.slug == "riverbend"
    assert entry.action == AuditEntry.Action.UPDATE
    # At their next sign-in they set up a new app.
    client.post("/accounts/logout/")
    assert _password(client, "agency_admin_a")["Location"] == SETUP_STEP


def test_a_reset_ends_the_members_sessions(client, members):
    from django.test import Client

    agency_admin = members[Role.AGENCY_ADMIN]
    device = app_device(agency_admin)
    their_browser = Client()
    _password(their_browser, "agency_admin_a")
    their_browser.post(CODE_STEP, {"code": current_code(device)})
    assert their_browser.get("/p/riverbend/").status_code == 200
    program = agency_admin.memberships.get().program
    mfa.second_factor_reset(actor=members[Role.COORDINATOR], program=program, user=agency_admin)
    assert their_browser.get("/p/riverbend/").status_code == 302


def test_a_coordinator_cannot_reset_a_member_of_another_program_too(client, members, program_b):
    state = members[Role.STATE_COORDINATOR]
    MembershipFactory(user=state, program=program_b, role=Role.STATE_COORDINATOR)
    app_device(state)
    client.force_login(members[Role.COORDINATOR])
    assert client.get(_reset_url(state)).status_code == 403
    response = client.post(_reset_url(state))
    assert response.status_code == 403
    assert "ask a deployment administrator" in response.content.decode()
    assert mfa.has_second_factor(state)
    assert not AuditEntry.objects.filter(after__second_factor="reset").exists()


def test_a_deployment_administrator_resets_any_account(members, program_b):
    state = members[Role.STATE_COORDINATOR]
    MembershipFactory(user=state, program=program_b, role=Role.STATE_COORDINATOR)
    app_device(state)
    operator = UserFactory(username="operator", is_staff=True)
    with pytest.raises(PermissionDenied):
        mfa.second_factor_reset(actor=members[Role.COORDINATOR], program=None, user=state)
    mfa.second_factor_reset(actor=operator, program=None, user=state)
    assert not mfa.has_second_factor(state)
    programs = set(
        AuditEntry.objects.filter(after__second_factor="reset").values_list(
            "program__slug", flat=True
        )
    )
    assert programs == {"riverbend", "lakeshore"}


def test_the_command_resets_an_account(members, program_b):
    state = members[Role.STATE_COORDINATOR]
    app_device(state)
    call_command("second_factor_reset", "state_coordinator_a", stdout=io.StringIO())
    assert not mfa.has_second_factor(state)
    entry = AuditEntry.objects.get(after__second_factor="reset")
    assert entry.actor is None
    assert entry.actor_label == "command second_factor_reset"


@pytest.mark.parametrize("role", [Role.COMMITTEE_MEMBER, Role.AGENCY_ADMIN, Role.OFFICER])
def test_only_coordinators_reset(client, members, role):
    target = members[Role.TRAINER]
    app_device(target)
    client.force_login(members[role])
    assert client.get(_reset_url(target)).status_code == 403
    assert client.post(_reset_url(target)).status_code == 403
    assert mfa.has_second_factor(target)


def test_an_outsider_cannot_even_see_the_reset(client, members, outsider):
    target = members[Role.TRAINER]
    app_device(target)
    client.force_login(outsider)
    assert client.post(_reset_url(target)).status_code == 404
    assert mfa.has_second_factor(target)


def test_resetting_someone_with_nothing_set_up_says_so(client, members):
    client.force_login(members[Role.COORDINATOR])
    response = client.post(_reset_url(members[Role.OFFICER]), follow=True)
    assert "officer_a has not set up two-factor sign-in." in response.content.decode()
    assert not AuditEntry.objects.filter(after__second_factor="reset").exists()


# --- Password reset does not go around it ----------------------------------------------


def test_a_password_reset_does_not_sign_in_and_the_code_is_still_asked(client, coordinator):
    device = app_device(coordinator)
    client.post("/accounts/password/reset/", {"email": coordinator.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    form_page = client.get(link.split("testserver", 1)[1], follow=True)
    new_password = "brand new passphrase 7"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert not _signed_in(client)
    assert client.get("/p/riverbend/").status_code == 302

    assert _password(client, "coordinator_a", new_password)["Location"] == CODE_STEP
    assert not _signed_in(client)
    client.post(CODE_STEP, {"code": current_code(device)})
    assert _signed_in(client)


# --- API tokens (the function the token page calls) -------------------------------------


def test_require_code_lets_through_who_needs_none(officer):
    assert mfa.require_code(officer, "") is None


def test_require_code_asks_a_coordinator_to_set_up_first(coordinator):
    with pytest.raises(ValidationError) as refused:
        mfa.require_code(coordinator, "123456")
    assert "Set up two-factor sign-in first" in str(refused.value)


def test_require_code_refuses_a_wrong_code_and_takes_the_right_one(coordinator):
    device = app_device(coordinator)
    with pytest.raises(ValidationError) as refused:
        mfa.require_code(coordinator, code_at(device, steps=-20))
    assert refused.value.message_dict["code"][0].startswith("That code is not right")
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    assert mfa.require_code(coordinator, current_code(device)).ok


# --- The admin --------------------------------------------------------------------------


def test_the_admin_sends_visitors_to_citkits_sign_in(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=/admin/")


def test_the_admin_asks_a_staff_session_without_a_code_for_one(client, db):
    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    device = app_device(operator)
    client.force_login(operator)  # a session with a password only
    response = client.get("/admin/core/program/", follow=True)
    assert response.redirect_chain[-1][0].startswith(CODE_STEP)
    assert response.status_code == 200
    verify_url = response.redirect_chain[-1][0]
    done = client.post(verify_url, {"code": current_code(device)})
    assert done["Location"] == "/admin/core/program/"
    assert client.get("/admin/core/program/").status_code == 200


def test_the_admin_opens_after_signing_in_with_a_code(client, db):
    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    device = app_device(operator)
    assert _password(client, "operator", next="/admin/")["Location"] == CODE_STEP
    assert client.post(CODE_STEP, {"code": current_code(device)})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_is_not_for_members(client, coordinator):
    verified_login(client, coordinator)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_a_verified_staff_session_sees_the_admin(admin_client):
    assert admin_client.get("/admin/").status_code == 200


# --- Program settings -------------------------------------------------------------------


def _settings_form(program, roles):
    return {
        "name": program.name,
        "jurisdiction": program.jurisdiction,
        "time_zone": program.time_zone,
        "country": program.country,
        "second_factor_roles": roles,
    }


def test_a_coordinator_chooses_the_roles_that_must_use_it(client, coordinator, program_a):
    client.force_login(coordinator)
    page = client.get("/p/riverbend/settings/").content.decode()
    assert "Roles that must use two-factor sign-in" in page
    response = client.post(
        "/p/riverbend/settings/",
        _settings_form(program_a, [Role.OFFICER, Role.COORDINATOR]),
    )
    assert response.status_code == 302
    program_a.refresh_from_db()
    assert program_a.second_factor_roles == [Role.COORDINATOR, Role.OFFICER]
    entry = AuditEntry.objects.get(action="update", object_id=str(program_a.pk))
    assert entry.after["second_factor_roles"] == ["coordinator", "officer"]


def test_an_unknown_role_is_refused(client, coordinator, program_a):
    client.force_login(coordinator)
    response = client.post("/p/riverbend/settings/", _settings_form(program_a, ["emperor"]))
    assert response.status_code == 400
    program_a.refresh_from_db()
    assert program_a.second_factor_roles == [
        Role.COORDINATOR,
        Role.AGENCY_ADMIN,
        Role.STATE_COORDINATOR,
    ]


def test_the_service_refuses_anything_but_roles(coordinator, program_a):
    for bad in ["coordinator", ["coordinator", "emperor"], {"a": 1}]:
        with pytest.raises(ValidationError):
            services.program_update(
                actor=coordinator, program=program_a, data={"second_factor_roles": bad}
            )


def test_only_coordinators_change_the_roles(client, members, program_a):
    client.force_login(members[Role.AGENCY_ADMIN])
    response = client.post("/p/riverbend/settings/", _settings_form(program_a, []))
    assert response.status_code == 403
    program_a.refresh_from_db()
    assert Role.AGENCY_ADMIN in program_a.second_factor_roles


# --- The demo ---------------------------------------------------------------------------


def test_the_demo_logins_sign_in_with_the_published_password_alone(client):
    from citkit.demo.logins import DEMO_PASSWORD

    call_command("load_demo", stdout=io.StringIO())
    assert _demo_roles() == {"riverbend": [], "lakeshore": []}
    for username in ["coordinator", "agencyadmin", "state"]:
        client.cookies.clear()
        response = _password(client, username, DEMO_PASSWORD)
        assert response.status_code == 302, username
        assert response["Location"] not in (CODE_STEP, SETUP_STEP), username
        assert _signed_in(client), username


def _demo_roles() -> dict:
    return dict(Program.objects.values_list("slug", "second_factor_roles"))


def test_the_admin_offers_no_page_to_add_or_change_authenticator_devices():
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
