"""manage.py hsds_export <program> [--format csv|json] -o FILE: the program's directory
as an Open Referral HSDS 3 data package (a zip). See docs/hsds.md."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from citkit.core.models import Program
from citkit.partnerships.hsds.export import FORMATS, export_package


class Command(BaseCommand):
    help = "Export a program's crisis-services directory as an HSDS 3 data package (zip)."

    def add_arguments(self, parser):
        parser.add_argument("program", help="The program's slug.")
        parser.add_argument("--format", choices=FORMATS, default="csv", dest="fmt")
        parser.add_argument("-o", "--output", required=True, help="The zip file to write.")

    def handle(self, *args, program, fmt, output, **options):
        found = Program.objects.filter(slug=program).first()
        if found is None:
            raise CommandError(f"No program has the slug {program!r}.")
        content = export_package(found, fmt=fmt)
        Path(output).write_bytes(content)
        self.stdout.write(f"Wrote {output} ({len(content):,} bytes, {fmt}).")
