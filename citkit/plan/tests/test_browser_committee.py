"""The committee's main path in a real browser: dashboard → meeting with an action item
→ the owner's "my items" → done → the dashboard and plan show it."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from citkit.committee import services as committee
from citkit.committee.models import ActionItem
from citkit.core.models import Role
from citkit.plan import services as plan

pytest_plugins = ["citkit.testing.browser"]
pytestmark = pytest.mark.browser


def test_a_meeting_action_item_reaches_its_owner_and_the_dashboard_follows(
    open_page, sign_in, screenshot, members, program_a, police_a
):
    coordinator = members[Role.COORDINATOR]
    plan.plan_seed(actor=coordinator, program=program_a)
    committee.seat_create(
        actor=coordinator,
        program=program_a,
        data={
            "holder_name": "Dana Reyes",
            "agency": police_a,
            "seat_type": "le_coordinator",
            "start_date": datetime.date(2026, 1, 1),
        },
    )
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(program_a.time_zone)).date()
    yesterday = today - datetime.timedelta(days=1)

    # The coordinator opens the dashboard: no overdue action item yet.
    page = open_page()
    sign_in(page, coordinator.username)
    page.get_by_role("navigation", name="Program").get_by_role(
        "link", name="Committee & plan"
    ).click()
    expect(page.get_by_role("heading", name="Readiness dashboard", level=1)).to_be_visible()
    expect(page.get_by_text("No action item is overdue.")).to_be_visible()

    # ... records a meeting ...
    page.get_by_role("navigation", name="Committee & plan").get_by_role(
        "link", name="Meetings"
    ).click()
    page.get_by_role("button", name="Add a meeting").click()
    page.get_by_label("Starts").fill(f"{yesterday:%Y-%m-%d}T09:00")
    page.get_by_label("Ends").fill(f"{yesterday:%Y-%m-%d}T10:30")
    page.get_by_label("Location").fill("Riverbend Police HQ, room 2")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Action items from this meeting")).to_be_visible()

    # ... with an action item for a committee member, due yesterday.
    page.get_by_text("Add an action item").click()
    page.get_by_role("textbox", name="Action").fill("Send the draft MOU to the hospital's counsel")
    page.get_by_label("Owner").select_option(label=members[Role.COMMITTEE_MEMBER].username)
    page.get_by_label("Due").fill(f"{yesterday:%Y-%m-%d}")
    page.get_by_role("button", name="Add the action item").click()
    expect(page.get_by_text("Send the draft MOU to the hospital's counsel")).to_be_visible()
    page.get_by_role("button", name="Mark held").click()
    screenshot(page, "meeting-with-action-item")

    # The dashboard now shows it overdue.
    page.get_by_role("navigation", name="Committee & plan").get_by_role(
        "link", name="Dashboard"
    ).click()
    overdue = page.get_by_role("table", name="Action items")
    expect(overdue).to_contain_text("Send the draft MOU to the hospital's counsel")

    # The owner sees it among their items and marks it done.
    owner_page = open_page()
    sign_in(owner_page, members[Role.COMMITTEE_MEMBER].username)
    owner_page.goto("/p/riverbend/committee/actions/mine/")
    expect(owner_page.get_by_text("Send the draft MOU to the hospital's counsel")).to_be_visible()
    card = owner_page.locator("article", has_text="Send the draft MOU to the hospital's counsel")
    expect(card.get_by_text("Overdue", exact=True)).to_be_visible()
    owner_page.get_by_role(
        "button", name="Done: Send the draft MOU to the hospital's counsel"
    ).click()
    expect(
        owner_page.get_by_role("button", name="Done: Send the draft MOU to the hospital's counsel")
    ).to_have_count(0)
    screenshot(owner_page, "my-items-done")
    item = ActionItem.objects.get(title="Send the draft MOU to the hospital's counsel")
    assert item.status == "done" and item.completed_at is not None

    # Back on the dashboard the overdue list is clear again; the meeting counts toward
    # the plan's "meet regularly" measure.
    page.reload()
    expect(page.get_by_text("No action item is overdue.")).to_be_visible()
    page.get_by_role("navigation", name="Committee & plan").get_by_role("link", name="Plan").click()
    expect(page.get_by_text("1 meetings held in the last 90 days")).to_be_visible()
    screenshot(page, "plan-after")
