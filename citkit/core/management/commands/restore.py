"""Replace the database with a backup: `manage.py restore PATH [--yes] [--verify]`."""

import datetime
import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from citkit.core import freshness
from citkit.core.backups import BackupError, backup_kind, restore, summarize
from citkit.core.models import Program

logger = logging.getLogger("citkit.backup")


class Command(BaseCommand):
    help = (
        "Replace everything in the database with a backup written by `backup` (of the "
        "same engine). Stop the web server and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup file")
        parser.add_argument("--yes", action="store_true", help="do not ask first")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="print the rows of each table and a checksum of the restored database",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path: Path, yes: bool, verify: bool, database: str, **options):
        if not path.is_file():
            raise CommandError(f"There is no backup file {path}.")
        connection = connections[database]
        if backup_kind(path) is None:
            # Refused before asking: there is nothing to confirm.
            raise CommandError(
                f"{path} is not a citkit backup: neither a SQLite database nor a pg_dump "
                "archive. Nothing was restored."
            )
        if not yes:
            self.confirm(path, connection)
        try:
            restore(connection, path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        logger.warning("Restored the %s database from %s", connection.vendor, path)
        # Figures kept from the data before (core.freshness) must not outlive it.
        freshness.changed_everywhere(Program.objects.using(database).values_list("pk", flat=True))
        self.stdout.write(f"Restored the database from {path}.")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stdout.write(
                f"The backup is from an older version: {len(pending)} migration(s) to apply. "
                "Run `manage.py migrate` before starting the site."
            )
        if verify:
            self.stdout.write("\n".join(summarize(connection).lines()))

    def confirm(self, path: Path, connection) -> None:
        taken = datetime.datetime.fromtimestamp(path.stat().st_mtime).astimezone()
        name = connection.settings_dict["NAME"]
        self.stdout.write(
            f"This replaces everything in the {connection.vendor} database {name} with the "
            f"backup {path} (written {taken:%Y-%m-%d %H:%M %Z}).\n"
            "Every change made since then is lost. Stop the web server and the worker first."
        )
        try:
            answer = input('Type "yes" to restore: ')
        except EOFError:
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError("Nothing was restored (pass --yes to restore without asking).")
