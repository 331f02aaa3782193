"""Benchmark: an HSDS 3 data package of 5,000 services, exported and imported.

It builds a directory of --services services (default 5,000) in a scratch program of
its own, spread over a few dozen partner agencies, each service with a location, the
service at that location, two phones, a contact, opening hours (weekdays, around the
clock or overnight), a service area, a language and, for one in five, a count of beds.
Then it times:

- the export of the whole directory as the CSV package, and as the JSON form;
- the import of the CSV package into a new, empty program (everything created, each
  record with its audit entry), exactly as the page's job and the command run it;
- the import of the same package into that program again (everything matched, nothing
  changed, no audit entry).

    .venv/bin/python bench/hsds.py                       # SQLite, in a temporary file
    .venv/bin/python bench/hsds.py --services 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/citkit_bench_hsds .venv/bin/python bench/hsds.py

On PostgreSQL the database is created if missing and emptied first; its name must
contain "bench". Target: 5,000 services imported in well under a minute. Exits
non-zero if the import misses a record, writes an entry on the second run, or, with
--check, misses the target.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20250301
TARGET_SECONDS = 60
KINDS = [
    ("crisis_line", "Crisis line"),
    ("mobile_crisis", "Mobile crisis team"),
    ("crisis_stabilization", "Crisis stabilization unit"),
    ("outpatient", "Outpatient clinic"),
    ("peer_support", "Peer support"),
    ("substance_use", "Detox and recovery"),
    ("housing", "Emergency shelter"),
]
TOWNS = ["Riverbend", "Lakeshore", "Millbrook", "Cedar Falls", "Northgate", "Oak Valley"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000, help="services to generate")
    parser.add_argument("--agencies", type=int, default=40, help="partner agencies")
    parser.add_argument(
        "--check", action="store_true", help=f"exit non-zero past {TARGET_SECONDS} s"
    )
    return parser.parse_args()


def choose_database():
    import dj_database_url

    url = os.environ.get("DATABASE_URL")
    if not url:
        folder = tempfile.mkdtemp(prefix="citkit-bench-hsds-")
        url = f"sqlite:///{folder}/bench-hsds.sqlite3"
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


def build_directory(program, services: int, agencies: int) -> None:
    """The scratch directory, written in bulk (a benchmark's set-up, not an import)."""
    from citkit.partners.models import Agency
    from citkit.partnerships import models as m

    rng = random.Random(SEED)
    partners = Agency.objects.bulk_create(
        Agency(program=program, name=f"Partner agency {i:03d}", agency_type="mental_health")
        for i in range(agencies)
    )
    rows: dict[str, list] = {
        k: [] for k in ("svc", "loc", "sal", "ph", "ct", "sch", "ar", "la", "cap")
    }
    for i in range(services):
        agency = partners[i % agencies]
        kind, label = KINDS[i % len(KINDS)]
        town = TOWNS[i % len(TOWNS)]
        rows["svc"].append(
            m.Service(
                program=program,
                agency=agency,
                name=f"{label} {i:05d}",
                service_type=kind,
                description=f"{label} for {town} and around.",
                eligibility_description="Adults",
                minimum_age=18 if i % 3 else None,
                url=f"https://partner{i % agencies}.example.org/services/{i}",
            )
        )
        rows["loc"].append(
            m.Location(
                program=program,
                agency=agency,
                name=f"{town} site {i:05d}",
                address_1=f"{100 + i} Main St",
                city=town,
                state_province="MO",
                postal_code=f"65{i % 1000:03d}",
                country="US",
                latitude=round(38 + rng.random(), 6),
                longitude=round(-93 + rng.random(), 6),
            )
        )
    m.Service.objects.bulk_create(rows["svc"], batch_size=1000)
    m.Location.objects.bulk_create(rows["loc"], batch_size=1000)
    for i, (service, location) in enumerate(zip(rows["svc"], rows["loc"], strict=True)):
        rows["sal"].append(m.ServiceAtLocation(program=program, service=service, location=location))
        rows["ph"].append(m.Phone(program=program, service=service, number="988"))
        rows["ph"].append(
            m.Phone(program=program, location=location, number=f"(573) 555-{i % 10000:04d}")
        )
        rows["ct"].append(m.Contact(program=program, service=service, name=f"Intake desk {i}"))
        if i % 3 == 0:
            hours = {"byday": "MO,TU,WE,TH,FR,SA,SU", "opens_at": datetime.time(0),
                     "closes_at": datetime.time(0)}  # fmt: skip
        elif i % 3 == 1:
            hours = {"byday": "FR,SA", "opens_at": datetime.time(19),
                     "closes_at": datetime.time(7)}  # fmt: skip
        else:
            hours = {"byday": "MO,TU,WE,TH,FR", "opens_at": datetime.time(8, 30),
                     "closes_at": datetime.time(17)}  # fmt: skip
        rows["sch"].append(m.Schedule(program=program, service=service, **hours))
        rows["ar"].append(
            m.ServiceArea(program=program, service=service, name=f"{TOWNS[i % 6]} County")
        )
        rows["la"].append(m.Language(program=program, service=service, name="Spanish", code="es"))
        if i % 5 == 0:
            rows["cap"].append(
                m.Capacity(
                    program=program,
                    service=service,
                    unit="beds",
                    available=rng.randrange(0, 8),
                    maximum=8,
                    updated=datetime.datetime(2025, 3, 1, 6, tzinfo=datetime.UTC),
                )
            )
    for key, model in (
        ("sal", m.ServiceAtLocation),
        ("ct", m.Contact),
        ("sch", m.Schedule),
        ("ar", m.ServiceArea),
        ("la", m.Language),
        ("cap", m.Capacity),
    ):
        model.objects.bulk_create(rows[key], batch_size=1000)
    contacts = list(m.Contact.objects.filter(program=program).order_by("id"))
    m.Phone.objects.bulk_create(
        rows["ph"]
        + [m.Phone(program=program, contact=c, number="(573) 555-0199") for c in contacts],
        batch_size=1000,
    )


def records(program) -> int:
    from citkit.partnerships import models as m

    kinds = (m.Service, m.Location, m.ServiceAtLocation, m.Contact, m.Phone, m.Schedule,
             m.ServiceArea, m.Language, m.Capacity)  # fmt: skip
    return sum(k.objects.filter(program=program).count() for k in kinds)


def timed(fn):
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - started, time.process_time() - cpu


def main() -> int:
    args = parse_args()
    db = choose_database()
    fresh_database(db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citkit.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    settings.CITKIT_IMPORT_MAX_BYTES = 1 << 40
    settings.DEBUG = False

    from citkit.core.audit import audit_context
    from citkit.core.models import AuditEntry, Program
    from citkit.partners.models import Agency
    from citkit.partnerships.hsds.export import export_package
    from citkit.partnerships.hsds.importing import import_package

    source = Program.objects.create(name="Bench HSDS source", slug="bench-hsds-source")
    target = Program.objects.create(name="Bench HSDS target", slug="bench-hsds-target")
    _, build_s, _ = timed(lambda: build_directory(source, args.services, args.agencies))
    expected = records(source)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"HSDS package on {connection.vendor} ({db['NAME']}), {args.services:,} services, "
        f"{expected:,} directory records, load average {load:.2f} (built in {build_s:.1f} s)"
    )
    print(f"{'step':<42} {'time':>8} {'cpu':>7} {'size':>9}")

    def line(step, seconds, cpu, size=""):
        print(f"{step:<42} {seconds:>7.2f}s {cpu:>6.2f}s {size:>9}")

    csv_package, seconds, cpu = timed(lambda: export_package(source, fmt="csv"))
    line("export, CSV package", seconds, cpu, f"{len(csv_package) / 1e6:.1f}MB")
    json_package, seconds, cpu = timed(lambda: export_package(source, fmt="json"))
    line("export, JSON form", seconds, cpu, f"{len(json_package) / 1e6:.1f}MB")

    with audit_context(source="command", label="bench hsds"):
        counts, import_s, cpu = timed(
            lambda: import_package(actor=None, program=target, content=csv_package)
        )
    line("import into an empty program", import_s, cpu)
    entries = AuditEntry.objects.filter(program=target).count()
    with audit_context(source="command", label="bench hsds"):
        again, seconds, cpu = timed(
            lambda: import_package(actor=None, program=target, content=csv_package)
        )
    line("import again (nothing changes)", seconds, cpu)

    ok = True
    got = records(target)
    agencies = Agency.objects.filter(program=target).count()
    if got != expected or agencies != args.agencies:
        print(
            f"  !! {got:,} records and {agencies} agencies, "
            f"expected {expected:,} and {args.agencies}"
        )
        ok = False
    if entries != expected + args.agencies:
        print(f"  !! {entries:,} audit entries, expected {expected + args.agencies:,}")
        ok = False
    if (
        again["created"]
        or again["updated"]
        or AuditEntry.objects.filter(program=target).count() != entries
    ):
        print("  !! the second import changed something")
        ok = False
    if args.check and import_s > TARGET_SECONDS:
        print(f"  !! the import took over {TARGET_SECONDS} s")
        ok = False
    print(
        f"created {counts['created']:,} records ({counts['tables']['services']['created']:,} "
        "services), each with its audit entry. time: wall clock; cpu: this process "
        "(the rest is the database's own work)."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
