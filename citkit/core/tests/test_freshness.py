"""Results kept until the program's data changes: every write path makes them stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citkit.core import freshness
from citkit.partners import services as partner_services
from citkit.people import importing
from citkit.people import services as people_services
from citkit.people.tests.test_import import csv_bytes, good_row

pytestmark = pytest.mark.django_db


def test_a_kept_result_is_computed_once_until_the_data_changes(program_a, program_b):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert freshness.cached(program_a.pk, "sample", compute) == 1
    assert freshness.cached(program_a.pk, "sample", compute) == 1
    freshness.changed(program_b.pk)  # another program's change leaves it alone
    assert freshness.cached(program_a.pk, "sample", compute) == 1
    freshness.changed(program_a.pk)
    assert freshness.cached(program_a.pk, "sample", compute) == 2
    assert freshness.cached(program_a.pk, "another", compute) == 3  # names do not mix


def test_the_version_is_replaced_again_when_the_transaction_commits(
    program_a, django_capture_on_commit_callbacks
):
    before = freshness.version(program_a.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        freshness.changed(program_a.pk)
    during = freshness.version(program_a.pk)
    assert during != before  # the writer itself never reads a result from before
    for callback in callbacks:
        callback()
    # A result computed between the change and the commit is not kept under the new one.
    assert freshness.version(program_a.pk) not in (before, during)


def test_a_change_without_a_program_changes_nothing(program_a):
    before = freshness.version(program_a.pk)
    freshness.changed(None)
    assert freshness.version(program_a.pk) == before


def test_every_audited_write_makes_the_programs_results_stale(coordinator, program_a):
    before = freshness.version(program_a.pk)
    partner_services.agency_create(
        actor=coordinator, program=program_a, data={"name": "Hope Clinic", "agency_type": "ems"}
    )
    assert freshness.version(program_a.pk) != before


def test_a_roster_import_makes_the_programs_results_stale(coordinator, program_a, police_a):
    before = freshness.version(program_a.pk)
    importing.import_file(
        actor=coordinator,
        program=program_a,
        filename="roster.csv",
        content=csv_bytes([good_row(1), good_row(2)]),
    )
    assert freshness.version(program_a.pk) != before


def _home(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/p/riverbend/")
    assert response.status_code == 200
    aggregates = [
        q["sql"]
        for q in ctx.captured_queries
        if "people_person" in q["sql"] and "GROUP BY" in q["sql"]
    ]
    return response.content.decode(), aggregates


def _active_officers(html: str) -> str:
    """The first figure of the people panel: active officers."""
    panel = html.index('id="people-heading"')
    start = html.index('<p class="big-number">', panel) + len('<p class="big-number">')
    return html[start : html.index("</p>", start)]


def test_the_home_page_counts_the_roster_once_and_again_after_a_change(
    client_for, coordinator, police_a
):
    client = client_for(coordinator)
    html, aggregates = _home(client)
    assert aggregates, "the first view counts the roster"
    officers = int(_active_officers(html))

    html, aggregates = _home(client)
    assert aggregates == [], "a second view reuses the counts"
    assert int(_active_officers(html)) == officers

    people_services.person_create(
        actor=coordinator,
        program=police_a.program,
        data={
            "kind": "officer",
            "first_name": "Sam",
            "last_name": "Lee",
            "agency": police_a,
            "badge_number": "4410",
            "status": "active",
        },
    )
    html, aggregates = _home(client)
    assert aggregates, "a change to the roster counts it again"
    assert int(_active_officers(html)) == officers + 1


class _BrokenCache:
    """A cache whose server is gone: every call fails, as Redis's client does."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache unreachable")

        return fail


def test_without_a_cache_pages_compute_and_writes_go_through(
    client_for, coordinator, program_a, police_a, monkeypatch
):
    monkeypatch.setattr(freshness, "cache", _BrokenCache())
    assert freshness.cached(program_a.pk, "sample", lambda: 42) == 42
    html, aggregates = _home(client_for(coordinator))
    assert aggregates, "computed, not kept"
    before = int(_active_officers(html))
    people_services.person_create(
        actor=coordinator,
        program=program_a,
        data={
            "kind": "officer",
            "first_name": "Dana",
            "last_name": "Reyes",
            "agency": police_a,
            "badge_number": "4411",
            "status": "active",
        },
    )
    html, _ = _home(client_for(coordinator))
    assert int(_active_officers(html)) == before + 1
