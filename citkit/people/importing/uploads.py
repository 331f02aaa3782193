"""Roster files waiting between the upload page and the column-matching page."""

import datetime

from django.db import transaction
from django.utils import timezone

from citkit.core.models import Program
from citkit.people.models import RosterUpload

# Long enough to finish matching columns after a break; after that the file is abandoned.
UPLOAD_MAX_AGE = datetime.timedelta(hours=24)


def store_upload(*, program: Program, user, filename: str, content: bytes) -> RosterUpload:
    """Keep a file that read cleanly until its columns are matched; the caller checks access.

    One waiting file per person and program: a new upload replaces the last.
    """
    with transaction.atomic():
        # Uploads live in the database so any app server can finish the import; nothing
        # else removes the ones people walk away from, so they must not pile up. Every
        # upload sweeps out the abandoned ones, in all programs.
        RosterUpload.objects.filter(created_at__lt=timezone.now() - UPLOAD_MAX_AGE).delete()
        RosterUpload.objects.filter(program=program, uploaded_by=user).delete()
        return RosterUpload.objects.create(
            program=program, uploaded_by=user, filename=filename[-255:], content=content
        )


def discard_upload(upload: RosterUpload) -> None:
    """The person gave up on this file: nothing of it was imported."""
    upload.delete()
