"""The access log in a real browser: a coordinator reads a record, then finds the read."""

import re

import pytest
from playwright.sync_api import expect

from citkit.core.models import AccessEntry
from citkit.testing.factories import PersonFactory

pytest_plugins = ["citkit.testing.browser"]
pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_coordinator_views_a_person_and_finds_the_read_in_the_access_log(
    page, sign_in, screenshot, coordinator, police_a
):
    PersonFactory(program=police_a.program, agency=police_a, first_name="Sam", last_name="Reyes")
    sign_in(page, "coordinator_a")
    program_nav = page.get_by_role("navigation", name="Program")
    program_nav.get_by_role("link", name="People").click()
    page.get_by_role("link", name="Reyes, Sam").click()
    expect(page.get_by_role("heading", name="Sam Reyes", level=1)).to_be_visible()

    # Beside the audit trail: the section's second row of links.
    program_nav.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", name="Audit trail", level=1)).to_be_visible()
    page.get_by_role("navigation", name="Audit trail").get_by_role(
        "link", name="Access log"
    ).click()
    expect(page.get_by_role("heading", name="Access log", level=1)).to_be_visible()
    row = page.locator("#results tbody tr").filter(has_text="Officer Sam Reyes")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("coordinator_a")
    expect(row).to_contain_text("Viewed")
    screenshot(page, "access-log")

    # The filters swap the rows in place.
    page.get_by_label(re.compile(r"^Action\b")).select_option(label="Exported")
    expect(page.locator("#results")).to_contain_text("No reads match.")
    expect(page).to_have_url(re.compile(r"action=export"))
    page.get_by_label(re.compile(r"^Action\b")).select_option(label="Viewed")
    expect(page.locator("#results tbody tr").filter(has_text="Officer Sam Reyes")).to_have_count(1)


def test_who_viewed_a_record_on_a_phone(open_page, sign_in, screenshot, coordinator, police_a):
    person = PersonFactory(
        program=police_a.program, agency=police_a, first_name="Ana", last_name="Díaz"
    )
    page = open_page(**PHONE)
    sign_in(page, "coordinator_a")
    page.goto(f"/p/riverbend/people/{person.pk}/")
    page.goto(f"/p/riverbend/people/{person.pk}/")  # a second read is a second entry
    page.get_by_role("link", name="Who viewed this record").tap()
    expect(page.get_by_role("heading", name="Access log", level=1)).to_be_visible()
    expect(page.get_by_text("Showing the reads of one record.")).to_be_visible()
    expect(page.locator("#results tbody tr").filter(has_text="Officer Ana Díaz")).to_have_count(2)
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"] + 1, widths
    screenshot(page, "access-log-one-record-phone")
    assert AccessEntry.objects.filter(object_id=str(person.pk)).count() == 2
