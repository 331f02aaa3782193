"""Back up the whole database to a file: `manage.py backup PATH [--verify]`."""

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from citkit.core.backups import BackupError, backup

logger = logging.getLogger("citkit.backup")


class Command(BaseCommand):
    help = (
        "Back up the database to a file while the site runs: SQLite through its online "
        "backup API, PostgreSQL with pg_dump --format=custom. Restore it with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the file to write")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="print the rows of each table and a checksum of what the backup holds",
        )
        parser.add_argument("--force", action="store_true", help="replace an existing file")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path: Path, verify: bool, force: bool, database: str, **options):
        if path.is_dir():
            raise CommandError(f"{path} is a folder; name the backup file to write.")
        if path.exists() and not force:
            raise CommandError(f"{path} exists; pass --force to replace it.")
        connection = connections[database]
        try:
            summary = backup(connection, path, verify=verify)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = path.stat().st_size
        logger.info("Backed up the %s database to %s (%d bytes)", connection.vendor, path, size)
        self.stdout.write(f"Backed up the database to {path} ({size / 1_000_000:,.1f} MB).")
        if summary is not None:
            self.stdout.write("\n".join(summary.lines()))
