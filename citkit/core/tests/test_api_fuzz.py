"""The API says exactly what it does: Schemathesis generates requests from the
OpenAPI schema and runs every default check on the answers (no 500, status codes
and bodies as documented, invalid input refused, valid input accepted).

Two personas: a coordinator, who may write, and a trainer, who may only read.
The examples per operation are bounded so the run stays a few seconds long;
`CITKIT_FUZZ_EXAMPLES` raises them for a deeper run.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token

from citkit.core.models import Membership, Role
from citkit.testing.factories import AgencyFactory, PersonFactory, UserFactory
from citkit.wsgi import application

EXAMPLES = int(os.environ.get("CITKIT_FUZZ_EXAMPLES", "6"))


@pytest.fixture
def api_schema(db):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def personas(program_a):
    police = AgencyFactory(program=program_a, name="Riverbend Police Department")
    PersonFactory(program=program_a, agency=police, badge_number="1001")
    tokens = {}
    for role in (Role.COORDINATOR, Role.TRAINER):
        user = UserFactory(username=f"fuzz_{role}")
        Membership.objects.create(user=user, program=program_a, role=role)
        tokens[role] = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    return tokens


schema = schemathesis.pytest.from_fixture("api_schema")

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


def _in_program(case):
    if "program" in (case.path_parameters or {}):
        case.path_parameters["program"] = "riverbend"
    return case


@schema.parametrize()
@FUZZ
def test_the_api_answers_a_coordinator_as_documented(case, personas):
    _in_program(case).call_and_validate(headers=personas[Role.COORDINATOR])


@schema.parametrize()
@FUZZ
def test_the_api_answers_a_read_only_member_as_documented(case, personas):
    _in_program(case).call_and_validate(headers=personas[Role.TRAINER])
