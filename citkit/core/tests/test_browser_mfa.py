"""Two-factor sign-in in a real browser: a coordinator sets up an app, keeps the recovery
codes, and signs in again with a code; on a desktop screen and on a phone."""

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from citkit.core.models import Role
from citkit.testing.mfa import app_device

pytest_plugins = ["citkit.testing.browser"]
pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SCREENS = {"desktop": {}, "phone": PHONE}


def _app_code(secret_text: str, steps: int = 0) -> str:
    """What an authenticator app shows for the key typed from the page."""
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, drift=steps):06d}"


def _password_step(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _assert_no_sideways_scrolling(page):
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"] + 1, f"scrolls sideways on {page.url}: {widths}"


@pytest.mark.parametrize("screen", SCREENS)
def test_a_coordinator_sets_up_an_app_then_signs_in_with_a_code(
    open_page, screenshot, coordinator, settings, screen
):
    # Typing a wrong code is part of the walk; the wait it earns is test_mfa.py's matter.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    page = open_page(**SCREENS[screen])
    _password_step(page, "coordinator_a")

    expect(page.get_by_role("heading", name="Set up two-factor sign-in", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/setup/$"))
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150, box  # big enough for a phone camera
    _assert_no_sideways_scrolling(page)
    screenshot(page, f"mfa-setup-{screen}")
    secret = page.locator("#secret").inner_text()

    page.get_by_role("textbox", name="Code from the app").fill("000000x")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    page.get_by_role("textbox", name="Code from the app").fill(_app_code(secret))
    page.get_by_role("button", name="Confirm and continue").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.inner_text().strip()
    _assert_no_sideways_scrolling(page)
    screenshot(page, f"mfa-recovery-codes-{screen}")
    page.get_by_role("button", name="I have kept them, continue").click()
    expect(page.get_by_role("heading", name="Riverbend County CIT", level=1)).to_be_visible()

    # Signed out (a new browser day): the password alone no longer signs in.
    page.context.clear_cookies()
    _password_step(page, "coordinator_a")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    expect(page.get_by_text("Signing in as coordinator_a")).to_be_visible()
    assert page.goto("/p/riverbend/").url.endswith("/accounts/login/?next=/p/riverbend/")

    _password_step(page, "coordinator_a")
    page.get_by_role("textbox", name="Code").fill(_app_code(secret, steps=-20))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    _assert_no_sideways_scrolling(page)
    screenshot(page, f"mfa-code-wrong-{screen}")
    # The app has moved on to its next code (the first one was used to set it up).
    page.get_by_role("textbox", name="Code").fill(_app_code(secret, steps=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Riverbend County CIT", level=1)).to_be_visible()

    # A recovery code, once.
    page.context.clear_cookies()
    _password_step(page, "coordinator_a")
    page.get_by_role("textbox", name="Code").fill(recovery_code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Riverbend County CIT", level=1)).to_be_visible()
    expect(page.get_by_text("You used a recovery code; 9 left.")).to_be_visible()


def test_an_officer_turns_on_two_factor_from_the_account_page(page, sign_in, screenshot, officer):
    sign_in(page, "officer_a")
    page.goto("/accounts/two-factor/")
    expect(page.get_by_text("It is optional for you")).to_be_visible()
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    secret = page.locator("#secret").inner_text()
    page.get_by_role("textbox", name="Code from the app").fill(_app_code(secret))
    page.get_by_role("button", name="Confirm and continue").click()
    page.get_by_role("button", name="I have kept them, continue").click()
    expect(page.get_by_text("An authenticator app is set up")).to_be_visible()
    screenshot(page, "mfa-account-page")

    # The sign_in fixture now meets the code step and answers it as the app would.
    page.context.clear_cookies()
    sign_in(page, "officer_a")
    expect(page.get_by_role("heading", name="Riverbend County CIT", level=1)).to_be_visible()


def test_a_coordinator_resets_a_members_lost_phone(page, open_page, sign_in, members):
    agency_admin = members[Role.AGENCY_ADMIN]
    app_device(agency_admin)
    sign_in(page, members[Role.COORDINATOR].username)
    page.goto("/p/riverbend/members/")
    page.get_by_role("row").filter(has_text="agency_admin_a").get_by_role("link").first.click()
    page.get_by_role("link", name="Reset two-factor sign-in").click()
    expect(
        page.get_by_role("heading", name=re.compile("^Reset two-factor sign-in of"))
    ).to_be_visible()
    page.get_by_role("button", name="Yes, reset").click()
    expect(page.get_by_text("Two-factor sign-in of agency_admin_a is reset.")).to_be_visible()

    # The member sets up a new app at their next sign-in.
    theirs = open_page()
    _password_step(theirs, "agency_admin_a")
    expect(theirs.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
