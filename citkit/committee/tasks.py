"""The committee's periodic job: e-mail reminders for action items, daily."""

from django.conf import settings
from django_tasks import task

from citkit.committee.reminders import send_reminders
from citkit.core.schedules import periodic


# 12:00 UTC is morning across the Americas; a run never sends a reminder twice
# (ReminderLog), so a late or repeated run is harmless.
@periodic("FREQ=DAILY;BYHOUR=12;BYMINUTE=0;BYSECOND=0")
@task()
def send_due_reminders() -> dict:
    result = send_reminders(base_url=settings.CITKIT_SITE_URL)
    return {"sent": result.sent, "already_sent": result.already_sent}
