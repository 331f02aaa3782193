"""Keyset (cursor) paging for list pages and API lists.

OFFSET paging reads and throws away every row before the page, so page 900
of a 50,000-officer roster costs 900 times page 1. Keyset paging remembers
the sort key of the last row shown and asks for rows after it, which an index
answers directly at any depth. The sort must end in a unique column (the id).
"""

import base64
import binascii
import datetime
import json
import math
from dataclasses import dataclass

from django.db.models import Q, QuerySet


class InvalidCursor(ValueError):
    pass


# Lists count their rows up to this many and then say "1,000 or more": an exact
# COUNT(*) of a 50,000-officer roster or a million audit entries on every page view
# costs more than the page itself, and nobody reads the exact figure of a long list.
COUNT_LIMIT = 1000


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    previous_cursor: str | None
    count: int | None = None
    per_page: int = 50
    # True when `count` is COUNT_LIMIT and more rows match.
    count_is_lower_bound: bool = False

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)

    @property
    def count_label(self) -> str:
        """ "12", "1,000 or more"; "" when the list is not counted."""
        if self.count is None:
            return ""
        return f"{self.count:,} or more" if self.count_is_lower_bound else f"{self.count:,}"


def _encode(values: list, direction: str) -> str:
    payload = json.dumps({"v": values, "d": direction}, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[list, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        values, direction = data["v"], data["d"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidCursor(
            "That page link is not valid any more; start from the first page."
        ) from exc
    if direction not in ("n", "p") or not isinstance(values, list):
        raise InvalidCursor("That page link is not valid any more; start from the first page.")
    if not all(_storable(v) for v in values):
        # A value no column can hold (a number past 64 bits, a NUL byte): a cursor
        # this list never gave out, and one the database would fail on.
        raise InvalidCursor("That page link is not valid any more; start from the first page.")
    return values, direction


_LARGEST = 2**63 - 1


def _storable(value) -> bool:
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -_LARGEST <= value <= _LARGEST
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return "\x00" not in value
    return False


def _value_of(obj, path: str):
    value = obj
    for part in path.split("__"):
        value = getattr(value, part)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _after(ordering: list[str], values: list, reverse: bool) -> Q:
    """Rows strictly after `values` in `ordering` (or before, when reverse).

    Expanded as a >= v1 AND ((a > v1) OR (a = v1 AND b > v2) OR ...): the
    leading range lets the index seek straight to the cursor.
    """
    if len(values) != len(ordering):
        raise InvalidCursor("That page link is not valid any more; start from the first page.")
    disjuncts = Q()
    equal_so_far = Q()
    first_bound = Q()
    for i, (term, value) in enumerate(zip(ordering, values, strict=True)):
        name = term.lstrip("-")
        descending = term.startswith("-") != reverse
        op = "lt" if descending else "gt"
        disjuncts |= equal_so_far & Q(**{f"{name}__{op}": value})
        equal_so_far &= Q(**{name: value})
        if i == 0:
            first_bound = Q(**{f"{name}__{op}e": value})
    return first_bound & disjuncts


def _reversed(ordering: list[str]) -> list[str]:
    return [t[1:] if t.startswith("-") else f"-{t}" for t in ordering]


def paginate_keyset(
    queryset: QuerySet,
    *,
    ordering: list[str],
    cursor: str | None,
    per_page: int,
    with_count: bool = True,
    count_limit: int | None = None,
) -> KeysetPage:
    """One page of `queryset` after (or before) `cursor`, and how many rows match.

    The count stops at `count_limit` (COUNT_LIMIT by default): COUNT over a LIMIT
    subquery reads at most that many index entries. (A first page holding every row
    could be counted without a query, but then a short list would cost one query
    fewer than a long one, and list costs are asserted equal for 1 row and for 50.)
    """
    limit = COUNT_LIMIT if count_limit is None else count_limit
    if cursor:
        values, direction = _decode(cursor)
        backwards = direction == "p"
        condition = _after(ordering, values, reverse=backwards)
        order = _reversed(ordering) if backwards else ordering
        rows = list(queryset.filter(condition).order_by(*order)[: per_page + 1])
    else:
        backwards = False
        rows = list(queryset.order_by(*ordering)[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()

    def key(obj) -> list:
        return [_value_of(obj, t.lstrip("-")) for t in ordering]

    count, capped = None, False
    if with_count:
        count = queryset.order_by()[: limit + 1].count()
        capped = count > limit
        count = min(count, limit)

    next_cursor = previous_cursor = None
    if rows:
        has_next = more if not backwards else True
        has_previous = bool(cursor) if not backwards else more
        if has_next:
            next_cursor = _encode(key(rows[-1]), "n")
        if has_previous:
            previous_cursor = _encode(key(rows[0]), "p")
    return KeysetPage(
        items=rows,
        next_cursor=next_cursor,
        previous_cursor=previous_cursor,
        count=count,
        per_page=per_page,
        count_is_lower_bound=capped,
    )


def cursor_after(obj, ordering: list[str]) -> str:
    """A cursor that starts the page right after `obj` (for links and benchmarks)."""
    return _encode([_value_of(obj, t.lstrip("-")) for t in ordering], "n")
