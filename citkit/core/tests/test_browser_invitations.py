"""A coordinator invites an existing account; its owner signs in and accepts, in a real
browser, on a phone-sized screen for the invitee."""

import re

import pytest
from playwright.sync_api import expect

from citkit.core.models import Invitation, Membership, Role
from citkit.testing.factories import UserFactory

pytest_plugins = ["citkit.testing.browser"]
pytestmark = pytest.mark.browser


def test_an_invited_account_accepts_and_joins_the_program(
    page, open_page, sign_in, screenshot, coordinator, program_a, program_b
):
    invitee = UserFactory(username="sam_stranger", first_name="Sam", last_name="Vu")
    Membership.objects.create(user=invitee, program=program_b, role=Role.TRAINER)

    sign_in(page, "coordinator_a")
    page.goto("/p/riverbend/members/")
    page.get_by_role("button", name="Invite a member").click()
    expect(page.get_by_role("heading", name="Invite a member")).to_be_visible()
    page.get_by_role("textbox", name="User name").fill("sam_stranger")
    page.get_by_role("combobox", name="Role").select_option(label="Trainer")
    screenshot(page, "invitation-form")
    page.get_by_role("button", name="Send the invitation").click()

    expect(page.get_by_role("status")).to_contain_text("Invitation to “sam_stranger” recorded")
    pending = page.get_by_role("table", name="Pending invitations")
    expect(pending).to_contain_text("sam_stranger")
    expect(page.get_by_text("Sam Vu")).to_have_count(0)  # the account's name is not shown
    screenshot(page, "members-with-pending-invitation")

    phone = open_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    sign_in(phone, "sam_stranger")
    expect(phone.get_by_role("status")).to_contain_text("1 invitation to a program waits")
    phone.get_by_role("button", name="Answer the invitation").click()
    invitation = phone.get_by_role("article").filter(has_text="Riverbend County CIT")
    expect(invitation).to_contain_text("Trainer")
    screenshot(phone, "invitation-to-answer")
    invitation.get_by_role("button", name=re.compile("^Accept")).click()

    expect(phone).to_have_url(re.compile(r"/p/riverbend/$"))
    expect(phone.get_by_role("status")).to_contain_text("you are now Trainer")
    assert Membership.objects.get(user=invitee, program=program_a).role == Role.TRAINER
    assert Invitation.objects.get(user=invitee).status == Invitation.Status.ACCEPTED

    page.reload()
    expect(page.get_by_role("table").first).to_contain_text("sam_stranger")
    expect(page.get_by_text("No invitations are waiting for an answer.")).to_be_visible()
