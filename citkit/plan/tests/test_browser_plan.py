"""The plan in a real browser: a task's status changed in place on its row, and the
dependency rule's refusal shown on that row."""

import pytest
from playwright.sync_api import expect

from citkit.core.models import Role
from citkit.plan import services as plan
from citkit.plan.models import Task

pytest_plugins = ["citkit.testing.browser"]
pytestmark = pytest.mark.browser


def test_a_status_is_changed_in_place_and_a_refusal_shows_on_the_row(
    page, sign_in, screenshot, members, program_a
):
    plan.plan_seed(actor=None, program=program_a)
    sign_in(page, members[Role.COMMITTEE_MEMBER].username)
    page.goto("/p/riverbend/plan/")
    # Marks this page: a full page load would lose it, an in-place change keeps it.
    page.evaluate("window.stillThisPage = true")

    # Training cannot be held before the curriculum exists: refused, on the row.
    hold = page.locator("tr", has=page.get_by_role("link", name="Hold training", exact=True))
    hold.get_by_role("combobox", name="Status of Hold training").select_option(label="Done")
    hold.get_by_role("button", name="Set the status of Hold training").click()
    expect(hold.get_by_role("alert")).to_contain_text("It still waits on:")
    expect(hold.get_by_role("alert")).to_contain_text("Adapt the curriculum")
    screenshot(page, "plan-status-refused")
    assert Task.objects.get(program=program_a, key="hold-training").status == "not_started"

    # A task that waits on nothing is marked in progress from its row.
    funding = page.locator("tr", has=page.get_by_role("link", name="Seek funding", exact=True))
    funding.get_by_role("combobox", name="Status of Seek funding").select_option(
        label="In progress"
    )
    funding.get_by_role("button", name="Set the status of Seek funding").click()
    expect(funding.get_by_role("combobox", name="Status of Seek funding")).to_have_value(
        "in_progress"
    )
    expect(page.get_by_role("alert")).to_have_count(0)
    assert Task.objects.get(program=program_a, key="seek-funding").status == "in_progress"
    assert page.evaluate("window.stillThisPage") is True
