"""The Content-Security-Policy in a real browser, on the pages citkit did not write itself:
Swagger UI and the admin's sign-in. (citkit's own pages are covered by every browser
test: citkit.testing.browser fails a test on anything the policy refused.)"""

import pytest
from playwright.sync_api import expect

pytest_plugins = ["citkit.testing.browser"]
pytestmark = pytest.mark.browser


def test_the_api_docs_run_under_the_policy(page, sign_in, screenshot, officer):
    sign_in(page, "officer_a")
    response = page.goto("/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Swagger UI parses the whole schema (about 900 kB) before it draws anything: on a
    # busy machine that takes longer than a click may.
    expect(page.get_by_role("heading", name="citkit API")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("/api/programs/", exact=True).first).to_be_visible(timeout=60_000)
    screenshot(page, "api-docs")


def test_the_admin_sign_in_runs_under_the_policy(page):
    response = page.goto("/admin/login/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    expect(page.locator("body")).to_be_visible()
