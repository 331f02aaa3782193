"""Benchmark: how long `load_demo` takes on an empty database.

The demo is built through the services, so its time follows theirs: a slower
write path shows here first. Builds into a database of its own, three times
from empty, and prints each run and the median.

    .venv/bin/python bench/demo.py                          # SQLite file var/bench-demo.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/citkit_bench_demo .venv/bin/python bench/demo.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from lists import ensure_database  # noqa: E402  (the same guarded database handling)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import dj_database_url

    url = os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'bench-demo.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    db = dj_database_url.parse(url)
    if "bench" not in Path(str(db["NAME"])).name:
        sys.exit(f"Refusing to use {db['NAME']!r}: the benchmark database's name must say 'bench'.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citkit.settings")

    import django

    seconds = []
    for run in range(1, args.runs + 1):
        ensure_database(db, drop=True)
        if run == 1:
            django.setup()
        from django.core.management import call_command
        from django.db import connections

        connections.close_all()
        call_command("migrate", verbosity=0)
        from citkit.core.audit import audit_context
        from citkit.core.models import AuditEntry
        from citkit.demo.builder import load_demo

        started = time.perf_counter()
        with audit_context(source="command", label="bench demo"):
            result = load_demo()
        seconds.append(time.perf_counter() - started)
        people = sum(c.get("people", 0) for c in result.counts.values())
        print(
            f"run {run}: {seconds[-1]:.2f} s — {len(result.loaded)} programs, {people} people, "
            f"{AuditEntry.objects.count()} audit entries ({connections['default'].vendor})"
        )
        connections.close_all()
    print(f"load_demo median of {len(seconds)}: {statistics.median(seconds):.2f} s")


if __name__ == "__main__":
    main()
