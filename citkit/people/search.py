"""The roster search's index on SQLite: an FTS5 table of trigrams.

The search matches a badge number from its start and each word of a name anywhere in
the first or last name. On PostgreSQL, trigram indexes (migration 0002) serve those
very `LIKE` expressions. SQLite cannot index a `LIKE '%…%'`, so a name search read the
whole roster; its FTS5 extension can: a table with the `trigram` tokenizer finds any
substring of three characters or more from an index.

The table holds no copy of the data (`content='people_person'`): it indexes the
roster's own rows, kept in step by three triggers. Django rebuilds a SQLite table to
alter it (new table, copy, drop, rename), which drops its triggers, so `ensure()` runs
after every `migrate` (people/apps.py): it puts missing triggers back and then rebuilds
the index from the rows, so a later migration of `Person` cannot leave it stale.

A word shorter than three characters has no trigram: such a search takes the plain
`LIKE` path, which is correct, only not indexed.
"""

from django.db import connections
from django.db.models.expressions import RawSQL

TABLE = "people_person_search"
COLUMNS = ("first_name", "last_name", "badge_number")
# Constant SQL: the names are this module's own.
_TRIGGERS = {
    "people_person_search_insert": (
        "AFTER INSERT ON people_person BEGIN "
        "INSERT INTO people_person_search(rowid, first_name, last_name, badge_number) "
        "VALUES (new.id, new.first_name, new.last_name, new.badge_number); END"
    ),
    "people_person_search_delete": (
        "AFTER DELETE ON people_person BEGIN "
        "INSERT INTO people_person_search"
        "(people_person_search, rowid, first_name, last_name, badge_number) "
        "VALUES ('delete', old.id, old.first_name, old.last_name, old.badge_number); END"
    ),
    "people_person_search_update": (
        "AFTER UPDATE OF first_name, last_name, badge_number ON people_person BEGIN "
        "INSERT INTO people_person_search"
        "(people_person_search, rowid, first_name, last_name, badge_number) "
        "VALUES ('delete', old.id, old.first_name, old.last_name, old.badge_number); "
        "INSERT INTO people_person_search(rowid, first_name, last_name, badge_number) "
        "VALUES (new.id, new.first_name, new.last_name, new.badge_number); END"
    ),
}
# The migration that made the index: after it, every migrate checks it.
MIGRATION = "0003_person_search_sqlite"
# Trigrams: a shorter word cannot be looked up in the index.
MIN_WORD = 3


def _fts5_available(connection, cursor) -> bool:
    """FTS5 compiled in, and SQLite 3.34 or later (the first with the trigram tokenizer)."""
    if connection.Database.sqlite_version_info < (3, 34, 0):
        return False
    cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
    return bool(cursor.fetchone()[0])


def ensure(connection) -> None:
    """Create the index and its triggers where missing (SQLite only); rebuild the index
    when anything was missing."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if not _fts5_available(connection, cursor):
            return
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{TABLE}%"],
        )
        present = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'people_person'")
        if not cursor.fetchone()[0]:  # migrated back past the roster
            return
        missing = [name for name in _TRIGGERS if name not in present]
        if TABLE not in present:
            cursor.execute(
                f"CREATE VIRTUAL TABLE {TABLE} USING fts5({', '.join(COLUMNS)}, "
                "content='people_person', content_rowid='id', "
                "tokenize='trigram case_sensitive 0')"
            )
        for name in missing:
            cursor.execute(f"CREATE TRIGGER {name} {_TRIGGERS[name]}")
        if TABLE not in present or missing:
            cursor.execute(
                "INSERT INTO people_person_search(people_person_search) VALUES ('rebuild')"
            )


def drop(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in _TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def indexed(alias: str) -> bool:
    """Whether the database `alias` has the index now (one look at sqlite_master: a
    migration run beside a live server may add or remove it)."""
    connection = connections[alias]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE]
        )
        return cursor.fetchone()[0] == 1


def _phrase(text: str) -> str:
    """An FTS5 string: every character literal, a quote doubled."""
    return '"' + text.replace('"', '""') + '"'


def matching_ids(value: str, words: list[str]) -> RawSQL | None:
    """The ids of people whose badge number starts with `value` or whose first or last
    name holds every one of `words`, from the index; None when a word is too short for
    it (the caller then filters with LIKE)."""
    if len(value) < MIN_WORD or any(len(word) < MIN_WORD for word in words):
        return None
    names = " AND ".join(f"{{first_name last_name}} : {_phrase(word)}" for word in words)
    query = f"(badge_number : ^ {_phrase(value)}) OR ({names})"
    # The query is a parameter; the table name is a constant.
    return RawSQL(
        "SELECT rowid FROM people_person_search WHERE people_person_search MATCH %s", [query]
    )
