"""Backups of the whole database, and a fingerprint to check one against.

SQLite is copied with SQLite's online backup API: a consistent copy of the
database as it was at one instant, taken while the site keeps running (WAL lets
the writers go on). PostgreSQL is dumped with `pg_dump --format=custom` and
loaded with `pg_restore`, run as programs with arguments (never a shell line)
and the connection settings in their environment (PGPASSWORD, never on the
command line, where other users of the machine could read it).

`summarize` fingerprints a database: the rows of each table and a SHA-256 of
their values in primary-key order, and one checksum over every table. Two
databases with the same checksum hold the same rows. On PostgreSQL the backup's
fingerprint is taken in the very snapshot pg_dump dumps (`--snapshot`), so it
describes the file exactly even while the site writes.
"""

import datetime
import decimal
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# libpq reads these from the environment; Django's OPTIONS may carry them.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message for the operator."""


# --- Fingerprints -------------------------------------------------------------


@dataclass
class Summary:
    tables: dict[str, tuple[int, str]] = field(default_factory=dict)  # name -> (rows, sha256)

    @property
    def checksum(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.tables):
            rows, table_digest = self.tables[name]
            digest.update(f"{name}\t{rows}\t{table_digest}\n".encode())
        return digest.hexdigest()

    @property
    def rows(self) -> int:
        return sum(rows for rows, _ in self.tables.values())

    def lines(self) -> list[str]:
        width = max((len(name) for name in self.tables), default=5)
        lines = [f"{'table':<{width}}  {'rows':>10}  sha256"]
        for name in sorted(self.tables):
            rows, digest = self.tables[name]
            lines.append(f"{name:<{width}}  {rows:>10,}  {digest[:16]}")
        lines.append(f"{len(self.tables)} tables, {self.rows:,} rows, checksum {self.checksum}")
        return lines


