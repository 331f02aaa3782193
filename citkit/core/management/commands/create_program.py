"""Create a program and its first coordinator (deployment administrators only)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from citkit.core import services
from citkit.core.audit import audit_context
from citkit.core.models import Role


class Command(BaseCommand):
    help = "Create a CIT program with an existing user as its first coordinator."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--jurisdiction", required=True)
        parser.add_argument("--time-zone", dest="time_zone", default="America/Chicago")
        parser.add_argument("--coordinator", required=True, help="user name of the coordinator")

    def handle(self, *args, slug, name, jurisdiction, time_zone, coordinator, **options):
        user = get_user_model().objects.filter(username=coordinator).first()
        if user is None:
            raise CommandError(f"No user named {coordinator!r}; create it with createsuperuser.")
        try:
            with (
                audit_context(source="command", label="command create_program"),
                transaction.atomic(),
            ):
                program = services.program_create(
                    actor=None,
                    name=name,
                    slug=slug,
                    jurisdiction=jurisdiction,
                    time_zone=time_zone,
                )
                services.membership_create(
                    actor=None, program=program, user=user, role=Role.COORDINATOR
                )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {program.name} ({program.slug})."))
