"""The partnerships routes, every role (the table is in routes.py)."""

import pytest

from citkit.partnerships.hsds import organization_id
from citkit.partnerships.tests.routes import CASES
from citkit.testing.matrix import check_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(directory, mous, program_a, police_a):
    return {
        **directory,
        **mous,
        "service_hsds": directory["service"].hsds_id,
        "location_hsds": directory["location"].hsds_id,
        "organization_hsds": organization_id(program_a.slug, police_a.pk),
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id())
def test_every_role_gets_the_answer_written_for_it(
    case, members, outsider, records, client, api_for
):
    check_case(
        case, members=members, outsider=outsider, records=records, client=client, api_for=api_for
    )
