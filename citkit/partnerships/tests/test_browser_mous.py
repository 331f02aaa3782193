"""In a real browser: a coordinator drafts an MOU from the model template, adds the
parties and what each takes on; the committee approves; two agency administrators
sign; the MOU is executed and its PDF downloads. And a dispatcher at 2 a.m."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from citkit.core.models import Membership, Role
from citkit.partnerships import services
from citkit.partnerships.models import Mou, MouStatus, MouTemplate
from citkit.testing.factories import UserFactory

pytest_plugins = ["citkit.testing.browser"]
pytestmark = pytest.mark.browser


@pytest.fixture
def people(program_a, police_a, clinic_a, coordinator):
    def member(username, role, agency=None, first="", last=""):
        user = UserFactory(username=username, first_name=first, last_name=last)
        Membership.objects.create(user=user, program=program_a, role=role, agency=agency)
        return user

    services.responsibility_create(
        actor=None,
        program=program_a,
        data={
            "agency": police_a,
            "kind": "respond",
            "title": "Send a CIT officer",
            "available_24_7": True,
        },
    )
    services.responsibility_create(
        actor=None,
        program=program_a,
        data={
            "agency": clinic_a,
            "kind": "receive",
            "title": "Accept every adult, no refusal",
            "available_24_7": True,
            "handoff": "Sally port on the east side.",
        },
    )
    services.install_starter_templates(actor=None, program=program_a)
    return {
        "committee": member("committee_a", Role.COMMITTEE_MEMBER),
        "police_admin": member("police_admin", Role.AGENCY_ADMIN, police_a, "Angela", "Moss"),
        "clinic_admin": member("clinic_admin", Role.AGENCY_ADMIN, clinic_a, "Nadia", "Okafor"),
    }


def add_party(page, agency: str, signatory: str, title: str, duty: str):
    page.get_by_role("link", name="Add a party").click()
    page.get_by_role("combobox", name="Agency").select_option(label=agency)
    page.get_by_role("textbox", name="Signs for the agency").fill(signatory)
    page.get_by_role("textbox", name="Signatory's title").fill(title)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Party saved.")
    page.get_by_role("link", name=f"Add a responsibility of {agency}").click()
    page.get_by_role("combobox", name="Responsibility").select_option(label=duty)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#parties-heading + p + .table-wrap")).to_contain_text(
        duty.split(": ", 1)[1]
    )


def sign_as(open_page, sign_in, username: str, agency: str, typed: str, mou: Mou):
    page = open_page()
    sign_in(page, username)
    page.goto(mou.get_absolute_url())
    page.get_by_role("button", name=f"Sign for {agency}").click()
    expect(page.get_by_role("heading", name=f"Sign for {agency}")).to_be_visible()
    page.get_by_role("radio", name="Typed attestation by the signatory's account").check()
    page.get_by_role("textbox", name="Typed signature").fill(typed)
    page.get_by_role("button", name="Sign", exact=True).click()
    return page


def test_an_mou_is_drafted_approved_signed_by_two_agencies_and_downloaded(
    page, open_page, sign_in, screenshot, people, program_a
):
    sign_in(page, "coordinator_a")
    page.goto("/p/riverbend/partnerships/mous/")
    page.get_by_role("button", name="Draft an MOU").click()
    template = MouTemplate.objects.get(program=program_a, kind="specific")
    page.get_by_role("combobox", name="Template").select_option(label=template.name)
    page.get_by_role("textbox", name="Title").fill("Riverbend CIT MOU")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Riverbend CIT MOU", level=1)).to_be_visible()
    expect(page.locator("#mou-status")).to_have_text("Draft")
    expect(page.locator("article.clause").first).to_be_visible()

    add_party(
        page,
        "Riverbend Police Department",
        "Angela Moss",
        "Chief of Police",
        "Riverbend Police Department: Send a CIT officer",
    )
    add_party(
        page,
        "Riverbend Behavioral Health",
        "Dr. Nadia Okafor",
        "Chief Executive",
        "Riverbend Behavioral Health: Accept every adult, no refusal",
    )
    # The template's {{parties}} placeholder now names the two agencies.
    expect(
        page.locator("article.clause").filter(has_text="Riverbend Police Department").first
    ).to_be_visible()
    screenshot(page, "mou-draft")
    page.get_by_role("button", name="Send to the committee").click()
    expect(page.locator("#mou-status")).to_have_text("In committee review")

    committee = open_page()
    sign_in(committee, "committee_a")
    committee.goto(page.url)
    committee.get_by_role("textbox", name="Comment for the record").first.fill("Approved.")
    committee.get_by_role("button", name="Approve").click()
    expect(committee.locator("#mou-status")).to_have_text("Approved by the committee")

    page.reload()
    page.get_by_role("button", name="Send for signature").click()
    expect(page.locator("#mou-status")).to_have_text("Out for signature")
    expect(page.get_by_text("0 of 2 parties have signed")).to_be_visible()
    # Signing has begun: the text is locked.
    expect(page.get_by_role("link", name="Add a clause")).to_have_count(0)

    mou = Mou.objects.get(title="Riverbend CIT MOU")
    police = sign_as(
        open_page, sign_in, "police_admin", "Riverbend Police Department", "Angela Moss", mou
    )
    expect(police.get_by_role("status")).to_contain_text("Signed for Riverbend Police Department")
    # An agency administrator signs for their own agency only.
    expect(police.get_by_role("button", name="Sign for Riverbend Behavioral Health")).to_have_count(
        0
    )
    clinic = sign_as(
        open_page, sign_in, "clinic_admin", "Riverbend Behavioral Health", "Nadia Okafor", mou
    )
    expect(clinic.get_by_role("status")).to_contain_text("is executed")
    expect(clinic.locator("#mou-status")).to_have_text("Executed")
    screenshot(clinic, "mou-executed")

    mou.refresh_from_db()
    assert mou.status == MouStatus.EXECUTED and mou.ends_on is not None
    with clinic.expect_download() as download:
        clinic.get_by_role("link", name="Download PDF").click()
    content = open(download.value.path(), "rb").read()  # noqa: SIM115 — the test reads it once
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Riverbend CIT MOU" in text
    assert "Angela Moss" in text and "Nadia Okafor" in text


def test_a_dispatcher_finds_who_takes_a_person_at_two_on_a_sunday_morning(
    page, sign_in, screenshot, people, program_a, clinic_a
):
    Membership.objects.create(
        user=UserFactory(username="dispatcher_a"), program=program_a, role=Role.DISPATCHER
    )
    sign_in(page, "dispatcher_a")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/p/riverbend/partnerships/")
    page.get_by_label("At another time").fill("2026-12-06T02:00")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Who takes a person in crisis then")).to_be_visible()
    receive = page.get_by_role("heading", name="Receive the person (custody transfer)")
    expect(receive).to_be_visible()
    entry = page.locator("article.board-entry").filter(has_text="Accept every adult")
    expect(entry).to_contain_text("Sally port on the east side.")
    screenshot(page, "crisis-now-phone")
