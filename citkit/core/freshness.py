"""Results kept until the program's data changes: a version token per program.

Some figures cost far more to compute than the page that shows them (the program home
counts a 50,000-officer roster; the status report lays out every measure of the plan).
They depend only on the program's data, and every change to that data is written
through a service that records an audit entry. So each program has a version token in
the cache: `audit.record` and the roster import's bulk writer call `changed()`, which
replaces the token, and `cached()` keys what it keeps by the current token. A change
makes every kept result of the program unreachable at once; nothing has to know which
results a change touches.

The token is replaced twice: at once (so the writing request, and a test inside one
transaction, never reads a result from before its own change) and again when the
transaction commits (so a result computed by another request between those two moments,
from data without the change, is not kept under the new token). A token is random, not
a counter: two processes replacing it at once cannot land on the same value.

Writes that bypass the services (a data migration, a manual SQL fix) are caught up by
the time limit: nothing is kept longer than `ttl` seconds.

Two caches: the tokens live in the shared one (`default`: files under var/, or Redis),
so a change made through one worker or machine reaches every other; the results live
in each process's memory (`kept`, bounded), keyed by the token. So kept results never
outlive the code that made them (a deploy restarts the processes), never crowd the
shared cache (its file backend culls entries at random once full, throttle counters
included), and never carry records out of the process (a pickled user holds its
password hash).

The cache is a convenience, never a dependency: when it fails (Redis unreachable, a
full disk), pages compute what they show and writes go through; a change the cache
could not note is caught up by the same time limit, and the failure is logged.
"""

import logging
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache, caches
from django.db import transaction

T = TypeVar("T")
logger = logging.getLogger(__name__)

# A kept result lives at most this long, changed or not.
DEFAULT_TTL = 15 * 60
# The token outlives every result kept under it.
_TOKEN_TTL = 24 * 3600


def _token_key(program_id: int) -> str:
    return f"citkit:version:{program_id}"


def _new_token(program_id: int) -> None:
    try:
        cache.set(_token_key(program_id), secrets.token_hex(8), _TOKEN_TTL)
    except Exception:
        logger.warning(
            "The cache did not take program %s's new data version; what was kept of "
            "its data may be shown for up to %s seconds.",
            program_id,
            DEFAULT_TTL,
            exc_info=True,
        )


def changed(program_id: int | None) -> None:
    """The data of program `program_id` changed (or is changing in this transaction)."""
    if program_id is None:
        return
    _new_token(program_id)
    transaction.on_commit(lambda: _new_token(program_id))


def version(program_id: int) -> str:
    """The program's current data version (made on first use)."""
    key = _token_key(program_id)
    token = cache.get(key)
    if token is None:
        cache.add(key, secrets.token_hex(8), _TOKEN_TTL)
        token = cache.get(key) or ""
    return token


def changed_everywhere(program_ids) -> None:
    """Every program's data changed at once (a database restored from a backup)."""
    for program_id in program_ids:
        changed(program_id)


def _unavailable(what: str) -> None:
    logger.warning("The cache failed (%s); computing without it.", what, exc_info=True)


def cached(program_id: int, name: str, compute: Callable[[], T], *, ttl: int = DEFAULT_TTL) -> T:
    """`compute()`, or what it gave since the program's data last changed.

    `name` says what is kept and must hold everything else the result depends on
    (e.g. "roster-panel", "status-report:pdf"). The result must pickle.
    """
    missing = object()
    try:
        key = f"citkit:kept:{program_id}:{version(program_id)}:{name}"
        value = caches["kept"].get(key, missing)
    except Exception:
        _unavailable(f"reading {name}")
        return compute()
    if value is missing:
        value = compute()
        try:
            caches["kept"].set(key, value, ttl)
        except Exception:
            _unavailable(f"keeping {name}")
    return value
