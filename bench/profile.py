"""Profile requests end to end: where a page's time goes, function by function.

Runs requests in this process through Django's whole stack (every middleware, the
session, authentication, the view, template rendering or serialisation) with the
production settings, under pyinstrument, and prints the call tree, the time per
request and the SQL each request ran. Uses the database `bench/load.py` builds.

    .venv/bin/python bench/profile.py /api/programs/
    .venv/bin/python bench/profile.py /p/bench-state/people/ --repeat 50 --sql
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/citkit_bench_load \\
        .venv/bin/python bench/profile.py /p/bench-state/ --html var/home.html
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="addresses to request, e.g. /api/programs/")
    parser.add_argument("--repeat", type=int, default=200, help="requests of each address")
    parser.add_argument("--sql", action="store_true", help="print the SQL of one request")
    parser.add_argument("--html", help="also write pyinstrument's HTML report here")
    parser.add_argument(
        "--flat", action="store_true", help="list functions by their own time, not a tree"
    )
    parser.add_argument("--interval", type=float, default=0.0002, help="sampling interval, s")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-load.sqlite3'}")
    os.environ.update(
        CITKIT_ENV="production",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-profile-" + "x" * 50),
        CITKIT_SSL_REDIRECT="0",
        ALLOWED_HOSTS="testserver",
        CITKIT_LOG_LEVEL="WARNING",
        CITKIT_STATIC_ROOT=str(ROOT / "var" / "bench-static"),
        DJANGO_SETTINGS_MODULE="citkit.settings",
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer

    # The production settings serve static files through their manifest.
    call_command("collectstatic", "--no-input", verbosity=0)
    user = get_user_model().objects.filter(username="bench-coordinator").first()
    if user is None:
        sys.exit("No benchmark data: run bench/load.py once first.")
    client = Client()
    client.force_login(user)

    for path in args.paths:
        headers = {"HTTP_ACCEPT": "application/json"} if path.startswith("/api/") else {}
        for _ in range(5):  # warm: templates, connections, caches
            response = client.get(path, **headers)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
        # Not CaptureQueriesContext: each request's start empties the connection's log.
        queries: list[str] = []

        def note(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note):
            client.get(path, **headers)
        began = time.perf_counter()
        for _ in range(args.repeat):
            client.get(path, **headers)
        plain = (time.perf_counter() - began) / args.repeat
        profiler = Profiler(interval=args.interval)
        with profiler:
            for _ in range(args.repeat):
                client.get(path, **headers)
        print(
            f"\n=== {path}: {plain * 1000:.2f} ms a request without the profiler, "
            f"{len(queries)} queries"
        )
        if args.sql:
            for sql in queries:
                print(f"  {sql[:300]}")
        if args.flat:
            renderer = ConsoleRenderer(unicode=True, flat=True, show_all=True)
            print("\n".join(profiler.output(renderer).splitlines()[:60]))
        else:
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.html:
            Path(args.html).write_text(profiler.output_html())


if __name__ == "__main__":
    main()
