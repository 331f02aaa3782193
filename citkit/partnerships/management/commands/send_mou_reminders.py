"""Mail MOU reminders (review dates, notice deadlines, ends of term, outstanding
signatures); the worker runs it daily."""

from django.core.management.base import BaseCommand

from citkit.core.models import Program
from citkit.partnerships.reminders import send_mou_reminders


class Command(BaseCommand):
    help = "E-mail MOU reminders now (never twice for the same date)."

    def add_arguments(self, parser):
        parser.add_argument("--program", help="only this program (slug)")
        parser.add_argument(
            "--base-url", default="", help="site address for links, e.g. https://cit.example.org"
        )

    def handle(self, *args, program=None, base_url="", **options):
        programs = Program.objects.filter(slug=program) if program else None
        result = send_mou_reminders(programs=programs, base_url=base_url)
        self.stdout.write(f"Sent {result.sent} reminder(s); {result.already_sent} already sent.")
