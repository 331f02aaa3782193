"""No page offers a role a link into the roster that the role may not follow.

An analyst sees counts of people, never people: a link to the roster would
only lead them to a 403. Every link to a people page that a member is shown
must open for them.
"""

import re

import pytest

from citkit.people.models import Person
from citkit.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

_PEOPLE_LINK = re.compile(r'href="(/p/riverbend/people/[^"]*)"')

PAGES = {
    "program home": "/p/riverbend/",
    "roster": "/p/riverbend/people/",
    "a person": "/p/riverbend/people/{person}/",
    "the officer's own record": "/p/riverbend/people/{own}/",
    "the person's edit page": "/p/riverbend/people/{person}/edit/",
    "an agency": "/p/riverbend/agencies/{police}/",
}


def _links_that_do_not_open(client, user, page_url) -> list[tuple[str, int]]:
    client.force_login(user)
    page = client.get(page_url)
    if page.status_code != 200:
        return []  # the page itself is not theirs; its links are not offered
    broken = []
    for href in sorted(set(_PEOPLE_LINK.findall(page.content.decode()))):
        url = href.replace("&amp;", "&")
        status = client.get(url).status_code
        if status != 200:
            broken.append((url, status))
    return broken


@pytest.mark.parametrize("page", list(PAGES))
def test_every_people_link_a_role_is_shown_opens_for_that_role(
    page, client, members, officer, program_a, police_a
):
    person = PersonFactory(program=program_a, agency=police_a, badge_number="777")
    records = {
        "person": person.pk,
        "own": Person.objects.get(user=officer).pk,
        "police": police_a.pk,
    }
    url = PAGES[page].format(**records)
    broken = {
        role: links
        for role, user in members.items()
        if (links := _links_that_do_not_open(client, user, url))
    }
    assert not broken, broken


def test_an_analyst_is_offered_no_link_into_the_roster(client, members, program_a, police_a):
    PersonFactory(program=program_a, agency=police_a)
    client.force_login(members["analyst"])
    home = client.get("/p/riverbend/")
    assert home.status_code == 200
    assert "active officer" in home.content.decode()  # the counts are there
    assert not _PEOPLE_LINK.findall(home.content.decode())
