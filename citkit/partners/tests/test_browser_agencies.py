"""A coordinator looks after the partner directory in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from citkit.core.models import AuditEntry
from citkit.partners.models import Agency

pytest_plugins = ["citkit.testing.browser"]
pytestmark = pytest.mark.browser


def test_a_coordinator_adds_an_agency_finds_it_in_the_list_and_reads_its_history(
    page, sign_in, screenshot, coordinator, police_a, clinic_a
):
    sign_in(page, "coordinator_a")
    expect(page.get_by_role("heading", name="Riverbend County CIT", level=1)).to_be_visible()

    page.get_by_role("navigation", name="Program").get_by_role("link", name="Partners").click()
    page.get_by_role("button", name="Add a partner agency").click()
    expect(page.get_by_role("heading", name="Add a partner agency")).to_be_visible()
    page.get_by_role("textbox", name="Name", exact=True).fill("Harbor Mobile Crisis Team")
    page.get_by_role("combobox", name="Type", exact=True).select_option(label="Mobile crisis")
    page.get_by_role("checkbox", name="Operates 24/7").check()
    page.get_by_role("textbox", name="Main phone").fill("573 555 0100")
    page.get_by_role("textbox", name="Crisis / after-hours phone").fill("(573) 555-0199")
    screenshot(page, "agency-form-filled")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Harbor Mobile Crisis Team", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Harbor Mobile Crisis Team added.")
    record = page.locator("dl.record")
    expect(record).to_contain_text(re.compile(r"Operates 24/7\s*Yes"))
    expect(record.get_by_role("link", name="(573) 555-0199")).to_have_attribute(
        "href", "tel:+1-573-555-0199"
    )
    screenshot(page, "agency-detail")
    agency = Agency.objects.get(program__slug="riverbend", name="Harbor Mobile Crisis Team")
    assert (agency.agency_type, agency.operates_24_7, agency.main_phone) == (
        "mobile_crisis",
        True,
        "(573) 555-0100",
    )

    page.get_by_role("link", name="Partners").click()
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(3)
    # Searching filters in place through htmx: the page itself is not reloaded.
    page.evaluate("window.citkitSamePage = true")
    page.get_by_role("textbox", name="Search", exact=True).fill("harbor")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]q=harbor"))
    assert page.evaluate("window.citkitSamePage === true"), "the search reloaded the whole page"
    screenshot(page, "agency-list-searched")

    rows.get_by_role("link", name="Harbor Mobile Crisis Team").click()
    expect(page).to_have_url(re.compile(rf"/p/riverbend/agencies/{agency.pk}/$"))
    page.get_by_role("link", name="History").click()

    expect(page.get_by_role("heading", name="History of")).to_contain_text(
        "Harbor Mobile Crisis Team"
    )
    created = page.get_by_role("listitem").filter(has_text="Created")
    expect(created).to_have_count(1)
    expect(created).to_contain_text("coordinator_a created this record")
    screenshot(page, "agency-history")


def test_a_duplicate_or_malformed_agency_is_explained_and_nothing_is_saved(
    page, sign_in, screenshot, coordinator, police_a
):
    agencies_before = Agency.objects.count()
    audit_before = AuditEntry.objects.count()
    sign_in(page, "coordinator_a")
    page.goto("/p/riverbend/agencies/add/")

    # Missing name and a malformed e-mail address: each field says what is wrong.
    page.get_by_role("combobox", name="Type", exact=True).select_option(label="Law enforcement")
    page.get_by_role("textbox", name="Email").fill("not-an-address")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Add a partner agency")).to_be_visible()
    expect(page.locator("#id_name_error")).to_have_text(re.compile("This field is required"))
    expect(page.locator("#id_email_error")).to_contain_text("valid email address")

    # The name of an agency already in the program.
    page.get_by_role("textbox", name="Name", exact=True).fill("Riverbend Police Department")
    page.get_by_role("textbox", name="Email").fill("desk@riverbend-pd.example.org")
    page.get_by_role("button", name="Save").click()
    # The clash is reported next to the Name field, which is marked invalid.
    name = page.get_by_role("textbox", name="Name", exact=True)
    expect(page.locator("#id_name_error")).to_contain_text("already exists in this program")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_value("Riverbend Police Department")
    screenshot(page, "agency-form-duplicate")

    assert Agency.objects.count() == agencies_before
    assert AuditEntry.objects.count() == audit_before
