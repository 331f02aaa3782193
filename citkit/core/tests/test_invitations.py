"""Accounts belong to people: a coordinator invites, the account's owner accepts, and
nothing a coordinator sees says whether a user name or an address has an account."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from citkit.core import services
from citkit.core.models import AuditEntry, Invitation, Membership, Role
from citkit.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

ADD = "/p/riverbend/members/add/"
MEMBERS = "/p/riverbend/members/"


def _invite(client, **data):
    data.setdefault("role", "trainer")
    return client.post(ADD, data, follow=True)


def _message(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _link(message) -> str:
    """The invitation link of an e-mail, as a path."""
    url = next(u for u in re.findall(r"https?://\S+", message.body) if "/invitations/" in u)
    return url.split("testserver", 1)[1]


@pytest.fixture
def stranger(db):
    """An account of the deployment that belongs to no program yet."""
    return UserFactory(
        username="sam_stranger", email="sam@lakeshore.example", first_name="Sam", last_name="Vu"
    )


# --- The coordinator's answer reveals nothing -------------------------------------------


def test_inviting_an_existing_account_makes_an_invitation_not_a_membership(
    client_for, coordinator, program_a, outsider
):
    response = _invite(client_for(coordinator), username=outsider.username)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=outsider, program=program_a).exists()
    invitation = Invitation.objects.get(program=program_a)
    assert invitation.user == outsider
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.invited_by == coordinator
    assert [m.to for m in mail.outbox] == [[outsider.email]]


def test_the_answer_is_the_same_for_an_account_an_unknown_name_and_a_new_account(
    client_for, coordinator, program_a, outsider
):
    client = client_for(coordinator)
    typed = {
        "existing": {"username": outsider.username},
        "unknown": {"username": "no_such_person"},
        "new": {"username": "new_person", "email": "new@riverbend.example"},
        "existing, other address": {"username": outsider.username, "email": "x@evil.example"},
    }
    answers = {}
    for case, data in typed.items():
        response = _invite(client, **data)
        shown = Invitation.objects.filter(program=program_a).latest("id").addressed_to
        answers[case] = (
            response.status_code,
            tuple(response.redirect_chain),
            _message(response).replace(shown, "…"),
        )
    assert len(set(answers.values())) == 1, answers
    # The page lists each invitation by what was typed, nothing more.
    page = client.get(MEMBERS).content.decode()
    assert "no_such_person" in page and "new_person (new@riverbend.example)" in page


def test_the_full_name_of_an_existing_account_is_never_shown(
    client_for, coordinator, program_a, stranger
):
    client = client_for(coordinator)
    answer = _invite(client, username=stranger.username).content.decode()
    page = client.get(MEMBERS).content.decode()
    assert "Sam Vu" not in answer and "Sam Vu" not in page
    assert "sam@lakeshore.example" not in page


def test_the_api_answers_the_same_for_an_account_and_for_no_account(
    api_for, coordinator, program_a, stranger
):
    api = api_for(coordinator)
    known = api.post(
        "/api/programs/riverbend/invitations/", {"username": stranger.username, "role": "trainer"}
    )
    unknown = api.post(
        "/api/programs/riverbend/invitations/", {"username": "nobody_here", "role": "trainer"}
    )
    assert known.status_code == unknown.status_code == 201
    assert "user" not in known.json()

    def beyond_what_was_typed(body):
        return {
            k: v for k, v in body.items() if k not in {"id", "username", "created_at", "expires_at"}
        }

    assert beyond_what_was_typed(known.json()) == beyond_what_was_typed(unknown.json())
    assert set(known.json()) == set(unknown.json())


def test_the_program_audit_trail_records_what_was_typed_never_the_account_reached(
    client_for, coordinator, program_a, stranger
):
    client = client_for(coordinator)
    _invite(client, username=stranger.username)
    _invite(client, username="brand_new", email="brand@riverbend.example")
    entries = AuditEntry.objects.filter(program=program_a, content_type__model="invitation")
    assert entries.count() == 2
    for entry in entries:
        assert "user" not in entry.after and "token_hash" not in entry.after
    # The new account is in the deployment's trail, not the program's.
    created = AuditEntry.objects.get(content_type__model="user", object_repr="brand_new")
    assert created.program is None
    assert not AuditEntry.objects.filter(program=program_a, content_type__model="user").exists()


# --- Who the invitation reaches -----------------------------------------------------------


def test_an_account_is_found_by_its_e_mail_address(client_for, coordinator, program_a, stranger):
    _invite(client_for(coordinator), username="typed_wrong", email="SAM@lakeshore.example")
    invitation = Invitation.objects.get(program=program_a)
    assert invitation.user == stranger
    assert invitation.addressed_to == "typed_wrong (SAM@lakeshore.example)"
    assert not User.objects.filter(username="typed_wrong").exists()


def test_an_invitation_to_an_existing_account_goes_to_its_own_address(
    client_for, coordinator, program_a, stranger
):
    _invite(client_for(coordinator), username=stranger.username, email="attacker@evil.example")
    assert [m.to for m in mail.outbox] == [["sam@lakeshore.example"]]


def test_a_new_person_gets_an_account_and_one_mail_to_set_a_password_and_answer(
    client_for, coordinator, program_a
):
    _invite(
        client_for(coordinator),
        username="newtrainer",
        email="trainer@example.org",
        first_name="Tess",
        last_name="Nguyen",
    )
    user = User.objects.get(username="newtrainer")
    assert not user.has_usable_password()
    assert (user.first_name, user.email) == ("Tess", "trainer@example.org")
    assert not Membership.objects.filter(user=user).exists()
    assert Invitation.objects.get(program=program_a).user == user
    [message] = mail.outbox
    assert message.to == ["trainer@example.org"]
    assert "/accounts/password/reset/" in message.body
    assert "/accounts/invitations/link/" in message.body


def test_an_unknown_name_without_an_address_reaches_nobody(client_for, coordinator, program_a):
    _invite(client_for(coordinator), username="ghost_name")
    invitation = Invitation.objects.get(program=program_a)
    assert invitation.user is None
    assert not User.objects.filter(username="ghost_name").exists()
    assert mail.outbox == []


def test_a_deactivated_account_is_not_reached(client_for, coordinator, program_a, stranger):
    stranger.is_active = False
    stranger.save()
    _invite(client_for(coordinator), username=stranger.username)
    assert Invitation.objects.get(program=program_a).user is None
    assert mail.outbox == []


def test_a_member_of_the_program_is_named_as_one(client_for, coordinator, members, program_a):
    response = _invite(client_for(coordinator), username="TRAINER_A")
    assert response.status_code == 400
    assert "already a member of this program" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_user_name_that_no_account_could_have_is_refused_by_its_shape(
    client_for, coordinator, program_a
):
    response = _invite(client_for(coordinator), username="two words", email="a@example.org")
    assert response.status_code == 400
    assert "two words" in response.content.decode()  # what was typed stays on the form
    assert not Invitation.objects.exists() and not User.objects.filter(email="a@example.org")


def test_an_agency_administrator_invitation_needs_the_agency(
    client_for, coordinator, program_a, police_a
):
    client = client_for(coordinator)
    refused = _invite(client, username="admin2", email="a@example.org", role="agency_admin")
    assert refused.status_code == 400
    assert "needs the agency" in refused.content.decode()
    assert not User.objects.filter(username="admin2").exists()
    _invite(
        client, username="admin2", email="a@example.org", role="agency_admin", agency=police_a.pk
    )
    assert Invitation.objects.get(program=program_a).agency == police_a


# --- The owner answers -------------------------------------------------------------------


def test_the_owner_sees_the_invitation_after_signing_in_and_accepts_it(
    client, coordinator, program_a, stranger
):
    services.member_invite(
        actor=coordinator, program=program_a, username=stranger.username, role=Role.TRAINER
    )
    client.force_login(stranger)
    home = client.get("/")
    assert home.status_code == 200  # not sent on to a program: an invitation waits
    assert "Riverbend County CIT" in home.content.decode()
    listing = client.get("/accounts/invitations/").content.decode()
    assert "Trainer" in listing and "coordinator_a" in listing
    invitation = Invitation.objects.get(user=stranger)
    response = client.post(f"/accounts/invitations/{invitation.pk}/accept/", follow=True)
    assert response.redirect_chain[-1][0] == "/p/riverbend/"
    assert "you are now Trainer" in response.content.decode()
    membership = Membership.objects.get(user=stranger, program=program_a)
    assert membership.role == Role.TRAINER
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert AuditEntry.objects.filter(content_type__model="membership", action="create").exists()
    accepted = AuditEntry.objects.get(content_type__model="invitation", action="update")
    assert accepted.actor == stranger and accepted.after["status"] == "accepted"


def test_signing_in_says_that_invitations_wait(client, coordinator, program_a, stranger):
    services.member_invite(
        actor=coordinator, program=program_a, username=stranger.username, role=Role.TRAINER
    )
    response = client.post(
        "/accounts/login/",
        {"username": stranger.username, "password": "correct horse battery"},
        follow=True,
    )
    assert "1 invitation to a program waits for your answer" in response.content.decode()


def test_the_mailed_link_opens_the_invitation_for_its_owner_only(
    client, coordinator, program_a, stranger, outsider
):
    services.member_invite(
        actor=coordinator,
        program=program_a,
        username=stranger.username,
        role=Role.ANALYST,
        base_url="http://testserver",
    )
    link = _link(mail.outbox[0])
    assert client.get(link)["Location"].startswith("/accounts/login/?next=")
    client.force_login(outsider)
    assert client.get(link).status_code == 404
    client.force_login(stranger)
    page = client.get(link)
    assert page.status_code == 200
    assert "Analyst" in page.content.decode()
    assert client.get(link.replace("/link/", "/link/x")).status_code == 404


def test_someone_else_cannot_answer_an_invitation(
    client, coordinator, program_a, stranger, outsider
):
    invitation = services.member_invite(
        actor=coordinator, program=program_a, username=stranger.username, role=Role.TRAINER
    )
    client.force_login(outsider)
    assert client.post(f"/accounts/invitations/{invitation.pk}/accept/").status_code == 404
    assert not Membership.objects.filter(user=outsider, program=program_a).exists()


def test_declining_makes_no_membership(client, coordinator, program_a, stranger):
    invitation = services.member_invite(
        actor=coordinator, program=program_a, username=stranger.username, role=Role.TRAINER
    )
    client.force_login(stranger)
    response = client.post(f"/accounts/invitations/{invitation.pk}/decline/", follow=True)
    assert "You declined the invitation to Riverbend County CIT" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert not Membership.objects.filter(user=stranger).exists()
    again = client.post(f"/accounts/invitations/{invitation.pk}/accept/", follow=True)
    assert "already declined" in again.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()


def test_an_expired_invitation_cannot_be_accepted(client, coordinator, program_a, stranger):
    invitation = services.member_invite(
        actor=coordinator, program=program_a, username=stranger.username, role=Role.TRAINER
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(stranger)
    response = client.post(f"/accounts/invitations/{invitation.pk}/accept/", follow=True)
    assert "has expired" in response.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()


def test_invitations_expire_after_the_configured_days(settings, coordinator, program_a, stranger):
    settings.CITKIT_INVITATION_DAYS = 3
    invitation = services.member_invite(
        actor=coordinator, program=program_a, username=stranger.username, role=Role.TRAINER
    )
    left = invitation.expires_at - invitation.created_at
    assert abs(left - datetime.timedelta(days=3)) < datetime.timedelta(minutes=1)


def test_an_invitation_from_someone_no_longer_coordinator_is_void(
    client, members, program_a, stranger
):
    deputy = members[Role.COORDINATOR]
    invitation = services.member_invite(
        actor=deputy, program=program_a, username=stranger.username, role=Role.COORDINATOR
    )
    Membership.objects.filter(user=deputy, program=program_a).update(role=Role.TRAINER)
    client.force_login(stranger)
    response = client.post(f"/accounts/invitations/{invitation.pk}/accept/", follow=True)
    assert "no longer manages the program" in response.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()


# --- The coordinator withdraws ------------------------------------------------------------


def test_withdrawing_asks_first_and_then_the_link_stops_working(
    client_for, coordinator, program_a, stranger
):
    invitation = services.member_invite(
        actor=coordinator, program=program_a, username=stranger.username, role=Role.TRAINER
    )
    client = client_for(coordinator)
    assert "sam_stranger" in client.get(MEMBERS).content.decode()
    url = f"/p/riverbend/members/invitations/{invitation.pk}/withdraw/"
    question = client.get(url)
    assert "Withdraw the invitation to “sam_stranger” (Trainer)?" in question.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    done = client.post(url, follow=True)
    assert "is withdrawn" in done.content.decode()
    assert "sam_stranger" not in done.content.decode().split("Pending invitations", 1)[1]
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    client.force_login(stranger)
    answer = client.post(f"/accounts/invitations/{invitation.pk}/accept/", follow=True)
    assert "already withdrawn" in answer.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()


def test_another_programs_invitation_is_not_found(client_for, coordinator, outsider, program_b):
    foreign = services.member_invite(
        actor=outsider, program=program_b, username="someone", role=Role.TRAINER
    )
    url = f"/p/riverbend/members/invitations/{foreign.pk}/withdraw/"
    assert client_for(coordinator).post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Invitation.Status.PENDING


# --- The API -------------------------------------------------------------------------------


def test_the_invitee_accepts_through_the_api(api_for, coordinator, program_a, stranger):
    services.member_invite(
        actor=coordinator, program=program_a, username=stranger.username, role=Role.DISPATCHER
    )
    api = api_for(stranger)
    mine = api.get("/api/invitations/").json()["results"]
    assert [(i["program"], i["role"], i["status"]) for i in mine] == [
        ("riverbend", "dispatcher", "pending")
    ]
    accepted = api.post(f"/api/invitations/{mine[0]['id']}/accept/")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted"
    assert Membership.objects.get(user=stranger, program=program_a).role == Role.DISPATCHER
    assert api.get("/api/invitations/").json()["results"] == []
    assert api.post(f"/api/invitations/{mine[0]['id']}/decline/").status_code == 400


def test_the_api_lists_and_withdraws_for_coordinators(api_for, coordinator, program_a, stranger):
    api = api_for(coordinator)
    created = api.post(
        "/api/programs/riverbend/invitations/",
        {"username": stranger.username, "role": "analyst"},
    ).json()
    listed = api.get("/api/programs/riverbend/invitations/").json()["results"]
    assert [i["id"] for i in listed] == [created["id"]]
    revoked = api.post(f"/api/programs/riverbend/invitations/{created['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert api.get("/api/programs/riverbend/invitations/").json()["results"] == []
    again = api.post(f"/api/programs/riverbend/invitations/{created['id']}/revoke/")
    assert again.status_code == 400


def test_someone_elses_invitation_is_a_404_in_the_api(api_for, coordinator, program_a, stranger):
    invitation = services.member_invite(
        actor=coordinator, program=program_a, username=stranger.username, role=Role.TRAINER
    )
    api = api_for(coordinator)
    assert api.get(f"/api/invitations/{invitation.pk}/").status_code == 404
    assert api.post(f"/api/invitations/{invitation.pk}/accept/").status_code == 404


def test_the_members_api_no_longer_adds_accounts(api_for, coordinator, outsider, program_a):
    response = api_for(coordinator).post(
        "/api/programs/riverbend/members/", {"user": outsider.username, "role": "analyst"}
    )
    assert response.status_code == 405
    assert not Membership.objects.filter(user=outsider, program=program_a).exists()


def test_the_schema_documents_the_invitation_endpoints(client, coordinator):
    client.force_login(coordinator)
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/programs/{program}/invitations/"]
    assert "post" in paths["/api/programs/{program}/invitations/{id}/revoke/"]
    assert "post" in paths["/api/invitations/{id}/accept/"]
    assert "post" in paths["/api/invitations/{id}/decline/"]
    assert "post" not in paths["/api/programs/{program}/members/"]
