"""The partnerships' daily jobs: renew or expire MOUs whose term ended, then e-mail
the MOU reminders. Both are safe to run twice (see reminders.py and
services.renew_and_expire)."""

from django.conf import settings
from django_tasks import task

from citkit.core.models import Program
from citkit.core.schedules import periodic
from citkit.partnerships.reminders import send_mou_reminders
from citkit.partnerships.services import renew_and_expire


@periodic("FREQ=DAILY;BYHOUR=11;BYMINUTE=30;BYSECOND=0")
@task()
def mou_terms_and_reminders() -> dict:
    renewed = expired = 0
    for program in Program.objects.all():
        counts = renew_and_expire(program)
        renewed += counts["renewed"]
        expired += counts["expired"]
    result = send_mou_reminders(base_url=settings.CITKIT_SITE_URL)
    return {"renewed": renewed, "expired": expired, "sent": result.sent}
