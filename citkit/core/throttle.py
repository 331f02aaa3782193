"""Counting attempts in a window (in Django's cache), and answers that take a fixed time.

The cache is shared by every app server (files under var/ on one machine, Redis
for several; see CACHES), so a limit holds across processes. The count is read
and written, not incremented atomically: two requests at the same instant may
both pass, which a limit meant to stop floods, not single requests, can allow.
"""

import contextlib
import hashlib
import time
from collections.abc import Iterator

from django.core.cache import cache


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt of `key` in `scope`; True while at most `limit` in the window.

    The window starts at the first attempt. The count is stored with its start and
    the time left, because not every cache keeps an entry's expiry on `incr`.
    """
    name = f"citkit:throttle:{scope}:{hashlib.sha256(key.encode()).hexdigest()}"
    now = time.time()
    entry = cache.get(name)
    if not (isinstance(entry, tuple) and len(entry) == 2 and now - entry[1] < window_seconds):
        entry = (0, now)
    count, started = entry[0] + 1, entry[1]
    cache.set(name, (count, started), timeout=max(1, int(started + window_seconds - now) + 1))
    return count <= limit


@contextlib.contextmanager
def at_least(seconds: float) -> Iterator[None]:
    """Make the block take at least `seconds`, so that how long it took tells nothing
    about what it found (an address with an account, or none)."""
    start = time.monotonic()
    try:
        yield
    finally:
        left = seconds - (time.monotonic() - start)
        if left > 0:
            time.sleep(left)
