"""Record this week's plan completion for every program (run weekly; safe to re-run)."""

from django.core.management.base import BaseCommand

from citkit.core.models import Program
from citkit.plan.services import snapshot_take


class Command(BaseCommand):
    help = "Record this week's completion of each program's implementation plan."

    def handle(self, *args, **options):
        for program in Program.objects.all():
            snapshot = snapshot_take(program=program)
            self.stdout.write(f"{program.slug}: {snapshot.overall}% (week of {snapshot.week})")
