"""Health checks for load balancers and orchestrators.

`/healthz` says the process answers (liveness: restart it if not); it touches
nothing else, so a slow database never gets a healthy process killed.
`/readyz` says this instance can do its work (readiness: send it traffic): the
database answers, every migration is applied, and a worker has written its
heartbeat lately (without one, imports, exports and reminders would wait forever).

Neither reads the session or the user, writes anything, or needs signing in:
they answer the same to anyone, and say nothing more than what is broken.
"""

import datetime
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from citkit.core.models import WorkerHeartbeat

# Loading the migration graph reads every migration file: keep the answer a little
# while, so a probe every few seconds costs one query, not a graph walk.
MIGRATIONS_CACHE_SECONDS = 30.0
_migrations_cache: dict[str, tuple[float, int]] = {}
_migrations_lock = threading.Lock()


def clear_cache() -> None:
    with _migrations_lock:
        _migrations_cache.clear()


def _pending_migrations(alias: str) -> int:
    now = time.monotonic()
    with _migrations_lock:
        cached = _migrations_cache.get(alias)
        if cached and now - cached[0] < MIGRATIONS_CACHE_SECONDS:
            return cached[1]
    executor = MigrationExecutor(connections[alias])
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    with _migrations_lock:
        _migrations_cache[alias] = (now, pending)
    return pending


def check_database(alias: str = DEFAULT_DB_ALIAS) -> dict:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "detail": f"the database does not answer ({type(error).__name__})"}
    return {"ok": True}


def check_migrations(alias: str = DEFAULT_DB_ALIAS) -> dict:
    try:
        pending = _pending_migrations(alias)
    except DatabaseError as error:
        return {"ok": False, "detail": f"could not read migrations ({type(error).__name__})"}
    if pending:
        return {"ok": False, "detail": f"{pending} migration(s) not applied: run migrate"}
    return {"ok": True}


def check_worker() -> dict:
    minutes = float(getattr(settings, "CITKIT_WORKER_STALE_MINUTES", 5))
    since = timezone.now() - datetime.timedelta(minutes=minutes)
    try:
        alive = WorkerHeartbeat.objects.filter(seen_at__gte=since).count()
    except DatabaseError as error:
        return {"ok": False, "detail": f"could not read heartbeats ({type(error).__name__})"}
    if not alive:
        return {"ok": False, "detail": f"no worker seen in the last {minutes:g} minutes"}
    return {"ok": True, "workers": alive}


@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
def readyz(request):
    checks = {"database": check_database()}
    if checks["database"]["ok"]:
        checks["migrations"] = check_migrations()
        checks["worker"] = check_worker()
    else:
        skipped = {"ok": False, "detail": "not checked: the database does not answer"}
        checks["migrations"] = checks["worker"] = skipped
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )
