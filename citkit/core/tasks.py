"""Core's periodic jobs: expired sessions, old jobs and their files, stale heartbeats."""

import datetime

from django.core import management
from django.utils import timezone
from django_tasks import task

from citkit.core.models import Job, WorkerHeartbeat
from citkit.core.schedules import periodic

# Finished jobs (and an export's file) are kept this long for the person who asked.
JOB_RETENTION = datetime.timedelta(days=7)


@periodic("FREQ=DAILY;BYHOUR=3;BYMINUTE=0;BYSECOND=0")
@task()
def clear_expired_sessions() -> None:
    """Django keeps expired sessions until something deletes them; the list of
    signed-in sessions forgets those that are gone with them."""
    from citkit.core.sessions import forget_ended_sessions

    management.call_command("clearsessions")
    forget_ended_sessions()


@periodic("FREQ=DAILY;BYHOUR=3;BYMINUTE=30;BYSECOND=0")
@task()
def prune_finished_jobs() -> int:
    """Delete jobs finished more than JOB_RETENTION ago, their files and stale heartbeats."""
    cutoff = timezone.now() - JOB_RETENTION
    old = Job.objects.filter(finished_at__lt=cutoff)
    count = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        count += 1
    old.delete()
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - datetime.timedelta(days=1)).delete()
    return count
