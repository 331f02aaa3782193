"""Changing a task's status in place on the plan page, and retiring a task after
being asked (and putting it back)."""

import pytest

from citkit.core.models import AuditEntry, Role
from citkit.plan import services
from citkit.plan.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(program_a):
    services.plan_seed(actor=None, program=program_a)
    return {t.key: t for t in Task.objects.filter(program=program_a)}


def _row(html: str, task: Task) -> str:
    row = html[html.index(f'id="task-{task.pk}"') :]
    return row[: row.index("</tr>")]


def _status_url(task: Task) -> str:
    return f"/p/riverbend/plan/tasks/{task.pk}/status/"


def test_a_manager_sees_a_status_form_on_each_row_and_a_reader_sees_the_status(
    client_for, members, plan
):
    task = plan["seek-funding"]
    manager = client_for(members[Role.COMMITTEE_MEMBER]).get("/p/riverbend/plan/")
    row = _row(manager.content.decode(), task)
    assert f'action="{_status_url(task)}"' in row
    assert f'aria-label="Status of {task.title}"' in row
    reader = client_for(members[Role.TRAINER]).get("/p/riverbend/plan/")
    row = _row(reader.content.decode(), task)
    assert _status_url(task) not in row
    assert "Not started" in row


def test_setting_the_status_from_the_row_saves_it_and_returns_to_the_row(client_for, members, plan):
    task = plan["seek-funding"]
    client = client_for(members[Role.COORDINATOR])
    response = client.post(_status_url(task), {"status": "in_progress"})
    assert response.status_code == 302
    assert response["Location"] == f"/p/riverbend/plan/#task-{task.pk}"
    task.refresh_from_db()
    assert task.status == "in_progress"
    entry = AuditEntry.objects.filter(object_id=str(task.pk), action="update").last()
    assert entry.after["status"] == "in_progress"
    assert "“Seek funding” is now in progress." in client.get("/p/riverbend/plan/").content.decode()


def test_the_dependency_rule_is_shown_on_the_row_when_it_refuses(client_for, members, plan):
    task = plan["hold-training"]
    before = AuditEntry.objects.count()
    response = client_for(members[Role.COORDINATOR]).post(_status_url(task), {"status": "done"})
    assert response.status_code == 400
    row = _row(response.content.decode(), task)
    assert 'role="alert"' in row
    assert "It still waits on:" in row and "Adapt the curriculum" in row
    # What was asked for stays chosen, so the person sees what was refused.
    assert '<option value="done" selected>' in row
    task.refresh_from_db()
    assert task.status == "not_started"
    assert AuditEntry.objects.count() == before


def test_an_htmx_status_change_gets_the_same_answers_without_a_message(client_for, members, plan):
    client = client_for(members[Role.COORDINATOR])
    htmx = {"HTTP_HX_REQUEST": "true"}
    refused = client.post(_status_url(plan["hold-training"]), {"status": "done"}, **htmx)
    assert refused.status_code == 400
    assert 'id="plan-body"' in refused.content.decode()
    saved = client.post(_status_url(plan["seek-funding"]), {"status": "done"}, **htmx)
    assert saved.status_code == 302
    assert "is now" not in client.get("/p/riverbend/plan/").content.decode()


def test_a_read_only_role_may_not_set_a_status(client_for, members, plan):
    task = plan["seek-funding"]
    for role in (Role.TRAINER, Role.AGENCY_ADMIN, Role.OFFICER):
        response = client_for(members[role]).post(_status_url(task), {"status": "done"})
        assert response.status_code == 403, role
    task.refresh_from_db()
    assert task.status == "not_started"


def test_retiring_asks_first_and_says_what_it_means(client_for, members, plan):
    task = plan["plan-media"]
    client = client_for(members[Role.COORDINATOR])
    row = _row(client.get("/p/riverbend/plan/").content.decode(), task)
    assert f'<a href="/p/riverbend/plan/tasks/{task.pk}/retire/"' in row
    page = client.get(f"/p/riverbend/plan/tasks/{task.pk}/retire/").content.decode()
    assert "Retire the task “Plan for media attention”?" in page
    assert "kept for the record" in page and "Yes, retire" in page
    task.refresh_from_db()
    assert not task.retired


def test_a_retired_task_can_be_put_back_from_the_plan_and_from_its_page(client_for, members, plan):
    task = plan["plan-media"]
    client = client_for(members[Role.COORDINATOR])
    client.post(f"/p/riverbend/plan/tasks/{task.pk}/retire/")
    task.refresh_from_db()
    assert task.retired
    html = client.get("/p/riverbend/plan/").content.decode()
    assert f"Put back in the plan: {task.title}" in html
    detail = client.get(f"/p/riverbend/plan/tasks/{task.pk}/").content.decode()
    assert "Put back in the plan" in detail
    response = client.post(f"/p/riverbend/plan/tasks/{task.pk}/retire/", {"retired": "0"})
    assert response["Location"] == f"/p/riverbend/plan/#task-{task.pk}"
    task.refresh_from_db()
    assert not task.retired
