"""/healthz and /readyz: what a load balancer sees, and that each failing check is named."""

import datetime

import pytest
from django.db import OperationalError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citkit.core.models import AuditEntry, WorkerHeartbeat
from citkit.core.views import health


@pytest.fixture(autouse=True)
def _fresh_migration_answer():
    health.clear_cache()
    yield
    health.clear_cache()


@pytest.fixture
def worker_alive(db):
    return WorkerHeartbeat.objects.create(worker_id="host-1", seen_at=timezone.now())


def forget_the_latest_core_migration() -> None:
    """As if the code had a migration the database has not had yet."""
    ((app, name),) = MigrationLoader(connection).graph.leaf_nodes("core")
    assert MigrationRecorder.Migration.objects.filter(app=app, name=name).delete()[0] == 1


def failed(response) -> set[str]:
    return {name for name, check in response.json()["checks"].items() if not check["ok"]}


def test_healthz_answers_ok_without_touching_the_database(client):
    # No django_db mark: any database access here would raise, and the request fail.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ok_when_the_database_migrations_and_a_worker_are_fine(client, worker_alive):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "worker"}
    assert failed(response) == set()
    assert body["checks"]["worker"]["workers"] == 1


@pytest.mark.django_db
def test_readyz_fails_and_names_the_worker_when_no_worker_ever_ran(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert failed(response) == {"worker"}
    assert "no worker seen in the last 5 minutes" in response.json()["checks"]["worker"]["detail"]


@pytest.mark.django_db
def test_a_worker_silent_for_longer_than_the_setting_counts_as_gone(client, settings):
    settings.CITKIT_WORKER_STALE_MINUTES = 2
    WorkerHeartbeat.objects.create(
        worker_id="host-1", seen_at=timezone.now() - datetime.timedelta(minutes=3)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert failed(response) == {"worker"}
    assert "2 minutes" in response.json()["checks"]["worker"]["detail"]

    settings.CITKIT_WORKER_STALE_MINUTES = 10
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_fails_and_names_the_migrations_when_one_is_not_applied(client, worker_alive):
    forget_the_latest_core_migration()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert failed(response) == {"migrations"}
    assert "1 migration(s) not applied" in response.json()["checks"]["migrations"]["detail"]


@pytest.mark.django_db
def test_the_migration_answer_is_kept_a_short_while(client, worker_alive):
    assert client.get("/readyz").status_code == 200
    forget_the_latest_core_migration()
    # Still the cached answer: a probe every few seconds does not reload the graph.
    assert client.get("/readyz").status_code == 200
    health.clear_cache()
    assert failed(client.get("/readyz")) == {"migrations"}


@pytest.mark.django_db
def test_readyz_fails_and_names_the_database_when_it_does_not_answer(
    client, worker_alive, monkeypatch
):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert not checks["database"]["ok"]
    assert "does not answer" in checks["database"]["detail"]
    # The rest cannot be known, and says so instead of passing.
    assert failed(response) == {"database", "migrations", "worker"}
    assert "not checked" in checks["worker"]["detail"]


@pytest.mark.django_db
def test_health_checks_write_nothing_and_set_no_cookie(client, worker_alive):
    audit_before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        for path in ("/healthz", "/readyz"):
            response = client.get(path)
            assert response.status_code == 200
            assert not response.cookies
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
    assert statements and set(statements) == {"SELECT"}
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_health_checks_need_no_sign_in_and_still_refuse_unknown_hosts(client, worker_alive):
    assert client.get("/readyz").status_code == 200  # anonymous
    assert client.get("/healthz", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/readyz", HTTP_HOST="evil.example").status_code == 400
