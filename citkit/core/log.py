"""Log lines an operator can search: JSON in production, plain text in development.

Every JSON line has `time` (UTC, ISO 8601), `level`, `logger`, `message` and
`request_id` (the id the audit trail records for the same request, so a log line
and the change it explains can be found from each other), then whatever the
record carries: `method`, `path` and `status` for requests.

This module is loaded by the logging configuration before Django's apps are, and
by gunicorn's master process, which never loads Django: it imports nothing of
Django or citkit at import time.
"""

import datetime
import logging
import os
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

FORMATS = ("json", "plain")


def log_format(environ=os.environ) -> str:
    """`CITKIT_LOG_FORMAT` if set, else JSON in production and plain text elsewhere."""
    chosen = environ.get("CITKIT_LOG_FORMAT", "").strip().lower()
    if not chosen:
        return "json" if environ.get("CITKIT_ENV", "development") == "production" else "plain"
    if chosen not in FORMATS:
        raise ValueError(f"CITKIT_LOG_FORMAT must be one of {', '.join(FORMATS)}, not {chosen!r}.")
    return chosen


def current_request_id() -> str:
    """The id of the request (or command run) this code runs for; "" outside any."""
    from django.apps import apps

    # A line logged while Django starts up comes before the models can be imported.
    if not apps.apps_ready:
        return ""
    from citkit.core.audit import current_context

    return current_context().request_id


class RequestIdFilter(logging.Filter):
    """Put the current request id on every record as `request_id`.

    Inside a request it comes from the audit context that RequestIdMiddleware
    opens. Django logs a request's error response after that context has closed,
    so records that carry the request (`django.request`) take the id from it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            request_id = current_request_id()
            if not request_id:
                request_id = getattr(getattr(record, "request", None), "id", "") or ""
            record.request_id = request_id
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line, the same five fields first on every line."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request_id", "request"])
        super().__init__(*args, **kwargs)

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        log_data["time"] = datetime.datetime.fromtimestamp(
            record.created, tz=datetime.UTC
        ).isoformat(timespec="milliseconds")
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        log_data["message"] = record.message
        log_data["request_id"] = getattr(record, "request_id", "") or None
        # Django's request logs carry the request object; keep what identifies the request.
        # (runserver's own lines carry a socket there, which says nothing.) The query
        # string is left out on purpose: searches carry people's names.
        request = getattr(record, "request", None)
        method = getattr(request, "method", None)
        if isinstance(method, str):
            log_data["method"] = method
            log_data["path"] = getattr(request, "path", None)
        super().add_fields(log_data, record, message_dict)
        if "status_code" in log_data:
            log_data["status"] = log_data.pop("status_code")
