"""Change a program's name, jurisdiction or time zone from the command line."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from citkit.core import services
from citkit.core.audit import audit_context
from citkit.core.models import Program


class Command(BaseCommand):
    help = "Change a program's settings, acting as a coordinator of that program."

    def add_arguments(self, parser):
        parser.add_argument("program", help="the program's slug")
        parser.add_argument("--as", dest="username", required=True, help="acting user")
        parser.add_argument("--name")
        parser.add_argument("--jurisdiction")
        parser.add_argument("--time-zone", dest="time_zone")

    def handle(self, *args, program, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        target = Program.objects.filter(slug=program).first()
        if target is None:
            raise CommandError(f"No program {program!r}.")
        data = {k: options[k] for k in ("name", "jurisdiction", "time_zone") if options[k]}
        if not data:
            raise CommandError("Nothing to change: give --name, --jurisdiction or --time-zone.")
        try:
            with audit_context(source="command", label="command set_program"):
                services.program_update(actor=user, program=target, data=data)
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        except (PermissionDenied, Http404) as exc:
            raise CommandError(f"{username} may not change {program}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Saved {target.slug}: {', '.join(data)}"))
