"""The demo committee: Riverbend's seats, subcommittees, six months of meetings,
decisions, action items and gaps (the plan's part is tested in plan/tests)."""

import datetime
import io
import itertools

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from citkit.committee.demo import load_committee_demo, meeting_days
from citkit.committee.models import (
    ActionItem,
    Attendance,
    Decision,
    Meeting,
    Seat,
    ServiceGap,
    Subcommittee,
)
from citkit.committee.selectors import committee_composition
from citkit.core.models import AuditEntry, Program

User = get_user_model()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for the class and rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield {"program": Program.objects.get(slug="riverbend")}
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestTheDemoCommittee:
    def test_it_has_twelve_active_seats_and_one_that_ended(self, demo):
        program = demo["program"]
        seats = Seat.objects.filter(program=program)
        today = program.today()
        ended = [s for s in seats if s.end_date and s.end_date < today]
        assert seats.count() == 13
        assert [s.holder_name for s in ended] == ["Capt. Derek Olsen"]
        types = set(seats.values_list("seat_type", flat=True))
        assert {"chair", "co_chair", "le_coordinator", "mh_coordinator", "advocate"} <= types
        assert {"agency_executive", "champion"} <= types
        check = committee_composition(program)
        assert check.complete and check.has_chair and check.seats == 12

    def test_the_coordinators_come_from_riverbend_pd_and_behavioral_health(self, demo):
        seats = Seat.objects.filter(program=demo["program"]).select_related("agency")
        by_type = {s.seat_type: s for s in seats}
        assert by_type["le_coordinator"].agency.name == "Riverbend Police Department"
        assert by_type["mh_coordinator"].agency.name == "Riverbend Behavioral Health"
        assert by_type["champion"].holder_name == "Judge Eleanor Whitman"
        assert by_type["chair"].holder_name == "Chief Deputy Raymond Hale"

    def test_the_data_subcommittee_still_lacks_an_advocate(self, demo):
        subs = Subcommittee.objects.filter(program=demo["program"]).prefetch_related("members")
        perspectives = {s.name: {m.perspective for m in s.members.all()} for s in subs}
        assert set(perspectives) == {"Systems", "Data", "Training"}
        assert "advocate" not in perspectives["Data"]
        for name in ("Systems", "Training"):
            assert {"officer", "provider", "advocate"} <= perspectives[name], name
        assert all(s.reports.exists() for s in subs)

    def test_six_monthly_meetings_were_held_and_one_is_coming(self, demo):
        program = demo["program"]
        meetings = Meeting.objects.filter(program=program).order_by("starts_at")
        held = [m for m in meetings if m.status == "held"]
        scheduled = [m for m in meetings if m.status == "scheduled"]
        assert len(held) == 6 and len(scheduled) == 1
        today = program.today()
        assert scheduled[0].starts_at.date() > today
        gaps = [(b.starts_at - a.starts_at).days for a, b in itertools.pairwise(held)]
        assert all(27 <= g <= 36 for g in gaps), gaps
        for meeting in held:
            assert meeting.minutes
            assert meeting.agenda_items.count() >= 4
            assert meeting.attendance.filter(status="present").count() >= 8
            assert meeting.decisions.exists()
        assert scheduled[0].agenda_items.count() >= 4
        assert not scheduled[0].attendance.exists()

    def test_attendance_follows_who_held_a_seat_at_the_time(self, demo):
        program = demo["program"]
        for row in Attendance.objects.filter(meeting__program=program).select_related(
            "seat", "meeting"
        ):
            day = row.meeting.starts_at.date()
            assert row.seat.start_date <= day, row
            assert row.seat.end_date is None or row.seat.end_date >= day, row
        statuses = set(
            Attendance.objects.filter(meeting__program=program).values_list("status", flat=True)
        )
        assert statuses == {"present", "absent", "excused"}

    def test_decisions_carry_votes_or_say_none_was_taken(self, demo):
        decisions = Decision.objects.filter(meeting__program=demo["program"])
        assert decisions.count() >= 10
        assert decisions.filter(votes_for__isnull=False).count() >= 8
        assert decisions.filter(votes_for__isnull=True, decided_by__icontains="consensus").exists()

    def test_the_gap_register_has_a_workaround_and_an_open_gap(self, demo):
        gaps = {g.title: g for g in ServiceGap.objects.filter(program=demo["program"])}
        youth = gaps["No 24-hour receiving facility for youth"]
        assert youth.status == "workaround" and youth.workaround and youth.target_date
        assert youth.affected_agencies.count() >= 2
        assert gaps["No mobile crisis after midnight in the east county"].status == "open"
        assert any(g.status == "resolved" for g in gaps.values())

    def test_action_items_are_done_and_open_some_concerning_committee_records(self, demo):
        program = demo["program"]
        items = ActionItem.objects.filter(program=program).exclude(concerns_type__model="task")
        assert {"done", "open"} <= set(items.values_list("status", flat=True))
        assert "committee" in set(
            items.overdue(program.today()).values_list("owner__username", flat=True)
        )
        assert all(i.completed_at for i in items.filter(status="done"))
        assert items.filter(decision__isnull=False).exists()
        kinds = set(items.exclude(concerns_id="").values_list("concerns_type__model", flat=True))
        assert kinds == {"subcommittee", "servicegap"}

    def test_lakeshore_gets_no_demo_committee(self):
        lakeshore = Program.objects.get(slug="lakeshore")
        assert not Seat.objects.filter(program=lakeshore).exists()
        assert load_committee_demo(lakeshore) == {}

    def test_every_change_is_in_the_audit_trail_as_the_command(self, demo):
        program = demo["program"]
        entries = AuditEntry.objects.filter(program=program)
        assert entries.filter(object_repr="Chief Deputy Raymond Hale (Chair)").exists()
        assert set(entries.values_list("source", flat=True)) == {"command"}

    def test_loading_it_again_changes_nothing(self, demo):
        before = row_counts()
        call_command("load_demo", stdout=io.StringIO())
        assert load_committee_demo(demo["program"]) == {}
        assert row_counts() == before


def test_meetings_fall_on_the_second_tuesday_counted_from_the_load_day():
    held, upcoming = meeting_days(datetime.date(2026, 11, 26))
    assert held == [
        datetime.date(2026, 6, 9),
        datetime.date(2026, 7, 14),
        datetime.date(2026, 8, 11),
        datetime.date(2026, 9, 8),
        datetime.date(2026, 10, 13),
        datetime.date(2026, 11, 10),
    ]
    assert upcoming == datetime.date(2026, 12, 8)
    # Early in a month whose meeting is still ahead; across a new year.
    held, upcoming = meeting_days(datetime.date(2027, 1, 3))
    assert held[-1] == datetime.date(2026, 12, 8) and upcoming == datetime.date(2027, 1, 12)
    assert held[0] == datetime.date(2026, 7, 14)
