"""The plan's periodic job: each program's weekly progress snapshot for the dashboard chart."""

from django_tasks import task

from citkit.core.models import Program
from citkit.core.schedules import periodic
from citkit.plan.models import Phase
from citkit.plan.services import snapshot_take


# Monday 06:00 UTC: the week that just began gets its snapshot; re-running replaces it.
@periodic("FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=0;BYSECOND=0")
@task()
def take_weekly_snapshots() -> int:
    count = 0
    for program in Program.objects.filter(pk__in=Phase.objects.values("program")):
        snapshot_take(program=program)
        count += 1
    return count
