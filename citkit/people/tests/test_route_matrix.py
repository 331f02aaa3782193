"""The roster's routes, every role (the table is in routes.py)."""

import pytest

from citkit.core.models import Role
from citkit.people.models import Person, RosterUpload
from citkit.people.tests.routes import CASES
from citkit.testing.factories import PersonFactory
from citkit.testing.matrix import check_case

pytestmark = pytest.mark.django_db

ROSTER_FILE = b"First name,Last name,Agency,Badge #\r\nAnn,Ames,Riverbend Police Department,11\r\n"


@pytest.fixture
def records(program_a, police_a, clinic_a, members, officer):
    def waiting_file(user):
        return RosterUpload.objects.create(
            program=program_a, uploaded_by=user, filename="roster.csv", content=ROSTER_FILE
        )

    return {
        "person": PersonFactory(program=program_a, agency=police_a, badge_number="777"),
        "clinician": PersonFactory(
            program=program_a, agency=clinic_a, kind="clinician", badge_number=""
        ),
        "own": Person.objects.get(user=officer),
        "upload": waiting_file(members[Role.COORDINATOR]),
        "admin_upload": waiting_file(members[Role.AGENCY_ADMIN]),
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id())
def test_every_role_gets_the_answer_written_for_it(
    case, members, outsider, records, client, api_for
):
    check_case(
        case, members=members, outsider=outsider, records=records, client=client, api_for=api_for
    )
