"""The plan: the CIT roadmap seed, dependencies, measures and snapshots."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from citkit.committee import services as committee
from citkit.core import measures
from citkit.core.models import Role
from citkit.plan import services
from citkit.plan.models import Phase, ProgressSnapshot, Task
from citkit.plan.selectors import plan_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(coordinator, program_a):
    services.plan_seed(actor=coordinator, program=program_a)
    return {t.key: t for t in Task.objects.filter(program=program_a)}


def test_the_roadmap_has_five_phases_and_the_eight_implement_tasks(plan, program_a):
    assert list(Phase.objects.filter(program=program_a).values_list("name", flat=True)) == [
        "Lay the foundation",
        "Commit",
        "Make a plan",
        "Implement",
        "Sustain & expand",
    ]
    implement = Task.objects.filter(program=program_a, phase__key="implement").order_by("order")
    assert [t.key for t in implement] == [
        "develop-memorandum",
        "develop-policies",
        "recruit-trainers",
        "select-officers",
        "adapt-curriculum",
        "train-the-trainer",
        "hold-training",
        "plan-media",
    ]


def test_seeding_twice_adds_nothing(coordinator, program_a, plan):
    assert services.plan_seed(actor=coordinator, program=program_a) == 0
    assert Task.objects.filter(program=program_a).count() == len(plan)


def test_a_task_cannot_be_done_while_a_task_it_depends_on_is_open(coordinator, plan):
    with pytest.raises(ValidationError) as excinfo:
        services.task_update(actor=coordinator, task=plan["hold-training"], data={"status": "done"})
    assert "Adapt the curriculum" in str(excinfo.value)
    plan["hold-training"].refresh_from_db()
    assert plan["hold-training"].status == "not_started"


def test_a_retired_dependency_no_longer_blocks(coordinator, plan):
    for key in ("adapt-curriculum", "select-officers", "recruit-trainers"):
        services.task_update(actor=coordinator, task=plan[key], data={"status": "done"})
    services.task_update(actor=coordinator, task=plan["train-the-trainer"], data={"status": "done"})
    services.task_retire(actor=coordinator, task=plan["train-the-trainer"])
    services.task_update(actor=coordinator, task=plan["hold-training"], data={"status": "done"})
    assert plan["hold-training"].completed_at is not None


def test_dependencies_cannot_form_a_cycle(coordinator, plan):
    with pytest.raises(ValidationError, match="wait on each other"):
        services.task_set_dependencies(
            actor=coordinator, task=plan["recruit-trainers"], depends_on=[plan["hold-training"]]
        )


def test_a_new_task_goes_to_the_end_of_its_phase_and_can_move(coordinator, program_a, plan):
    phase = Phase.objects.get(program=program_a, key="implement")
    task = services.task_create(
        actor=coordinator, program=program_a, data={"phase": phase, "title": "Youth CIT track"}
    )
    assert task.order == 9
    services.task_move(actor=coordinator, task=task, direction="up")
    order = list(Task.objects.filter(phase=phase).order_by("order").values_list("key", flat=True))
    assert order[-2:] == ["", "plan-media"]


def test_an_unknown_measure_is_refused(coordinator, plan):
    with pytest.raises(ValidationError, match="no measure named"):
        services.task_update(
            actor=coordinator, task=plan["seek-funding"], data={"measure": "made_up"}
        )


def test_the_committee_measure_follows_the_seats(coordinator, program_a, police_a, clinic_a, plan):
    start = datetime.date(2026, 1, 1)
    m = measures.measure(program_a, "committee_core_partners")
    assert (m.done, m.total, m.complete) == (0, 3, False)
    for name, agency, seat_type in [
        ("Chief", police_a, "member"),
        ("Dr. O", clinic_a, "member"),
        ("Rosa", None, "advocate"),
    ]:
        committee.seat_create(
            actor=coordinator,
            program=program_a,
            data={
                "holder_name": name,
                "agency": agency,
                "seat_type": seat_type,
                "start_date": start,
            },
        )
    m = measures.measure(program_a, "committee_core_partners")
    assert (m.done, m.total, m.complete) == (3, 3, True)
    assert m.text == "3 of 3 core partners seated"


def test_the_plan_flags_done_tasks_whose_measure_is_incomplete(coordinator, program_a, plan):
    services.task_update(
        actor=coordinator, task=plan["formalize-committee"], data={"status": "done"}
    )
    flagged = {t.task.key: t.disagreement for t in plan_progress(program_a).disagreements}
    assert flagged["formalize-committee"].startswith("Marked done, but the records say 0 of 3")


def test_progress_counts_done_tasks_without_the_retired(coordinator, program_a, plan):
    services.task_update(actor=coordinator, task=plan["learn-model"], data={"status": "done"})
    services.task_retire(actor=coordinator, task=plan["contact-program"])
    foundation = plan_progress(program_a).phases[0]
    assert (foundation.done, foundation.total, foundation.percent) == (1, 6, 17)


def test_a_weekly_snapshot_is_taken_once_per_week(coordinator, program_a, plan):
    monday = datetime.date(2026, 11, 23)
    services.snapshot_take(program=program_a, on=monday + datetime.timedelta(days=2))
    services.task_update(actor=coordinator, task=plan["learn-model"], data={"status": "done"})
    snap = services.snapshot_take(program=program_a, on=monday + datetime.timedelta(days=4))
    assert ProgressSnapshot.objects.filter(program=program_a).count() == 1
    assert snap.week == monday and snap.overall == 3
    assert snap.by_phase["foundation"] == 14


def test_the_plan_reads_in_a_fixed_number_of_queries(
    coordinator, program_a, plan, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        plan_progress(program_a)


# --- What "open" and "overdue" mean -------------------------------------------------------


def test_open_means_neither_done_nor_retired(coordinator, program_a, plan):
    services.task_update(actor=coordinator, task=plan["learn-model"], data={"status": "done"})
    services.task_retire(actor=coordinator, task=plan["contact-program"])
    open_keys = set(Task.objects.filter(program=program_a).open().values_list("key", flat=True))
    assert "learn-model" not in open_keys and "contact-program" not in open_keys
    assert "seek-funding" in open_keys
    plan["learn-model"].refresh_from_db()
    assert not plan["learn-model"].is_open and plan["seek-funding"].is_open


def test_a_task_is_overdue_when_open_and_due_before_today(coordinator, program_a, plan):
    today = datetime.date(2026, 3, 10)
    yesterday = today - datetime.timedelta(days=1)
    for key, data in {
        "seek-funding": {"due_date": yesterday},
        "learn-model": {"due_date": yesterday, "status": "done"},
        "select-chair": {"due_date": today},
        "contact-program": {"due_date": yesterday},
    }.items():
        services.task_update(actor=coordinator, task=plan[key], data=data)
    services.task_retire(actor=coordinator, task=plan["contact-program"])
    overdue = Task.objects.filter(program=program_a).overdue(today)
    assert list(overdue.values_list("key", flat=True)) == ["seek-funding"]
    tasks = {t.key: t for t in Task.objects.filter(program=program_a)}
    assert [k for k, t in tasks.items() if t.is_overdue(today)] == ["seek-funding"]


def test_open_dependencies_leave_out_done_and_retired_ones(coordinator, plan):
    hold = plan["hold-training"]
    needs = {t.key for t in hold.depends_on.all()}
    assert {t.key for t in hold.open_dependencies()} == needs
    services.task_update(actor=coordinator, task=plan["select-officers"], data={"status": "done"})
    services.task_retire(actor=coordinator, task=plan["adapt-curriculum"])
    assert {t.key for t in hold.open_dependencies()} == needs - {
        "select-officers",
        "adapt-curriculum",
    }


def test_the_weekly_snapshot_is_filed_by_the_programs_own_week(monkeypatch, program_a, plan):
    # Monday 04:30 in UTC is still Sunday evening in New York: the snapshot belongs to
    # the week that is ending there, not to the one starting in UTC.
    program_a.time_zone = "America/New_York"
    program_a.save()
    instant = datetime.datetime(2026, 11, 30, 4, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: instant)
    snapshot = services.snapshot_take(program=program_a)
    assert snapshot.week == datetime.date(2026, 11, 23)


def test_a_new_task_marked_done_may_not_wait_on_an_open_task(coordinator, program_a, plan):
    with pytest.raises(ValidationError) as excinfo:
        services.task_create(
            actor=coordinator,
            program=program_a,
            data={
                "phase": plan["hold-training"].phase,
                "title": "Second class",
                "status": "done",
                "depends_on": [plan["hold-training"]],
            },
        )
    assert "Hold training" in " ".join(excinfo.value.message_dict["status"])
    assert not Task.objects.filter(title="Second class").exists()


def test_a_read_only_role_may_not_change_the_plan(members, plan):
    with pytest.raises(PermissionDenied):
        services.task_set_status(
            actor=members[Role.TRAINER], task=plan["seek-funding"], status="done"
        )
