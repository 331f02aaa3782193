"""MOU reminders by e-mail (review date, notice deadline, signatures outstanding), sent
once each, and the daily task that renews or expires MOUs whose term ended."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone

from citkit.core.models import Membership, Role
from citkit.partnerships import reminders, services, tasks
from citkit.partnerships.models import Mou, MouReminderLog, MouStatus
from citkit.partnerships.tests.conftest import draft_mou, to_signature
from citkit.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def executed_mou(program, parties, *, title="Executed MOU"):
    mou, made = draft_mou(program, parties, title=title)
    to_signature(mou)
    for party in made:
        services.mou_sign(actor=None, party=party, method="typed", attestation="Signed")
    mou.refresh_from_db()
    assert mou.status == MouStatus.EXECUTED
    return mou


def move(mou, **fields):
    Mou.objects.filter(pk=mou.pk).update(**fields)
    mou.refresh_from_db()
    return mou


@pytest.fixture
def clinic_admin(program_a, clinic_a):
    user = UserFactory(username="clinic_admin_a")
    Membership.objects.create(user=user, program=program_a, role=Role.AGENCY_ADMIN, agency=clinic_a)
    return user


def test_a_review_date_within_30_days_mails_the_coordinator_once(
    program_a, police_a, clinic_a, coordinator, mailoutbox
):
    mou, _ = draft_mou(program_a, [police_a, clinic_a], title="Draft MOU")
    move(mou, review_date=program_a.today() + 10 * DAY)
    first = reminders.send_mou_reminders()
    assert (first.sent, first.already_sent) == (1, 0)
    [message] = mailoutbox
    assert message.to == [coordinator.email]
    assert message.subject == "MOU review date: Draft MOU"
    assert "is due for review on" in message.body
    assert mou.get_absolute_url() in message.body

    second = reminders.send_mou_reminders()
    assert (second.sent, second.already_sent) == (0, 1)
    assert len(mailoutbox) == 1
    assert MouReminderLog.objects.filter(mou=mou, kind="review").count() == 1


def test_a_review_date_more_than_30_days_ahead_mails_nobody(
    program_a, police_a, clinic_a, coordinator, mailoutbox
):
    mou, _ = draft_mou(program_a, [police_a, clinic_a])
    move(mou, review_date=program_a.today() + 31 * DAY)
    assert reminders.send_mou_reminders().sent == 0
    assert mailoutbox == []


def test_a_new_review_date_earns_a_new_reminder(
    program_a, police_a, clinic_a, coordinator, mailoutbox
):
    mou, _ = draft_mou(program_a, [police_a, clinic_a])
    move(mou, review_date=program_a.today() + 5 * DAY)
    reminders.send_mou_reminders()
    move(mou, review_date=program_a.today() + 6 * DAY)
    assert reminders.send_mou_reminders().sent == 1
    assert len(mailoutbox) == 2


def test_a_notice_deadline_within_30_days_mails_the_coordinator(
    program_a, police_a, clinic_a, coordinator, mailoutbox
):
    mou = executed_mou(program_a, [police_a, clinic_a])
    assert reminders.send_mou_reminders().sent == 0  # a year ahead: nothing yet
    today = program_a.today()
    move(mou, ends_on=today + 70 * DAY, notice_days=60)
    result = reminders.send_mou_reminders()
    assert result.sent == 1
    [message] = mailoutbox
    assert message.to == [coordinator.email]
    assert message.subject == "MOU notice deadline before renewal or expiry: Executed MOU"
    assert "renews automatically" in message.body
    deadline = today + 10 * DAY
    assert f"notice must be given by {deadline:%B} {deadline.day}, {deadline.year}" in message.body
    assert MouReminderLog.objects.get(mou=mou).key_date == deadline


def test_a_notice_deadline_already_past_mails_nobody(
    program_a, police_a, clinic_a, coordinator, mailoutbox
):
    mou = executed_mou(program_a, [police_a, clinic_a])
    move(mou, ends_on=program_a.today() + 50 * DAY, notice_days=60)
    assert reminders.send_mou_reminders().sent == 0
    assert mailoutbox == []


def test_signatures_outstanding_for_over_14_days_mail_the_coordinator_and_the_unsigned_parties(
    program_a, police_a, clinic_a, coordinator, members, clinic_admin, mailoutbox
):
    mou, (police_party, _) = draft_mou(program_a, [police_a, clinic_a], title="Signing")
    to_signature(mou)
    services.mou_sign(actor=None, party=police_party, method="typed", attestation="Chief")
    move(mou, status_changed_at=timezone.now() - 15 * DAY)
    result = reminders.send_mou_reminders()
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted([coordinator.email, clinic_admin.email])
    assert members[Role.AGENCY_ADMIN].email not in recipients
    assert result.sent == 2
    assert all(m.subject == "MOU signatures outstanding: Signing" for m in mailoutbox)
    assert "still to sign: Riverbend Behavioral Health" in mailoutbox[0].body
    assert "Riverbend Police Department" not in mailoutbox[0].body

    again = reminders.send_mou_reminders()
    assert (again.sent, again.already_sent) == (0, 2)
    assert len(mailoutbox) == 2


def test_signatures_outstanding_for_13_days_mail_nobody(
    program_a, police_a, clinic_a, coordinator, clinic_admin, mailoutbox
):
    mou, _ = draft_mou(program_a, [police_a, clinic_a])
    to_signature(mou)
    move(mou, status_changed_at=timezone.now() - 13 * DAY)
    assert reminders.send_mou_reminders().sent == 0
    assert mailoutbox == []


def test_a_coordinator_without_an_email_address_gets_nothing(
    program_a, police_a, clinic_a, coordinator, mailoutbox
):
    get_user_model().objects.filter(pk=coordinator.pk).update(email="")
    mou, _ = draft_mou(program_a, [police_a, clinic_a])
    move(mou, review_date=program_a.today() + 3 * DAY)
    result = reminders.send_mou_reminders()
    assert (result.sent, result.already_sent) == (0, 0)
    assert mailoutbox == []
    assert not MouReminderLog.objects.exists()


def test_a_superseded_or_terminated_mou_earns_no_reminder(
    program_a, police_a, clinic_a, coordinator, mailoutbox
):
    mou, _ = draft_mou(program_a, [police_a, clinic_a])
    for status in (MouStatus.SUPERSEDED, MouStatus.TERMINATED, MouStatus.EXPIRED):
        move(mou, status=status, review_date=program_a.today() + 3 * DAY)
        assert reminders.send_mou_reminders().sent == 0
    assert mailoutbox == []


def test_the_daily_task_renews_an_auto_renewing_mou_and_expires_one_that_does_not_renew(
    program_a, police_a, clinic_a, coordinator, mailoutbox
):
    today = program_a.today()
    renewing = executed_mou(program_a, [police_a, clinic_a], title="Renews")
    ending = executed_mou(program_a, [police_a, clinic_a], title="Ends")
    ended = today - 5 * DAY
    move(renewing, ends_on=ended, auto_renew=True, renewal_months=12)
    move(ending, ends_on=ended, auto_renew=False)

    result = tasks.mou_terms_and_reminders.call()

    assert (result["renewed"], result["expired"]) == (1, 1)
    renewing.refresh_from_db()
    ending.refresh_from_db()
    assert renewing.status == MouStatus.EXECUTED
    assert renewing.ends_on == ended + DAY + relativedelta(months=12) - DAY
    assert renewing.ends_on >= today
    assert ending.status == MouStatus.EXPIRED
    assert ending.ends_on == ended


def test_the_daily_task_run_twice_changes_nothing_more(
    program_a, police_a, clinic_a, coordinator, mailoutbox
):
    renewing = executed_mou(program_a, [police_a, clinic_a], title="Renews")
    move(renewing, ends_on=program_a.today() - 3 * DAY)
    assert tasks.mou_terms_and_reminders.call()["renewed"] == 1
    renewing.refresh_from_db()
    ends = renewing.ends_on
    assert tasks.mou_terms_and_reminders.call() == {"renewed": 0, "expired": 0, "sent": 0}
    renewing.refresh_from_db()
    assert renewing.ends_on == ends


def test_renew_and_expire_runs_a_long_lapsed_renewal_on_to_a_term_that_includes_today(
    program_a, police_a, clinic_a
):
    today = program_a.today()
    mou = executed_mou(program_a, [police_a, clinic_a])
    move(mou, ends_on=today - 800 * DAY, renewal_months=12)
    assert services.renew_and_expire(program_a) == {"renewed": 1, "expired": 0}
    mou.refresh_from_db()
    assert today <= mou.ends_on < today + 366 * DAY


def test_the_end_of_a_term_that_does_not_renew_mails_the_coordinator(
    program_a, police_a, clinic_a, coordinator, mailoutbox
):
    mou = executed_mou(program_a, [police_a, clinic_a], title="Ends")
    move(mou, auto_renew=False, ends_on=program_a.today() + 20 * DAY, notice_days=60)
    assert reminders.send_mou_reminders().sent == 1
    [message] = mailoutbox
    assert message.subject == "MOU term ends: Ends"
    assert "renew it or let it end" in message.body
