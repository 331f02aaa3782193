"""The roster search: the same answers from the index as from reading every row, on
both databases; the SQLite index follows every write and survives a table rebuild."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citkit.people import search
from citkit.people import services as people_services
from citkit.people.filters import PersonFilterSet
from citkit.people.models import Person
from citkit.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

NAMES = [
    ("Ann", "Anderson", "A-1001"),
    ("Sander", "Lee", "A-1002"),
    ("Alexander", "Ramirez", "B-2001"),
    ("Pat", "O'Neil", "B-2002"),
    ("Zoë", "Ünal", "C-3001"),
    ("Jo", "Anders-Brown", "C-30"),
    ('Quinn "Q"', "Smith", "D-4001"),
]
QUERIES = [
    "ander",
    "ANDER",
    "sander lee",
    "lee sander",
    "ander brown",
    "a-10",
    "b-2001",
    "c-30",
    "o'neil",
    '"q"',
    "ünal",
    "al",  # too short for trigrams: read row by row, same answer
    "jo",
    "nobody-at-all",
    "%",
    "_",
]


@pytest.fixture
def roster(program_a, police_a):
    return [
        PersonFactory(
            program=program_a, agency=police_a, first_name=first, last_name=last, badge_number=badge
        )
        for first, last, badge in NAMES
    ]


def _expected(people, value: str) -> set[int]:
    """What the search means, said in Python."""
    value = value.strip()
    words = value.lower().split()
    found = set()
    for p in people:
        names = (p.first_name.lower(), p.last_name.lower())
        if p.badge_number.lower().startswith(value.lower()) or all(
            any(w in n for n in names) for w in words
        ):
            found.add(p.pk)
    return found


def _found(program, value: str) -> set[int]:
    filterset = PersonFilterSet({"q": value}, queryset=Person.objects.filter(program=program))
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


@pytest.mark.parametrize("value", QUERIES)
def test_the_search_finds_what_it_means(program_a, roster, value):
    people = Person.objects.filter(program=program_a)
    assert _found(program_a, value) == _expected(people, value)


def test_on_sqlite_a_search_of_three_letters_or_more_reads_the_index(program_a, roster):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's trigram indexes are chosen by its planner")
    assert search.indexed(connection.alias)
    with CaptureQueriesContext(connection) as ctx:
        _found(program_a, "ander")
    assert search.TABLE in ctx.captured_queries[-1]["sql"]
    with CaptureQueriesContext(connection) as ctx:
        _found(program_a, "al")
    assert search.TABLE not in ctx.captured_queries[-1]["sql"]


def test_the_search_follows_a_change_of_name_and_a_removal(
    coordinator, program_a, police_a, roster
):
    ann = roster[0]
    people_services.person_update(actor=coordinator, person=ann, data={"last_name": "Whitfield"})
    assert ann.pk in _found(program_a, "whitf")
    assert ann.pk not in _found(program_a, "anderson")
    people_services.person_delete(actor=coordinator, person=ann)
    assert _found(program_a, "whitf") == set()


def test_a_rebuilt_people_table_gets_its_index_back(program_a, police_a, roster):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        for name in search._TRIGGERS:  # as a table rebuild by a migration leaves it
            cursor.execute(f"DROP TRIGGER {name}")
    late = PersonFactory(
        program=program_a, agency=police_a, first_name="Late", last_name="Comer", badge_number="Z-9"
    )
    assert late.pk not in _found(program_a, "comer")  # the index missed it
    search.ensure(connection)
    assert late.pk in _found(program_a, "comer")


def test_an_sqlite_without_the_trigram_tokenizer_keeps_searching_row_by_row(
    program_a, roster, monkeypatch
):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    search.drop(connection)
    monkeypatch.setattr(connection.Database, "sqlite_version_info", (3, 31, 1))
    search.ensure(connection)  # as on an older SQLite: no index, no error
    assert not search.indexed(connection.alias)
    people = Person.objects.filter(program=program_a)
    assert _found(program_a, "ander") == _expected(people, "ander")
    monkeypatch.undo()
    search.ensure(connection)
    assert search.indexed(connection.alias)
