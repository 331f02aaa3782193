"""Import an HSDS 3 data package into a program's directory: all of it, or nothing.

The whole package is read and checked first (every file, row and field, and every
id that one row gives of another), and nothing is written while anything is wrong:
`HsdsImportError` lists each problem by file, row (as a spreadsheet numbers it, the
header being row 1) and field. Then everything is written in one transaction:

- a record whose HSDS id the program already has is updated (and gets an "update"
  audit entry only if something changed); any other record is created, in bulk,
  each with an "import" entry;
- an organization is a partner agency: the one whose derived id it carries (a
  package this program exported), else the one with its name, else a new agency,
  whose type comes from its citkit-partner-type attribute ("other" without one).
  Agencies that exist are left as they are: they are kept on the partners' pages;
- records the program has and the package does not are left alone (an import
  adds and updates, it never deletes).

HSDS has more tables than the directory keeps; files we do not read are ignored,
and so are columns we do not know. `organizations.csv` and `services.csv` must be
there. The JSON form of an export (`services.json`, full service objects) is read
too: it is turned into the same tables and checked the same way.
"""

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.http import Http404

from citkit.core import audit, freshness, jobs
from citkit.core.audit import Actor
from citkit.core.models import AuditEntry, Job, Program
from citkit.core.permissions import has_capability
from citkit.core.policies import policy_for
from citkit.partners.models import Agency
from citkit.partnerships.hsds.checking import LABELS, MODELS, WRITE_ORDER, Importer, Plan
from citkit.partnerships.hsds.reading import HsdsImportError, Problem, read_package
from citkit.partnerships.models import Service
from citkit.people.importing.writing import audit_entries

__all__ = ["HsdsImportError", "Problem", "describe", "enqueue_import", "import_package"]

BATCH = 500


class _NoProgress:
    def update(self, **counts: Any) -> None:
        pass


# --- Writing -------------------------------------------------------------------------


def _changed_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in ("program", "hsds_id", "created_at")
    ]


class Writer:
    def __init__(self, *, actor: Actor, program: Program, plan: Plan, existing, agencies, progress):
        self.actor = actor
        self.program = program
        self.plan = plan
        self.existing = existing
        self.progress = progress
        # Records by HSDS id, so that a record names the ones it belongs to as objects
        # (its audit entry's "service at location" label then needs no query).
        self.objs: dict[str, dict[uuid.UUID, models.Model]] = {
            table: dict(objs) for table, objs in existing.items()
        }
        self.agencies_by_pk = {a.pk: a for a in agencies}
        self.counts: dict[str, dict[str, int]] = {}
        self.written = 0

    def entries(self, objs: list[models.Model]) -> None:
        if objs:
            AuditEntry.objects.bulk_create(
                audit_entries(
                    actor=self.actor,
                    action=AuditEntry.Action.IMPORT,
                    objs=objs,
                    program=self.program,
                ),
                batch_size=BATCH,
            )

    def write(self) -> dict:
        plan = self.plan
        new_agencies = [agency for _, agency in plan.new_agencies]
        if new_agencies:
            Agency.objects.bulk_create(new_agencies, batch_size=BATCH)
            self.entries(new_agencies)
        self.agency_objs = {
            ref: (self.agencies_by_pk[found] if isinstance(found, int) else found)
            for ref, found in plan.agencies.items()
        }
        self.counts["organization"] = {
            "created": len(new_agencies),
            "updated": 0,
            "unchanged": plan.matched_organizations,
        }
        for table in WRITE_ORDER:
            self.write_table(table)
        return self.counts

    def resolve(self, table: str, ref: uuid.UUID | None) -> models.Model | None:
        if ref is None:
            return None
        if table == "organization":
            return self.agency_objs.get(ref)
        return self.objs[table].get(ref)

    def write_table(self, table: str) -> None:
        model = MODELS[table]
        existing = self.existing[table]
        now = datetime.datetime.now(tz=datetime.UTC)
        has_updated_at = any(f.name == "updated_at" for f in model._meta.concrete_fields)
        created, changed = [], []
        for record in self.plan.records[table]:
            values = dict(record.fields)
            for name, (target, ref) in record.refs.items():
                values[name] = self.resolve(target, ref)
            obj = existing.get(record.hsds_id)
            if obj is None:
                created.append(model(program=self.program, hsds_id=record.hsds_id, **values))
                continue
            if table == "service" and "service_type" not in values:
                values["service_type"] = obj.service_type
            before = audit.picture(obj)
            for name, value in values.items():
                setattr(obj, name, value)
            if audit.picture(obj) != before:
                if has_updated_at:
                    obj.updated_at = now
                changed.append((obj, before))
        if created:
            model.objects.bulk_create(created, batch_size=BATCH)
            self.entries(created)
            for obj in created:
                self.objs[table][obj.hsds_id] = obj
        if changed:
            model.objects.bulk_update(
                [o for o, _ in changed], _changed_fields(model), batch_size=BATCH
            )
            for obj, before in changed:
                audit.record_update(actor=self.actor, obj=obj, program=self.program, before=before)
        total = len(self.plan.records[table])
        self.counts[table] = {
            "created": len(created),
            "updated": len(changed),
            "unchanged": total - len(created) - len(changed),
        }
        self.written += total
        phase = f"Writing {LABELS[table].replace('_', ' ')}"
        self.progress.update(phase=phase, written=self.written)


