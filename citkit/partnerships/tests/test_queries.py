"""Query counts of the partnerships lists: the same for one record and for twenty, on
the page, its CSV and its API endpoint (citkit.testing.queries)."""

import datetime

import pytest

from citkit.core.models import Role
from citkit.partnerships import services
from citkit.partnerships.models import (
    Capacity,
    Language,
    Location,
    Mou,
    Phone,
    Responsibility,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from citkit.partnerships.tests.conftest import draft_mou, to_signature
from citkit.testing.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

P = "/p/riverbend/partnerships"
API = "/api/programs/riverbend"
MANY = 20
# The fewest records that hold one of every shape the growers make (24/7, following a
# service's hours, hours in words; a draft MOU and an executed one): a list of one
# shape only would skip the queries of the others' parts, which is no growth.
SHAPES = 4
SUNDAY_2AM = "2026-12-06T02:00"


def _schedule(service, byday, opens, closes):
    services.part_create(
        actor=None,
        parent=service,
        model=Schedule,
        data={"freq": "WEEKLY", "byday": byday, "opens_at": opens, "closes_at": closes},
    )


def _full_service(program, agency, i, service_type="crisis_stabilization"):
    """A service with one of every part the lists show."""
    service = services.service_create(
        actor=None,
        program=program,
        data={"agency": agency, "name": f"Service {i:03d}", "service_type": service_type},
    )
    services.part_create(actor=None, parent=service, model=Phone, data={"number": "(573) 555-0181"})
    if i % 2:
        _schedule(service, "MO,TU,WE,TH,FR,SA,SU", datetime.time(0), datetime.time(0))
    else:
        _schedule(service, "MO,TU,WE,TH,FR", datetime.time(8), datetime.time(17))
    services.part_create(
        actor=None, parent=service, model=Language, data={"name": "Spanish", "code": "es"}
    )
    services.part_create(
        actor=None,
        parent=service,
        model=Capacity,
        data={"unit": "beds", "available": 1, "maximum": 4},
    )
    services.part_create(actor=None, parent=service, model=ServiceArea, data={"name": "County"})
    return service


@pytest.fixture
def grow_services(program_a, police_a, clinic_a):
    def grow(n):
        for i in range(Service.objects.filter(program=program_a).count(), n):
            _full_service(program_a, police_a if i % 2 else clinic_a, i)

    return grow


@pytest.fixture
def grow_locations(program_a, police_a, clinic_a):
    def grow(n):
        for i in range(Location.objects.filter(program=program_a).count(), n):
            location = services.location_create(
                actor=None,
                program=program_a,
                data={
                    "agency": police_a if i % 2 else clinic_a,
                    "name": f"Place {i:03d}",
                    "address_1": f"{i} Main Street",
                    "city": "Riverbend",
                },
            )
            _schedule(location, "MO,TU", datetime.time(8), datetime.time(17))
            service = _full_service(program_a, clinic_a, 500 + i)
            services.part_create(
                actor=None, parent=service, model=ServiceAtLocation, data={"location": location}
            )

    return grow


def _responsibility(program, agency, i, service=None):
    return services.responsibility_create(
        actor=None,
        program=program,
        data={
            "agency": agency,
            "kind": ["receive", "respond", "follow_up", "train"][i % 4],
            "title": f"Responsibility {i:03d}",
            "available_24_7": i % 3 == 0,
            "service": service if i % 3 == 1 else None,
            "hours_text": "As scheduled" if i % 3 == 2 else "",
            "contact_phone": "(573) 555-0181",
            "handoff": "Sally port.",
        },
    )


@pytest.fixture
def grow_responsibilities(program_a, police_a, clinic_a):
    def grow(n):
        for i in range(Responsibility.objects.filter(program=program_a).count(), n):
            service = _full_service(program_a, clinic_a, i)
            _responsibility(program_a, clinic_a, i, service=service)

    return grow


@pytest.fixture
def grow_mous(program_a, police_a, clinic_a):
    def grow(n):
        for i in range(Mou.objects.filter(program=program_a).count(), n):
            mou, parties = draft_mou(program_a, [police_a, clinic_a], title=f"MOU {i:03d}")
            if i % 2:
                to_signature(mou)
                for party in parties:
                    services.mou_sign(actor=None, party=party, method="typed", attestation="Signed")

    return grow


# --- The directory ------------------------------------------------------------------


def test_the_directory_page_costs_the_same_for_one_service_and_twenty(
    grow_services, coordinator, client_for
):
    assert_constant_queries(client_for(coordinator), f"{P}/directory/", grow_services, large=MANY)


def test_the_filtered_directory_page_costs_the_same_for_one_service_and_twenty(
    grow_services, coordinator, client_for
):
    url = f"{P}/directory/?open_now=true&age_group=adults&language=es&q=Service"
    assert_constant_queries(client_for(coordinator), url, grow_services, large=MANY)


def test_the_directory_csv_costs_the_same_for_one_service_and_twenty(
    grow_services, coordinator, client_for
):
    url = f"{P}/directory/?format=csv"
    assert_constant_queries(client_for(coordinator), url, grow_services, large=MANY)


def test_the_directory_api_costs_the_same_for_one_service_and_twenty(
    grow_services, coordinator, api_for
):
    url = f"{API}/directory/services/"
    assert_constant_queries(api_for(coordinator), url, grow_services, large=MANY)


def test_the_filtered_directory_api_costs_the_same_for_one_service_and_twenty(
    grow_services, coordinator, api_for
):
    url = f"{API}/directory/services/?open_24_7=true&language=es"
    assert_constant_queries(api_for(coordinator), url, grow_services, small=SHAPES, large=MANY)


def test_the_open_now_api_costs_the_same_for_one_service_and_twenty(
    grow_services, coordinator, api_for
):
    url = f"{API}/directory/open-now/?at={SUNDAY_2AM}"
    assert_constant_queries(api_for(coordinator), url, grow_services, large=MANY)


def test_the_locations_page_costs_the_same_for_one_location_and_twenty(
    grow_locations, coordinator, client_for
):
    url = f"{P}/directory/locations/"
    assert_constant_queries(client_for(coordinator), url, grow_locations, large=MANY)


def test_the_locations_csv_costs_the_same_for_one_location_and_twenty(
    grow_locations, coordinator, client_for
):
    url = f"{P}/directory/locations/?format=csv"
    assert_constant_queries(client_for(coordinator), url, grow_locations, large=MANY)


def test_the_locations_api_costs_the_same_for_one_location_and_twenty(
    grow_locations, coordinator, api_for
):
    url = f"{API}/directory/locations/"
    assert_constant_queries(api_for(coordinator), url, grow_locations, large=MANY)


# --- Crisis responsibilities -----------------------------------------------------------


def test_the_responsibilities_page_costs_the_same_for_one_and_twenty(
    grow_responsibilities, coordinator, client_for
):
    url = f"{P}/responsibilities/"
    assert_constant_queries(
        client_for(coordinator), url, grow_responsibilities, small=SHAPES, large=MANY
    )


def test_the_responsibilities_csv_costs_the_same_for_one_and_twenty(
    grow_responsibilities, coordinator, client_for
):
    url = f"{P}/responsibilities/?format=csv"
    assert_constant_queries(
        client_for(coordinator), url, grow_responsibilities, small=SHAPES, large=MANY
    )


def test_the_responsibilities_api_costs_the_same_for_one_and_twenty(
    grow_responsibilities, coordinator, api_for
):
    url = f"{API}/responsibilities/"
    assert_constant_queries(
        api_for(coordinator), url, grow_responsibilities, small=SHAPES, large=MANY
    )


# --- MOUs ------------------------------------------------------------------------------


def test_the_mou_page_costs_the_same_for_one_mou_and_twenty(grow_mous, coordinator, client_for):
    assert_constant_queries(
        client_for(coordinator), f"{P}/mous/", grow_mous, small=SHAPES, large=MANY
    )


def test_the_mou_page_of_an_agency_administrator_costs_the_same_for_one_mou_and_twenty(
    grow_mous, members, client_for
):
    client = client_for(members[Role.AGENCY_ADMIN])
    assert_constant_queries(client, f"{P}/mous/", grow_mous, small=SHAPES, large=MANY)


def test_the_mou_csv_costs_the_same_for_one_mou_and_twenty(grow_mous, coordinator, client_for):
    url = f"{P}/mous/?format=csv"
    assert_constant_queries(client_for(coordinator), url, grow_mous, small=SHAPES, large=MANY)


def test_the_mou_api_costs_the_same_for_one_mou_and_twenty(grow_mous, coordinator, api_for):
    assert_constant_queries(
        api_for(coordinator), f"{API}/mous/", grow_mous, small=SHAPES, large=MANY
    )


def test_the_mou_api_of_an_officer_costs_the_same_for_one_mou_and_twenty(
    grow_mous, members, api_for
):
    client = api_for(members[Role.OFFICER])
    assert_constant_queries(client, f"{API}/mous/", grow_mous, small=SHAPES, large=MANY)


# --- Who takes a person in crisis now --------------------------------------------------


def test_the_crisis_page_costs_the_same_for_a_few_partner_duties_and_twenty(
    grow_responsibilities, coordinator, client_for
):
    url = f"{P}/?at={SUNDAY_2AM}"
    assert_constant_queries(
        client_for(coordinator), url, grow_responsibilities, small=SHAPES, large=MANY
    )


@pytest.fixture
def grow_duties(program_a, police_a):
    """Responsibilities available at every hour, with no services at all."""

    def grow(n):
        for i in range(Responsibility.objects.filter(program=program_a).count(), n):
            services.responsibility_create(
                actor=None,
                program=program_a,
                data={
                    "agency": police_a,
                    "kind": "respond",
                    "title": f"Duty {i:03d}",
                    "available_24_7": True,
                },
            )

    return grow


def test_the_crisis_page_costs_the_same_for_one_24_7_duty_and_twenty(
    grow_duties, coordinator, client_for
):
    url = f"{P}/?at={SUNDAY_2AM}"
    assert_constant_queries(client_for(coordinator), url, grow_duties, large=MANY)


@pytest.fixture
def grow_open_services(program_a, clinic_a):
    """Crisis services open around the clock, with a phone each, and no responsibilities."""

    def grow(n):
        for i in range(Service.objects.filter(program=program_a).count(), n):
            _full_service(program_a, clinic_a, 2 * i + 1)

    return grow


def test_the_crisis_page_costs_the_same_for_one_open_crisis_service_and_twenty(
    grow_open_services, coordinator, client_for
):
    url = f"{P}/?at={SUNDAY_2AM}"
    assert_constant_queries(client_for(coordinator), url, grow_open_services, large=MANY)


def test_the_crisis_board_selector_costs_the_same_for_a_few_partner_duties_and_twenty(
    grow_responsibilities, program_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from citkit.partnerships.selectors import crisis_board

    moment = datetime.datetime.fromisoformat(SUNDAY_2AM).replace(tzinfo=program_a.zone)
    counts = []
    for n in (SHAPES, MANY):
        grow_responsibilities(n)
        with CaptureQueriesContext(connection) as ctx:
            board = crisis_board(program_a, at=moment)
        assert board.open_services
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
