"""Playwright fixtures for browser tests: Debian's Chromium against pytest-django's live server.

Use it from a test module with ``pytest_plugins = ["citkit.testing.browser"]`` and mark the
tests ``@pytest.mark.browser``.

- ``chromium``: one headless Chromium for the whole session. It is the system's
  (/usr/bin/chromium, or $CITKIT_CHROMIUM); nothing is ever downloaded. If it is missing
  the tests fail and say how to install it.
- ``page``: a fresh browser context and page for one test, whose relative URLs go to the
  live server (``page.goto("/p/riverbend/")``).
- ``open_page(**context_options)``: more pages, each in its own context (a second
  person signed in at the same time, a phone-sized screen, ...).
- ``sign_in(page, username)``: signs in through the real sign-in form, and through its
  second step (a code from an authenticator app the fixture plays) for those who need it.
- ``screenshot(page, name)``: with $CITKIT_BROWSER_SCREENSHOTS set to a folder, saves a
  full-page picture there for a human to look at; does nothing otherwise.

Playwright's sync API keeps an asyncio event loop running on the main thread, so Django's
"async-unsafe" guard would refuse ORM calls from test code. During a browser test
DJANGO_ALLOW_ASYNC_UNSAFE is set; between browser tests the loop is hidden and the
variable removed again, so other tests (and the processes they start) never see either.

On a failing test the last screen of each of its pages is saved under
var/browser-failures/ (or $CITKIT_BROWSER_ARTIFACTS).
"""

import asyncio
import os
import re
from pathlib import Path

import pytest

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The password of every user made by citkit.testing.factories.UserFactory.
PASSWORD = "correct horse battery"  # noqa: S105 (test users only)
# Fail fast: a page of this app answers in well under a second.
ACTION_TIMEOUT_MS = 10_000

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

_failed_key = pytest.StashKey[bool]()


def chromium_path() -> str:
    return os.environ.get("CITKIT_CHROMIUM") or DEFAULT_CHROMIUM


class _LoopCurtain:
    """Shows Playwright's event loop to this thread only while a browser test runs.

    The sync API starts an asyncio loop and leaves it "running" on the main thread until
    the session's end. Django then refuses ORM calls (SynchronousOnlyOperation) unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set, and that variable, left in os.environ, would leak
    into every later test and every process they start (`check --deploy` fails on it).
    So the loop is lifted, and the variable set, for browser tests only.
    """

    def __init__(self):
        self.loop = None
        self.previous = None

    def lift(self) -> None:
        if self.loop is not None:
            asyncio._set_running_loop(self.loop)
        self.previous = os.environ.get(ASYNC_UNSAFE)
        os.environ[ASYNC_UNSAFE] = "true"

    def lower(self) -> None:
        self.loop = asyncio._get_running_loop()
        asyncio._set_running_loop(None)
        if self.previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = self.previous


_curtain = _LoopCurtain()


def _close_connections() -> None:
    """Close the database connections of the thread's "async" side.

    While a running loop is visible, Django keeps this thread's connections apart from
    the ordinary ones, so browser tests have their own; left open, they would keep
    PostgreSQL from dropping the test database at the end.
    """
    from django.db import connections

    connections.close_all()


