"""Shared personas: coordinator and officer of program A, an outsider from program B,
and one member of program A for every other role."""

import pytest

from citkit.core.models import Membership, Role
from citkit.testing.factories import (
    AgencyFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.

    test_accounts.py checks that the real settings hash with Argon2.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _job_files(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings, _job_files):
    """Jobs run inside the request that queues them (tests that need the queue and a
    real worker set TASKS back); progress and export files stay out of var/."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "kept": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kept",
        },
    }
    settings.MEDIA_ROOT = str(_job_files)


@pytest.fixture(autouse=True)
def _empty_cache(_jobs_run_at_once):
    """Each test starts with an empty cache: limits counted there (password resets)
    must not carry over from one test to the next."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["kept"].clear()


@pytest.fixture(autouse=True)
def _no_server_errors():
    """Fail any test during which a request ended in an unhandled exception (a 500),
    including requests served to the browser by live_server."""
    from django.core.signals import got_request_exception

    errors = []

    def record(sender, request=None, **kwargs):
        errors.append(getattr(request, "path", "?"))

    got_request_exception.connect(record, weak=False)
    yield
    got_request_exception.disconnect(record)
    assert not errors, f"requests ended in a server error: {errors}"


@pytest.fixture
def program_a(db):
    return ProgramFactory(
        name="Riverbend County CIT", slug="riverbend", jurisdiction="Riverbend County"
    )


@pytest.fixture
def program_b(db):
    return ProgramFactory(
        name="Lakeshore County CIT",
        slug="lakeshore",
        jurisdiction="Lakeshore County",
        time_zone="America/New_York",
    )


@pytest.fixture
def police_a(program_a):
    return AgencyFactory(program=program_a, name="Riverbend Police Department")


@pytest.fixture
def clinic_a(program_a):
    return AgencyFactory(
        program=program_a,
        name="Riverbend Behavioral Health",
        agency_type="mental_health",
        operates_24_7=True,
    )


@pytest.fixture
def agency_b(program_b):
    return AgencyFactory(program=program_b, name="Lakeshore Sheriff's Office")


def _member(program, role, username, agency=None):
    """The user with that role in the program; the same user if two fixtures ask for it."""
    user = UserFactory(username=username)
    Membership.objects.get_or_create(
        user=user, program=program, defaults={"role": role, "agency": agency}
    )
    return user


@pytest.fixture
def coordinator(program_a):
    return _member(program_a, Role.COORDINATOR, "coordinator_a")


@pytest.fixture
def officer(program_a, police_a):
    user = _member(program_a, Role.OFFICER, "officer_a")
    PersonFactory(
        program=program_a,
        agency=police_a,
        user=user,
        first_name="Olivia",
        last_name="Ortiz",
        badge_number="1001",
    )
    return user


@pytest.fixture
def outsider(program_b):
    return _member(program_b, Role.COORDINATOR, "outsider_b")


@pytest.fixture
def members(program_a, police_a):
    """One user per role in program A (agency administrator for the police department)."""
    users = {}
    for role in Role.values:
        agency = police_a if role == Role.AGENCY_ADMIN else None
        users[role] = _member(program_a, role, f"{role}_a", agency=agency)
    return users


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, with its session verified by a second factor:
    the admin asks for one (core/admin_site.py)."""
    from citkit.testing.mfa import verified_login

    return verified_login(client, admin_user)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a Django test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def api_for():
    """api_for(user) -> a DRF API client authenticated by token, as an integration would be."""
    from rest_framework.test import APIClient

    from citkit.testing.tokens import token_key

    def make(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_key(user)}")
        return client

    return make
