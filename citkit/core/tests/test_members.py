"""Coordinators manage who holds which role."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from citkit.core import services
from citkit.core.models import AuditEntry, Membership, Role

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_adding_a_new_person_creates_an_account_and_mails_a_password_link(
    client_for, coordinator, program_a
):
    response = client_for(coordinator).post(
        "/p/riverbend/members/add/",
        {"username": "newtrainer", "email": "trainer@example.org", "role": "trainer"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="newtrainer")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.TRAINER
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_an_existing_account_is_added_without_mail(client_for, coordinator, outsider, program_a):
    client_for(coordinator).post(
        "/p/riverbend/members/add/", {"username": outsider.username, "role": "analyst"}
    )
    assert Membership.objects.filter(user=outsider, program=program_a, role="analyst").exists()
    assert mail.outbox == []


def test_an_agency_administrator_needs_an_agency(client_for, coordinator, program_a):
    response = client_for(coordinator).post(
        "/p/riverbend/members/add/",
        {"username": "admin2", "email": "a@example.org", "role": "agency_admin"},
    )
    assert response.status_code == 400
    assert "needs the agency" in response.content.decode()
    assert not User.objects.filter(username="admin2").exists()


def test_an_agency_of_another_program_is_refused(coordinator, program_a, agency_b):
    user = User.objects.create(username="x")
    with pytest.raises(Exception, match="not a partner in this program"):
        services.membership_create(
            actor=coordinator, program=program_a, user=user, role=Role.AGENCY_ADMIN, agency=agency_b
        )


def test_the_last_coordinator_cannot_leave_or_be_demoted(client_for, coordinator, program_a):
    membership = coordinator.memberships.get()
    client = client_for(coordinator)
    response = client.post(f"/p/riverbend/members/{membership.pk}/edit/", {"role": "analyst"})
    assert response.status_code == 400
    assert "at least one coordinator" in response.content.decode()
    client.post(f"/p/riverbend/members/{membership.pk}/remove/")
    assert Membership.objects.filter(pk=membership.pk, role=Role.COORDINATOR).exists()


def test_a_role_change_is_audited(client_for, members, program_a):
    membership = members[Role.TRAINER].memberships.get()
    client_for(members[Role.COORDINATOR]).post(
        f"/p/riverbend/members/{membership.pk}/edit/", {"role": "committee_member"}
    )
    entry = AuditEntry.objects.get(action="update", content_type__model="membership")
    assert (entry.before["role"], entry.after["role"]) == ("trainer", "committee_member")


def test_the_members_api_adds_and_removes(api_for, coordinator, outsider, program_a):
    api = api_for(coordinator)
    created = api.post(
        "/api/programs/riverbend/members/", {"user": outsider.username, "role": "dispatcher"}
    )
    assert created.status_code == 201, created.json()
    assert api.delete(f"/api/programs/riverbend/members/{created.json()['id']}/").status_code == 204
    bad = api.post("/api/programs/riverbend/members/", {"user": "ghost", "role": "boss"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"user", "role"}


def test_a_member_added_to_a_program_sees_it(client, outsider, coordinator, program_a):
    services.membership_create(
        actor=coordinator, program=program_a, user=outsider, role=Role.OFFICER
    )
    client.force_login(outsider)
    assert client.get("/p/riverbend/").status_code == 200
    page = client.get("/").content.decode()
    assert "Riverbend County CIT" in page and "Lakeshore County CIT" in page


def test_only_the_system_sets_a_new_accounts_password(coordinator, program_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.member_add(
            actor=coordinator,
            program=program_a,
            username="pw",
            role="trainer",
            email="pw@example.org",
            password="chosen for them 123",
        )
    assert not User.objects.filter(username="pw").exists()
    membership, created = services.member_add(
        actor=None,
        program=program_a,
        username="pw",
        role="trainer",
        email="pw@example.org",
        password="published demo password",
    )
    assert created and membership.user.check_password("published demo password")
