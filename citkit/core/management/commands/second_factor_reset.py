"""Reset an account's two-factor sign-in (deployment administrators only)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from citkit.core import mfa
from citkit.core.audit import audit_context


class Command(BaseCommand):
    help = (
        "Remove an account's authenticator app and recovery codes, so that it sets up a new "
        "app at its next sign-in. For accounts a program coordinator may not reset (members "
        "of several programs, administrators). Recorded in each of the account's programs."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            with audit_context(source="command", label="command second_factor_reset"):
                mfa.second_factor_reset(actor=None, program=None, user=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Two-factor sign-in of {username} is reset; its sessions ended.")
        )
