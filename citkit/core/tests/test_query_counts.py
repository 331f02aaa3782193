"""List pages and list endpoints cost the same number of queries for 1 row and for 50."""

import pytest

from citkit.core.models import Role
from citkit.partners import services as partner_services
from citkit.testing.factories import (
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from citkit.testing.queries import count_queries

pytestmark = pytest.mark.django_db


def _grow(program, police, coordinator, n, start=0):
    """Add n agencies (each with a contact), n officers, n members, and their audit entries."""
    for i in range(start, start + n):
        agency = partner_services.agency_create(
            actor=coordinator,
            program=program,
            data={"name": f"Grown agency {i:03d}", "agency_type": "ems"},
        )
        partner_services.contact_create(
            actor=coordinator, agency=agency, data={"name": f"Contact {i}"}
        )
        PersonFactory(program=program, agency=police, last_name=f"Grown{i:03d}")
        MembershipFactory(
            program=program, user=UserFactory(username=f"grown{i:03d}"), role=Role.TRAINER
        )


LISTS = [
    "/p/riverbend/",
    "/p/riverbend/agencies/",
    "/p/riverbend/agencies/?format=csv",
    "/p/riverbend/people/",
    "/p/riverbend/people/?format=csv",
    "/p/riverbend/people/?q=grown&sort=badge",
    "/p/riverbend/audit/",
    "/p/riverbend/members/",
    "/api/programs/",
    "/api/programs/riverbend/agencies/",
    "/api/programs/riverbend/people/",
    "/api/programs/riverbend/people/?sort=district&q=grown",
    "/api/programs/riverbend/audit/",
    "/api/programs/riverbend/members/",
]


def _count(client, url):
    return count_queries(client, url)


@pytest.mark.parametrize("url", LISTS)
def test_a_list_costs_the_same_queries_for_1_row_and_for_50(
    client, coordinator, program_a, police_a, url
):
    client.force_login(coordinator)
    _grow(program_a, police_a, coordinator, 1)
    _count(client, url)  # warm caches (content types, sessions)
    with_one = _count(client, url)
    _grow(program_a, police_a, coordinator, 49, start=1)
    with_fifty = _count(client, url)
    assert with_fifty == with_one, (url, with_one, with_fifty)


def test_the_programs_list_costs_the_same_for_1_program_and_for_8(client, coordinator, program_a):
    """The cheapest request of all (bench/load.py's baseline): the member's role comes
    with the programs, not from one more query per program."""
    from citkit.testing.factories import ProgramFactory

    client.force_login(coordinator)
    _count(client, "/api/programs/")  # warm caches (content types, sessions)
    with_one = _count(client, "/api/programs/")
    for i in range(7):
        MembershipFactory(
            program=ProgramFactory(slug=f"more-{i}", name=f"More {i}"),
            user=coordinator,
            role=Role.COMMITTEE_MEMBER if i % 2 else Role.COORDINATOR,
        )
    response = client.get("/api/programs/")
    roles = {p["slug"]: p["role"] for p in response.json()["results"]}
    assert roles["more-1"] == Role.COMMITTEE_MEMBER and roles["more-0"] == Role.COORDINATOR
    assert roles[program_a.slug] == Role.COORDINATOR
    assert _count(client, "/api/programs/") == with_one


@pytest.mark.parametrize("base", ["/p/riverbend/people/", "/api/programs/riverbend/people/"])
def test_a_page_90_percent_deep_costs_what_a_shallow_one_costs(
    client, coordinator, program_a, police_a, base
):
    """Keyset paging: the page after the 54th of 60 people and after the 99th of 110
    cost the same queries (OFFSET paging would read every row before them)."""
    from citkit.core.pagination import cursor_after
    from citkit.people.filters import PERSON_SORTS
    from citkit.people.models import Person

    client.force_login(coordinator)
    ordering = PERSON_SORTS["name"]

    def deep_url() -> str:
        people = Person.objects.filter(program=program_a).order_by(*ordering)
        cursor = cursor_after(people[int(people.count() * 0.9)], ordering)
        return f"{base}?cursor={cursor}"

    _grow_people(program_a, police_a, 60)
    _count(client, deep_url())
    shallow = _count(client, deep_url())
    _grow_people(program_a, police_a, 50, start=60)
    assert _count(client, deep_url()) == shallow


def _grow_people(program, police, n, start=0):
    for i in range(start, start + n):
        PersonFactory(program=program, agency=police, last_name=f"Deep{i:03d}")
