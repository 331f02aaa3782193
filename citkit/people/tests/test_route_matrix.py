"""The roster's routes, every role (the table is in routes.py)."""

import pytest

from citkit.core.models import Job, Role
from citkit.people.importing.job import KIND
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

    def finished_import(user, upload):
        return Job.objects.create(
            program=program_a,
            kind=KIND,
            label="Import of the roster roster.csv",
            requested_by=user,
            status=Job.Status.FAILED,
            params={"kwargs": {"mapping": {}, "dry_run": False, "upload": upload.pk}},
            result={"errors": [{"row": 2, "column": "Agency", "message": "no partner agency"}]},
            error="Nothing was imported: 1 problem in the file.",
            filename="roster.csv",
        )

    upload = waiting_file(members[Role.COORDINATOR])
    admin_upload = waiting_file(members[Role.AGENCY_ADMIN])
    return {
        "person": PersonFactory(program=program_a, agency=police_a, badge_number="777"),
        "clinician": PersonFactory(
            program=program_a, agency=clinic_a, kind="clinician", badge_number=""
        ),
        "own": Person.objects.get(user=officer),
        "upload": upload,
        "admin_upload": admin_upload,
        "job": finished_import(members[Role.COORDINATOR], upload),
        "admin_job": finished_import(members[Role.AGENCY_ADMIN], admin_upload),
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id())
def test_every_role_gets_the_answer_written_for_it(
    case, members, outsider, records, client, api_for
):
    check_case(
        case, members=members, outsider=outsider, records=records, client=client, api_for=api_for
    )
