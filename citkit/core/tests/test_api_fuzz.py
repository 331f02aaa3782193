"""The API says exactly what it does: Schemathesis generates requests from the
OpenAPI schema and runs every default check on the answers (no 500; status codes,
headers and bodies as documented; schema-violating input refused; schema-valid
input accepted).

Two personas: a coordinator, who may write, and a trainer, who may only read.
Each request runs in a savepoint rolled back afterwards, so one generated
record never collides with the next.

A schema cannot say everything a valid request must satisfy: that an owner is
a member of *this* program, that a meeting ends after it starts, that an
officer has a badge. For requests generated to be valid, `with_program_records`
fills those in from the program's real records; for requests generated to be
invalid it changes nothing. What it fills in is exactly the list of rules the
schema cannot express, and each is tested on its own elsewhere.

The examples per operation are bounded so the run stays about a minute long;
`CITKIT_FUZZ_EXAMPLES` raises them for a deeper run.
"""

import datetime
import importlib
import os

import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from citkit.core.models import Membership, Role
from citkit.core.registry import feature_apps
from citkit.testing.factories import AgencyFactory, PersonFactory, UserFactory
from citkit.testing.tokens import token_key
from citkit.wsgi import application

EXAMPLES = int(os.environ.get("CITKIT_FUZZ_EXAMPLES", "5"))

# Phone numbers as people write them in the program's country (the schema says
# `format: phone`; the service checks and rewrites them).
PHONES = ["(573) 555-0110", "573-555-0121 ext. 12", "+1 573 555 0199", "988"]
PHONE_FIELDS = {"main_phone", "crisis_phone", "phone"}
schemathesis.openapi.format("phone", st.sampled_from(PHONES))


def app_fuzz_modules() -> list:
    """Each feature app's `<app>/tests/fuzz.py`, if it has one: `records(program, agency)`
    names records of its own that bodies point at ({field: id}); `adjust(case)` makes a
    request generated as valid meet the app's rules the schema cannot state (between
    fields, or a date's range)."""
    found = []
    for app in feature_apps():
        try:
            found.append(importlib.import_module(f"{app.name}.tests.fuzz"))
        except ModuleNotFoundError:
            continue
    return found


