"""Benchmark: pages under load, served by gunicorn as in production.

Builds (once, then reuses) a database holding the demo programs and a state-sized
program (50,000 officers, 1,000,000 audit entries, as `bench/lists.py` builds it),
starts gunicorn with 2 sync workers on a loopback port with the production settings,
signs in through the sign-in form, and then:

1. runs each page of the page set at 1 and at 20 concurrent clients, every request of
   the page interleaved with one of the cheapest authenticated request
   (`GET /api/programs/`), and prints per page: p50, p95, requests/s, errors, the
   server's own time (gunicorn's access log, joined by request id) and p95 as a
   multiple of the cheapest request's p95 in the same run;
2. runs the page set mixed, round robin, at 20 clients, and prints the sustained rate.

    .venv/bin/python bench/load.py                    # SQLite file var/bench-load.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/citkit_bench_load .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --officers 5000 --audit 100000 --requests 40

The load is bounded (a fixed number of requests and a time cap per step) and goes to
127.0.0.1 only. Exits non-zero if any request failed (an error, a timeout or a status
other than 200). Timings depend on the machine: compare runs made on the same one.
"""

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import lists  # noqa: E402  (the state-sized data and the guarded database handling)

PASSWORD = "bench-load-password-2026"
BASELINE = "cheapest (GET /api/programs/)"
WRITE = "write (POST or PATCH an officer)"
WRITES_SLUG = "bench-writes"
TIMEOUT_S = 30.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=50_000)
    parser.add_argument("--audit", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true", help="drop the data and build again")
    parser.add_argument("--requests", type=int, default=60, help="requests per page and level")
    parser.add_argument("--cap", type=float, default=30.0, help="seconds at most per step")
    parser.add_argument("--clients", default="1,20", help="concurrency levels")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--mixed", type=int, default=3000, help="requests of the mixed run")
    parser.add_argument("--port", type=int, default=0, help="loopback port (0: any free one)")
    parser.add_argument("--only", default="", help="run only pages whose name contains this")
    parser.add_argument(
        "--writes",
        type=int,
        default=2000,
        help="requests of the readers-and-writers run (one in four a write; 0: skip it)",
    )
    return parser.parse_args()


# --- The database ---------------------------------------------------------------


def prepare_database(args) -> None:
    db = lists.choose_database()
    lists.ensure_database(db, drop=args.rebuild)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citkit.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not lists.data_is_built(args.officers, args.audit):
        if not lists.database_is_empty():
            sys.exit("The benchmark database holds other data; run with --rebuild.")
        lists.build_all(args.officers, args.audit)
    from citkit.core.models import Program

    if not Program.objects.filter(slug="riverbend").exists():
        from citkit.core.audit import audit_context
        from citkit.demo.builder import load_demo

        began = time.perf_counter()
        with audit_context(source="command", label="bench load"):
            load_demo()
        print(f"Demo programs loaded in {time.perf_counter() - began:.1f} s.")
    bench_account()


def bench_account() -> None:
    """The benchmark's coordinator: a password, and a member of the demo program too.
    Benchmark data, written directly: the programs' second factor is off for it."""
    from django.contrib.auth import get_user_model

    from citkit.core.models import Membership, Program, Role
    from citkit.partners.models import Agency, AgencyType

    user = get_user_model().objects.get(username="bench-coordinator")
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    Program.objects.filter(slug__in=[lists.BIG_SLUG, lists.SMALL_SLUG, "riverbend"]).update(
        second_factor_roles=[]
    )
    riverbend = Program.objects.get(slug="riverbend")
    Membership.objects.get_or_create(
        user=user, program=riverbend, defaults={"role": Role.COORDINATOR}
    )
    # The readers-and-writers run writes here, so the measured programs stay as built.
    writes, _ = Program.objects.get_or_create(
        slug=WRITES_SLUG,
        defaults={"name": "Bench Writes CIT", "jurisdiction": "Bench", "second_factor_roles": []},
    )
    Membership.objects.get_or_create(user=user, program=writes, defaults={"role": Role.COORDINATOR})
    Agency.objects.get_or_create(
        program=writes,
        name="Writes Police Department",
        defaults={"agency_type": AgencyType.LAW_ENFORCEMENT},
    )


def page_set() -> list[tuple[str, str]]:
    """(name, address) of every page measured, for the state program and the demo."""
    from citkit.core.models import Program
    from citkit.core.pagination import cursor_after
    from citkit.people.filters import PERSON_SORTS
    from citkit.people.models import Person

    pages = []
    for label, slug in (("state", lists.BIG_SLUG), ("demo", "riverbend")):
        program = Program.objects.get(slug=slug)
        officers = Person.objects.filter(program=program).order_by(*PERSON_SORTS["name"])
        total = officers.count()
        deep = officers[int(total * 0.9)] if total else None
        cursor = cursor_after(deep, PERSON_SORTS["name"]) if deep else ""
        p, api = f"/p/{slug}", f"/api/programs/{slug}"
        pages += [
            (f"{label}: officer list", f"{p}/people/"),
            (f"{label}: officer list, 90% deep", f"{p}/people/?{urlencode({'cursor': cursor})}"),
            (f"{label}: officer search", f"{p}/people/?{urlencode({'q': 'ander'})}"),
            (f"{label}: officer API", f"{api}/people/"),
            (f"{label}: audit page", f"{p}/audit/"),
            (f"{label}: audit API", f"{api}/audit/"),
            (f"{label}: program home", f"{p}/"),
            (f"{label}: dashboard", f"{p}/plan/dashboard/"),
            (f"{label}: plan", f"{p}/plan/"),
            (f"{label}: meetings", f"{p}/committee/meetings/"),
            (f"{label}: status report PDF", f"{p}/plan/dashboard/report.pdf"),
            (f"{label}: status report DOCX", f"{p}/plan/dashboard/report.docx"),
        ]
    return pages


# --- The server -------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, workdir: Path) -> tuple[subprocess.Popen, int, Path]:
    port = args.port or free_port()
    static = workdir / "static"
    access_log = workdir / "access.log"
    env = dict(
        os.environ,
        CITKIT_ENV="production",
        SECRET_KEY="bench-load-" + "x" * 50,
        CITKIT_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1",
        CITKIT_STATIC_ROOT=str(static),
        CITKIT_VAR_DIR=str(workdir / "var"),
        CITKIT_LOG_FORMAT="json",
        CITKIT_LOG_LEVEL="WARNING",
        CITKIT_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(args.workers),
    )
    python = Path(sys.executable)
    subprocess.run(  # noqa: S603 — our own interpreter and manage.py
        [python, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = python.parent / "gunicorn"
    server = subprocess.Popen(  # noqa: S603 — the venv's gunicorn
        [
            gunicorn,
            "--config",
            "gunicorn.conf.py",
            "--access-logfile",
            access_log,
            "--max-requests",
            "0",
            "citkit.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "error.log", "w"),  # noqa: SIM115 — closed with the process
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _, _ = asyncio.run(fetch(port, "/healthz", {}))
            if status == 200:
                return server, port, access_log
        except OSError:
            pass
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped: see {workdir / 'error.log'}")
        time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not answer /healthz within 60 s")


# --- The client: raw HTTP/1.1 over asyncio, as light as a load generator can be ---


async def fetch(port: int, target: str, headers: dict, body: bytes = b"", method="GET"):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _, content = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split()[1])
    parsed: dict[str, list[str]] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed.setdefault(name.strip().lower(), []).append(value.strip())
    return status, parsed, content


def sign_in(port: int) -> str:
    """Sign in through the form, as a person does; the Cookie header of the session."""
    import re

    async def run():
        status, headers, content = await fetch(port, "/accounts/login/", {})
        cookies = dict(c.split(";")[0].split("=", 1) for c in headers.get("set-cookie", []))
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
        body = urlencode(
            {
                "csrfmiddlewaretoken": token.decode(),
                "username": "bench-coordinator",
                "password": PASSWORD,
            }
        ).encode()
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        status, headers, _ = await fetch(
            port,
            "/accounts/login/",
            {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
            body,
            method="POST",
        )
        if status != 302:
            sys.exit(f"Signing in answered {status}, not a redirect")
        cookies.update(c.split(";")[0].split("=", 1) for c in headers.get("set-cookie", []))
        return "; ".join(f"{k}={v}" for k, v in cookies.items())

    return asyncio.run(run())


@dataclass
class Sample:
    name: str
    seconds: float
    ok: bool
    request_id: str
    status: int = 0


def csrf_of(cookie: str) -> str:
    """The CSRF secret from the session's cookies: a write sends it back as a header."""
    for part in cookie.split("; "):
        name, _, value = part.partition("=")
        if name in ("csrftoken", "__Host-csrftoken"):
            return value
    return ""


def write_plan(n: int) -> list[tuple]:
    """`n` writes through the API to a program of their own: new officers, and changes
    to officers already there (each a service call, a transaction and an audit entry)."""
    from citkit.partners.models import Agency
    from citkit.people.models import Person

    agency = Agency.objects.filter(program__slug=WRITES_SLUG).order_by("id").first()
    existing = list(
        Person.objects.filter(program__slug=WRITES_SLUG)
        .order_by("id")
        .values_list("id", flat=True)[:200]
    )
    api = f"/api/programs/{WRITES_SLUG}/people/"
    run = f"{os.getpid()}-{int(time.time())}"
    plan = []
    for i in range(n):
        if i % 2 == 0 or not existing:
            body = {
                "kind": "officer",
                "first_name": "Load",
                "last_name": f"Writer {run}-{i}",
                "agency": agency.pk,
                "badge_number": f"W{run}-{i}",
                "status": "active",
            }
            plan.append((WRITE, api, "POST", json.dumps(body).encode()))
        else:
            target = f"{api}{existing[i % len(existing)]}/"
            # A change is checked whole: the phone is written in a form the rules take.
            body = {"rank": f"Rank {i % 7}", "phone": f"(573) 555-01{i % 100:02d}"}
            plan.append((WRITE, target, "PATCH", json.dumps(body).encode()))
    return plan


@dataclass
class Step:
    samples: list[Sample] = field(default_factory=list)
    wall: float = 0.0


async def run_step(port, cookie, plan: list[tuple[str, str]], clients: int, cap: float) -> Step:
    """Send the planned requests with `clients` in flight at once, until done or the cap."""
    step = Step()
    queue = list(enumerate(plan))
    queue.reverse()
    deadline = time.monotonic() + cap

    async def client():
        while queue and time.monotonic() < deadline:
            n, (name, target, *write) = queue.pop()
            request_id = f"bench-{os.getpid()}-{time.monotonic_ns()}-{n}"
            headers = {"Cookie": cookie, "X-Request-ID": request_id}
            if target.startswith("/api/"):
                headers["Accept"] = "application/json"
            method, body = write if write else ("GET", b"")
            if body:
                headers["Content-Type"] = "application/json"
                headers["X-CSRFToken"] = csrf_of(cookie)
            began = time.perf_counter()
            try:
                status, _, _ = await asyncio.wait_for(
                    fetch(port, target, headers, body, method=method), TIMEOUT_S
                )
                ok = status in (200, 201)
            except (TimeoutError, OSError, ValueError, IndexError):
                status, ok = 0, False
            step.samples.append(Sample(name, time.perf_counter() - began, ok, request_id, status))

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    step.wall = time.perf_counter() - began
    return step


def server_times(access_log: Path) -> dict[str, float]:
    """Each request's time inside gunicorn, by request id (the JSON access log)."""
    times = {}
    for line in access_log.read_text().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("request_id"):
            times[record["request_id"]] = record.get("duration_ms", 0.0)
    return times


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


# --- Main -------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-load.sqlite3'}")
    prepare_database(args)
    from django.db import connection

    vendor = connection.vendor
    pages = [p for p in page_set() if args.only in p[0]]
    writes = write_plan(args.writes // 4) if args.writes else []
    connection.close()
    levels = [int(c) for c in args.clients.split(",") if c.strip()]

    with tempfile.TemporaryDirectory(prefix="citkit-load-") as tmp:
        workdir = Path(tmp)
        server, port, access_log = start_server(args, workdir)
        failures = 0
        try:
            cookie = sign_in(port)
            baseline = (BASELINE, "/api/programs/")
            # Warm every worker: templates, connections, the database's pages.
            asyncio.run(run_step(port, cookie, [baseline, *pages] * 3, args.workers * 2, 120))
            load = os.getloadavg()[0]
            print(
                f"\nLoad benchmark on {vendor}: gunicorn with {args.workers} sync workers, "
                f"{args.officers:,} officers and {args.audit:,} audit entries in the state "
                f"program, {args.requests} requests per page and level; "
                f"load average {load:.2f} at the start."
            )
            results = []
            for clients in levels:
                for name, target in pages:
                    plan = []
                    for _ in range(args.requests):
                        plan += [(name, target), baseline]
                    step = asyncio.run(run_step(port, cookie, plan, clients, args.cap))
                    results.append((clients, name, step))
            mixed_plan = [baseline, *pages]
            mixed = [mixed_plan[i % len(mixed_plan)] for i in range(args.mixed)]
            random.Random(1).shuffle(mixed)
            mixed_step = asyncio.run(run_step(port, cookie, mixed, 20, 120))
            # Readers and writers together: three reads of the set to each write.
            both = [mixed_plan[i % len(mixed_plan)] for i in range(args.writes - len(writes))]
            both += writes
            random.Random(2).shuffle(both)
            both_step = asyncio.run(run_step(port, cookie, both, 20, 180)) if writes else None
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        inside = server_times(access_log)
        server_log = (workdir / "error.log").read_text()

    header = (
        f"{'clients':>7}  {'page':<36} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} "
        f"{'errors':>6} {'server p50':>10} {'p95 ×':>6}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for clients, name, step in results:
        mine = [s for s in step.samples if s.name == name]
        base = [s for s in step.samples if s.name == BASELINE]
        errors = sum(not s.ok for s in mine) + sum(not s.ok for s in base)
        failures += errors
        ms = [s.seconds * 1000 for s in mine if s.ok]
        base_ms = [s.seconds * 1000 for s in base if s.ok]
        server_ms = [inside[s.request_id] for s in mine if s.request_id in inside]
        ratio = pct(ms, 95) / pct(base_ms, 95) if ms and base_ms else float("nan")
        rate = len(step.samples) / step.wall if step.wall else 0.0
        print(
            f"{clients:>7}  {name:<36} {pct(ms, 50):>8.1f} {pct(ms, 95):>8.1f} {rate:>7.1f} "
            f"{errors:>6} {pct(server_ms, 50):>10.1f} {ratio:>6.2f}"
        )
    for clients in levels:
        base = [
            s.seconds * 1000
            for c, _, step in results
            if c == clients
            for s in step.samples
            if s.name == BASELINE and s.ok
        ]
        base_server = [
            inside[s.request_id]
            for c, _, step in results
            if c == clients
            for s in step.samples
            if s.name == BASELINE and s.request_id in inside
        ]
        print(
            f"{clients:>7}  {BASELINE:<36} {pct(base, 50):>8.1f} {pct(base, 95):>8.1f} "
            f"{'':>7} {'':>6} {pct(base_server, 50):>10.1f} {1.0:>6.2f}"
        )
    errors = sum(not s.ok for s in mixed_step.samples)
    failures += errors
    done = len(mixed_step.samples)
    rate = done / mixed_step.wall if mixed_step.wall else 0.0
    print(
        f"\nMixed reads (the page set and the cheapest request, shuffled), 20 clients: "
        f"{done} requests in {mixed_step.wall:.1f} s = {rate:.1f} requests/s, "
        f"{errors} errors ({100 * errors / max(done, 1):.2f}%)."
    )
    if both_step is not None:
        failures += report_readers_and_writers(both_step, server_log)
    sys.exit(1 if failures else 0)


def report_readers_and_writers(step: Step, server_log: str) -> int:
    done = len(step.samples)
    wrote = [s for s in step.samples if s.name == WRITE]
    errors = [s for s in step.samples if not s.ok]
    server_errors = sum(s.status >= 500 for s in step.samples)
    locked = server_log.count("database is locked")
    rate = done / step.wall if step.wall else 0.0
    write_ms = [s.seconds * 1000 for s in wrote if s.ok]
    print(
        f"Readers and writers, 20 clients: {done} requests ({len(wrote)} writes) in "
        f"{step.wall:.1f} s = {rate:.1f} requests/s; writes p50 {pct(write_ms, 50):.1f} ms, "
        f"p95 {pct(write_ms, 95):.1f} ms; {len(errors)} errors, {server_errors} answered 5xx, "
        f'"database is locked" {locked} times in the server log.'
    )
    if errors:
        statuses = sorted({s.status for s in errors})
        print(f"  failed requests answered: {statuses}")
    return len(errors) + locked


if __name__ == "__main__":
    main()
