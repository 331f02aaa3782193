"""manage.py import_roster: import a CSV/XLSX roster as a given user, all rows or none.

It runs the import in its own process (no worker needed), reading the file from disk as
a stream, with a progress bar on the terminal.
"""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from citkit.core.audit import audit_context
from citkit.core.models import Program
from citkit.people import importing


def parse_mapping(text: str) -> dict[str, str]:
    """'Surname=last_name,Badge #=badge_number,Notes=' -> {header: field} ("" ignores)."""
    mapping = {}
    for part in text.split(","):
        if not part.strip():
            continue
        header, sep, field = part.rpartition("=")
        if not sep or not header.strip():
            raise CommandError(f"--map: write each column as Header=field, not {part.strip()!r}.")
        mapping[header.strip()] = field.strip()
    return mapping


def _plain(text: str) -> str:
    return text  # progress on standard error, but not in the colour of an error


class TerminalProgress:
    """The import's progress as one line redrawn in place (a terminal), or one line per
    step (a log file or a pipe)."""

    WIDTH = 30
    INTERVAL = 0.2  # seconds between redraws

    def __init__(self, out):
        self.out = out
        self.counts: dict = {}
        self.live = bool(getattr(out, "isatty", lambda: False)())
        self._drawn_at = 0.0
        self._drawn = False

    def update(self, **counts) -> None:
        phase_changed = "phase" in counts and counts["phase"] != self.counts.get("phase")
        self.counts.update(counts)
        if not self.live:
            if phase_changed:
                self.out.write(self.counts["phase"], style_func=_plain)
            return
        now = time.monotonic()
        if phase_changed or now - self._drawn_at >= self.INTERVAL:
            self._drawn_at = now
            self.out.write("\r" + self.line(), style_func=_plain, ending="")
            self.out.flush()
            self._drawn = True

    def line(self) -> str:
        total = self.counts.get("total") or 0
        checked = self.counts.get("checked") or 0
        written = self.counts.get("written") or 0
        done = written or checked
        share = min(1.0, done / total) if total else 0.0
        filled = int(share * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        errors = self.counts.get("errors") or 0
        return (
            f"[{bar}] {share:4.0%}  {checked:,} checked, {written:,} written, "
            f"{errors:,} problem{'s' if errors != 1 else ''}  {self.counts.get('phase', '')}"
        ).ljust(100)

    def end(self) -> None:
        """Leave the redrawn line, so that what follows starts on a line of its own."""
        if self.live and self._drawn:
            self.out.write("", style_func=_plain)
            self._drawn = False


class Command(BaseCommand):
    help = (
        "Import people from a roster file (CSV UTF-8 or .xlsx) into a program, acting as a "
        "user with that user's permissions. Every row is checked first; on any problem "
        "nothing is written and the command exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The roster: .csv (UTF-8) or .xlsx.")
        parser.add_argument("--program", required=True, help="The program's slug.")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="Act as this user: a coordinator, or an agency administrator for own agency.",
        )
        parser.add_argument(
            "--map",
            dest="mapping",
            default="",
            help='Columns to match by hand, e.g. "Surname=last_name,Dept=agency,Notes=" '
            "(an empty field ignores the column); the others are guessed from their headers.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row but write nothing."
        )

    def handle(self, *args, file, program, username, mapping, dry_run, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        program_obj = Program.objects.filter(slug=program).first()
        if program_obj is None:
            raise CommandError(f"No program with the slug {program!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        chosen = parse_mapping(mapping)

        progress = TerminalProgress(self.stderr)
        with audit_context(source="command", label="command import_roster"):
            try:
                importing.check_size(path.stat().st_size)
                with path.open("rb") as roster_file:
                    count = importing.import_file(
                        actor=user,
                        program=program_obj,
                        filename=path.name,
                        content=roster_file,
                        mapping=chosen,
                        dry_run=dry_run,
                        progress=progress,
                    )
            except Http404:
                raise CommandError(f"{username} is not a member of {program}.") from None
            except PermissionDenied as exc:
                raise CommandError(f"{username} may not import people: {exc}") from None
            except importing.RosterImportError as exc:
                progress.end()
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                total = len(exc.problems) + exc.more
                if exc.more:
                    self.stderr.write(f"... and {exc.more} more.")
                raise CommandError(
                    f"Nothing was imported: {total} problem{'s' if total != 1 else ''} "
                    f"in {path.name}."
                ) from None
            finally:
                progress.end()

        if dry_run:
            self.stdout.write(
                f"All {count} rows of {path.name} can be imported. Nothing was written (dry run)."
            )
        else:
            noun = "person" if count == 1 else "people"
            self.stdout.write(self.style.SUCCESS(f"Imported {count} {noun} from {path.name}."))
