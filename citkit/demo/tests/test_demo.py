"""The demo program: a realistic county built through the services, loaded once, idempotent."""

import io
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory

from citkit import settings as citkit_settings
from citkit.core.models import AuditEntry, Membership, Program, Role
from citkit.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from citkit.partners.models import Agency, AgencyContact, AgencyType
from citkit.people.models import Person, PersonKind, PersonStatus
from citkit.testing.factories import ProgramFactory

User = get_user_model()


def load_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker):
    """Load the demo once for the whole class, in a transaction rolled back at the end.

    Each test runs in a savepoint inside it, so tests still cannot see each other's changes.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        output = load_demo()
        yield output
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_output")
class TestTheDemo:
    def test_it_has_a_partner_of_every_agency_type(self):
        agencies = Agency.objects.filter(program__slug="riverbend")
        assert agencies.count() >= 16
        assert set(agencies.values_list("agency_type", flat=True)) == set(AgencyType.values)

    def test_every_agency_has_one_primary_contact(self):
        for agency in Agency.objects.all():
            primary = [c.is_primary for c in AgencyContact.objects.filter(agency=agency)]
            assert 1 <= len(primary) <= 3, agency.name
            assert primary.count(True) == 1, agency.name

    def test_it_has_about_300_officers_across_three_agencies(self):
        officers = Person.objects.filter(program__slug="riverbend", kind=PersonKind.OFFICER)
        assert 280 <= officers.count() <= 320
        assert officers.values("agency").distinct().count() == 3
        inactive = officers.filter(status=PersonStatus.INACTIVE).count()
        assert 0 < inactive < officers.count() * 0.1

    def test_every_district_has_officers_on_every_shift(self):
        officers = Person.objects.filter(program__slug="riverbend", kind=PersonKind.OFFICER)
        cells = Counter(officers.values_list("district", "shift"))
        for district in ("North", "South", "East", "West"):
            for shift in ("day", "evening", "night"):
                assert cells[(district, shift)] > 0, (district, shift)

    def test_it_has_dispatchers_clinicians_advocates_and_peers(self):
        people = Person.objects.filter(program__slug="riverbend")
        kinds = Counter(people.values_list("kind", flat=True))
        assert kinds[PersonKind.DISPATCHER] == 30
        assert kinds[PersonKind.CLINICIAN] == 20
        assert kinds[PersonKind.ADVOCATE] == 10
        assert kinds[PersonKind.PEER] == 5

    def test_every_role_has_one_login_with_that_role(self):
        usernames = [login.username for login in DEMO_LOGINS]
        roles = Counter(
            Membership.objects.filter(
                program__slug="riverbend", user__username__in=usernames
            ).values_list("role", flat=True)
        )
        assert roles == Counter(Role.values)

    def test_the_demo_password_signs_every_login_in(self, settings):
        settings.PASSWORD_HASHERS = citkit_settings.PASSWORD_HASHERS
        request = RequestFactory().post("/accounts/login/")
        for login in DEMO_LOGINS:
            user = authenticate(request, username=login.username, password=DEMO_PASSWORD)
            assert user is not None, login.username
            assert user.password.startswith("argon2"), login.username

    def test_the_officer_login_is_an_officer_of_riverbend_police(self):
        person = Person.objects.select_related("agency").get(user__username="officer")
        assert person.kind == PersonKind.OFFICER
        assert person.agency.name == "Riverbend Police Department"

    def test_the_agency_administrator_acts_for_riverbend_police(self):
        membership = Membership.objects.get(user__username="agencyadmin")
        assert membership.role == Role.AGENCY_ADMIN
        assert membership.agency.name == "Riverbend Police Department"

    def test_the_state_coordinator_sees_both_programs_and_lakeshore_only_its_own(self):
        state = User.objects.get(username="state")
        lakeshore = User.objects.get(username="lakeshore")
        assert set(Program.objects.visible_to(state).values_list("slug", flat=True)) == {
            "riverbend",
            "lakeshore",
        }
        assert list(Program.objects.visible_to(lakeshore).values_list("slug", flat=True)) == [
            "lakeshore"
        ]
        lakeshore_officers = Person.objects.filter(program__slug="lakeshore", kind="officer")
        assert 15 <= lakeshore_officers.count() <= 25

    def test_every_change_is_in_the_audit_trail_as_the_command(self):
        entries = AuditEntry.objects.all()
        # The platform's records: one "create" entry each (the committee and plan
        # demo is checked in citkit/committee/tests/test_committee_demo.py).
        platform = entries.filter(
            content_type__app_label__in=["core", "partners", "people", "auth"]
        )
        created = (
            Program.objects.count()
            + Agency.objects.count()
            + AgencyContact.objects.count()
            + Person.objects.count()
            + Membership.objects.count()
            + User.objects.count()
        )
        assert platform.count() == created
        assert set(entries.values_list("source", flat=True)) == {"command"}
        assert all(
            label.startswith("command load_demo")
            for label in entries.values_list("actor_label", flat=True)
        )

    def test_it_prints_the_demo_logins(self, demo_output):
        assert DEMO_PASSWORD in demo_output
        for login in DEMO_LOGINS:
            assert f"  {login.username} " in demo_output

    def test_loading_it_again_changes_nothing(self):
        before = row_counts()
        output = load_demo()
        assert row_counts() == before
        assert "Riverbend County CIT Program already exists" in output

    def test_if_empty_leaves_a_database_with_programs_alone(self):
        before = row_counts()
        output = load_demo("--if-empty")
        assert row_counts() == before
        assert "not loaded" in output


@pytest.mark.django_db
def test_if_empty_loads_the_demo_into_an_empty_database():
    output = load_demo("--if-empty")
    assert set(Program.objects.values_list("slug", flat=True)) == {"riverbend", "lakeshore"}
    assert "Loaded Riverbend County CIT Program" in output


@pytest.mark.django_db
def test_it_refuses_to_load_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        load_demo()
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_a_failure_part_way_is_explained_and_nothing_is_written():
    # Lakeshore is loaded after Riverbend, so Riverbend must be rolled back too.
    ProgramFactory(name="Lakeshore County CIT Program", slug="ls")
    before = row_counts()
    with pytest.raises(CommandError, match="not loaded, nothing was written"):
        load_demo()
    assert row_counts() == before
