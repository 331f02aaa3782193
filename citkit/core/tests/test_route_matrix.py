"""Core's and the partner directory's routes, every role (the tables are in routes.py)."""

import datetime

import pytest
from django.core.files.base import ContentFile

from citkit.core.models import AuditEntry, Invitation, Job, Membership
from citkit.core.tests.routes import CASES as CORE_CASES
from citkit.partners.models import AgencyContact
from citkit.partners.tests.routes import CASES as PARTNER_CASES
from citkit.testing.factories import PersonFactory
from citkit.testing.matrix import check_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(program_a, police_a, clinic_a, members, officer):
    person = PersonFactory(program=program_a, agency=police_a, badge_number="777")
    contact = AgencyContact.objects.create(agency=police_a, name="Sgt. Luis Herrera")
    job = Job.objects.create(
        program=program_a,
        kind="core.list_export",
        label="Export of people.csv",
        requested_by=members["coordinator"],
        status=Job.Status.SUCCEEDED,
        filename="people.csv",
    )
    job.file.save("people.csv", ContentFile(b"last_name\r\n"), save=True)
    invitation = Invitation.objects.create(
        program=program_a,
        role="trainer",
        username="invited_someone",
        invited_by=members["coordinator"],
        token_hash="0" * 64,
        expires_at=program_a.created_at + datetime.timedelta(days=3650),
    )
    return {
        "job": job,
        "invitation": invitation,
        "police": police_a,
        "clinic": clinic_a,
        "person": person,
        "contact": contact,
        "officer_membership": Membership.objects.get(user=officer, program=program_a),
        "entry": AuditEntry.objects.create(
            program=program_a,
            created_at=program_a.created_at,
            actor_label="system",
            source="system",
            action="create",
            content_type_id=1,
            object_id="1",
            object_repr="x",
        ),
    }


@pytest.mark.parametrize("case", CORE_CASES + PARTNER_CASES, ids=lambda c: c.id())
def test_every_role_gets_the_answer_written_for_it(
    case, members, outsider, records, client, api_for
):
    check_case(
        case, members=members, outsider=outsider, records=records, client=client, api_for=api_for
    )
