"""Benchmark: roster imports of 1,000, 10,000 and 50,000 rows, time and peak memory.

Each size is a generated roster (CSV by default, --xlsx for Excel) of officers spread
over a dozen agencies, imported into a program of its own exactly as the page's job and
the command import it (`citkit.people.importing.import_file`): every row checked, then
all written in one transaction with one audit entry each. It prints, per size, the
time of the import, its peak Python memory (tracemalloc, in a second run of its own,
since tracing slows Python down) beside the size of the file, and checks that every
person and every audit entry is there.

    .venv/bin/python bench/import.py                       # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/citkit_bench_import \
        .venv/bin/python bench/import.py
    .venv/bin/python bench/import.py --sizes 1000,10000 --xlsx --no-memory

On PostgreSQL the database is created if missing and emptied first; its name must
contain "bench". Targets: 50,000 rows in under 30 s on PostgreSQL and under 60 s on
SQLite, with peak memory that does not grow with the file. Exits non-zero if an import
misses its count, or with --check if a target is missed.
"""

import argparse
import csv
import datetime
import io
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20240501
AGENCIES = [
    "Capital City Police Department",
    "Riverbend Police Department",
    "Lakeshore Police Department",
    "Harbor County Sheriff's Office",
    "Pine County Sheriff's Office",
    "State Highway Patrol, District 3",
    "Northgate Police Department",
    "Millbrook Police Department",
    "University Police Department",
    "Cedar Falls Police Department",
    "Transit Authority Police",
    "Oak Valley Sheriff's Office",
]
FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "Maria",
    "Jose",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Nguyen",
    "Reyes",
    "Ortiz",
]
HEADER = [
    "Last name",
    "First name",
    "Department",
    "Badge #",
    "Rank",
    "District",
    "Shift",
    "Hire date",
    "E-mail",
    "Phone",
]
TARGET_SECONDS = {"postgresql": 30, "sqlite": 60}
TARGET_ROWS = 50_000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="rows per import")
    parser.add_argument("--xlsx", action="store_true", help="Excel files instead of CSV")
    parser.add_argument("--no-memory", action="store_true", help="skip the traced run")
    parser.add_argument(
        "--passes",
        choices=["auto", "1", "2"],
        default="auto",
        help="write each chunk as it is checked (1) or check all then write (2); "
        "auto: as the import chooses for the database (2 on SQLite, 1 otherwise)",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit non-zero when 50,000 rows miss the target"
    )
    return parser.parse_args()


# --- The benchmark's own database ---------------------------------------------


def choose_database():
    import dj_database_url

    url = os.environ.get("DATABASE_URL")
    if not url:
        folder = tempfile.mkdtemp(prefix="citkit-bench-import-")
        url = f"sqlite:///{folder}/bench-import.sqlite3"
    os.environ["DATABASE_URL"] = url
    db = dj_database_url.parse(url)
    # The benchmark empties this database: never let it touch a real one.
    if "bench" not in Path(str(db["NAME"])).name:
        sys.exit(f"Refusing to use {db['NAME']!r}: the benchmark database's name must say 'bench'.")
    return db


def fresh_database(db: dict) -> None:
    if "sqlite" in db["ENGINE"]:
        Path(db["NAME"]).unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    admin = psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        name = sql.Identifier(db["NAME"])
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))


# --- Rosters --------------------------------------------------------------------


