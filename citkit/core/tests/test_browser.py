"""Officers, locked accounts and phones, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from citkit.core.models import Role
from citkit.testing.factories import AgencyFactory, MembershipFactory, PersonFactory, UserFactory

pytest_plugins = ["citkit.testing.browser"]
pytestmark = pytest.mark.browser

LOCKED = "Too many failed sign-in attempts."
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_an_officer_sees_only_their_own_record_and_nothing_of_another_program(
    page, sign_in, screenshot, officer, police_a, program_b, agency_b
):
    PersonFactory(program=police_a.program, agency=police_a, first_name="Sam", last_name="Reyes")
    PersonFactory(program=program_b, agency=agency_b, first_name="Lee", last_name="Lakeshore")
    sign_in(page, "officer_a")
    expect(page.get_by_role("heading", name="Riverbend County CIT", level=1)).to_be_visible()

    program_nav = page.get_by_role("navigation", name="Program")
    expect(program_nav.get_by_role("link", name="Members")).to_have_count(0)
    expect(program_nav.get_by_role("link", name="Audit trail")).to_have_count(0)
    program_nav.get_by_role("link", name="My record").click()
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("link")).to_have_text("Ortiz, Olivia")
    expect(page.get_by_text("Reyes")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^Add\b"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^Add\b"))).to_have_count(0)
    screenshot(page, "officer-my-record")

    rows.get_by_role("link", name="Ortiz, Olivia").click()
    expect(page.get_by_role("heading", name="Olivia Ortiz")).to_be_visible()
    expect(page.get_by_role("button", name="Edit")).to_have_count(0)

    program_nav.get_by_role("link", name="Partners").click()
    expect(page.get_by_role("link", name="Riverbend Police Department")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Add\b"))).to_have_count(0)

    for url in ["/p/lakeshore/", f"/p/lakeshore/agencies/{agency_b.pk}/", "/p/lakeshore/people/"]:
        response = page.goto(url)
        assert response.status == 404, url
        expect(page.get_by_role("heading", name="Not found", level=1)).to_be_visible()
        expect(
            page.get_by_text("There is no such page, or it is not shared with you.")
        ).to_be_visible()
        expect(page.get_by_role("link", name="Go to your programs")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text("Lakeshore")
    screenshot(page, "officer-other-program-404")


def _try_to_sign_in(page, username, password):
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_five_wrong_passwords_lock_the_account_until_a_coordinator_unlocks_it(
    page, open_page, sign_in, screenshot, officer, coordinator
):
    page.goto("/accounts/login/")
    for attempt in range(1, 5):
        _try_to_sign_in(page, "officer_a", f"wrong guess {attempt}")
        expect(page.get_by_role("alert")).to_contain_text("do not match")
    _try_to_sign_in(page, "officer_a", "wrong guess 5")
    expect(page.get_by_role("alert")).to_contain_text(LOCKED)

    _try_to_sign_in(page, "officer_a", "correct horse battery")
    expect(page.get_by_role("alert")).to_contain_text(LOCKED)
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("navigation", name="Program")).to_have_count(0)
    locked_real_user = page.locator("main").inner_text()
    screenshot(page, "sign-in-locked")

    # The same words, and nothing else, for a user name that does not exist.
    stranger = open_page()
    stranger.goto("/accounts/login/")
    for attempt in range(1, 7):
        _try_to_sign_in(stranger, "no_such_officer", f"guess {attempt}")
    expect(stranger.get_by_role("alert")).to_contain_text(LOCKED)
    assert stranger.locator("main").inner_text() == locked_real_user

    admin = open_page()
    sign_in(admin, "coordinator_a")
    admin.get_by_role("navigation", name="Program").get_by_role("link", name="Members").click()
    row = admin.get_by_role("row").filter(has_text="officer_a")
    expect(row).to_contain_text("Locked")
    expect(admin.get_by_role("row").filter(has_text="coordinator_a")).not_to_contain_text("Locked")
    screenshot(admin, "members-locked")
    row.get_by_role("button", name="Unlock").click()
    expect(admin.get_by_role("status")).to_contain_text("Sign-in for officer_a is unlocked.")
    expect(row).not_to_contain_text("Locked")
    expect(row.get_by_role("button", name="Unlock")).to_have_count(0)

    _try_to_sign_in(page, "officer_a", "correct horse battery")
    expect(page.get_by_role("heading", name="Riverbend County CIT", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Program").get_by_role("link")).to_contain_text(
        ["Home", "Partners", "My record"]
    )


def test_the_people_list_is_usable_on_a_phone(open_page, sign_in, screenshot, program_a):
    user = UserFactory(username="coordinator_phone")
    MembershipFactory(user=user, program=program_a, role=Role.COORDINATOR)
    agency = AgencyFactory(
        program=program_a, name="Riverbend County Sheriff's Office — Northern Patrol Division"
    )
    for n in range(12):
        PersonFactory(
            program=program_a,
            agency=agency,
            first_name=f"Alexandria{n}",
            last_name=f"Montgomery-Fitzgerald{n:02d}",
            rank="Sergeant First Class",
            district="North-East Riverside",
        )
    page = open_page(**PHONE)
    sign_in(page, "coordinator_phone")
    expect(page.get_by_role("heading", name="Riverbend County CIT", level=1)).to_be_visible()
    _assert_no_sideways_scrolling(page)

    _open_menu(page)
    people_link = page.get_by_role("navigation", name="Program").get_by_role("link", name="People")
    box = people_link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    people_link.tap()

    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    expect(page.locator("#results tbody tr")).to_have_count(12)
    screenshot(page, "phone-people-list")
    _assert_no_sideways_scrolling(page)

    # The table is wider than the phone and scrolls inside its own wrapper.
    wrap = page.locator("#results .table-wrap")
    sizes = wrap.evaluate("el => ({scroll: el.scrollWidth, client: el.clientWidth})")
    assert sizes["scroll"] > sizes["client"], sizes
    assert sizes["client"] <= 390, sizes
    scrolled = wrap.evaluate("el => { el.scrollLeft = el.scrollWidth; return el.scrollLeft; }")
    assert scrolled > 0
    status = page.get_by_role("columnheader", name="Status").bounding_box()
    assert status is not None and status["x"] >= 0 and status["x"] + status["width"] <= 390
    _assert_no_sideways_scrolling(page)

    # Searching still works with the on-screen keyboard's worth of room.
    page.get_by_role("textbox", name="Search name or badge").fill("Fitzgerald07")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Montgomery-Fitzgerald07, Alexandria7").tap()
    expect(page.get_by_role("heading", name="Alexandria7 Montgomery-Fitzgerald07")).to_be_visible()
    _assert_no_sideways_scrolling(page)
    screenshot(page, "phone-person-detail")


def _open_menu(page):
    menu = page.locator("summary", has_text="Menu")
    expect(menu).to_be_visible()
    menu.tap()
    expect(page.get_by_role("navigation", name="Program")).to_be_visible()


def _header_height(page) -> float:
    """Everything above <main>, from the top of the page."""
    return page.evaluate(
        "() => document.querySelector('main').getBoundingClientRect().top + window.scrollY"
    )


def test_on_a_phone_the_menus_fold_behind_one_button(
    open_page, sign_in, screenshot, coordinator, program_b
):
    # Two programs, so the menu also offers "Switch program".
    MembershipFactory(user=coordinator, program=program_b, role=Role.TRAINER)
    page = open_page(**PHONE)
    sign_in(page, "coordinator_a")
    page.goto("/p/riverbend/")
    expect(page.get_by_role("heading", name="Riverbend County CIT", level=1)).to_be_visible()
    assert _header_height(page) <= 120, _header_height(page)
    expect(page.get_by_role("navigation", name="Program")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Account")).to_be_hidden()
    expect(page.get_by_role("link", name="Riverbend County CIT")).to_be_visible()
    screenshot(page, "phone-menu-closed")
    _assert_no_sideways_scrolling(page)

    _open_menu(page)
    expect(page.get_by_role("navigation", name="Account")).to_be_visible()
    expect(page.get_by_text("Switch program")).to_be_visible()
    screenshot(page, "phone-menu-open")
    _assert_no_sideways_scrolling(page)
    for link in page.get_by_role("navigation", name="Program").get_by_role("link").all():
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert box["height"] >= 24, box  # big enough to tap

    page.get_by_role("navigation", name="Program").get_by_role("link", name="Audit trail").tap()
    expect(page.get_by_role("heading", name="Audit trail", level=1)).to_be_visible()
    assert _header_height(page) <= 120, _header_height(page)
    _assert_no_sideways_scrolling(page)

    # The account menu works from inside it too.
    _open_menu(page)
    page.get_by_text("coordinator_a", exact=True).tap()
    page.get_by_role("link", name="Change password").tap()
    expect(page.get_by_role("heading", name="Change your password", level=1)).to_be_visible()
    assert _header_height(page) <= 120, _header_height(page)


def test_on_a_wide_screen_the_menus_stay_open_in_rows(page, sign_in, screenshot, coordinator):
    sign_in(page, "coordinator_a")
    expect(page.locator("summary", has_text="Menu")).to_be_hidden()
    program_nav = page.get_by_role("navigation", name="Program")
    expect(program_nav.get_by_role("link")).to_contain_text(["Home", "Partners"])
    brand = page.get_by_role("link", name="citkit").bounding_box()
    account = page.get_by_text("coordinator_a", exact=True).bounding_box()
    first_link = program_nav.get_by_role("link", name="Home").bounding_box()
    assert brand and account and first_link
    # The account menu sits at the right of the brand's row; the program's links below.
    assert abs(account["y"] - brand["y"]) < 12, (brand, account)
    assert account["x"] > 900, account
    assert first_link["y"] > brand["y"] + brand["height"], (brand, first_link)
    screenshot(page, "desktop-header")


def _assert_no_sideways_scrolling(page):
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"] + 1, (
        f"the page scrolls sideways on {page.url}: {widths}"
    )
