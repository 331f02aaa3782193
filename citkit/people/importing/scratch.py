"""An import's scratch space on disk: the badge numbers seen so far, and the checked people.

Checking and writing are two passes. The first checks every row without touching the
database's write lock; the second writes them all in one short transaction. Between
the two, the checked people wait here, and the first pass keeps here which row first
used each badge number (to name it when a later row repeats it). Both grow with the
file, so they live in a private temporary SQLite database on disk (deleted when
closed) instead of the worker's memory: a 500,000-row roster costs the same memory as
a 500-row one.

The people are stored as JSON of exactly the values the check produced, so the
second pass writes what the first one validated.
"""

import datetime
import json
import sqlite3
from collections.abc import Iterable, Iterator

# SQLite's smallest limit on host parameters in one statement is 999.
_IN_BATCH = 500


def _encode(value):
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    raise TypeError(f"{type(value).__name__} cannot be kept for the import")


def _decode(obj: dict):
    if obj.keys() == {"date"}:
        return datetime.date.fromisoformat(obj["date"])
    return obj


class Scratch:
    def __init__(self):
        # "" opens a private temporary database, on disk, removed when it is closed.
        self._db = sqlite3.connect("")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute(
            "CREATE TABLE badges (agency INTEGER, badge TEXT, number INTEGER, "
            "PRIMARY KEY (agency, badge)) WITHOUT ROWID"
        )
        self._db.execute("CREATE TABLE people (number INTEGER PRIMARY KEY, data TEXT)")
        self.kept = 0

    def __enter__(self) -> "Scratch":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # --- Badge numbers ------------------------------------------------------------------

    def first_rows(self, keys: Iterable[tuple[int, str]]) -> dict[tuple[int, str], int]:
        """For each (agency id, badge) already seen, the row that first used it."""
        wanted = set(keys)
        badges = sorted({badge for _, badge in wanted})
        found: dict[tuple[int, str], int] = {}
        for start in range(0, len(badges), _IN_BATCH):
            part = badges[start : start + _IN_BATCH]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                f"SELECT agency, badge, number FROM badges WHERE badge IN ({marks})",  # noqa: S608
                part,
            )
            for agency, badge, number in rows:
                if (agency, badge) in wanted:
                    found[(agency, badge)] = number
        return found

    def add_badges(self, rows: Iterable[tuple[int, str, int]]) -> None:
        """Remember (agency id, badge, row) as first used on that row."""
        self._db.executemany("INSERT OR IGNORE INTO badges VALUES (?, ?, ?)", rows)

    # --- Checked people -----------------------------------------------------------------

    def keep(self, people: Iterable[tuple[int, dict]]) -> None:
        """Keep (row number, field values) of checked people, to be written later."""
        rows = [(number, json.dumps(values, default=_encode)) for number, values in people]
        self._db.executemany("INSERT INTO people VALUES (?, ?)", rows)
        self.kept += len(rows)

    def people(self, size: int) -> Iterator[list[tuple[int, dict]]]:
        """The kept people in the order of the file, `size` at a time."""
        cursor = self._db.execute("SELECT number, data FROM people ORDER BY number")
        while batch := cursor.fetchmany(size):
            yield [(number, json.loads(data, object_hook=_decode)) for number, data in batch]
