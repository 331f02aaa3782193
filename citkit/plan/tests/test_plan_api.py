"""The plan API: tasks with measured progress and disagreement, writes through the
services (dependency rule, order, retiring), phases with percent, per role."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citkit.committee import services as committee
from citkit.core.models import AuditEntry, Role
from citkit.plan import services
from citkit.plan.models import Phase, Task

pytestmark = pytest.mark.django_db

ALL = set(Role.values)
MANAGERS = {Role.COORDINATOR, Role.COMMITTEE_MEMBER}
READERS = MANAGERS | {Role.AGENCY_ADMIN, Role.TRAINER}
TASKS = "/api/programs/riverbend/plan/tasks/"
PHASES = "/api/programs/riverbend/plan/phases/"


@pytest.fixture
def plan(program_a):
    services.plan_seed(actor=None, program=program_a)
    return {t.key: t for t in Task.objects.filter(program=program_a)}


def _all_rows(api, url):
    rows, next_url = [], url
    while next_url:
        body = api.get(next_url).json()
        rows += body["results"]
        next_url = body["next"]
    return rows


def test_each_role_reads_the_plan_or_gets_403(api_for, members, plan):
    task = plan["develop-memorandum"]
    urls = [TASKS, f"{TASKS}{task.pk}/", PHASES, f"{PHASES}{task.phase_id}/"]
    for role, user in members.items():
        for url in urls:
            expected = 200 if role in READERS else 403
            assert api_for(user).get(url).status_code == expected, (role, url)


def test_an_outsider_gets_404_on_reads_and_writes(api_for, outsider, plan):
    api = api_for(outsider)
    task = plan["develop-memorandum"]
    for url in (TASKS, f"{TASKS}{task.pk}/", PHASES):
        assert api.get(url).status_code == 404, url
    assert api.patch(f"{TASKS}{task.pk}/", {"title": "X"}, format="json").status_code == 404
    assert api.post(f"{TASKS}{task.pk}/retire/", {}, format="json").status_code == 404
    task.refresh_from_db()
    assert (task.title, task.retired) == ("Develop a memorandum of understanding", False)


def test_read_only_roles_get_403_on_every_write_and_nothing_changes(api_for, members, plan):
    task = plan["develop-memorandum"]
    writes = [
        ("post", TASKS, {"phase": task.phase_id, "title": "X"}),
        ("patch", f"{TASKS}{task.pk}/", {"status": "in_progress"}),
        ("post", f"{TASKS}{task.pk}/depends_on/", {"depends_on": []}),
        ("post", f"{TASKS}{task.pk}/move/", {"direction": "down"}),
        ("post", f"{TASKS}{task.pk}/retire/", {"retired": True}),
    ]
    for role in ALL - MANAGERS:
        api = api_for(members[role])
        before = (
            list(Task.objects.values_list("pk", "status", "order", "retired")),
            AuditEntry.objects.count(),
        )
        for method, url, data in writes:
            assert getattr(api, method)(url, data, format="json").status_code == 403, (role, url)
        after = (
            list(Task.objects.values_list("pk", "status", "order", "retired")),
            AuditEntry.objects.count(),
        )
        assert after == before, role


def test_phases_are_read_only(api_for, members, plan):
    api = api_for(members[Role.COORDINATOR])
    phase_id = plan["learn-model"].phase_id
    assert api.post(PHASES, {"name": "X"}, format="json").status_code == 405
    assert api.patch(f"{PHASES}{phase_id}/", {"name": "X"}, format="json").status_code == 405


def test_tasks_are_retired_not_deleted(api_for, members, plan):
    task = plan["learn-model"]
    assert api_for(members[Role.COORDINATOR]).delete(f"{TASKS}{task.pk}/").status_code == 405
    assert Task.objects.filter(pk=task.pk).exists()


# --- What the list says ----------------------------------------------------------------------


def test_tasks_come_with_measurement_waiting_on_and_disagreement(
    api_for, members, plan, program_a, police_a
):
    committee.seat_create(
        actor=None,
        program=program_a,
        data={
            "holder_name": "Chief Ward",
            "agency": police_a,
            "start_date": datetime.date(2026, 1, 1),
        },
    )
    services.task_update(actor=None, task=plan["formalize-committee"], data={"status": "done"})
    rows = {r["id"]: r for r in _all_rows(api_for(members[Role.TRAINER]), TASKS)}
    formalize = rows[plan["formalize-committee"].pk]
    assert formalize["measurement"] == {
        "done": 1,
        "total": 3,
        "text": "1 of 3 core partners seated (missing: Mental-health provider, "
        "Advocate (lived experience or family))",
        "complete": False,
        "percent": 33,
    }
    assert formalize["disagreement"].startswith("Marked done, but the records say 1 of 3")
    hold = rows[plan["hold-training"].pk]
    assert hold["measurement"] is None
    assert hold["disagreement"] == ""
    assert {w["title"] for w in hold["waiting_on"]} >= {"Adapt the curriculum"}
    assert set(hold["depends_on"]) == {d.pk for d in plan["hold-training"].depends_on.all()}


def test_the_list_is_in_plan_order_and_filters(api_for, members, plan):
    api = api_for(members[Role.COORDINATOR])
    rows = _all_rows(api, TASKS)
    assert [r["id"] for r in rows] == [
        t.pk for t in Task.objects.order_by("phase__order", "order", "id")
    ]
    implement = plan["hold-training"].phase_id
    rows = api.get(TASKS, {"phase": implement}).json()["results"]
    assert len(rows) == 8
    services.task_update(actor=None, task=plan["learn-model"], data={"status": "done"})
    assert [r["id"] for r in api.get(TASKS, {"status": "done"}).json()["results"]] == [
        plan["learn-model"].pk
    ]


def test_phases_report_their_percent_without_retired_tasks(api_for, members, plan):
    services.task_update(actor=None, task=plan["learn-model"], data={"status": "done"})
    services.task_retire(actor=None, task=plan["contact-program"])
    services.task_retire(actor=None, task=plan["review-core-elements"])
    rows = api_for(members[Role.AGENCY_ADMIN]).get(PHASES).json()["results"]
    assert [r["key"] for r in rows] == ["foundation", "commit", "plan", "implement", "sustain"]
    assert (rows[0]["done"], rows[0]["total"], rows[0]["percent"]) == (1, 5, 20)
    assert rows[1]["percent"] == 0


# --- Writes ---------------------------------------------------------------------------------------


def test_a_manager_patches_a_task_through_the_service(api_for, members, plan):
    task = plan["seek-funding"]
    response = api_for(members[Role.COMMITTEE_MEMBER]).patch(
        f"{TASKS}{task.pk}/",
        {
            "status": "in_progress",
            "owner": members[Role.TRAINER].username,
            "due_date": "2030-06-30",
            "measure": "gaps_managed",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["measurement"]["text"] == "0 of 0 gaps managed"
    task.refresh_from_db()
    assert (task.status, task.owner, task.measure) == (
        "in_progress",
        members[Role.TRAINER],
        "gaps_managed",
    )
    entry = AuditEntry.objects.filter(object_id=str(task.pk), action="update").last()
    assert entry.after["status"] == "in_progress"


def test_marking_a_waiting_task_done_is_a_400_naming_the_blocking_task(api_for, members, plan):
    task = plan["hold-training"]
    before = AuditEntry.objects.count()
    response = api_for(members[Role.COORDINATOR]).patch(
        f"{TASKS}{task.pk}/", {"status": "done", "notes": "Held!"}, format="json"
    )
    assert response.status_code == 400
    message = " ".join(response.json()["status"])
    assert "It still waits on" in message and "Adapt the curriculum" in message
    task.refresh_from_db()
    assert (task.status, task.notes) == ("not_started", "")
    assert AuditEntry.objects.count() == before


def test_bad_values_are_named_in_json(api_for, members, plan, program_b):
    other_phase = Phase.objects.create(program=program_b, key="x", name="X", order=1)
    task = plan["seek-funding"]
    response = api_for(members[Role.COORDINATOR]).patch(
        f"{TASKS}{task.pk}/",
        {"status": "nearly", "phase": other_phase.pk, "owner": "nobody"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"status", "phase", "owner"}
    response = api_for(members[Role.COORDINATOR]).patch(
        f"{TASKS}{task.pk}/", {"measure": "vibes"}, format="json"
    )
    assert response.status_code == 400
    assert "vibes" in " ".join(response.json()["measure"])


def test_an_owner_is_named_by_user_name_and_a_nul_byte_is_no_member(api_for, members, plan):
    task = plan["seek-funding"]
    api = api_for(members[Role.COORDINATOR])
    for owner in ("coordinator_a\x00", "\x00"):
        response = api.patch(f"{TASKS}{task.pk}/", {"owner": owner}, format="json")
        assert response.status_code == 400, owner
        assert "does not exist" in " ".join(response.json()["owner"])
    # A user name is text: a number is refused as the wrong type, by name.
    response = api.patch(f"{TASKS}{task.pk}/", {"owner": 42}, format="json")
    assert response.status_code == 400
    assert response.json()["owner"] == ["Must be text."]
    response = api.patch(f"{TASKS}{task.pk}/", {"owner": "trainer_a"}, format="json")
    assert response.status_code == 200
    assert response.json()["owner"] == "trainer_a"
    task.refresh_from_db()
    assert task.owner == members[Role.TRAINER]


def test_a_manager_creates_a_task_at_the_end_of_its_phase(api_for, members, plan):
    phase = plan["hold-training"].phase_id
    response = api_for(members[Role.COORDINATOR]).post(
        TASKS, {"phase": phase, "title": "Train dispatchers"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["order"] == 9


def test_depends_on_replaces_what_a_task_waits_on(api_for, members, plan):
    task = plan["plan-media"]
    api = api_for(members[Role.COORDINATOR])
    response = api.post(
        f"{TASKS}{task.pk}/depends_on/",
        {"depends_on": [plan["develop-memorandum"].pk, plan["develop-policies"].pk]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert set(response.json()["depends_on"]) == {
        plan["develop-memorandum"].pk,
        plan["develop-policies"].pk,
    }
    assert {d.key for d in task.depends_on.all()} == {"develop-memorandum", "develop-policies"}


def test_depends_on_refuses_cycles_and_other_programs_tasks(api_for, members, plan, program_b):
    api = api_for(members[Role.COORDINATOR])
    curriculum = plan["adapt-curriculum"]
    before = sorted(d.pk for d in curriculum.depends_on.all())
    response = api.post(
        f"{TASKS}{curriculum.pk}/depends_on/",
        {"depends_on": [plan["hold-training"].pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "wait on each other" in " ".join(response.json()["depends_on"])
    other_phase = Phase.objects.create(program=program_b, key="x", name="X", order=1)
    foreign = Task.objects.create(program=program_b, phase=other_phase, title="Foreign")
    response = api.post(
        f"{TASKS}{curriculum.pk}/depends_on/", {"depends_on": [foreign.pk]}, format="json"
    )
    assert response.status_code == 400
    assert sorted(d.pk for d in curriculum.depends_on.all()) == before


def test_a_done_task_cannot_be_made_to_wait_on_an_open_one(api_for, members, plan):
    task = plan["learn-model"]
    services.task_update(actor=None, task=task, data={"status": "done"})
    response = api_for(members[Role.COORDINATOR]).post(
        f"{TASKS}{task.pk}/depends_on/", {"depends_on": [plan["seek-funding"].pk]}, format="json"
    )
    assert response.status_code == 400
    assert not task.depends_on.exists()


def test_move_and_retire(api_for, members, plan, program_a):
    api = api_for(members[Role.COMMITTEE_MEMBER])
    task = plan["develop-policies"]
    response = api.post(f"{TASKS}{task.pk}/move/", {"direction": "up"}, format="json")
    assert response.status_code == 200
    assert response.json()["order"] == 1
    assert (
        api.post(f"{TASKS}{task.pk}/move/", {"direction": "left"}, format="json").status_code == 400
    )
    response = api.post(f"{TASKS}{task.pk}/retire/", {}, format="json")
    assert response.json()["retired"] is True
    response = api.post(f"{TASKS}{task.pk}/retire/", {"retired": False}, format="json")
    assert response.json()["retired"] is False


# --- Query counts ------------------------------------------------------------------------------


def _grow(program, phase, users, n, start=0):
    previous = Task.objects.filter(phase=phase).last()
    for i in range(start, start + n):
        task = services.task_create(
            actor=None,
            program=program,
            data={
                "phase": phase,
                "title": f"Grown task {i:03d}",
                "owner": users[i % len(users)],
                "measure": "committee_chair" if i % 2 == 0 else "",
                "due_date": datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
            },
        )
        if previous is not None:
            services.task_set_dependencies(actor=None, task=task, depends_on=[previous])
        previous = task


def _count(api, url):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [TASKS, f"{TASKS}?sort=updated&status=not_started", PHASES])
def test_a_list_costs_the_same_queries_for_1_row_and_for_50(api_for, members, program_a, url):
    api = api_for(members[Role.COORDINATOR])
    users = [members[Role.COORDINATOR], members[Role.TRAINER]]
    first = Phase.objects.create(program=program_a, key="p0", name="Phase 0", order=0)
    _grow(program_a, first, users, 1)
    _count(api, url)
    with_one = _count(api, url)
    _grow(program_a, first, users, 49, start=1)
    for i in range(1, 50):
        phase = Phase.objects.create(program=program_a, key=f"p{i}", name=f"Phase {i}", order=i)
        _grow(program_a, phase, users, 1, start=100 + i)
    with_fifty = _count(api, url)
    assert with_fifty == with_one, (url, with_one, with_fifty)
