"""Response headers: the Content-Security-Policy, HSTS, framing, sniffing, referrers,
caching of signed-in answers, and the production cookies (docs/security.md).

The production values are read from the real settings module, loaded in a child
process with CITKIT_ENV=production, and applied here with override_settings.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from citkit.testing.browser import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_NAMES = [
    "CONTENT_SECURITY_POLICY",
    "CSRF_COOKIE_DOMAIN",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_PATH",
    "CSRF_COOKIE_SECURE",
    "DEBUG",
    "MIDDLEWARE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REFERRER_POLICY",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_PATH",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_SECURE",
    "SESSION_SAVE_EVERY_REQUEST",
    "X_FRAME_OPTIONS",
]
_DUMP = """
import json, sys
from django.conf import settings
import django
django.setup()
print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The settings CITKIT_ENV=production gives, as the real settings module computes them."""
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "CITKIT_ENV"}}
    env.update(
        CITKIT_ENV="production",
        SECRET_KEY="header-test-" + "s" * 50,
        ALLOWED_HOSTS="citkit.example.org",
        CITKIT_VAR_DIR=str(tmp_path_factory.mktemp("production-var")),
        DJANGO_SETTINGS_MODULE="citkit.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", _DUMP, *PRODUCTION_NAMES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production_client(production, client):
    with override_settings(**production, ALLOWED_HOSTS=["testserver"]):
        yield client


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def _sign_in(client):
    login_page = client.get("/accounts/login/", secure=True)
    response = client.post(
        "/accounts/login/",
        {"username": "officer_a", "password": PASSWORD},
        secure=True,
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return login_page, response


def _assert_host_cookie(cookie):
    # The rules of the __Host- prefix (RFC 6265bis): Secure, Path=/, no Domain.
    assert cookie.key.startswith("__Host-")
    assert cookie["secure"] is True
    assert cookie["path"] == "/"
    assert cookie["domain"] == ""


def test_production_cookies_use_host_prefixed_names_with_their_flags(production_client, officer):
    login_page, signed_in = _sign_in(production_client)
    csrf = login_page.cookies["__Host-csrftoken"]
    _assert_host_cookie(csrf)
    assert csrf["samesite"] == "Lax"
    session = signed_in.cookies["__Host-sessionid"]
    _assert_host_cookie(session)
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert "sessionid" not in signed_in.cookies
    assert "csrftoken" not in login_page.cookies


def test_production_pages_send_hsts_csp_and_the_other_security_headers(production_client, officer):
    _sign_in(production_client)
    response = production_client.get("/p/riverbend/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    directives = policy(response)
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert "no-store" in response["Cache-Control"]


def test_production_redirects_plain_http_to_https(production_client):
    response = production_client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_production_keeps_the_session_unwritten_on_ordinary_requests(production):
    assert production["SESSION_SAVE_EVERY_REQUEST"] is False
    assert "citkit.core.middleware.SessionLifetimeMiddleware" in production["MIDDLEWARE"]


def test_the_policy_allows_no_inline_script_no_plugins_no_framing(client):
    directives = policy(client.get("/accounts/login/"))
    for name in ("default-src", "script-src", "style-src"):
        assert directives[name] == ["'self'"], name
        # nothing that lets an injected <script>, on*= handler or eval run
    everything = " ".join(" ".join(sources) for sources in directives.values())
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:"):
        assert unsafe not in everything.split(), unsafe
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["img-src"] == ["'self'", "data:"]


def test_every_answer_says_nosniff_same_origin_referrers_and_no_framing(client, coordinator):
    pages = [client.get("/accounts/login/"), client.get("/p/no-such-program/")]
    client.force_login(coordinator)
    pages += [client.get("/p/riverbend/"), client.get("/api/programs/")]
    for response in pages:
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "Content-Security-Policy" in response


def test_signed_in_pages_exports_api_answers_and_the_token_page_are_not_stored(
    client, api_for, coordinator, police_a
):
    client.force_login(coordinator)
    answers = {
        "page": client.get("/p/riverbend/agencies/"),
        "export": client.get("/p/riverbend/agencies/?format=csv"),
        "token page": client.get("/accounts/token/"),
        "sessions page": client.get("/accounts/sessions/"),
        "api by session": client.get("/api/programs/riverbend/agencies/"),
        "api by token": api_for(coordinator).get("/api/programs/riverbend/agencies/"),
    }
    for what, response in answers.items():
        assert response.status_code in {200, 302}, (what, response.status_code)
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= cache_control, what


def test_answers_to_anonymous_visitors_are_left_to_the_usual_caching(client, program_a):
    response = client.get("/p/riverbend/")  # the way to sign-in
    assert response.status_code == 302
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_api_docs_page_runs_swagger_ui_from_files_only(client_for, coordinator):
    client = client_for(coordinator)
    page = client.get("/api/docs/")
    body = page.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", body)
    assert scripts and all("src=" in attrs for attrs in scripts), scripts
    assert "<style" not in body
    start_up = re.search(r'<script src="([^"]*script=[^"]*)"', body).group(1)
    script = client.get(start_up.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


TEMPLATE_DIRS = [ROOT / "citkit"]
INLINE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "on*= handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "hx-on attribute": re.compile(r"\b(?:hx|data-hx)-on", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
    "javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def test_no_template_holds_inline_script_handlers_or_styles():
    """What the policy would refuse in a browser, caught before it gets there."""
    found = []
    for path in sorted(ROOT.glob("citkit/**/templates/**/*.html")):
        text = re.sub(
            r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", "", path.read_text(), flags=re.S
        )
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_the_static_scripts_use_no_eval():
    for path in sorted((ROOT / "citkit/static/citkit").glob("*.js")):
        text = path.read_text()
        assert not re.search(r"\beval\(|new Function\(|setTimeout\(\s*[\"']", text), path
