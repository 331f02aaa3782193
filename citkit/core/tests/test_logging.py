"""Logs: JSON lines with the request id in production, plain text in development."""

import datetime
import importlib.util
import io
import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from citkit.core.audit import audit_context
from citkit.core.log import JsonFormatter, RequestIdFilter, log_format

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def capture():
    """A handler like the production console: the request-id filter and the JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    attached = []

    def attach(name: str):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        attached.append(logger)
        return logger

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield SimpleNamespace(attach=attach, lines=lines)
    for logger in attached:
        logger.removeHandler(handler)


def test_a_json_line_names_time_level_logger_message_and_request_id_first(capture):
    logger = capture.attach("citkit.test")
    with audit_context(source="page", request_id="req-1"):
        logger.warning("Imported %d people", 12, extra={"program": "riverbend"})
    (line,) = capture.lines()
    assert list(line)[:5] == ["time", "level", "logger", "message", "request_id"]
    assert line["level"] == "WARNING"
    assert line["logger"] == "citkit.test"
    assert line["message"] == "Imported 12 people"
    assert line["request_id"] == "req-1"
    assert line["program"] == "riverbend"
    assert datetime.datetime.fromisoformat(line["time"]).utcoffset() == datetime.timedelta(0)


def test_outside_any_request_the_request_id_is_null(capture):
    capture.attach("citkit.test").info("Worker started")
    assert capture.lines()[0]["request_id"] is None


def test_a_command_run_has_its_own_id(capture):
    logger = capture.attach("citkit.test")
    with audit_context(source="command", label="command backup"):
        logger.info("one")
        logger.info("two")
    first, second = capture.lines()
    assert first["request_id"]
    assert first["request_id"] == second["request_id"]


def test_an_exception_is_logged_with_its_traceback(capture):
    logger = capture.attach("citkit.test")
    try:
        raise ValueError("bad row")
    except ValueError:
        logger.exception("Import failed")
    line = capture.lines()[0]
    assert line["level"] == "ERROR"
    assert "ValueError: bad row" in line["exc_info"]


def test_a_request_log_line_has_method_path_status_and_the_answered_request_id(client, db, capture):
    capture.attach("django.request")
    response = client.get("/no-such-page/?q=Smith")
    assert response.status_code == 404
    lines = [line for line in capture.lines() if line["logger"] == "django.request"]
    assert lines, "Django logs a 404 on django.request"
    line = lines[-1]
    assert line["method"] == "GET"
    assert line["path"] == "/no-such-page/"
    assert line["status"] == 404
    assert line["request_id"] == response["X-Request-ID"]
    # The request object itself is not dumped, and a search never reaches the log.
    assert "request" not in line
    assert "Smith" not in json.dumps(line)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "plain"),
        ({"CITKIT_ENV": "production"}, "json"),
        ({"CITKIT_ENV": "production", "CITKIT_LOG_FORMAT": "plain"}, "plain"),
        ({"CITKIT_LOG_FORMAT": "JSON"}, "json"),
    ],
)
def test_the_format_is_json_in_production_plain_elsewhere_and_can_be_chosen(environ, expected):
    assert log_format(environ) == expected


def test_an_unknown_format_is_refused_by_name():
    with pytest.raises(ValueError, match="CITKIT_LOG_FORMAT must be one of json, plain"):
        log_format({"CITKIT_LOG_FORMAT": "xml"})


def _log_through_settings(**environ) -> str:
    """Start Django with the real settings and log one line, as a process would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITKIT_")}
    env.pop("DATABASE_URL", None)
    env.update(DJANGO_SETTINGS_MODULE="citkit.settings", **environ)
    code = (
        "import django, logging; django.setup(); "
        "from citkit.core.audit import audit_context\n"
        "with audit_context(source='command', request_id='cmd-7'):\n"
        "    logging.getLogger('citkit.test').warning('hello')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stderr.strip().splitlines()[-1]


def test_production_settings_log_json_with_the_request_id(tmp_path):
    line = _log_through_settings(
        CITKIT_ENV="production", SECRET_KEY=secrets.token_urlsafe(60), CITKIT_VAR_DIR=str(tmp_path)
    )
    entry = json.loads(line)
    assert entry["message"] == "hello"
    assert entry["request_id"] == "cmd-7"


def test_development_settings_log_plain_lines_and_the_variable_overrides(tmp_path):
    plain = _log_through_settings(CITKIT_VAR_DIR=str(tmp_path))
    assert plain.endswith("WARNING citkit.test hello")
    forced = _log_through_settings(CITKIT_VAR_DIR=str(tmp_path), CITKIT_LOG_FORMAT="json")
    assert json.loads(forced)["logger"] == "citkit.test"


# --- gunicorn's access log -------------------------------------------------------


def _gunicorn_logger(monkeypatch, log_format_name: str):
    from gunicorn.config import Config

    monkeypatch.setenv("CITKIT_LOG_FORMAT", log_format_name)
    spec = importlib.util.spec_from_file_location("citkit_gunicorn_conf", ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = conf.CitkitLogger(cfg)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(stream)
    return logger, stream


def _request(logger):
    response = SimpleNamespace(status="201 Created", headers=[("X-Request-ID", "abc123")], sent=512)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/programs/riverbend/people/",
        "QUERY_STRING": "q=Smith",
        "RAW_URI": "/api/programs/riverbend/people/?q=Smith",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.5",
        "HTTP_USER_AGENT": "curl/8",
    }
    logger.access(
        response, SimpleNamespace(headers=[]), environ, datetime.timedelta(milliseconds=42)
    )


def test_gunicorn_access_lines_are_json_with_the_apps_request_id(monkeypatch):
    logger, stream = _gunicorn_logger(monkeypatch, "json")
    _request(logger)
    entry = json.loads(stream.getvalue())
    assert entry["logger"] == "gunicorn.access"
    assert entry["request_id"] == "abc123"
    assert (entry["method"], entry["path"], entry["status"]) == (
        "POST",
        "/api/programs/riverbend/people/",
        201,
    )
    assert entry["duration_ms"] == 42.0
    assert "Smith" not in stream.getvalue()


def test_gunicorn_access_lines_stay_gunicorns_own_in_plain_mode(monkeypatch):
    logger, stream = _gunicorn_logger(monkeypatch, "plain")
    _request(logger)
    line = stream.getvalue()
    assert line.startswith("10.0.0.5 ")
    assert '"POST /api/programs/riverbend/people/?q=Smith HTTP/1.1" 201' in line