def roster_rows(n: int, rng: random.Random):
    today = datetime.date.today()
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        hired = today - datetime.timedelta(days=rng.randrange(30, 25 * 365))
        yield [
            last,
            first,
            AGENCIES[i % len(AGENCIES)],
            str(1000 + i // len(AGENCIES)),
            rng.choice(["Officer", "Deputy", "Corporal", "Sergeant"]),
            rng.choice(["North", "South", "East", "West"]),
            rng.choice(["Day", "Evening", "Night"]),
            hired.isoformat(),
            f"{first}.{last}{i}@example.org".lower(),
            f"(573) 555-{rng.randrange(0, 10_000):04d}" if rng.random() < 0.7 else "",
        ]


def roster_file(n: int, *, xlsx: bool) -> tuple[str, bytes]:
    rng = random.Random(SEED + n)
    if xlsx:
        import openpyxl

        # A regular workbook, as Excel writes one: shared strings and a dimension.
        # (openpyxl's write-only mode writes every string inline, which reads slower.)
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(HEADER)
        for row in roster_rows(n, rng):
            sheet.append(row)
        binary = io.BytesIO()
        workbook.save(binary)
        return "roster.xlsx", binary.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(roster_rows(n, rng))
    return "roster.csv", text.getvalue().encode()


# --- One import -----------------------------------------------------------------


def new_program(label: str):
    from citkit.core.models import Membership, Program, Role
    from citkit.partners.models import Agency

    program = Program.objects.create(
        name=f"Bench import {label}", slug=f"bench-import-{label}", time_zone="America/Chicago"
    )
    Agency.objects.bulk_create(Agency(program=program, name=name) for name in AGENCIES)
    user = _coordinator()
    Membership.objects.create(user=user, program=program, role=Role.COORDINATOR)
    return program, user


def _coordinator():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-coordinator")
    return user


def run_import(
    label: str, filename: str, content: bytes, *, traced: bool
) -> tuple[float, float, int]:
    """(seconds, CPU seconds of this process, peak traced bytes or 0) of one import
    into a program of its own."""
    from django.contrib.auth import get_user_model

    from citkit.core.audit import audit_context
    from citkit.people import importing

    program, user = new_program(label)
    user = get_user_model().objects.get(pk=user.pk)  # nothing cached from the set-up
    if traced:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    with audit_context(source="command", label="bench import"):
        importing.import_file(actor=user, program=program, filename=filename, content=content)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = 0
    if traced:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return seconds, cpu, peak


def verify(label: str, rows: int) -> bool:
    from citkit.core.models import AuditEntry, Program
    from citkit.people.models import Person

    program = Program.objects.get(slug=f"bench-import-{label}")
    people = Person.objects.filter(program=program).count()
    entries = AuditEntry.objects.filter(program=program, action="import").count()
    if people != rows or entries != rows:
        print(f"  !! {label}: {people} people and {entries} audit entries, expected {rows}")
        return False
    return True


def main() -> int:
    args = parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    db = choose_database()
    fresh_database(db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citkit.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    # The bench's files are as big as it likes; the deployment's limit is not measured here.
    settings.CITKIT_IMPORT_MAX_BYTES = 1 << 40
    settings.DEBUG = False  # as in production: no log of every statement
    vendor = connection.vendor
    if args.passes != "auto":
        from citkit.people import importing

        importing._writes_as_it_checks = lambda: args.passes == "1"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    kind = "XLSX" if args.xlsx else "CSV"
    passes = args.passes if args.passes != "auto" else ("2" if vendor == "sqlite" else "1")
    print(
        f"Roster import on {vendor} ({db['NAME']}), {kind}, {passes} pass(es), "
        f"load average {load:.2f}"
    )
    print(f"{'rows':>8} {'file':>9} {'time':>8} {'cpu':>7} {'rows/s':>8} {'peak memory':>12}")
    ok = True
    for rows in sizes:
        filename, content = roster_file(rows, xlsx=args.xlsx)
        seconds, cpu, _ = run_import(f"{rows}", filename, content, traced=False)
        ok = verify(f"{rows}", rows) and ok
        peak_text = "-"
        if not args.no_memory:
            _, _, peak = run_import(f"{rows}-traced", filename, content, traced=True)
            ok = verify(f"{rows}-traced", rows) and ok
            peak_text = f"{peak / 1e6:.1f} MB"
        print(
            f"{rows:>8,} {len(content) / 1e6:>7.1f}MB {seconds:>7.1f}s {cpu:>6.1f}s "
            f"{rows / seconds:>8,.0f} {peak_text:>12}"
        )
        if args.check and rows >= TARGET_ROWS and seconds > TARGET_SECONDS.get(vendor, 60):
            print(f"  !! over the target of {TARGET_SECONDS.get(vendor, 60)} s")
            ok = False
    print(
        "time: wall clock; cpu: this process (the rest is the database's own work). "
        "Peak memory: Python allocations of the import beyond the file's own bytes."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
