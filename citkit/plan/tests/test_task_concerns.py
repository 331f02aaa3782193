"""Action items that concern a plan task: the plan registers its tasks as something an
action item may concern (plan/concerns.py); the committee's pages and API offer them."""

import pytest

from citkit.committee.models import ActionItem
from citkit.core.models import AuditEntry, Role
from citkit.plan import services as plan_services
from citkit.plan.models import Task

pytestmark = pytest.mark.django_db

API = "/api/programs/riverbend/committee/actions/"


def test_an_item_can_concern_a_plan_task_and_links_to_it(client_for, members, program_a):
    plan_services.plan_seed(actor=None, program=program_a)
    task = Task.objects.get(program=program_a, key="develop-memorandum")
    client = client_for(members[Role.COORDINATOR])
    add_page = client.get(f"/p/riverbend/committee/actions/add/?task={task.pk}")
    assert add_page.context["form"]["concerns_task"].value() == task.pk
    client.post(
        "/p/riverbend/committee/actions/add/",
        {
            "title": "Circulate the MOU draft",
            "owner": members[Role.TRAINER].pk,
            "due_date": "2030-01-01",
            "status": "open",
            "concerns_task": task.pk,
        },
    )
    item = ActionItem.objects.get(title="Circulate the MOU draft")
    assert item.concerns == task
    detail = client.get(f"/p/riverbend/committee/actions/{item.pk}/").content.decode()
    assert f'href="/p/riverbend/plan/tasks/{task.pk}/"' in detail
    task_page = client.get(f"/p/riverbend/plan/tasks/{task.pk}/").content.decode()
    assert "Circulate the MOU draft" in task_page


def test_the_api_creates_an_item_through_the_service(api_for, members, program_a):
    plan_services.plan_seed(actor=None, program=program_a)
    task = Task.objects.get(program=program_a, key="select-officers")
    response = api_for(members[Role.COMMITTEE_MEMBER]).post(
        API,
        {
            "title": "Ask each precinct for volunteers",
            "owner": members[Role.OFFICER].username,
            "due_date": "2030-02-01",
            "concerns_task": task.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["concerns_type"] == "plan.task"
    assert body["concerns_id"] == str(task.pk)
    assert ActionItem.objects.get(pk=body["id"]).concerns == task
    assert AuditEntry.objects.filter(object_id=str(body["id"]), action="create").exists()
