"""Keyset paging: complete, ordered, stable at any depth, safe against bad cursors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citkit.core import pagination
from citkit.core.pagination import InvalidCursor, KeysetPage, cursor_after, paginate_keyset
from citkit.people.models import Person
from citkit.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

ORDERINGS = [
    ["last_name", "first_name", "id"],
    ["-last_name", "-first_name", "-id"],
    ["district", "last_name", "id"],
    ["-updated_at", "-id"],
]


@pytest.fixture
def people(program_a, police_a):
    names = ["Adams", "Baker", "Baker", "Cruz", "Diaz", "Diaz", "Diaz", "Evans"]
    return [
        PersonFactory(
            program=program_a,
            agency=police_a,
            last_name=name,
            first_name=f"F{i % 2}",
            district=["North", "South"][i % 2],
        )
        for i, name in enumerate(names * 3)
    ]


@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("per_page", [1, 5, 24, 50])
def test_walking_forward_visits_every_row_once_in_order(people, ordering, per_page):
    queryset = Person.objects.all()
    expected = list(queryset.order_by(*ordering).values_list("pk", flat=True))
    seen, cursor = [], None
    for _ in range(100):
        page = paginate_keyset(queryset, ordering=ordering, cursor=cursor, per_page=per_page)
        seen += [p.pk for p in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_walking_back_returns_the_previous_page(people, ordering):
    queryset = Person.objects.all()
    first = paginate_keyset(queryset, ordering=ordering, cursor=None, per_page=5)
    second = paginate_keyset(queryset, ordering=ordering, cursor=first.next_cursor, per_page=5)
    back = paginate_keyset(queryset, ordering=ordering, cursor=second.previous_cursor, per_page=5)
    assert [p.pk for p in back.items] == [p.pk for p in first.items]
    assert back.previous_cursor is None
    assert first.previous_cursor is None


def test_a_cursor_after_a_row_starts_right_after_it(people):
    ordering = ["last_name", "first_name", "id"]
    rows = list(Person.objects.order_by(*ordering))
    page = paginate_keyset(
        Person.objects.all(), ordering=ordering, cursor=cursor_after(rows[9], ordering), per_page=3
    )
    assert [p.pk for p in page.items] == [p.pk for p in rows[10:13]]


def test_the_count_is_optional(people):
    page = paginate_keyset(
        Person.objects.all(), ordering=["id"], cursor=None, per_page=5, with_count=False
    )
    assert page.count is None


@pytest.mark.parametrize(
    "cursor", ["garbage", "e30", "eyJ2IjoxLCJkIjoibiJ9", "!!", "eyJ2IjpbMV0sImQiOiJ4In0"]
)
def test_bad_cursors_raise_a_clear_error(people, cursor):
    with pytest.raises(InvalidCursor, match="not valid"):
        paginate_keyset(
            Person.objects.all(), ordering=["last_name", "id"], cursor=cursor, per_page=5
        )


# --- Counting ---------------------------------------------------------------------------


def _paged(queryset, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        page = paginate_keyset(queryset, ordering=["last_name", "id"], per_page=5, **kwargs)
    return page, len(ctx.captured_queries)


def test_a_short_list_is_counted_exactly_in_one_query(people):
    page, queries = _paged(Person.objects.filter(last_name="Diaz"), cursor=None)
    assert (page.count, page.count_is_lower_bound, page.count_label) == (9, False, "9")
    assert queries == 2  # the page (and its one extra row), then the count


def test_the_count_stops_at_its_limit_and_says_so(people):
    queryset = Person.objects.all()
    page, queries = _paged(queryset, cursor=None, count_limit=10)
    assert (page.count, page.count_is_lower_bound) == (10, True)
    assert page.count_label == "10 or more"
    assert queries == 2
    exact, _ = _paged(queryset, cursor=None, count_limit=24)
    assert (exact.count, exact.count_is_lower_bound, exact.count_label) == (24, False, "24")


def test_a_deeper_page_counts_the_whole_list_not_what_follows_the_cursor(people):
    first, _ = _paged(Person.objects.all(), cursor=None)
    second, _ = _paged(Person.objects.all(), cursor=first.next_cursor)
    assert second.count == first.count == 24


def test_a_large_count_reads_with_a_thousands_separator():
    page = KeysetPage(items=[], next_cursor=None, previous_cursor=None, count=1000)
    assert page.count_label == "1,000"
    page.count_is_lower_bound = True
    assert page.count_label == "1,000 or more"
    assert KeysetPage(items=[], next_cursor=None, previous_cursor=None).count_label == ""


def test_the_roster_page_and_api_say_when_the_count_is_a_lower_bound(
    client_for, api_for, coordinator, people, monkeypatch
):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 10)
    html = client_for(coordinator).get("/p/riverbend/people/").content.decode()
    assert "10 or more in all" in html
    body = api_for(coordinator).get("/api/programs/riverbend/people/").json()
    assert (body["count"], body["count_is_lower_bound"]) == (10, True)
    filtered = api_for(coordinator).get("/api/programs/riverbend/people/?q=adams").json()
    assert (filtered["count"], filtered["count_is_lower_bound"]) == (3, False)
