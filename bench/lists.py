"""Benchmark: the officer list and the audit trail at state scale.

Builds (once, then reuses) 50,000 officers and 1,000,000 audit entries in a
database of its own, then times the officer list page and API and the audit
page and API: first page, a page 10% and 90% deep, a search, and a few
filters. Each figure is the median of 5 runs after one warm-up.

    make bench                                   # SQLite file var/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/citkit_bench make bench
    .venv/bin/python bench/lists.py --officers 5000 --audit 100000 --rebuild

Exits non-zero if a request does not answer 200, if a page reached by a
cursor is empty, or if the query count of one list differs between its
first page, deep pages, search and small program (queries must not grow with
the data or the depth).
"""

import argparse
import contextlib
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLOW_MS = 200
RUNS = 5
SEED = 20240501
BIG_SLUG = "bench-state"
SMALL_SLUG = "bench-small"
SMALL_OFFICERS = 120
SMALL_AUDIT = 500


# --- The benchmark's own database ---------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=50_000, help="officers to build")
    parser.add_argument("--audit", type=int, default=1_000_000, help="audit entries to build")
    parser.add_argument("--rebuild", action="store_true", help="drop the data and build again")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the plan of the slowest query of every request, not only of slow ones",
    )
    return parser.parse_args()


def choose_database() -> dict:
    """DATABASE_URL from the environment, else var/bench.sqlite3; only a bench database."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    db = dj_database_url.parse(url)
    # The benchmark drops and fills this database: never let it touch a real one.
    if "bench" not in Path(str(db["NAME"])).name:
        sys.exit(f"Refusing to use {db['NAME']!r}: the benchmark database's name must say 'bench'.")
    return db


def _pg_admin(db: dict):
    import psycopg

    return psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def ensure_database(db: dict, *, drop: bool) -> None:
    if "sqlite" in db["ENGINE"]:
        path = Path(db["NAME"])
        if drop:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    from psycopg import sql

    name = sql.Identifier(db["NAME"])
    with _pg_admin(db) as conn:
        if drop:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


# --- Load generation ----------------------------------------------------------


def _names(text: str) -> list[str]:
    return text.split()


COMMON_LAST = _names(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips "
    "Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers "
    "Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson "
    "Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo "
    "Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell "
    "Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson "
    "Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera "
    "Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison "
    "Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker "
    "Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason "
    "Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox "
    "Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan "
    "Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos "
    "Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews "
    "Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras Willis "
    "Carpenter Lawrence Sandoval O'Brien Zimmerman Yates Quintero Underwood Ybarra Zamora"
)
LAST_HEADS = _names(
    "Ab Bel Car Dal Ed Far Gal Har Ing Jor Kel Lan Mar Nor Ol Pem Quin Ros Sal Tal Ush Val Wes "
    "Yor Zel Brad Cres Dun Fitz Grim Hol Kirk Lind Mc Ost Rad Stad Thorn Wick"
)
LAST_MIDDLES = ["", "a", "e", "i", "o", "ing", "ber", "ler", "den", "sel"]
LAST_TAILS = _names(
    "son ton ley man er ez ski berg wood field ford ell ard ick ani ova stein ham wick ridge"
)
FIRST = _names(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Christopher Karen Charles Lisa Daniel Nancy "
    "Matthew Betty Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly Andrew Emily Paul "
    "Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa Timothy Deborah Ronald "
    "Stephanie Jason Rebecca George Sharon Edward Laura Jeffrey Cynthia Ryan Dorothy Jacob Amy "
    "Nicholas Kathleen Gary Angela Eric Shirley Jonathan Emma Stephen Brenda Larry Pamela Justin "
    "Nicole Scott Anna Brandon Samantha Benjamin Katherine Samuel Christine Gregory Debra "
    "Alexander Rachel Patrick Carolyn Frank Janet Raymond Maria Jack Olivia Dennis Heather Jerry "
    "Helen Tyler Catherine Aaron Diane Jose Julie Adam Victoria Nathan Joyce Henry Lauren Zachary "
    "Kelly Douglas Christina Peter Ruth Kyle Joan Noah Virginia Ethan Judith Jeremy Evelyn"
)
AGENCY_NAMES = [
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
DISTRICTS = ["North", "South", "East", "West"]
SHIFTS = ["day", "evening", "night"]
RANKS = ["Officer"] * 14 + ["Deputy"] * 4 + ["Corporal"] * 3 + ["Sergeant"] * 2 + ["Lieutenant"]
ACTORS = [  # (actor_label, source)
    ("mgarcia", "page"),
    ("tchen", "page"),
    ("rpatel", "page"),
    ("jsmith", "api"),
    ("roster-sync", "api"),
    ("command import_roster (mgarcia)", "command"),
    ("tchen", "import"),
    ("system", "system"),
]


# Common names weighted by rank (Smith about 1% of the roster, as in the census), then a
# long tail of rarer ones: a few thousand distinct names, like a state roster.
COMMON_WEIGHTS = [1 / (rank + 12) for rank in range(1, len(COMMON_LAST) + 1)]


def make_last_name(rng: random.Random) -> str:
    if rng.random() < 0.45:
        return rng.choices(COMMON_LAST, weights=COMMON_WEIGHTS)[0]
    return rng.choice(LAST_HEADS) + rng.choice(LAST_MIDDLES) + rng.choice(LAST_TAILS)


def build_program(slug: str, name: str, n_officers: int, n_audit: int, coordinator, rng) -> None:
    """Load generation, not application writes.

    Rows go straight in with bulk_create, in batches, bypassing the services
    (and so writing no audit entries of their own): that is what makes a
    million rows take minutes instead of hours. AuditEntry.save() refuses
    updates, but bulk_create only inserts.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from citkit.core.models import AuditEntry, Membership, Program, Role
    from citkit.partners.models import Agency, AgencyType
    from citkit.people.models import Person

    with transaction.atomic():
        program = Program.objects.create(
            name=name, slug=slug, jurisdiction="The whole state", time_zone="America/Chicago"
        )
        Membership.objects.create(user=coordinator, program=program, role=Role.COORDINATOR)
        agencies = Agency.objects.bulk_create(
            Agency(
                program=program,
                name=agency_name,
                agency_type=AgencyType.LAW_ENFORCEMENT,
                city=agency_name.split()[0],
                main_phone=f"555-01{i:02d}",
                operates_24_7=True,
            )
            for i, agency_name in enumerate(AGENCY_NAMES)
        )
        agencies = list(Agency.objects.filter(program=program).order_by("id"))
        today = datetime.date.today()
        batch = []
        for i in range(n_officers):
            agency = agencies[i % len(agencies)]
            first, last = rng.choice(FIRST), make_last_name(rng)
            batch.append(
                Person(
                    program=program,
                    kind="officer",
                    first_name=first,
                    last_name=last,
                    agency=agency,
                    badge_number=str(1000 + i // len(agencies)),
                    rank=rng.choice(RANKS),
                    district=rng.choice(DISTRICTS),
                    shift=rng.choice(SHIFTS),
                    hire_date=today - datetime.timedelta(days=rng.randrange(30, 25 * 365)),
                    status="active" if rng.random() < 0.94 else "inactive",
                    email=f"{first}.{last}{i}@example.org".lower().replace("'", ""),
                    # 555-0100 to 555-0199: numbers set aside for fiction, valid in form.
                    phone=f"(573) 555-01{rng.randrange(0, 100):02d}",
                )
            )
            if len(batch) == 5000:
                Person.objects.bulk_create(batch, batch_size=2000)
                batch = []
        Person.objects.bulk_create(batch, batch_size=2000)

    people = list(
        Person.objects.filter(program=program).values_list(
            "id", "first_name", "last_name", "agency_id", "badge_number", "rank", "district"
        )
    )
    person_ct = ContentType.objects.get(app_label="people", model="person")
    agency_ct = ContentType.objects.get(app_label="partners", model="agency")
    start = timezone.now() - datetime.timedelta(days=730)
    step = datetime.timedelta(days=730) / max(n_audit, 1)
    actions = ["update"] * 60 + ["create"] * 22 + ["import"] * 12 + ["delete"] * 6

    def person_snapshot(p, **changes):
        _id, first, last, agency_id, badge, rank, district = p
        data = {
            "kind": "officer",
            "first_name": first,
            "last_name": last,
            "agency": agency_id,
            "badge_number": badge,
            "rank": rank,
            "district": district,
            "status": "active",
        }
        data.update(changes)
        return data

    def entry(i: int) -> AuditEntry:
        action = rng.choice(actions)
        label, source = rng.choice(ACTORS)
        if rng.random() < 0.88:
            p = rng.choice(people)
            ct, object_id, object_repr = person_ct, p[0], f"{p[2]}, {p[1]}"
            before = person_snapshot(p)
            after = person_snapshot(
                p,
                rank=rng.choice(RANKS),
                district=rng.choice(DISTRICTS),
                status=rng.choice(["active", "inactive"]),
            )
        else:
            a = rng.choice(agencies)
            ct, object_id, object_repr = agency_ct, a.pk, a.name
            before = {"name": a.name, "agency_type": a.agency_type, "main_phone": a.main_phone}
            after = dict(before, main_phone=f"555-{rng.randrange(1000, 9999)}")
        if action in ("create", "import"):
            before = None
        elif action == "delete":
            after = None
        return AuditEntry(
            program=program,
            # Spread over two years and increasing with the id, as real entries are.
            created_at=start + step * i + step * rng.random() * 0.9,
            actor=coordinator if source in ("page", "import") else None,
            actor_label=label,
            source=source,
            action=action,
            content_type=ct,
            object_id=str(object_id),
            object_repr=object_repr,
            before=before,
            after=after,
            request_id=f"{rng.getrandbits(128):032x}",
        )

    chunk = 20_000
    for begin in range(0, n_audit, chunk):
        with transaction.atomic():
            AuditEntry.objects.bulk_create(
                [entry(i) for i in range(begin, min(begin + chunk, n_audit))], batch_size=2000
            )
        if n_audit >= 200_000 and (begin // chunk) % 10 == 9:
            print(f"    … {begin + chunk:,} audit entries", flush=True)


def data_is_built(n_officers: int, n_audit: int) -> bool:
    from citkit.core.models import AuditEntry, Program
    from citkit.people.models import Person

    expected = {BIG_SLUG: (n_officers, n_audit), SMALL_SLUG: (SMALL_OFFICERS, SMALL_AUDIT)}
    for slug, (officers, audit) in expected.items():
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            return False
        if Person.objects.filter(program=program, kind="officer").count() != officers:
            return False
        if AuditEntry.objects.filter(program=program).count() != audit:
            return False
    return True


def database_is_empty() -> bool:
    from citkit.core.models import Program

    return not Program.objects.exists()


def build_all(n_officers: int, n_audit: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    rng = random.Random(SEED)
    user = get_user_model().objects.create(username="bench-coordinator")
    user.set_unusable_password()
    user.save()
    began = time.perf_counter()
    print(f"Building {n_officers:,} officers and {n_audit:,} audit entries …", flush=True)
    build_program(BIG_SLUG, "Bench State CIT", n_officers, n_audit, user, rng)
    # A small program beside it: same pages, same query counts, whatever the size.
    build_program(SMALL_SLUG, "Bench Small CIT", SMALL_OFFICERS, SMALL_AUDIT, user, rng)
    built = time.perf_counter() - began
    print(f"Built in {built:.1f} s.")
    if connection.vendor == "postgresql":
        # What autovacuum does on a live server soon after bulk inserts (statistics, and
        # the visibility map that lets COUNT(*) use an index-only scan). SQLite gets no
        # ANALYZE: Django never runs one, so a production SQLite file has no statistics.
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {time.perf_counter() - began:.1f} s.")
    print()


# --- Measuring ----------------------------------------------------------------


class SqlClock:
    """Database time of each statement of a request: running it and fetching its rows.

    Drivers fetch lazily (SQLite steps through rows on fetch), so timing execute()
    alone undercounts; the fetch calls are timed too and added to the statement
    that ran last.
    """

    def __init__(self):
        self.times: list[float] = []

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.times.append(time.perf_counter() - began)

    @contextlib.contextmanager
    def fetches(self):
        from django.db.backends.utils import CursorWrapper

        def timed(name):
            def method(wrapper, *args):
                began = time.perf_counter()
                try:
                    return getattr(wrapper.cursor, name)(*args)
                finally:
                    if self.times:
                        self.times[-1] += time.perf_counter() - began

            return method

        # For this benchmark process only: Django's wrapper passes these through.
        names = ("fetchone", "fetchmany", "fetchall")
        for name in names:
            setattr(CursorWrapper, name, timed(name))
        try:
            yield
        finally:
            for name in names:
                delattr(CursorWrapper, name)


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


class Result:
    def __init__(self, endpoint, case, url):
        self.endpoint, self.case, self.url = endpoint, case, url
        self.status = None
        self.ms = self.sql_ms = self.slowest_ms = 0.0
        self.queries = 0
        self.slowest_sql = ""
        self.rows = None


def measure(client, endpoint: str, case: str, path: str, params: dict) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"{path}?{urlencode(params)}" if params else path
    result = Result(endpoint, case, url)
    headers = {"HTTP_ACCEPT": "application/json"} if path.startswith("/api/") else {}
    client.get(url, **headers)  # warm: templates, caches, the database's pages
    totals, per_query = [], []
    for _ in range(RUNS):
        clock = SqlClock()
        with (
            CaptureQueriesContext(connection) as captured,
            connection.execute_wrapper(clock),
            clock.fetches(),
        ):
            began = time.perf_counter()
            response = client.get(url, **headers)
            _ = response.content
            totals.append((time.perf_counter() - began) * 1000)
        per_query.append(clock.times)
        result.status = response.status_code
        if response.status_code != 200:
            break
    result.ms = statistics.median(totals)
    result.sql_ms = statistics.median(sum(times) for times in per_query) * 1000
    result.queries = len(captured.captured_queries)
    if path.startswith("/api/") and response.status_code == 200:
        result.rows = len(response.json()["results"])
    # Each statement's median over the runs (the same statements run every time).
    if len({len(times) for times in per_query}) == 1 and per_query[0]:
        medians = [statistics.median(column) for column in zip(*per_query, strict=True)]
        slowest = max(range(len(medians)), key=medians.__getitem__)
        result.slowest_ms = medians[slowest] * 1000
        result.slowest_sql = captured.captured_queries[slowest]["sql"]
    return result


def cursor_at(queryset, ordering: list[str], fraction: float) -> str:
    """A cursor for the page right after the row `fraction` of the way through the list."""
    from citkit.core.pagination import cursor_after

    total = queryset.count()
    obj = queryset.order_by(*ordering)[max(int(total * fraction) - 1, 0)]
    return cursor_after(obj, ordering)


def plan() -> list[tuple[str, str, str, dict, str]]:
    """(endpoint, case, path, params, group) for every request to time."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from citkit.core.models import AuditEntry
    from citkit.core.pagination import cursor_after
    from citkit.people.filters import PERSON_SORTS
    from citkit.people.models import Person

    officers = Person.objects.filter(program__slug=BIG_SLUG, kind="officer")
    audit = AuditEntry.objects.filter(program__slug=BIG_SLUG)
    by_name, by_district = PERSON_SORTS["name"], PERSON_SORTS["district"]
    # The keyset's leading column is a range; rows sharing it are filtered one by one,
    # so the worst deep page is near the end of the largest group of equal surnames.
    biggest = officers.values("last_name").annotate(n=Count("id")).order_by("-n")[0]
    near_group_end = officers.filter(last_name=biggest["last_name"]).order_by("-first_name", "-id")
    some_request_id = audit.order_by("-id")[min(1234, audit.count() - 1)].request_id
    a_year_ago = datetime.date.today() - datetime.timedelta(days=365)
    a_month_later = a_year_ago + datetime.timedelta(days=30)
    content_type = {
        model: ContentType.objects.get(app_label=app, model=model).pk
        for app, model in (("partners", "agency"), ("core", "membership"))
    }
    officer_cursors = {
        "at 10%": cursor_at(officers, by_name, 0.1),
        "at 90%": cursor_at(officers, by_name, 0.9),
        "group": cursor_after(near_group_end[min(60, biggest["n"] - 1)], by_name),
        "district": cursor_at(officers, by_district, 0.9),
    }
    audit_cursors = {
        "at 10%": cursor_at(audit, ["-created_at", "-id"], 0.1),
        "at 90%": cursor_at(audit, ["-created_at", "-id"], 0.9),
    }

    cases = []
    for endpoint, path in (
        ("officer list page", f"/p/{BIG_SLUG}/people/"),
        ("officer API", f"/api/programs/{BIG_SLUG}/people/"),
    ):
        small = path.replace(BIG_SLUG, SMALL_SLUG)
        base = {"kind": "officer"}
        cases += [
            (endpoint, "first page", path, base, "main"),
            (endpoint, "page at 10%", path, {**base, "cursor": officer_cursors["at 10%"]}, "main"),
            (
                endpoint,
                "deep page (90%)",
                path,
                {**base, "cursor": officer_cursors["at 90%"]},
                "main",
            ),
            (endpoint, "search q=ander", path, {**base, "q": "ander"}, "main"),
            (endpoint, "small program, first page", small, base, "main"),
            (endpoint, "search, no match", path, {**base, "q": "qqzx"}, "extra"),
            (endpoint, "search q='ja smi'", path, {**base, "q": "ja smi"}, "extra"),
            (
                endpoint,
                "district+shift",
                path,
                {**base, "district": "north", "shift": "night"},
                "extra",
            ),
            (
                endpoint,
                f"deep in {biggest['last_name']} ({biggest['n']})",
                path,
                {**base, "cursor": officer_cursors["group"]},
                "extra",
            ),
            (
                endpoint,
                "sort=district, 90% deep",
                path,
                {**base, "sort": "district", "cursor": officer_cursors["district"]},
                "extra",
            ),
        ]
    for endpoint, path in (
        ("audit page", f"/p/{BIG_SLUG}/audit/"),
        ("audit API", f"/api/programs/{BIG_SLUG}/audit/"),
    ):
        small = path.replace(BIG_SLUG, SMALL_SLUG)
        month = {"since": a_year_ago.isoformat(), "until": a_month_later.isoformat()}
        cases += [
            (endpoint, "first page", path, {}, "main"),
            (endpoint, "page at 10%", path, {"cursor": audit_cursors["at 10%"]}, "main"),
            (endpoint, "deep page (90%)", path, {"cursor": audit_cursors["at 90%"]}, "main"),
            (endpoint, "search q=ander", path, {"q": "ander"}, "main"),
            (endpoint, "small program, first page", small, {}, "main"),
            (endpoint, "search, no match", path, {"q": "qqzx"}, "extra"),
            (endpoint, "action=delete (6%)", path, {"action": "delete"}, "extra"),
            (endpoint, "action=unlock (none)", path, {"action": "unlock"}, "extra"),
            (
                endpoint,
                "record type=agency",
                path,
                {"record_type": content_type["agency"]},
                "extra",
            ),
            (
                endpoint,
                "type=membership (none)",
                path,
                {"record_type": content_type["membership"]},
                "extra",
            ),
            (endpoint, "actor=patel", path, {"actor": "patel"}, "extra"),
            (endpoint, "since/until, 1 month", path, month, "extra"),
            (endpoint, "request_id=<one>", path, {"request_id": some_request_id}, "extra"),
        ]
    return cases


# The trigram indexes of migration core 0006 (PostgreSQL only).
TRIGRAM_INDEXES = ("audit_object_repr_trgm", "audit_actor_label_trgm")


class _Rollback(Exception):
    pass


def trigram_indexes_present() -> bool:
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE indexname = ANY(%s)", [list(TRIGRAM_INDEXES)]
        )
        return cursor.fetchone()[0] == len(TRIGRAM_INDEXES)


def scans(plan_text: str) -> str:
    """The scan nodes of a plan, without their costs: how the rows were found."""
    nodes = [
        line.strip().removeprefix("->").split("  (")[0].strip()
        for line in plan_text.splitlines()
        if "Scan" in line or line.lstrip("-| `").startswith(("SCAN", "SEARCH"))
    ]
    return " / ".join(nodes)


def search_sql(client, url: str) -> str:
    """The audit list's own query of a search request (not whichever query was slowest)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url, HTTP_ACCEPT="application/json")
    return next(
        q["sql"]
        for q in captured.captured_queries
        if '"core_auditentry"."object_repr"' in q["sql"] and " LIKE " in q["sql"]
    )


def audit_search(client) -> tuple[list[tuple[Result | None, Result]], str, list[str]]:
    """The audit trail's text searches without and with the trigram indexes.

    "Without" drops the indexes inside a transaction that is rolled back, so the
    database is left as it was; the requests run on the same connection and see it.
    Returns (without, with) pairs, the plan of the no-match search, and failures.
    """
    from django.db import connection, transaction

    cases = []
    for endpoint, path in (
        ("audit page", f"/p/{BIG_SLUG}/audit/"),
        ("audit API", f"/api/programs/{BIG_SLUG}/audit/"),
    ):
        cases += [
            (endpoint, "search, no match", path, {"q": "qqzx"}),
            (endpoint, "search q=ander", path, {"q": "ander"}),
            (endpoint, "actor, no match", path, {"actor": "qqzx"}),
        ]
    indexed = [measure(client, *case) for case in cases]
    failures: list[str] = []
    plan_text = explain(search_sql(client, f"/api/programs/{BIG_SLUG}/audit/?q=qqzx"))
    if not trigram_indexes_present():
        if connection.vendor == "postgresql":
            failures.append("the trigram indexes of migration core 0006 are missing")
        return [(None, r) for r in indexed], scans(plan_text), failures
    if "audit_object_repr_trgm" not in plan_text:
        failures.append("the audit search that matches nothing does not use the trigram index")
    unindexed = []
    plan_without = ""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX " + ", ".join(TRIGRAM_INDEXES))
            unindexed = [measure(client, *case) for case in cases]
            plan_without = explain(search_sql(client, f"/api/programs/{BIG_SLUG}/audit/?q=qqzx"))
            raise _Rollback
    except _Rollback:
        pass
    plans = f"without the indexes: {scans(plan_without)}\n  with them: {scans(plan_text)}"
    return list(zip(unindexed, indexed, strict=True)), plans, failures


def print_audit_search(pairs, plan_text: str) -> None:
    """`plan_text`: the scans of the no-match search's plan (without and with the index)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        print("Audit text search: without -> with the trigram indexes (pg_trgm, GIN):")
    else:
        print("Audit text search (SQLite: no trigram index; LIKE reads the program's trail):")
    for without, with_index in pairs:
        before = f"{without.ms:8.1f} ms -> " if without else ""
        print(
            f"  {with_index.endpoint:<11} {with_index.case:<18} {before}{with_index.ms:8.1f} ms"
            f"  ({with_index.queries} queries; slowest {with_index.slowest_ms:.1f} ms)"
        )
    print(f"  plan of the API's no-match search, {plan_text}")
    print()


def print_table(title: str, results: list[Result]) -> None:
    print(title)
    header = (
        f"{'endpoint':<18}| {'case':<26}| {'time':>9} | {'queries':>7} | "
        f"{'SQL (share)':>15} | {'slowest query':>13} | {'rows':>4}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        share = f"{r.sql_ms:.1f} ms ({100 * r.sql_ms / r.ms:.0f}%)" if r.ms else "-"
        flag = "  SLOW" if r.ms > SLOW_MS else ""
        status = "" if r.status == 200 else f"  HTTP {r.status}"
        print(
            f"{r.endpoint:<18}| {r.case:<26}| {r.ms:>6.1f} ms | {r.queries:>7} | "
            f"{share:>15} | {r.slowest_ms:>10.1f} ms | {'' if r.rows is None else r.rows:>4}"
            f"{flag}{status}"
        )
    print()


def main() -> int:
    args = parse_args()
    db = choose_database()
    ensure_database(db, drop=args.rebuild)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citkit.settings")
    os.environ.setdefault("DEBUG", "0")  # time what production runs, not the debug machinery

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    if not data_is_built(args.officers, args.audit):
        if not database_is_empty():
            print("The benchmark database holds other sizes; starting over.")
            connections.close_all()
            ensure_database(db, drop=True)
            call_command("migrate", verbosity=0, interactive=False)
        build_all(args.officers, args.audit)
    else:
        print("Reusing the data already built (--rebuild to start over).\n")

    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(
        f"Database: {vendor} {version} ({db['NAME']}); {args.officers:,} officers, "
        f"{args.audit:,} audit entries; page size {settings.CITKIT_PAGE_SIZE}; "
        f"median of {RUNS} runs after one warm-up; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs.\n"
    )

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-coordinator"))
    results = {"main": [], "extra": []}
    for endpoint, case, path, params, group in plan():
        results[group].append(measure(client, endpoint, case, path, params))

    print_table(
        "Lists: first, 10% deep, 90% deep, search, same list at small size", results["main"]
    )
    print_table("Filters and worst cases (informative)", results["extra"])
    search_pairs, search_plan, failures = audit_search(client)
    print_audit_search(search_pairs, search_plan)
    everything = results["main"] + results["extra"]
    for r in everything:
        if r.status != 200:
            failures.append(f"{r.endpoint} | {r.case}: HTTP {r.status} for {r.url}")
        elif r.rows == 0 and "cursor=" in r.url:
            # Every cursor here points before the end of its list.
            failures.append(f"{r.endpoint} | {r.case}: an empty page after the cursor")

    print("Query counts per list (must be equal: no growth with data, depth or search):")
    for endpoint in dict.fromkeys(r.endpoint for r in results["main"]):
        counts = {r.case: r.queries for r in results["main"] if r.endpoint == endpoint}
        equal = len(set(counts.values())) == 1
        print(f"  {endpoint:<18} {'equal' if equal else 'DIFFERENT'}: {counts}")
        if not equal:
            failures.append(f"{endpoint}: query counts differ {counts}")

    print("\nDepth (page at 90% vs page at 10%):")
    for endpoint in dict.fromkeys(r.endpoint for r in results["main"]):
        by_case = {r.case: r for r in results["main"] if r.endpoint == endpoint}
        shallow, deep = by_case["page at 10%"], by_case["deep page (90%)"]
        print(
            f"  {endpoint:<18} {shallow.ms:6.1f} ms -> {deep.ms:6.1f} ms "
            f"(x{deep.ms / shallow.ms:.2f}; slowest query {shallow.slowest_ms:.1f} -> "
            f"{deep.slowest_ms:.1f} ms)"
        )

    explained = [r for r in everything if args.explain or r.ms > SLOW_MS]
    if explained:
        which = "each request" if args.explain else f"each request over {SLOW_MS} ms"
        print(f"\nPlan of the slowest query of {which}:")
    for r in explained:
        print(f"\n--- {r.endpoint} | {r.case} ({r.slowest_ms:.1f} ms)\n{r.slowest_sql}\n")
        print(explain(r.slowest_sql))

    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