@pytest.fixture(scope="session")
def chromium():
    """The session's headless Chromium (Debian's own; never downloaded)."""
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(
            f"Browser tests need Chromium at {path}, and there is none. Install it with "
            "`apt-get install chromium` (Debian/Ubuntu), or set CITKIT_CHROMIUM to the path "
            "of a Chromium or Chrome executable.",
            pytrace=False,
        )
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    _curtain.lift()
    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(
                executable_path=path, headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as exc:
            pytest.fail(
                f"Chromium at {path} would not start: {exc}\n"
                "Reinstall it with `apt-get install --reinstall chromium`, "
                "or set CITKIT_CHROMIUM to a working executable.",
                pytrace=False,
            )
        _curtain.lower()
        yield browser
        _curtain.lift()
        browser.close()
    finally:
        playwright.stop()  # ends the loop
        _curtain.lower()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.stash[_failed_key] = True
    return report


@pytest.fixture
def open_page(chromium, live_server, request):
    """open_page(**context_options) -> a new page in its own browser context.

    The test fails if a page meets a JavaScript error, a server error, a missing
    stylesheet or script (a page without its CSS or htmx is broken for people too),
    or anything the Content-Security-Policy refused.
    """
    opened = []
    _curtain.lift()

    def open_(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "en-US")
        context = chromium.new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
        page.on("response", lambda response: _check_response(response, problems))
        page.on("console", lambda message: _check_console(message, problems))
        opened.append((context, page, problems))
        return page

    try:
        yield open_
        failed = request.node.stash.get(_failed_key, False)
        problems = []
        for number, (context, page, page_problems) in enumerate(opened, start=1):
            if failed:
                _save_failure_screenshot(page, request.node.name, number)
            problems.extend(page_problems)
            context.close()
    finally:
        _close_connections()  # the ones opened while the loop was showing
        _curtain.lower()
    if problems and not failed:
        unique = "\n".join(dict.fromkeys(problems))
        pytest.fail(f"The pages had problems:\n{unique}", pytrace=False)


def _check_console(message, problems: list[str]) -> None:
    # Chromium reports what the Content-Security-Policy refused (an inline script or
    # style, eval) on the console, not as a page error; htmx reports refused eval too.
    text = message.text
    if message.type == "error" and (
        "Content Security Policy" in text or "evalDisallowedError" in text
    ):
        problems.append(f"Refused by the Content-Security-Policy: {text}")


def _check_response(response, problems: list[str]) -> None:
    status = response.status
    if status >= 500:
        problems.append(f"Server error {status} at {response.url}")
    elif status >= 400 and "/static/" in response.url:
        problems.append(
            f"Missing static file ({status}): {response.url} "
            "(is its folder found by the staticfiles finders? `manage.py findstatic` tells)"
        )


@pytest.fixture
def page(open_page):
    """A fresh page (own cookies, own storage) whose relative URLs go to the live server."""
    return open_page()


@pytest.fixture
def sign_in():
    """sign_in(page, username, password=...) fills in and sends the real sign-in form.

    Whoever must use two-factor sign-in (a coordinator, say) gets an authenticator app
    first if they have none, and the fixture types its current code into the second
    step, as the person would. Users without an app and not required sign in with the
    password alone.
    """

    def sign_in_(page, username: str, password: str = PASSWORD) -> None:
        from django.contrib.auth import get_user_model

        from citkit.core import mfa
        from citkit.testing.mfa import app_device, current_code

        user = get_user_model().objects.filter(username=username).first()
        device = None
        if user is not None and mfa.code_needed(user):
            device = app_device(user)
        page.goto("/accounts/login/")
        page.get_by_role("textbox", name="Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        if device is not None and "/accounts/login/code/" in page.url:
            page.get_by_role("textbox", name="Code").fill(current_code(device))
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state()

    return sign_in_


@pytest.fixture
def screenshot():
    """screenshot(page, name) saves a full-page picture if $CITKIT_BROWSER_SCREENSHOTS is set."""

    def screenshot_(page, name: str) -> None:
        folder = os.environ.get("CITKIT_BROWSER_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return screenshot_


def _save_failure_screenshot(page, test_name: str, number: int) -> None:
    from django.conf import settings

    folder = Path(os.environ.get("CITKIT_BROWSER_ARTIFACTS", settings.VAR_DIR / "browser-failures"))
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)[:120]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{safe}-{number}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"Screenshot of the failing page: {path} (at {page.url})")
    except Exception as exc:  # the page may be gone; the failure itself matters more
        print(f"Could not save a screenshot of {page.url}: {exc}")
