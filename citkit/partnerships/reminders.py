"""E-mail reminders for MOUs: the review date, the last day to give notice before the
term renews or ends, the end of a term that does not renew, and signatures still
outstanding after `SIGNATURES_OUTSTANDING_DAYS`.

As for action items (committee.reminders), each reminder is logged under a unique
constraint (MOU, kind, date, recipient) before it is sent, so running twice, or on
two machines at once, sends nothing twice; a new date allows a new reminder.
Reminders go to the program's coordinators; those about signatures also to the
administrators of the parties that have not signed.
"""

import datetime
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from citkit.core.models import Membership, Program, Role
from citkit.partnerships.models import Mou, MouReminderLog, MouStatus
from citkit.partnerships.services import outstanding_parties

AHEAD_DAYS = 30  # a review date or a notice deadline is announced this far ahead
SIGNATURES_OUTSTANDING_DAYS = 14


@dataclass
class ReminderResult:
    sent: int = 0
    already_sent: int = 0


@dataclass(frozen=True)
class Due:
    mou: Mou
    kind: str
    key_date: datetime.date
    text: str


def due_reminders(program: Program, today: datetime.date) -> list[Due]:
    horizon = today + datetime.timedelta(days=AHEAD_DAYS)
    found: list[Due] = []
    live = Mou.objects.filter(program=program).exclude(
        status__in=[MouStatus.EXPIRED, MouStatus.TERMINATED, MouStatus.SUPERSEDED]
    )
    # A review date is announced from 30 days ahead until 30 days after it.
    since = today - datetime.timedelta(days=AHEAD_DAYS)
    for mou in live.filter(review_date__gte=since, review_date__lte=horizon):
        found.append(
            Due(
                mou,
                MouReminderLog.Kind.REVIEW,
                mou.review_date,
                f"is due for review on {mou.review_date:%B %-d, %Y}",
            )
        )
    for mou in live.filter(status=MouStatus.EXECUTED, ends_on__isnull=False):
        deadline = mou.notice_deadline()
        if deadline is not None and today <= deadline <= horizon:
            what = "renews automatically" if mou.auto_renew else "ends"
            found.append(
                Due(
                    mou,
                    MouReminderLog.Kind.NOTICE,
                    deadline,
                    f"{what} on {mou.ends_on:%B %-d, %Y}; notice must be given by "
                    f"{deadline:%B %-d, %Y}",
                )
            )
        if not mou.auto_renew and today <= mou.ends_on <= horizon:
            found.append(
                Due(
                    mou,
                    MouReminderLog.Kind.EXPIRY,
                    mou.ends_on,
                    f"expires on {mou.ends_on:%B %-d, %Y}: renew it or let it end",
                )
            )
    waiting_since = timezone.now() - datetime.timedelta(days=SIGNATURES_OUTSTANDING_DAYS)
    for mou in live.filter(
        status=MouStatus.OUT_FOR_SIGNATURE, status_changed_at__lte=waiting_since
    ):
        missing = outstanding_parties(mou)
        if missing:
            sent_on = timezone.localtime(mou.status_changed_at, program.zone).date()
            names = ", ".join(str(p.agency) for p in missing)
            found.append(
                Due(
                    mou,
                    MouReminderLog.Kind.SIGNATURES,
                    sent_on,
                    f"has waited for signatures since {sent_on:%B %-d}: still to sign: {names}",
                )
            )
    return found


def _recipients(due: Due) -> list[str]:
    roles = Membership.objects.filter(program=due.mou.program).select_related("user")
    emails = {m.user.email for m in roles.filter(role=Role.COORDINATOR) if m.user.email}
    if due.kind == MouReminderLog.Kind.SIGNATURES:
        agencies = [p.agency_id for p in outstanding_parties(due.mou)]
        emails |= {
            m.user.email
            for m in roles.filter(role=Role.AGENCY_ADMIN, agency_id__in=agencies)
            if m.user.email
        }
    return sorted(emails)


def send_mou_reminders(*, programs=None, base_url: str = "") -> ReminderResult:
    result = ReminderResult()
    for program in programs or Program.objects.all():
        today = program.today()
        for due in due_reminders(program, today):
            for email in _recipients(due):
                try:
                    # Logged first, in the transaction: a second run stops on the constraint.
                    with transaction.atomic():
                        MouReminderLog.objects.create(
                            mou=due.mou,
                            kind=due.kind,
                            key_date=due.key_date,
                            recipient=email,
                            sent_at=timezone.now(),
                        )
                        _send(due, email, base_url)
                except IntegrityError:
                    result.already_sent += 1
                    continue
                result.sent += 1
    return result


def _send(due: Due, email: str, base_url: str) -> None:
    mou = due.mou
    link = f"{base_url.rstrip('/')}{mou.get_absolute_url()}" if base_url else mou.get_absolute_url()
    subject = f"MOU {MouReminderLog.Kind(due.kind).label.lower()}: {mou.title}"
    body = f"The MOU “{mou.title}” of {mou.program.name} {due.text}.\n\nOpen it: {link}\n"
    send_mail(subject, body, None, [email])
