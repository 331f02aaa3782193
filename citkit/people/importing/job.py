"""The roster import as a background job: the page and the API queue it, a worker runs it.

`enqueue_import()` answers at once what can be answered at once (may this person
import here, is this a roster file at all, do its columns match), then queues the job
with the file in `Job.content`. The worker runs `roster_import()`, which reports its
progress (rows checked, rows written, problems so far) to the job page and ends either
with `{"created": n}` (or `{"created": 0, "would_create": n}` for a check without
writing) or failed, with the problems by row and column in the job's result.

The command `import_roster` does not queue: it runs the same import in its own process.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from citkit.core import jobs
from citkit.core.audit import Actor
from citkit.core.models import Job, Program
from citkit.core.policies import policy_for
from citkit.people.importing import import_roster, read_roster, resolve_mapping
from citkit.people.importing.problems import RosterImportError
from citkit.people.models import Person, RosterUpload

KIND = "people.roster_import"


def _result_url(job: Job) -> str:
    if job.program is None:
        return ""  # stay on the job page
    return reverse("roster-import-result", kwargs={"program": job.program.slug, "pk": job.pk})


def problem_details(exc: RosterImportError) -> dict:
    """A refusal as the job keeps it and the API shows it."""
    details: dict = {"errors": [p.as_dict() for p in exc.problems]}
    if exc.more:
        details["more_errors"] = exc.more
    return details


def refusal_message(exc: RosterImportError) -> str:
    total = len(exc.problems) + exc.more
    return f"Nothing was imported: {total} problem{'s' if total != 1 else ''} in the file."


@jobs.job(kind=KIND, result_url=_result_url)
def roster_import(
    job: Job,
    progress: jobs.Progress,
    *,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    upload: int | None = None,
) -> dict:
    """Import the job's file as the person who asked, with their permissions as they
    are now; `upload` is the page's waiting file, which goes with a successful import."""
    actor = job.requested_by
    if actor is None or job.program is None:
        # An account removed since: never run as the system in its place.
        raise jobs.JobFailed(
            "The account that asked for this import is gone; nothing was imported."
        )

    def discard_upload() -> None:
        if upload is not None:
            RosterUpload.objects.filter(pk=upload, program=job.program, uploaded_by=actor).delete()

    try:
        with read_roster(job.filename, bytes(job.content or b"")) as roster:
            count = import_roster(
                actor=actor,
                program=job.program,
                roster=roster,
                mapping=mapping,
                dry_run=dry_run,
                progress=progress,
                inside_transaction=discard_upload,
            )
    except RosterImportError as exc:
        raise jobs.JobFailed(refusal_message(exc), details=problem_details(exc)) from None
    except (PermissionDenied, Http404):
        raise jobs.JobFailed(
            "You may no longer import people into this program; nothing was imported."
        ) from None
    finally:
        # The file is a list of people: once read, the job keeps no copy of it.
        Job.objects.filter(pk=job.pk).update(content=None)
    if dry_run:
        return {"created": 0, "would_create": count}
    return {"created": count}


def enqueue_import(
    *,
    actor: Actor,
    program: Program,
    filename: str,
    content: bytes,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    upload: RosterUpload | None = None,
) -> Job:
    """Queue an import (or, `dry_run`, a check) of a file; returns the job.

    Raises PermissionDenied/Http404 before the file is looked at, and
    RosterImportError at once for a file that is not a roster or a mapping that does
    not fit it; every row is checked by the job.
    """
    policy_for(Person).require(actor, program, "import")
    with read_roster(filename, content) as roster:
        resolve_mapping(roster.headers, mapping)
    verb = "Check" if dry_run else "Import"
    return jobs.enqueue(
        roster_import,
        actor=actor,
        program=program,
        label=f"{verb} of the roster {filename}",
        content=content,
        filename=filename,
        mapping=mapping or {},
        dry_run=dry_run,
        upload=upload.pk if upload else None,
    )
