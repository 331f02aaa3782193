"""manage.py hsds_import <program> FILE: import an Open Referral HSDS 3 data package
into the program's directory as the system, all of it or nothing. Prints what was
created and updated, or every problem of the package (and exits non-zero)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from citkit.core.audit import audit_context
from citkit.core.models import Program
from citkit.partnerships.hsds.importing import HsdsImportError, describe, import_package


class Command(BaseCommand):
    help = "Import an HSDS 3 data package (zip) into a program's directory, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("program", help="The program's slug.")
        parser.add_argument(
            "file", help="The data package: a zip of CSV files and datapackage.json."
        )

    def handle(self, *args, program, file, **options):
        found = Program.objects.filter(slug=program).first()
        if found is None:
            raise CommandError(f"No program has the slug {program!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        if path.stat().st_size > settings.CITKIT_IMPORT_MAX_BYTES:
            raise CommandError(f"{file} is larger than CITKIT_IMPORT_MAX_BYTES.")
        try:
            with audit_context(source="command", label="command hsds_import"):
                counts = import_package(actor=None, program=found, content=path.read_bytes())
        except HsdsImportError as exc:
            raise CommandError(exc.summary()) from None
        for line in describe(counts):
            self.stdout.write(line)
        self.stdout.write(
            f"Imported into {found.name}: {counts['created']} created, "
            f"{counts['updated']} updated, {counts['unchanged']} unchanged."
        )
