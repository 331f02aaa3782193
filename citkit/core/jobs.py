"""Long work off the request: jobs that people can watch, on Django's tasks API.

A job is a function decorated with `@job(kind=...)`. `enqueue()` records a `Job` row
(who asked, for which program, with which parameters, an uploaded file if any) and
queues one django-tasks task, `run_job`, which the worker (`manage.py worker`) picks
up, calls the function with the job and a `Progress`, and stores the outcome.

Why a row of our own beside django-tasks' result: people need to see *their* import
or export, in *their* program, after a page reload, with counts as it runs; the
task result is the queue's bookkeeping and is pruned.

Live progress goes through Django's cache, not the job row: an import writes all
its people in one transaction, and on SQLite that transaction holds the only write
lock, so a progress UPDATE from the same job would wait on itself. The cache is
files under var/ by default (shared by the processes of one machine) and Redis when
`CITKIT_CACHE_URL` names one (shared by many machines).

Django 6 ships this tasks API as `django.tasks`; moving there is an import change.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from citkit.core.audit import audit_context, current_context
from citkit.core.models import Job, Program

logger = logging.getLogger(__name__)

# How often a running job pushes its counters to the cache (seconds).
PROGRESS_INTERVAL = 0.5


class JobFailed(Exception):
    """An expected failure (bad rows, nothing to export): shown to the person, not logged
    as an error. `details` is kept on the job (e.g. the problems by row and column)."""

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}


JobFunction = Callable[..., dict | None]


def job(*, kind: str, result_url: Callable[[Job], str] | None = None):
    """Mark a function as a job: `fn(job, progress, **params) -> dict`.

    `result_url(job)` is where the job page sends the person once it is done
    (default: the job page itself, which offers the file or the outcome).
    """

    def decorate(fn: JobFunction) -> JobFunction:
        fn.job_kind = kind  # type: ignore[attr-defined]
        fn.job_result_url = result_url  # type: ignore[attr-defined]
        fn.job_path = f"{fn.__module__}.{fn.__qualname__}"  # type: ignore[attr-defined]
        return fn

    return decorate


def enqueue(
    fn: JobFunction,
    *,
    actor,
    program: Program | None,
    label: str,
    content: bytes | None = None,
    filename: str = "",
    content_type: str = "",
    **params: Any,
) -> Job:
    """Record the job and queue it; returns the Job (already finished when tasks run
    immediately, as in the tests)."""
    if not hasattr(fn, "job_path"):
        raise TypeError(f"{fn!r} is not a job; decorate it with @jobs.job(kind=...).")
    created = Job.objects.create(
        program=program,
        kind=fn.job_kind,  # type: ignore[attr-defined]
        label=label[:300],
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        params={
            "function": fn.job_path,  # type: ignore[attr-defined]
            "kwargs": params,
            # The audit trail names where the work was asked for (page, api, command).
            "source": current_context().source,
        },
        content=content,
        filename=filename[:255],
        content_type=content_type[:100],
        request_id=current_context().request_id,
    )
    Progress(created).update(phase="Waiting for a worker")

    def queue() -> None:
        result = run_job.enqueue(str(created.pk))
        Job.objects.filter(pk=created.pk, task_id="").update(task_id=str(result.id)[:64])

    if isinstance(run_job.get_backend(), ImmediateBackend):
        queue()  # runs it here and now (tests; a development setup with no worker)
    else:
        # A real queue: queue once the job row is committed, so a worker can see it.
        transaction.on_commit(queue)
    created.refresh_from_db()
    return created


@task()
def run_job(job_id: str) -> None:
    """The one task every job runs through: find the job and its function, call it."""
    found = Job.objects.filter(pk=job_id).select_related("program", "requested_by").first()
    if found is None or found.finished:
        return
    progress = Progress(found)
    Job.objects.filter(pk=found.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    found.status = Job.Status.RUNNING
    progress.update(phase="Starting")
    params = found.params or {}
    outcome: dict[str, Any] = {}
    try:
        fn = import_string(params["function"])
        source = params.get("source") or "job"
        with audit_context(source=source, request_id=found.request_id):
            result = fn(found, progress, **params.get("kwargs", {}))
        outcome = {"status": Job.Status.SUCCEEDED, "result": result or {}, "error": ""}
    except JobFailed as exc:
        outcome = {"status": Job.Status.FAILED, "result": exc.details, "error": exc.message}
    except Exception:
        logger.exception("Job %s (%s) failed", found.pk, found.kind)
        outcome = {
            "status": Job.Status.FAILED,
            "result": None,
            "error": "The job stopped because of an unexpected error; nothing was saved. "
            "Try again, and tell your administrator if it happens again.",
        }
    finally:
        # No connection handling here: the worker closes stale connections between
        # tasks, and the immediate backend runs inside a request that owns its own.
        progress.flush()
    Job.objects.filter(pk=found.pk).update(
        **outcome, progress=progress.current, finished_at=timezone.now()
    )


class Progress:
    """Counters of a running job (total, checked, written, errors, phase), shared
    through the cache at most every PROGRESS_INTERVAL seconds."""

    def __init__(self, job: Job):
        self.key = cache_key(job.pk)
        self.current: dict[str, Any] = dict(job.progress or {})
        self._pushed_at = 0.0

    def update(self, **counts: Any) -> None:
        phase_changed = "phase" in counts and counts["phase"] != self.current.get("phase")
        self.current.update(counts)
        now = time.monotonic()
        if phase_changed or now - self._pushed_at >= PROGRESS_INTERVAL:
            self.flush()
            self._pushed_at = now

    def flush(self) -> None:
        try:
            cache.set(self.key, self.current, timeout=24 * 3600)
        except Exception:  # a cache that is down must not fail the job
            logger.warning("Could not record progress of job %s", self.key, exc_info=True)

    @property
    def percent(self) -> int | None:
        return percent(self.current)


def cache_key(job_id) -> str:
    return f"citkit:job:{job_id}:progress"


def progress_of(job: Job) -> dict[str, Any]:
    """What the job page shows: the row's final counters once finished, the live ones before."""
    if job.finished:
        return dict(job.progress or {})
    try:
        live = cache.get(cache_key(job.pk))
    except Exception:
        live = None
    return dict(live or job.progress or {})


def percent(counts: dict[str, Any]) -> int | None:
    """How far along, from the counters: written rows once writing, checked rows before."""
    total = counts.get("total")
    if not total:
        return None
    done = counts.get("written") or counts.get("checked") or 0
    return max(0, min(100, int(100 * done / total)))


def file_response(job: Job) -> FileResponse:
    """The job's file as a download (page and API alike); 404 while it has none."""
    if job.status != Job.Status.SUCCEEDED or not job.file:
        raise Http404("This job has no file to download.")
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename or "export.csv",
        content_type=job.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "no-store"
    return response


def result_url(job: Job) -> str | None:
    """Where to send the person once the job is done (None: stay on the job page)."""
    try:
        fn = import_string((job.params or {}).get("function", ""))
    except ImportError:
        return None
    make = getattr(fn, "job_result_url", None)
    return make(job) if make else None
