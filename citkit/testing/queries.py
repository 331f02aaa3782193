"""Query counts that must not grow with the data: the same for 1 row and for 50."""

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str) -> int:
    """Queries run to answer one GET (a streamed export is read to its end).

    Results kept until the data changes (core.freshness) are dropped first: what is
    counted is the page right after a change, the cost that must not grow with the
    data. (A view that finds them kept costs less; tests of freshness check that.)
    """
    caches["kept"].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def assert_constant_queries(client, url: str, grow, *, small: int = 1, large: int = 50) -> int:
    """`grow(n)` adds rows until there are n; the count must not change between them.

    Returns the count, so a test can also pin it.
    """
    grow(small)
    # One request first: per-client writes that happen at most once a minute (a
    # token's "last used", the session's activity) are not the list's queries.
    client.get(url)
    few = count_queries(client, url)
    grow(large)
    many = count_queries(client, url)
    assert few == many, f"{url}: {few} queries for {small} rows, {many} for {large}"
    return many
