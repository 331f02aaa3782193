"""The Steering Committee's routes, every role (the table is in routes.py)."""

import datetime

import pytest
from django.utils import timezone

from citkit.committee import services
from citkit.committee.tests.routes import CASES
from citkit.core.models import Role
from citkit.testing.matrix import check_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(program_a, police_a, members):
    coordinator = members[Role.COORDINATOR]
    today = program_a.today()
    seat = services.seat_create(
        actor=None,
        program=program_a,
        data={"holder_name": "Dr. Okafor", "seat_type": "mh_coordinator", "start_date": today},
    )
    sub = services.subcommittee_create(actor=None, program=program_a, data={"name": "Training"})
    member = services.subcommittee_member_add(
        actor=None, subcommittee=sub, data={"name": "Sgt. Ward", "perspective": "officer"}
    )
    gap = services.gap_create(
        actor=None, program=program_a, data={"title": "No peer respite"}, affected=[police_a]
    )
    starts = timezone.now() + datetime.timedelta(days=7)
    meeting = services.meeting_create(
        actor=None,
        program=program_a,
        data={"starts_at": starts, "ends_at": starts + datetime.timedelta(hours=1)},
    )
    agenda_item = services.agenda_item_add(actor=None, meeting=meeting, data={"title": "Budget"})
    due = today + datetime.timedelta(days=14)
    item = services.action_item_create(
        actor=None,
        program=program_a,
        data={"title": "Book the room", "owner": coordinator, "due_date": due},
    )
    own_item = services.action_item_create(
        actor=None,
        program=program_a,
        data={"title": "Volunteer", "owner": members[Role.OFFICER], "due_date": due},
    )
    return {
        "seat": seat,
        "sub": sub,
        "member": member,
        "gap": gap,
        "meeting": meeting,
        "agenda_item": agenda_item,
        "item": item,
        "own_item": own_item,
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id())
def test_every_role_gets_the_answer_written_for_it(
    case, members, outsider, records, client, api_for
):
    check_case(
        case, members=members, outsider=outsider, records=records, client=client, api_for=api_for
    )
