"""The committee's rules: composition, subcommittee balance, action items, reminders."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from citkit.committee import services
from citkit.committee.models import ActionItem, ReminderLog
from citkit.committee.reminders import send_reminders
from citkit.committee.selectors import committee_composition, subcommittee_balance
from citkit.core.models import AuditEntry, Membership, Role
from citkit.testing.factories import AgencyFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)


def _seat(actor, program, **data):
    return services.seat_create(actor=actor, program=program, data={"start_date": START, **data})


def test_an_empty_committee_misses_all_three_core_partners(program_a):
    check = committee_composition(program_a)
    assert not check.complete
    assert check.missing == [
        "Law enforcement",
        "Mental-health provider",
        "Advocate (lived experience or family)",
    ]


def test_seats_count_by_seat_type_or_by_agency_type(coordinator, program_a, police_a, clinic_a):
    _seat(
        coordinator,
        program_a,
        holder_name="Chief Ward",
        agency=police_a,
        seat_type="agency_executive",
    )
    _seat(coordinator, program_a, holder_name="Dr. Okafor", agency=clinic_a)
    assert committee_composition(program_a).missing == ["Advocate (lived experience or family)"]
    _seat(coordinator, program_a, holder_name="Rosa Lind", seat_type="advocate")
    assert committee_composition(program_a).complete


def test_a_seat_that_has_ended_no_longer_counts(coordinator, program_a):
    _seat(
        coordinator,
        program_a,
        holder_name="Rosa Lind",
        seat_type="advocate",
        end_date=START + datetime.timedelta(days=30),
    )
    assert "Advocate (lived experience or family)" in committee_composition(program_a).missing


def test_a_seat_cannot_end_before_it_starts(coordinator, program_a):
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        _seat(coordinator, program_a, holder_name="X", end_date=START - datetime.timedelta(days=1))


def test_a_seat_agency_must_be_a_partner_of_the_program(coordinator, program_a, agency_b):
    with pytest.raises(ValidationError, match="not a partner"):
        _seat(coordinator, program_a, holder_name="X", agency=agency_b)


def test_the_default_subcommittees_are_seeded_once(coordinator, program_a):
    first = services.subcommittees_seed(actor=coordinator, program=program_a)
    again = services.subcommittees_seed(actor=coordinator, program=program_a)
    assert [s.name for s in first] == ["Systems", "Data", "Training"]
    assert again == []


def test_a_subcommittee_shows_which_perspectives_it_lacks(coordinator, program_a):
    sub = services.subcommittee_create(
        actor=coordinator, program=program_a, data={"name": "Training"}
    )
    services.subcommittee_member_add(
        actor=coordinator, subcommittee=sub, data={"name": "Sgt. Diaz", "perspective": "officer"}
    )
    assert subcommittee_balance(sub) == {"officer": True, "provider": False, "advocate": False}


def test_only_committee_managers_change_the_committee(members, program_a):
    for role in (Role.AGENCY_ADMIN, Role.TRAINER, Role.OFFICER, Role.DISPATCHER, Role.ANALYST):
        with pytest.raises(PermissionDenied):
            _seat(members[role], program_a, holder_name="X")
    assert _seat(members[Role.COMMITTEE_MEMBER], program_a, holder_name="Y").pk


def _item(actor, program, owner, due, **extra):
    return services.action_item_create(
        actor=actor,
        program=program,
        data={"title": "Draft the MOU", "owner": owner, "due_date": due, **extra},
    )


def test_an_action_item_owner_must_belong_to_the_program(coordinator, program_a, outsider):
    with pytest.raises(ValidationError, match="not a member of this program"):
        _item(coordinator, program_a, outsider, START)


def test_the_owner_may_change_status_and_notes_only(coordinator, members, program_a):
    owner = members[Role.AGENCY_ADMIN]
    item = _item(coordinator, program_a, owner, START)
    services.action_item_update(actor=owner, item=item, data={"status": "done"})
    assert item.status == "done" and item.completed_at is not None
    with pytest.raises(PermissionDenied):
        services.action_item_update(actor=owner, item=item, data={"due_date": START})
    with pytest.raises(PermissionDenied):
        services.action_item_update(actor=members[Role.TRAINER], item=item, data={"status": "open"})


def test_reopening_an_item_clears_its_completion(coordinator, program_a):
    item = _item(coordinator, program_a, coordinator, START, status="done")
    services.action_item_update(actor=coordinator, item=item, data={"status": "open"})
    assert item.completed_at is None


def test_reminders_go_to_items_due_soon_and_overdue_once(coordinator, members, program_a):
    today = program_a.today()
    owner = members[Role.COMMITTEE_MEMBER]
    soon = _item(coordinator, program_a, owner, today + datetime.timedelta(days=2))
    late = _item(coordinator, program_a, owner, today - datetime.timedelta(days=5))
    _item(coordinator, program_a, owner, today + datetime.timedelta(days=10))  # not yet
    _item(coordinator, program_a, owner, today - datetime.timedelta(days=1), status="done")
    first = send_reminders()
    assert first.sent == 2
    assert sorted(m.subject for m in mail.outbox) == [
        "Due soon: Draft the MOU",
        "Overdue: Draft the MOU",
    ]
    assert "5 days ago" in next(m.body for m in mail.outbox if m.subject.startswith("Overdue"))
    second = send_reminders()
    assert second.sent == 0 and second.already_sent == 2
    assert len(mail.outbox) == 2
    assert set(ReminderLog.objects.values_list("action_item_id", "kind")) == {
        (soon.pk, "due_soon"),
        (late.pk, "overdue"),
    }


def test_a_new_due_date_earns_a_new_reminder(coordinator, program_a):
    today = program_a.today()
    item = _item(coordinator, program_a, coordinator, today + datetime.timedelta(days=1))
    send_reminders()
    services.action_item_update(
        actor=coordinator, item=item, data={"due_date": today + datetime.timedelta(days=2)}
    )
    assert send_reminders().sent == 1


def test_an_owner_without_email_is_counted_not_mailed(coordinator, program_a):
    coordinator.email = ""
    coordinator.save()
    _item(coordinator, program_a, coordinator, program_a.today())
    result = send_reminders()
    assert (result.sent, result.skipped_no_email, len(mail.outbox)) == (0, 1, 0)


def test_an_owner_who_left_the_program_gets_no_more_reminders(coordinator, members, program_a):
    owner = members[Role.TRAINER]
    _item(coordinator, program_a, owner, program_a.today())
    Membership.objects.filter(user=owner, program=program_a).delete()
    assert send_reminders().sent == 0
    assert mail.outbox == []


def test_the_reminder_command_reports_what_it_did(coordinator, program_a):
    from io import StringIO

    from django.core.management import call_command

    _item(coordinator, program_a, coordinator, program_a.today())
    out = StringIO()
    call_command("send_reminders", "--program", "riverbend", stdout=out)
    assert "Sent 1 reminder(s)" in out.getvalue()


def test_gaps_accept_only_the_programs_partners(coordinator, program_a, agency_b):
    with pytest.raises(ValidationError, match="Only this program's partners"):
        services.gap_create(
            actor=coordinator,
            program=program_a,
            data={"title": "No youth mobile crisis"},
            affected=[agency_b],
        )


def test_every_committee_change_is_audited(coordinator, program_a):
    other = AgencyFactory(program=program_a, name="NAMI Riverbend", agency_type="advocacy")
    seat = _seat(coordinator, program_a, holder_name="Rosa", agency=other)
    services.seat_update(actor=coordinator, seat=seat, data={"seat_type": "advocate"})
    gap = services.gap_create(
        actor=coordinator,
        program=program_a,
        data={"title": "No 24-hour receiving facility"},
        affected=[other],
    )
    services.gap_update(actor=coordinator, gap=gap, data={}, affected=[])
    actions = list(
        AuditEntry.objects.filter(content_type__app_label="committee")
        .order_by("id")
        .values_list("action", flat=True)
    )
    # seat created, seat changed, gap created, its partners set, its partners cleared
    assert actions == ["create", "update", "create", "update", "update"]


def test_action_items_outsiders_and_non_owners_cannot_see(coordinator, members, program_a):
    item = _item(coordinator, program_a, members[Role.DISPATCHER], START)
    assert list(ActionItem.objects.visible_to(members[Role.OFFICER], program_a)) == []
    assert list(ActionItem.objects.visible_to(members[Role.DISPATCHER], program_a)) == [item]
    assert list(ActionItem.objects.visible_to(members[Role.AGENCY_ADMIN], program_a)) == [item]
