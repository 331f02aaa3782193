"""Mail owners of action items due within 3 days or overdue; run it daily from a scheduler."""

from django.core.management.base import BaseCommand

from citkit.committee.reminders import send_reminders
from citkit.core.models import Program


class Command(BaseCommand):
    help = "E-mail reminders for action items due soon or overdue (never twice for one due date)."

    def add_arguments(self, parser):
        parser.add_argument("--program", help="only this program (slug)")
        parser.add_argument(
            "--base-url", default="", help="site address for links, e.g. https://cit.example.org"
        )

    def handle(self, *args, program=None, base_url="", **options):
        programs = Program.objects.filter(slug=program) if program else None
        result = send_reminders(programs=programs, base_url=base_url)
        self.stdout.write(
            f"Sent {result.sent} reminder(s); {result.already_sent} already sent; "
            f"{result.skipped_no_email} owner(s) without an e-mail address."
        )
