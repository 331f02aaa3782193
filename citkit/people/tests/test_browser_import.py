"""A coordinator imports a roster in a real browser: upload, match, progress, result."""

import re

import pytest
from playwright.sync_api import expect

from citkit.core import jobs
from citkit.core.models import AuditEntry, Job
from citkit.people.models import Person, RosterUpload

pytest_plugins = ["citkit.testing.browser"]
pytestmark = pytest.mark.browser

POLICE = "Riverbend Police Department"


def roster_file(rows: list[str]) -> dict:
    text = "Surname,Given name,Department,Badge #\r\n" + "".join(f"{r}\r\n" for r in rows)
    return {"name": "roster.csv", "mimeType": "text/csv", "buffer": text.encode()}


GOOD = [f"Ames,Ann,{POLICE},11", f"Burns,Bo,{POLICE},12", f"Cole,Cy,{POLICE},13"]


def upload_and_match(page, rows) -> None:
    page.get_by_role("link", name="People", exact=True).first.click()
    page.get_by_role("button", name="Import a roster").click()
    expect(page.get_by_role("heading", name="Import a roster", level=1)).to_be_visible()
    page.get_by_label("Roster file").set_input_files(roster_file(rows))
    page.get_by_role("button", name="Upload and match columns").click()
    expect(page.get_by_text("Step 2 of 2: match the columns of roster.csv")).to_be_visible()
    # The guesses are filled in; the preview shows the file as read.
    expect(page.get_by_role("combobox", name="Surname")).to_have_value("last_name")
    expect(page.get_by_role("combobox", name="Department")).to_have_value("agency")
    expect(page.get_by_role("cell", name="Burns")).to_be_visible()


def test_a_coordinator_imports_a_roster_and_lands_on_the_roster(
    page, sign_in, screenshot, coordinator, police_a
):
    sign_in(page, "coordinator_a")
    upload_and_match(page, GOOD)
    screenshot(page, "import-mapping")
    page.get_by_role("button", name="Import every row").click()

    expect(page).to_have_url(re.compile(r"/p/riverbend/people/$"))
    expect(page.get_by_role("status")).to_contain_text("Imported 3 people from roster.csv.")
    expect(page.get_by_role("link", name="Cole, Cy")).to_be_visible()
    assert Person.objects.filter(program__slug="riverbend").count() == 3
    assert AuditEntry.objects.filter(action="import", source="page").count() == 3
    assert not RosterUpload.objects.exists()
    screenshot(page, "import-done")


def test_the_progress_page_survives_a_reload_and_ends_on_the_problems(
    page, sign_in, screenshot, settings, coordinator, police_a
):
    # A real queue: the job waits for a worker, which this test plays.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    sign_in(page, "coordinator_a")
    upload_and_match(page, [*GOOD, "Dunn,Di,Riverbend PD,14"])
    page.get_by_role("button", name="Import every row").click()

    job = Job.objects.get(kind="people.roster_import")
    expect(page).to_have_url(re.compile(rf"/p/riverbend/jobs/{job.pk}/$"))
    expect(page.get_by_role("heading", name="Import of the roster roster.csv")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
    page.reload()  # the address keeps showing the same job
    expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
    screenshot(page, "import-waiting")

    jobs.run_job.call(str(job.pk))  # the worker picks it up

    # The page polls, sees the job done, and goes to the outcome by itself.
    expect(page).to_have_url(re.compile(rf"/people/import/result/{job.pk}/$"), timeout=10_000)
    expect(page.get_by_role("heading", name="Nothing was imported: 1 problem")).to_be_visible()
    problems = page.get_by_role("table", name="Problems found in roster.csv")
    problem = problems.get_by_role("row").filter(has_text="Riverbend PD")
    expect(problem).to_contain_text("5")
    expect(problem).to_contain_text("Department")
    expect(problem).to_contain_text('no partner agency named "Riverbend PD" in this program')
    # The matching can be changed and the file tried again: it is still waiting.
    expect(page.get_by_role("button", name="Import every row")).to_be_visible()
    assert not Person.objects.filter(program__slug="riverbend").exists()
    assert RosterUpload.objects.exists()
    screenshot(page, "import-problems")


def test_checking_without_importing_reports_the_count_and_saves_nothing(
    page, sign_in, coordinator, police_a
):
    sign_in(page, "coordinator_a")
    upload_and_match(page, GOOD)
    page.get_by_role("button", name="Check without importing").click()

    expect(page.get_by_role("status")).to_contain_text(
        "All 3 rows can be imported. Nothing has been saved yet."
    )
    page.get_by_role("button", name="Import every row").click()
    expect(page.get_by_role("status")).to_contain_text("Imported 3 people from roster.csv.")