def require_importer(actor: Actor, program: Program) -> None:
    """Coordinators (and the system) import the directory; agency administrators, who
    keep only their own agency's part of it, may not."""
    policy_for(Service).require(actor, program, "add")
    if actor is not None and not has_capability(actor, program, "manage_directory"):
        raise PermissionDenied(
            "Only a coordinator may import a directory: it may change every agency's services."
        )


def check_package(*, program: Program, content: bytes) -> tuple[Importer, Plan]:
    """Read and check the whole package; raises HsdsImportError with every problem."""
    sheets = read_package(content)
    importer = Importer(program, sheets)
    return importer, importer.run()


def import_package(
    *, actor: Actor, program: Program, content: bytes, progress=None
) -> dict[str, Any]:
    """Import a data package into the program's directory, all or nothing.

    Returns counts: {"created": n, "updated": n, "unchanged": n, "tables": {table:
    {"created", "updated", "unchanged"}}}. Raises PermissionDenied/Http404 before the
    package is read, and HsdsImportError (nothing written) for any problem in it.
    """
    require_importer(actor, program)
    progress = progress or _NoProgress()
    progress.update(phase="Reading the package")
    sheets = read_package(content)
    total = sum(len(s.rows) for s in sheets.values())
    progress.update(phase="Checking every row", total=total, checked=0)
    try:
        with transaction.atomic():
            importer = Importer(program, sheets)
            plan = importer.run()
            progress.update(phase="Writing", checked=total)
            if plan.new_agencies:
                policy_for(Agency).require(actor, program, "add")
            writer = Writer(
                actor=actor,
                program=program,
                plan=plan,
                existing=importer.existing,
                agencies=importer.agencies,
                progress=progress,
            )
            counts = writer.write()
            freshness.changed(program.pk)  # the bulk entries skip audit.record
    except IntegrityError as exc:
        raise HsdsImportError.single(
            "A record in the package clashes with one saved at the same time (for example "
            f"the same name); nothing was imported. Try again. ({exc})"
        ) from exc
    return _summary(counts)


def _summary(counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    tables = {LABELS[t]: c for t, c in counts.items()}
    return {
        "created": sum(c["created"] for c in counts.values()),
        "updated": sum(c["updated"] for c in counts.values()),
        "unchanged": sum(c["unchanged"] for c in counts.values()),
        "tables": tables,
    }


def describe(counts: dict[str, Any]) -> Iterable[str]:
    """The counts as lines for a person (command output, job page)."""
    for table, c in counts["tables"].items():
        yield (
            f"{table.replace('_', ' ')}: {c['created']} created, {c['updated']} updated, "
            f"{c['unchanged']} unchanged"
        )


# --- As a job --------------------------------------------------------------------

JOB_KIND = "partnerships.hsds_import"


def problem_details(exc: HsdsImportError) -> dict:
    details: dict = {"errors": [p.as_dict() for p in exc.problems]}
    if exc.more:
        details["more_errors"] = exc.more
    return details


def _result_url(job) -> str:
    if job.program is None:
        return ""
    from django.urls import reverse

    try:
        return reverse("hsds-import", kwargs={"program": job.program.slug}) + f"?job={job.pk}"
    except Exception:  # the page is not mounted: stay on the job page
        return ""


@jobs.job(kind=JOB_KIND, result_url=_result_url)
def hsds_import_job(job, progress) -> dict:
    """Import the job's package as the person who asked, with their role as it is now."""
    actor = job.requested_by
    if actor is None or job.program is None:
        raise jobs.JobFailed(
            "The account that asked for this import is gone; nothing was imported."
        )
    try:
        return import_package(
            actor=actor, program=job.program, content=bytes(job.content or b""), progress=progress
        )
    except HsdsImportError as exc:
        total = len(exc.problems) + exc.more
        plural = "s" if total != 1 else ""
        raise jobs.JobFailed(
            f"Nothing was imported: {total} problem{plural} in the package.",
            details=problem_details(exc),
        ) from None
    except (PermissionDenied, Http404):
        raise jobs.JobFailed(
            "You may no longer import the directory of this program; nothing was imported."
        ) from None
    finally:
        Job.objects.filter(pk=job.pk).update(content=None)


def enqueue_import(*, actor: Actor, program: Program, filename: str, content: bytes):
    """Queue an import of a package; returns the Job. Refuses at once (before the file
    is read) a member who may not import, and a file that is no package at all."""
    require_importer(actor, program)
    read_package(content)
    return jobs.enqueue(
        hsds_import_job,
        actor=actor,
        program=program,
        label=f"Import of the HSDS package {filename}",
        content=content,
        filename=filename,
        content_type="application/zip",
    )
