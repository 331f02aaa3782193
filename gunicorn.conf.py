"""gunicorn's settings for `make serve` (gunicorn reads this file from the working directory).

Environment:
    CITKIT_BIND          where to listen, comma-separated (default 127.0.0.1:8000;
                         e.g. unix:/run/citkit/web.sock). Keep it private: a TLS
                         proxy in front talks to it.
    WEB_CONCURRENCY      worker processes (default 2 x CPUs + 1, at most 12)
    CITKIT_WEB_TIMEOUT   seconds a request may take before its worker is restarted (60)
    CITKIT_LOG_FORMAT    json (production default) or plain; the access log follows it

Long work (roster imports, large exports) runs as background jobs, so no request
needs more than a few seconds; the timeout only catches a stuck worker.
"""

import datetime
import os

from gunicorn import glogging

from citkit.core.log import JsonFormatter, log_format

MAX_WORKERS = 12


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this container may use
    except AttributeError:
        return os.cpu_count() or 1


def _workers() -> int:
    configured = os.environ.get("WEB_CONCURRENCY", "").strip()
    if configured:
        return max(int(configured), 1)
    # gunicorn's rule of thumb; capped because on SQLite more processes only queue on
    # the one write lock, and each holds its own memory.
    return min(2 * _cpus() + 1, MAX_WORKERS)


class CitkitLogger(glogging.Logger):
    """gunicorn's logs as JSON lines, like the app's, when the log format is JSON.

    An access line names the method, path (without the query string, which can
    carry a searched person's name), status, duration and the request id the app
    sent back, so it joins the app's own lines and the audit trail.
    """

    def setup(self, cfg):
        super().setup(cfg)
        self.json = log_format() == "json"
        if self.json:
            formatter = JsonFormatter()
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time):
        if not self.json:
            return super().access(resp, req, environ, request_time)
        if not self.access_log_enabled:
            return None
        try:
            status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
            headers = {name.lower(): value for name, value in (resp.headers or [])}
            method = environ.get("REQUEST_METHOD", "-")
            path = environ.get("PATH_INFO", "-")
            duration = request_time
            if isinstance(duration, datetime.timedelta):
                duration = duration.total_seconds()
            self.access_log.info(
                "%s %s %s",
                method,
                path,
                status,
                extra={
                    "request_id": headers.get("x-request-id", ""),
                    "method": method,
                    "path": path,
                    "status": int(status),
                    "duration_ms": round(float(duration) * 1000, 1),
                    "bytes": getattr(resp, "sent", None),
                    "remote_addr": environ.get("REMOTE_ADDR"),
                    "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
                    "user_agent": environ.get("HTTP_USER_AGENT"),
                },
            )
        except Exception:
            self.exception("Could not write the access log line")
        return None


bind = [
    address.strip()
    for address in os.environ.get("CITKIT_BIND", "127.0.0.1:8000").split(",")
    if address.strip()
]
workers = _workers()
timeout = int(os.environ.get("CITKIT_WEB_TIMEOUT", "60"))
# On SIGTERM (a deploy, `make serve` stopping) requests in flight get this long to finish.
graceful_timeout = 30
# The TLS proxy in front keeps connections open; answer on them a little while.
keepalive = 5
# A fresh process now and then, so a slow leak in any library cannot grow unbounded.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"  # stdout
errorlog = "-"  # stderr
logger_class = CitkitLogger
