"""The plan's and the dashboard's routes, every role (the table is in routes.py)."""

import pytest

from citkit.plan import services
from citkit.plan.models import Task
from citkit.plan.tests.routes import CASES
from citkit.testing.matrix import check_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(program_a, members):
    services.plan_seed(actor=None, program=program_a)
    task = Task.objects.get(program=program_a, key="develop-memorandum")
    attachment = services.attachment_add(
        actor=None,
        task=task,
        filename="mou-draft.txt",
        content=b"Draft MOU between the city and the clinic",
        content_type="text/plain",
    )
    return {
        "task": task,
        "waiting": Task.objects.get(program=program_a, key="hold-training"),
        "phase": task.phase,
        "attachment": attachment,
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id())
def test_every_role_gets_the_answer_written_for_it(
    case, members, outsider, records, client, api_for
):
    check_case(
        case, members=members, outsider=outsider, records=records, client=client, api_for=api_for
    )
