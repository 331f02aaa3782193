"""Your sessions, in a real browser: a person signed in on a laptop and a phone sees
both, ends the phone's session from the laptop, and the phone is signed out."""

import pytest
from playwright.sync_api import expect

pytest_plugins = ["citkit.testing.browser"]
pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    ),
}


def test_a_person_sees_their_sessions_and_ends_the_other_one(
    open_page, sign_in, screenshot, officer
):
    laptop = open_page()
    phone = open_page(**PHONE)
    sign_in(phone, "officer_a")
    sign_in(laptop, "officer_a")

    laptop.get_by_role("navigation", name="Account").get_by_text("officer_a").click()
    laptop.get_by_role("link", name="Your sessions").click()
    expect(laptop.get_by_role("heading", name="Your sessions", level=1)).to_be_visible()
    rows = laptop.locator("tbody tr")
    expect(rows).to_have_count(2)
    this_one = rows.filter(has_text="This session")
    expect(this_one).to_contain_text("Chrome on Linux")
    expect(this_one.get_by_role("link", name="End the session")).to_have_count(0)
    phone_row = rows.filter(has_text="Safari on an iPhone")
    screenshot(laptop, "sessions-list")

    phone_row.get_by_role("link", name="End the session on Safari on an iPhone").click()
    expect(
        laptop.get_by_role("heading", name="End the session on Safari on an iPhone?")
    ).to_be_visible()
    laptop.get_by_role("button", name="End the session").click()
    expect(laptop.get_by_role("status")).to_contain_text(
        "The session on Safari on an iPhone ended."
    )
    expect(rows).to_have_count(1)
    expect(laptop.get_by_role("button", name="End all other sessions")).to_have_count(0)

    phone.goto("/p/riverbend/")
    expect(phone.get_by_role("button", name="Sign in")).to_be_visible()
    assert "/accounts/login/" in phone.url


def test_ending_all_other_sessions_from_a_phone(open_page, sign_in, screenshot, officer):
    phone = open_page(**PHONE)
    laptop = open_page()
    sign_in(laptop, "officer_a")
    sign_in(phone, "officer_a")

    phone.goto("/accounts/sessions/")
    expect(phone.locator("tbody tr")).to_have_count(2)
    screenshot(phone, "sessions-phone")
    phone.get_by_role("button", name="End all other sessions").click()
    expect(phone.get_by_role("heading", name="End all your other sessions?")).to_be_visible()
    phone.get_by_role("button", name="End all other sessions").click()
    expect(phone.get_by_role("status")).to_contain_text("1 other session ended.")
    expect(phone.locator("tbody tr")).to_have_count(1)
    expect(phone.locator("tbody tr")).to_contain_text("This session")

    laptop.goto("/p/riverbend/")
    expect(laptop.get_by_role("button", name="Sign in")).to_be_visible()
