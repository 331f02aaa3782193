"""E-mail reminders for action items due soon or overdue.

`manage.py send_reminders` runs this from a scheduler (cron, a systemd timer,
a worker). Each reminder is logged in ReminderLog under a unique constraint on
(item, kind, due date), so running it twice — or on two machines at once —
sends nothing twice; moving the due date allows a new reminder.
"""

import datetime
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from citkit.committee.models import ActionItem, ReminderLog
from citkit.core.models import Program

DUE_SOON_DAYS = 3


@dataclass
class ReminderResult:
    sent: int = 0
    skipped_no_email: int = 0
    already_sent: int = 0


def _kind(item: ActionItem, today: datetime.date) -> str | None:
    if item.is_overdue(today):
        return ReminderLog.Kind.OVERDUE
    if item.due_date <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return ReminderLog.Kind.DUE_SOON
    return None


def send_reminders(*, programs=None, base_url: str = "") -> ReminderResult:
    result = ReminderResult()
    for program in programs or Program.objects.all():
        today = program.today()
        horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        items = (
            # Only owners still in the program: someone who has left gets no more
            # titles and links of its work by e-mail.
            ActionItem.objects.filter(
                program=program, due_date__lte=horizon, owner__memberships__program=program
            )
            .open()
            .select_related("owner", "program")
            .order_by("due_date", "id")
        )
        logged = set(
            ReminderLog.objects.filter(action_item__in=items).values_list(
                "action_item_id", "kind", "due_date"
            )
        )
        for item in items:
            kind = _kind(item, today)
            if kind is None:
                continue
            if (item.pk, kind, item.due_date) in logged:
                result.already_sent += 1
                continue
            if not item.owner.email:
                result.skipped_no_email += 1
                continue
            try:
                # The log row is written first, inside the transaction: if another run
                # got there first the constraint stops us before anything is sent.
                with transaction.atomic():
                    ReminderLog.objects.create(
                        action_item=item,
                        kind=kind,
                        due_date=item.due_date,
                        recipient=item.owner.email,
                        sent_at=timezone.now(),
                    )
                    _send(item, kind, today, base_url)
            except IntegrityError:
                result.already_sent += 1
                continue
            result.sent += 1
    return result


def _send(item: ActionItem, kind: str, today: datetime.date, base_url: str) -> None:
    if kind == ReminderLog.Kind.OVERDUE:
        days = (today - item.due_date).days
        subject = f"Overdue: {item.title}"
        when = f"was due on {item.due_date:%A %B %-d} ({days} day{'s' if days != 1 else ''} ago)"
    else:
        subject = f"Due soon: {item.title}"
        when = f"is due on {item.due_date:%A %B %-d}"
    link = (
        f"{base_url.rstrip('/')}{item.get_absolute_url()}" if base_url else item.get_absolute_url()
    )
    body = (
        f"Hello {item.owner.get_full_name() or item.owner.get_username()},\n\n"
        f"Your action item for {item.program.name} {when}:\n\n"
        f"    {item.title}\n\n"
        f"Open it to update its status: {link}\n"
    )
    send_mail(subject, body, None, [item.owner.email])