@pytest.fixture
def keep_the_test_connection():
    """The requests reach Django through plain WSGI, not its test client, so Django
    would close the database connection after each one, and with it the test's
    transaction (PostgreSQL). The test client avoids that the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, keep_the_test_connection):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def world(program_a):
    """The program the requests are made in, with one record of each kind named."""
    from citkit.committee import services as committee
    from citkit.plan import services as plan

    police = AgencyFactory(program=program_a, name="Riverbend Police Department")
    PersonFactory(program=program_a, agency=police, badge_number="1001")
    tokens = {}
    for role in (Role.COORDINATOR, Role.TRAINER):
        user = UserFactory(username=f"fuzz_{role}")
        Membership.objects.create(user=user, program=program_a, role=role)
        tokens[role] = {"Authorization": f"Token {token_key(user)}"}
    plan.plan_seed(actor=None, program=program_a)
    subcommittee = committee.subcommittees_seed(actor=None, program=program_a)[0]
    start = datetime.datetime(2026, 3, 12, 18, tzinfo=datetime.UTC)
    meeting = committee.meeting_create(
        actor=None,
        program=program_a,
        data={"starts_at": start, "ends_at": start + datetime.timedelta(hours=2)},
    )
    decision = committee.decision_record(actor=None, meeting=meeting, data={"text": "Adopt"})
    seat = committee.seat_create(
        actor=None,
        program=program_a,
        data={"holder_name": "Dana Whitfield", "start_date": datetime.date(2026, 1, 1)},
    )
    UserFactory(username="fuzz_newcomer")
    # A second coordinator, so that changing one's role keeps the program managed.
    Membership.objects.create(
        user=UserFactory(username="fuzz_deputy"), program=program_a, role=Role.COORDINATOR
    )
    ids = {
        "agency": police.pk,
        "phase": program_a.phases.first().pk,
        "subcommittee": subcommittee.pk,
        "meeting": meeting.pk,
        "decision": decision.pk,
        "concerns_task": program_a.plan_tasks.first().pk,
    }
    for module in app_fuzz_modules():
        ids.update(module.records(program_a, police))
    return {
        "tokens": tokens,
        "member": "fuzz_trainer",
        "newcomer": "fuzz_newcomer",
        "seat": seat.pk,
        "ids": ids,
    }


MEMBER_FIELDS = {"owner", "user", "username"}
LIST_FIELDS = {"affected_agencies": "agency", "depends_on": None}
URL_FIELDS = {"website", "call_link"}
ROSTER = (
    b"Last name,First name,Agency,Badge number\nAlvarez,Samantha,Riverbend Police Department,2901\n"
)


def with_program_records(case, world):
    """Make a request generated as valid satisfy the rules the schema cannot state."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    body = case.body
    if isinstance(body, dict):
        # An invitation goes to an account not yet in the program.
        adding_member = case.path.endswith("/invitations/") and case.method.upper() == "POST"
        for name in MEMBER_FIELDS & body.keys():
            if isinstance(body[name], str):
                # A member of this program; an account not yet in it, to add one.
                body[name] = world["newcomer"] if adding_member else world["member"]
        for name in PHONE_FIELDS & body.keys():
            # The generator does not always reach for the format inside a oneOf.
            if isinstance(body[name], str) and body[name] and body[name] not in PHONES:
                body[name] = PHONES[0]
        for name in URL_FIELDS & body.keys():
            if isinstance(body[name], str) and body[name]:
                body[name] = "https://meet.example.org/cit"  # a host a browser can reach
        if isinstance(body.get("seats"), dict):
            marks = list(body["seats"].values())
            body["seats"] = {str(world["seat"]): marks[0]} if marks else {}
        for name, kind in world["ids"].items():
            if isinstance(body.get(name), int):
                body[name] = kind  # a record of this program
        for name, kind in LIST_FIELDS.items():
            if isinstance(body.get(name), list):
                body[name] = [world["ids"][kind]] if kind and body[name] else []
        for start, end in (("start_date", "end_date"), ("start_date", "due_date")):
            if isinstance(body.get(start), str) and isinstance(body.get(end), str):
                body[start], body[end] = "2027-01-04", "2027-06-30"  # ends after it starts
        if isinstance(body.get("starts_at"), str):
            # A meeting ends after it starts, in a year a calendar can show.
            body["starts_at"] = "2027-05-04T17:00:00Z"
            if "ends_at" in body:
                body["ends_at"] = "2027-05-04T19:00:00Z"
        elif isinstance(body.get("ends_at"), str):
            body["ends_at"] = "2027-05-04T19:00:00Z"
        person = "last_name" in body and "/people/" in case.path
        if person and body.get("kind", "officer") in ("officer", "dispatcher"):
            body["agency"] = world["ids"]["agency"]  # officers and dispatchers have one
            body["badge_number"] = body.get("badge_number") or "4242"
        if body.get("role") == "agency_admin":
            body["agency"] = world["ids"]["agency"]
        if "file" in body:
            body["file"] = ROSTER  # a roster, not any bytes
            body.pop("mapping", None)
    for module in app_fuzz_modules():
        if hasattr(module, "adjust"):
            module.adjust(case)
    return case


def _in_program(case):
    if "program" in (case.path_parameters or {}):
        case.path_parameters["program"] = "riverbend"
    return case


def _call(case, world, role):
    with transaction.atomic():
        with_program_records(_in_program(case), world)
        case.call_and_validate(headers=world["tokens"][role])
        transaction.set_rollback(True)


schema = schemathesis.pytest.from_fixture("api_schema")

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


@schema.parametrize()
@FUZZ
def test_the_api_answers_a_coordinator_as_documented(case, world):
    _call(case, world, Role.COORDINATOR)


@schema.parametrize()
@FUZZ
def test_the_api_answers_a_read_only_member_as_documented(case, world):
    _call(case, world, Role.TRAINER)
