"""`manage.py committee_report --program SLUG --as USERNAME --format pdf|docx --output FILE`."""

import os
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from citkit.core.access import record_access
from citkit.core.audit import audit_context
from citkit.core.models import AccessEntry
from citkit.core.permissions import get_program_for_user, require
from citkit.plan import report


class Command(BaseCommand):
    help = (
        "Write the committee status report (plan status, flagged tasks, decisions since the "
        "last meeting, overdue items, open gaps) as PDF or DOCX, as seen by a user who may "
        "view the committee."
    )

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="the program's slug")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the user the report is produced for; their permissions apply",
        )
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=sorted(report.RENDERERS),
            help="pdf or docx (default: from the output file's extension)",
        )
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args, program, username, fmt, output, **options):
        fmt = fmt or Path(output).suffix.lstrip(".").lower()
        if fmt not in report.RENDERERS:
            raise CommandError("Give --format pdf or --format docx (or a .pdf/.docx output).")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user “{username}”.")
        try:
            found = get_program_for_user(user, program)
            require(user, found, "view_committee")
        except Http404 as exc:
            raise CommandError(f"{username} is not a member of a program “{program}”.") from exc
        except PermissionDenied as exc:
            raise CommandError(f"{username} may not see the committee's work: {exc}") from exc

        with audit_context(source="command", label="command committee_report"):
            status_report = report.build_report(found, user)
            content, _ = report.render(status_report, fmt)

        # Write beside the target and move into place, so a reader never sees half a file.
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"There is no folder {target.parent} to write the report into.")
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as handle:
            handle.write(content)
        os.replace(handle.name, target)
        # As a download from the page (the report names people), once the file is there.
        with audit_context(source="command", label="command committee_report"):
            record_access(
                user=user,
                program=found,
                action=AccessEntry.Action.DOWNLOAD,
                what=f"Committee status report ({fmt.upper()})",
                query=f"output={target.name}",
            )
        self.stdout.write(
            f"Wrote {target} ({fmt.upper()}, {len(content):,} bytes): {status_report.title}."
        )
