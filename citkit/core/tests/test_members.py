"""Coordinators manage who holds which role."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from citkit.core import services
from citkit.core.models import AuditEntry, Invitation, Membership, Role

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_inviting_a_new_person_creates_an_account_and_mails_a_password_link(
    client_for, coordinator, program_a
):
    response = client_for(coordinator).post(
        "/p/riverbend/members/add/",
        {"username": "newtrainer", "email": "trainer@example.org", "role": "trainer"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="newtrainer")
    assert not user.has_usable_password()
    # A member once they accept (test_invitations.py), not before.
    assert not Membership.objects.filter(user=user).exists()
    assert Invitation.objects.get(user=user).role == Role.TRAINER
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_an_existing_account_is_invited_not_added(client_for, coordinator, outsider, program_a):
    client_for(coordinator).post(
        "/p/riverbend/members/add/", {"username": outsider.username, "role": "analyst"}
    )
    assert not Membership.objects.filter(user=outsider, program=program_a).exists()
    assert Invitation.objects.get(program=program_a).user == outsider
    assert mail.outbox[0].to == [outsider.email]


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


def test_the_members_api_changes_and_removes_but_does_not_add(
    api_for, coordinator, members, outsider, program_a
):
    api = api_for(coordinator)
    added = api.post(
        "/api/programs/riverbend/members/", {"user": outsider.username, "role": "dispatcher"}
    )
    assert added.status_code == 405  # accounts are invited: /invitations/
    membership = members[Role.TRAINER].memberships.get()
    url = f"/api/programs/riverbend/members/{membership.pk}/"
    changed = api.patch(url, {"role": "analyst", "user": outsider.username})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["user"] == "trainer_a"  # the member, not whoever was named
    bad = api.patch(url, {"role": "boss"})
    assert bad.status_code == 400 and set(bad.json()) == {"role"}
    assert api.delete(url).status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()


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


def test_the_add_page_preselects_the_least_powerful_role(client_for, coordinator, program_a):
    response = client_for(coordinator).get("/p/riverbend/members/add/")
    assert response.status_code == 200
    body = response.content.decode()
    role_select = body[
        body.index('name="role"') : body.index("</select>", body.index('name="role"'))
    ]
    assert '<option value="officer" selected>Officer / staff</option>' in role_select
    assert role_select.count(" selected>") == 1


def test_removing_a_member_asks_first(client_for, coordinator, members, program_a):
    membership = members[Role.TRAINER].memberships.get()
    client = client_for(coordinator)
    url = f"/p/riverbend/members/{membership.pk}/remove/"
    question = client.get(url)
    assert question.status_code == 200
    assert "Remove trainer_a from Riverbend County CIT?" in question.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    done = client.post(url, follow=True)
    assert done.redirect_chain[-1][0] == "/p/riverbend/members/"
    assert "trainer_a removed from the program." in done.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_refused_removal_says_why_and_keeps_the_member(client_for, coordinator, program_a):
    membership = coordinator.memberships.get()
    response = client_for(coordinator).post(
        f"/p/riverbend/members/{membership.pk}/remove/", follow=True
    )
    assert "at least one coordinator" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize(
    "path, data",
    [
        ("add/", {"username": "sneaky", "email": "s@example.org", "role": "coordinator"}),
        ("{pk}/edit/", {"role": "coordinator"}),
        ("{pk}/remove/", {}),
        ("{pk}/unlock/", {}),
    ],
)
def test_a_role_without_member_management_gets_403_whatever_it_posts(
    client_for, members, program_a, path, data
):
    target = members[Role.TRAINER].memberships.get()
    url = "/p/riverbend/members/" + path.format(pk=target.pk)
    response = client_for(members[Role.COMMITTEE_MEMBER]).post(url, data)
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == Role.TRAINER
    assert not User.objects.filter(username="sneaky").exists()
    assert not AuditEntry.objects.exists()


def test_an_outsider_gets_404_for_a_members_page(client_for, outsider, coordinator, program_a):
    membership = coordinator.memberships.get()
    client = client_for(outsider)
    assert client.get(f"/p/riverbend/members/{membership.pk}/edit/").status_code == 404
    assert client.get("/p/riverbend/members/").status_code == 404


def test_another_programs_member_is_not_found(client_for, coordinator, outsider, program_a):
    foreign = outsider.memberships.get()
    response = client_for(coordinator).get(f"/p/riverbend/members/{foreign.pk}/edit/")
    assert response.status_code == 404


def test_the_role_page_shows_the_current_role(client_for, coordinator, members, program_a):
    membership = members[Role.DISPATCHER].memberships.get()
    body = client_for(coordinator).get(f"/p/riverbend/members/{membership.pk}/edit/")
    assert '<option value="dispatcher" selected>Dispatcher</option>' in body.content.decode()


# --- Program settings ---------------------------------------------------------------------


def test_program_settings_are_saved_and_audited(client_for, coordinator, program_a):
    response = client_for(coordinator).post(
        "/p/riverbend/settings/",
        {
            "name": program_a.name,
            "jurisdiction": "Riverbend County and City",
            "time_zone": "UTC",
            "country": "US",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/p/riverbend/"
    assert "Program settings saved." in response.content.decode()
    program_a.refresh_from_db()
    assert (program_a.jurisdiction, program_a.time_zone) == ("Riverbend County and City", "UTC")
    assert AuditEntry.objects.get(content_type__model="program").after["time_zone"] == "UTC"


def test_a_wrong_time_zone_is_shown_on_the_form_with_what_was_typed(
    client_for, coordinator, program_a
):
    response = client_for(coordinator).post(
        "/p/riverbend/settings/",
        {
            "name": program_a.name,
            "jurisdiction": "Typed here",
            "time_zone": "Mars/Olympus",
            "country": "US",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "not a known time zone" in body and 'value="Typed here"' in body
    program_a.refresh_from_db()
    assert program_a.time_zone == "America/Chicago"


def test_only_a_coordinator_changes_program_settings(client_for, members, program_a):
    response = client_for(members[Role.ANALYST]).post(
        "/p/riverbend/settings/",
        {"name": "Taken over", "jurisdiction": "x", "time_zone": "UTC"},
    )
    assert response.status_code == 403
    program_a.refresh_from_db()
    assert program_a.name == "Riverbend County CIT"