def _canonical(value):
    """A JSON-safe value that is the same whenever the stored value is."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return {"bytes": bytes(value).hex()}
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | datetime.timedelta):
        return str(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def _digest_rows(rows) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(json.dumps([_canonical(v) for v in row], separators=(",", ":")).encode())
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def summarize_sqlite(conn: sqlite3.Connection) -> Summary:
    summary = Summary()
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    ).fetchall()
    # Full-text indexes (virtual tables and the shadow tables that hold them) are
    # derived from the rows they index, and PostgreSQL has no counterpart: not data.
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    tables = [
        name
        for name, _ in rows
        if name not in virtual and not any(name.startswith(f"{v}_") for v in virtual)
    ]
    for table in tables:
        columns = conn.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
        keys = [c[1] for c in sorted((c for c in columns if c[5]), key=lambda c: c[5])]
        order = ", ".join(map(_quote, keys)) or ", ".join(str(i + 1) for i in range(len(columns)))
        # The values as stored: Django's connection converts columns by their declared
        # type (datetime, bool, decimal), a plain one does not; coalesce() has no
        # declared type, so both read the same.
        values = ", ".join(f"coalesce({_quote(c[1])}, NULL)" for c in columns)
        summary.tables[table] = _digest_rows(
            conn.execute(f"SELECT {values} FROM {_quote(table)} ORDER BY {order}")  # noqa: S608
        )
    return summary


def summarize_postgresql(conn) -> Summary:
    """`conn` is a psycopg connection inside a transaction (its snapshot is what is read)."""
    summary = Summary()
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND NOT c.relispartition AND n.nspname = current_schema() "
            "ORDER BY c.relname"
        )
        tables = [row[0] for row in cursor.fetchall()]
    for number, table in enumerate(tables):
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indrelid = %s::regclass AND i.indisprimary "
                "ORDER BY array_position(i.indkey::int2[], a.attnum)",
                [_quote(table)],
            )
            keys = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT count(*) FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attnum > 0 AND NOT attisdropped",
                [_quote(table)],
            )
            n_columns = cursor.fetchone()[0]
        order = ", ".join(map(_quote, keys)) or ", ".join(str(i + 1) for i in range(n_columns))
        # A server-side cursor: a million-row table streams instead of filling memory.
        with conn.cursor(name=f"citkit_summary_{number}") as cursor:
            cursor.itersize = 5000
            cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}")  # noqa: S608
            summary.tables[table] = _digest_rows(cursor)
    return summary


def _pg_connect(connection, *, snapshot_reads: bool):
    """A connection of its own (not Django's), reading one repeatable snapshot."""
    import psycopg

    raw = psycopg.connect(**connection.get_connection_params())
    if snapshot_reads:
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
    return raw


def summarize(connection) -> Summary:
    """The fingerprint of the database behind a Django connection, as it is now."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        # One read transaction, so every table is read at the same instant.
        outer = connection.in_atomic_block or raw.in_transaction
        if not outer:
            raw.execute("BEGIN DEFERRED")
        try:
            return summarize_sqlite(raw)
        finally:
            if not outer:
                raw.execute("COMMIT")
    if connection.vendor == "postgresql":
        raw = _pg_connect(connection, snapshot_reads=True)
        try:
            return summarize_postgresql(raw)
        finally:
            raw.close()
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


# --- Files --------------------------------------------------------------------


def backup_kind(path: Path) -> str | None:
    """ "sqlite" or "postgresql" for a file one of them wrote, else None."""
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None


def _partial(dest: Path) -> Path:
    """An empty file beside `dest`, readable by its owner only (a backup holds people's
    records), renamed onto `dest` once complete: a failed backup never leaves a
    half-written file under the real name."""
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    return partial


def backup(connection, dest: Path, *, verify: bool = False) -> Summary | None:
    """Write a backup of the database to `dest`; with `verify`, the fingerprint of what
    the file holds."""
    dest = dest.resolve()
    if not dest.parent.is_dir():
        raise BackupError(f"There is no folder {dest.parent}.")
    partial = _partial(dest)
    try:
        if connection.vendor == "sqlite":
            summary = _backup_sqlite(connection, partial, verify=verify)
        elif connection.vendor == "postgresql":
            summary = _backup_postgresql(connection, partial, verify=verify)
        else:
            raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _backup_sqlite(connection, partial: Path, *, verify: bool) -> Summary | None:
    connection.ensure_connection()
    target = sqlite3.connect(partial)
    try:
        # In one step: the copy is the database at one instant. Through Django's own
        # connection, so an in-memory database (the tests') is copied too.
        connection.connection.backup(target)
        # A self-contained file: no -wal beside it to forget when copying it away.
        target.execute("PRAGMA journal_mode=DELETE")
        if target.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("The copy failed SQLite's integrity check; nothing was written.")
        return summarize_sqlite(target) if verify else None
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy the database: {error}") from error
    finally:
        target.close()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed or not on PATH; it comes with PostgreSQL's client "
            "programs (Debian: apt-get install postgresql-client), in the server's major "
            "version or newer."
        )
    return path


def pg_environment(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for option, variable in LIBPQ_OPTIONS.items():
        value = (settings_dict.get("OPTIONS") or {}).get(option)
        if value not in (None, ""):
            env[variable] = str(value)
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(  # noqa: S603 (arguments, no shell)
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = result.stderr.strip() or f"exit status {result.returncode}"
        raise BackupError(f"{what} failed: {detail}")


def _backup_postgresql(connection, partial: Path, *, verify: bool) -> Summary | None:
    pg_dump = _tool("pg_dump")
    raw = _pg_connect(connection, snapshot_reads=True)
    try:
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        # pg_dump dumps exactly the snapshot this transaction holds open, so the
        # fingerprint below, read in the same snapshot, describes the file.
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={partial}",
            ],
            pg_environment(connection.settings_dict),
            "pg_dump",
        )
        return summarize_postgresql(raw) if verify else None
    finally:
        raw.close()


def restore(connection, source: Path) -> None:
    """Replace everything in the database with the backup in `source`."""
    source = source.resolve()
    kind = backup_kind(source)
    here = "sqlite" if connection.vendor == "sqlite" else connection.vendor
    if kind is None:
        raise BackupError(
            f"{source} is not a citkit backup: neither a SQLite database nor a pg_dump "
            "archive. Nothing was restored."
        )
    if kind != here:
        raise BackupError(
            f"{source} is a {ENGINES[kind]} backup, but this database is "
            f"{ENGINES.get(here, here)}. Restore it into a {ENGINES[kind]} database "
            "(set DATABASE_URL to one). Nothing was restored."
        )
    if kind == "sqlite":
        _restore_sqlite(connection, source)
    else:
        _restore_postgresql(connection, source)


def _restore_sqlite(connection, source: Path) -> None:
    backup_file = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    try:
        if backup_file.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} fails SQLite's integrity check. Nothing was restored.")
        has_migrations = backup_file.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone()
        if not has_migrations:
            raise BackupError(
                f"{source} is a SQLite database but not a citkit one. Nothing was restored."
            )
        connection.ensure_connection()
        # Page by page into the live database, in one step and under its write lock:
        # other connections wait (busy timeout) and then see the restored data.
        backup_file.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not restore {source}: {error}") from error
    finally:
        backup_file.close()


def _restore_postgresql(connection, source: Path) -> None:
    pg_restore = _tool("pg_restore")
    settings_dict = connection.settings_dict
    # Django's own connection must hold no lock on the tables about to be replaced.
    connection.close()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            # All or nothing: a failure part-way leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={settings_dict['NAME']}",
            str(source),
        ],
        pg_environment(settings_dict),
        "pg_restore",
    )
