"""Committee API: seats, subcommittees (with members and reports), service gaps and the
composition check — per role, bad input, and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citkit.committee import services
from citkit.committee.models import (
    Seat,
    ServiceGap,
    Subcommittee,
    SubcommitteeMember,
    SubcommitteeReport,
)
from citkit.core.models import AuditEntry, Role
from citkit.testing.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
API = "/api/programs/riverbend/committee"
MANAGERS = {Role.COORDINATOR, Role.COMMITTEE_MEMBER}
READERS = MANAGERS | {Role.AGENCY_ADMIN, Role.TRAINER}
READ_ONLY = [
    Role.AGENCY_ADMIN,
    Role.TRAINER,
    Role.OFFICER,
    Role.DISPATCHER,
    Role.ANALYST,
    Role.STATE_COORDINATOR,
]


@pytest.fixture
def today(program_a):
    return program_a.today()


@pytest.fixture
def records(coordinator, program_a, police_a, clinic_a, today):
    seat = services.seat_create(
        actor=coordinator,
        program=program_a,
        data={
            "holder_name": "Chief Ward",
            "seat_type": "le_coordinator",
            "agency": police_a,
            "start_date": today - 30 * DAY,
        },
    )
    sub = services.subcommittee_create(
        actor=coordinator, program=program_a, data={"name": "Training", "deadline": today - DAY}
    )
    member = services.subcommittee_member_add(
        actor=coordinator, subcommittee=sub, data={"name": "Sgt. Diaz", "perspective": "officer"}
    )
    gap = services.gap_create(
        actor=coordinator,
        program=program_a,
        data={"title": "No youth mobile crisis", "target_date": today - DAY},
        affected=[clinic_a],
    )
    return {"seat": seat, "sub": sub, "member": member, "gap": gap}


READS = [
    "/seats/",
    "/seats/?current=true&seat_type=le_coordinator&sort=name",
    "/seats/{seat}/",
    "/subcommittees/",
    "/subcommittees/{sub}/",
    "/gaps/",
    "/gaps/?status=open&q=youth&sort=target",
    "/gaps/{gap}/",
    "/composition/",
]


def _url(template, records):
    return API + template.format(**{k: v.pk for k, v in records.items()})


@pytest.mark.parametrize("template", READS)
def test_each_role_gets_the_answer_its_capabilities_give(api_for, members, records, template):
    url = _url(template, records)
    for role, user in members.items():
        response = api_for(user).get(url)
        assert response.status_code == (200 if role in READERS else 403), (role, url)


@pytest.mark.parametrize("template", READS)
def test_an_outsider_gets_404(api_for, outsider, records, template):
    assert api_for(outsider).get(_url(template, records)).status_code == 404


@pytest.mark.parametrize("template", READS)
def test_an_anonymous_caller_is_refused(client, records, template):
    assert client.get(_url(template, records)).status_code in (401, 403)


def _writes(records, police_a, clinic_a, today):
    seat, sub, member, gap = records["seat"], records["sub"], records["member"], records["gap"]
    return [
        (
            "post",
            "/seats/",
            {
                "holder_name": "Dr. Okafor",
                "seat_type": "mh_coordinator",
                "agency": clinic_a.pk,
                "start_date": today.isoformat(),
            },
            201,
        ),
        ("patch", f"/seats/{seat.pk}/", {"end_date": today.isoformat()}, 200),
        ("post", "/subcommittees/", {"name": "Youth", "charge": "Plan youth CIT."}, 201),
        ("patch", f"/subcommittees/{sub.pk}/", {"charge": "Adapt the curriculum."}, 200),
        (
            "post",
            f"/subcommittees/{sub.pk}/members/",
            {"name": "Dr. Lee", "perspective": "provider", "agency": clinic_a.pk},
            201,
        ),
        ("delete", f"/subcommittees/{sub.pk}/members/{member.pk}/", None, 204),
        (
            "post",
            f"/subcommittees/{sub.pk}/reports/",
            {"reported_on": today.isoformat(), "title": "Curriculum draft", "text": "Done."},
            201,
        ),
        (
            "post",
            "/gaps/",
            {"title": "No peer respite", "affected_agencies": [police_a.pk, clinic_a.pk]},
            201,
        ),
        ("patch", f"/gaps/{gap.pk}/", {"status": "workaround", "workaround": "ER"}, 200),
        ("delete", f"/gaps/{gap.pk}/", None, 204),
        ("delete", f"/seats/{seat.pk}/", None, 204),
    ]


def _state():
    return (
        list(Seat.objects.order_by("id").values()),
        list(Subcommittee.objects.order_by("id").values()),
        list(SubcommitteeMember.objects.order_by("id").values()),
        SubcommitteeReport.objects.count(),
        list(ServiceGap.objects.order_by("id").values()),
        AuditEntry.objects.count(),
    )


def _send(client, method, path, data):
    return getattr(client, method)(API + path, data, format="json")


@pytest.mark.parametrize("role", sorted(MANAGERS))
def test_coordinators_and_committee_members_make_every_change(
    api_for, members, records, police_a, clinic_a, today, role
):
    client = api_for(members[role])
    for method, path, data, expected in _writes(records, police_a, clinic_a, today):
        response = _send(client, method, path, data)
        assert response.status_code == expected, (method, path, response.content)
    assert list(Seat.objects.values_list("holder_name", flat=True)) == ["Dr. Okafor"]
    assert set(Subcommittee.objects.values_list("name", flat=True)) == {"Training", "Youth"}
    training = Subcommittee.objects.get(name="Training")
    assert list(training.members.values_list("name", flat=True)) == ["Dr. Lee"]
    assert training.reports.get().title == "Curriculum draft"
    gap = ServiceGap.objects.get()
    assert gap.title == "No peer respite"
    assert set(gap.affected_agencies.all()) == {police_a, clinic_a}


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_get_403_on_every_write_and_nothing_changes(
    api_for, members, records, police_a, clinic_a, today, role
):
    client = api_for(members[role])
    before = _state()
    for method, path, data, _ in _writes(records, police_a, clinic_a, today):
        assert _send(client, method, path, data).status_code == 403, (role, method, path)
    # Even nonsense is refused as forbidden, not reported field by field.
    assert _send(client, "post", "/gaps/", {"title": ""}).status_code == 403
    assert _state() == before


def test_an_outsider_gets_404_on_every_write_and_nothing_changes(
    api_for, outsider, records, police_a, clinic_a, today
):
    client = api_for(outsider)
    before = _state()
    for method, path, data, _ in _writes(records, police_a, clinic_a, today):
        assert _send(client, method, path, data).status_code == 404, (method, path)
    assert _state() == before


# --- Bad input ------------------------------------------------------------------------


def _refused(client, method, path, data, fields):
    before = _state()
    response = _send(client, method, path, data)
    assert response.status_code == 400, response.content
    assert set(response.json()) >= set(fields), response.json()
    assert _state() == before
    return response.json()


def test_bad_seats_are_refused_field_by_field(
    api_for, coordinator, records, agency_b, outsider, today
):
    client = api_for(coordinator)
    _refused(
        client,
        "post",
        "/seats/",
        {"holder_name": "", "seat_type": "emperor", "start_date": "soon"},
        {"holder_name", "seat_type", "start_date"},
    )
    _refused(
        client,
        "post",
        "/seats/",
        {"holder_name": "X", "start_date": today.isoformat(), "agency": agency_b.pk},
        {"agency"},
    )
    _refused(
        client,
        "post",
        "/seats/",
        {"holder_name": "X", "start_date": today.isoformat(), "user": outsider.username},
        {"user"},
    )
    errors = _refused(
        client,
        "patch",
        f"/seats/{records['seat'].pk}/",
        {"end_date": (today - 365 * DAY).isoformat()},
        {"end_date"},
    )
    assert "cannot end before it starts" in str(errors)


def test_bad_subcommittees_members_and_reports_are_refused(api_for, coordinator, records):
    client = api_for(coordinator)
    errors = _refused(client, "post", "/subcommittees/", {"name": "Training"}, {"name"})
    assert "already exists" in str(errors)
    _refused(client, "post", "/subcommittees/", {"name": "", "deadline": "x"}, {"name", "deadline"})
    sub = records["sub"]
    _refused(
        client,
        "post",
        f"/subcommittees/{sub.pk}/members/",
        {"name": "", "perspective": "astronaut"},
        {"name", "perspective"},
    )
    _refused(client, "post", f"/subcommittees/{sub.pk}/reports/", {}, {"reported_on", "title"})


def test_bad_gaps_are_refused_field_by_field(api_for, coordinator, records, agency_b, outsider):
    client = api_for(coordinator)
    _refused(
        client,
        "post",
        "/gaps/",
        {"title": "", "status": "forgotten", "target_date": "someday"},
        {"title", "status", "target_date"},
    )
    _refused(
        client,
        "post",
        "/gaps/",
        {"title": "No respite", "affected_agencies": [agency_b.pk]},
        {"affected_agencies"},
    )
    _refused(
        client,
        "patch",
        f"/gaps/{records['gap'].pk}/",
        {"affected_agencies": [agency_b.pk]},
        {"affected_agencies"},
    )
    _refused(
        client, "post", "/gaps/", {"title": "No respite", "owner": outsider.username}, {"owner"}
    )


def test_a_seat_with_attendance_cannot_be_deleted(api_for, coordinator, program_a, records):
    now = datetime.datetime.now(datetime.UTC)
    meeting = services.meeting_create(
        actor=coordinator,
        program=program_a,
        data={"starts_at": now, "ends_at": now + datetime.timedelta(hours=1)},
    )
    services.attendance_record(
        actor=coordinator, meeting=meeting, statuses={records["seat"].pk: "present"}
    )
    response = api_for(coordinator).delete(f"{API}/seats/{records['seat'].pk}/")
    assert response.status_code == 400
    assert "end date instead" in str(response.json())
    assert Seat.objects.filter(pk=records["seat"].pk).exists()


def test_a_member_of_another_subcommittee_is_404(api_for, coordinator, program_a, records):
    other = services.subcommittee_create(
        actor=coordinator, program=program_a, data={"name": "Data"}
    )
    response = api_for(coordinator).delete(
        f"{API}/subcommittees/{other.pk}/members/{records['member'].pk}/"
    )
    assert response.status_code == 404
    assert SubcommitteeMember.objects.filter(pk=records["member"].pk).exists()


def test_subcommittees_cannot_be_deleted_through_the_api(api_for, coordinator, records):
    response = api_for(coordinator).delete(f"{API}/subcommittees/{records['sub'].pk}/")
    assert response.status_code == 405
    assert Subcommittee.objects.filter(pk=records["sub"].pk).exists()


# --- What the API answers ----------------------------------------------------------------


def test_a_subcommittee_lists_its_members_reports_balance_and_overdue_deadline(
    api_for, coordinator, records, today
):
    services.subcommittee_report_add(
        actor=coordinator,
        subcommittee=records["sub"],
        data={"reported_on": today, "title": "First", "text": "..."},
    )
    body = api_for(coordinator).get(f"{API}/subcommittees/").json()
    (sub,) = body["results"]
    assert sub["name"] == "Training"
    assert sub["overdue"] is True
    assert sub["members"] == [
        {
            "id": records["member"].pk,
            "name": "Sgt. Diaz",
            "perspective": "officer",
            "agency": None,
            "agency_name": "",
        }
    ]
    assert [r["title"] for r in sub["reports"]] == ["First"]
    assert sub["balance"] == {
        "officer": True,
        "provider": False,
        "advocate": False,
        "missing": ["a mental-health provider", "an advocate"],
        "summary": "It still needs a mental-health provider and an advocate.",
    }


def test_members_are_read_only_on_the_subcommittee_itself(api_for, coordinator, records):
    url = f"{API}/subcommittees/{records['sub'].pk}/"
    response = api_for(coordinator).patch(
        url, {"members": [{"name": "Sneaky", "perspective": "advocate"}]}, format="json"
    )
    assert response.status_code == 200
    assert [m["name"] for m in response.json()["members"]] == ["Sgt. Diaz"]


def test_gaps_give_affected_agencies_as_ids_and_a_patch_replaces_them(
    api_for, coordinator, members, records, police_a, clinic_a
):
    client = api_for(coordinator)
    url = f"{API}/gaps/{records['gap'].pk}/"
    assert client.get(url).json()["affected_agencies"] == [clinic_a.pk]
    owner = members[Role.COMMITTEE_MEMBER]
    body = client.patch(
        url, {"affected_agencies": [police_a.pk], "owner": owner.username}, format="json"
    ).json()
    assert body["affected_agencies"] == [police_a.pk]
    assert (body["owner"], body["owner_username"]) == (owner.username, owner.username)
    assert body["overdue"] is True and body["is_open"] is True
    change = AuditEntry.objects.filter(content_type__model="servicegap").order_by("-id").first()
    assert change.after == {"affected_agencies": [police_a.pk]}
    body = client.patch(url, {"status": "resolved"}, format="json").json()
    assert body["affected_agencies"] == [police_a.pk]
    assert body["overdue"] is False


def test_gaps_filter_by_status_and_affected_partner(
    api_for, coordinator, program_a, records, police_a
):
    services.gap_create(
        actor=coordinator,
        program=program_a,
        data={"title": "No receiving facility", "status": "resolved"},
        affected=[police_a],
    )
    client = api_for(coordinator)

    def titles(query):
        return [g["title"] for g in client.get(f"{API}/gaps/?{query}").json()["results"]]

    assert titles("") == ["No youth mobile crisis", "No receiving facility"]
    assert titles("status=resolved") == ["No receiving facility"]
    assert titles(f"agency={police_a.pk}") == ["No receiving facility"]
    assert titles("q=youth") == ["No youth mobile crisis"]
    assert client.get(f"{API}/gaps/?sort=nonsense").status_code == 400


def test_seats_filter_by_whether_they_are_held_today(
    api_for, coordinator, program_a, records, today
):
    services.seat_create(
        actor=coordinator,
        program=program_a,
        data={
            "holder_name": "Former",
            "seat_type": "advocate",
            "start_date": today - 99 * DAY,
            "end_date": today - DAY,
        },
    )
    client = api_for(coordinator)
    held = client.get(f"{API}/seats/?current=true").json()["results"]
    ended = client.get(f"{API}/seats/?current=false").json()["results"]
    assert [(s["holder_name"], s["current"]) for s in held] == [("Chief Ward", True)]
    assert [(s["holder_name"], s["current"]) for s in ended] == [("Former", False)]


def test_the_composition_check_says_what_is_missing(
    api_for, coordinator, program_a, records, clinic_a, today
):
    client = api_for(coordinator)
    body = client.get(f"{API}/composition/").json()
    assert body == {
        "complete": False,
        "seats": 1,
        "requirements": [
            {"label": "Law enforcement", "present": True},
            {"label": "Mental-health provider", "present": False},
            {"label": "Advocate (lived experience or family)", "present": False},
            {"label": "Chair", "present": False},
        ],
        "missing": ["Mental-health provider", "Advocate (lived experience or family)", "Chair"],
        "summary": "The committee still needs a mental-health provider seat, an advocate seat "
        "(lived experience or family) and a chair.",
    }
    for holder, seat_type, agency in [
        ("Dr. Okafor", "member", clinic_a),
        ("Rosa Lind", "advocate", None),
        ("Judge Amari", "chair", None),
    ]:
        services.seat_create(
            actor=coordinator,
            program=program_a,
            data={
                "holder_name": holder,
                "seat_type": seat_type,
                "agency": agency,
                "start_date": today,
            },
        )
    body = client.get(f"{API}/composition/").json()
    assert body["complete"] is True and body["missing"] == [] and body["seats"] == 4


def test_the_schema_describes_the_committee_endpoints(api_for, coordinator, program_a):
    schema = api_for(coordinator).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    composition = paths["/api/programs/{program}/committee/composition/"]["get"]
    body = composition["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Composition"}
    assert "post" in paths["/api/programs/{program}/committee/subcommittees/{id}/members/"]
    assert "delete" not in paths["/api/programs/{program}/committee/subcommittees/{id}/"]


# --- Query counts -------------------------------------------------------------------------


def _grow(program, coordinator, n, start=0):
    today = program.today()
    for i in range(start, start + n):
        agency = AgencyFactory(program=program, name=f"Grown agency {i:03d}")
        owner = UserFactory(username=f"owner{i:03d}")
        MembershipFactory(program=program, user=owner, role=Role.COMMITTEE_MEMBER)
        services.seat_create(
            actor=coordinator,
            program=program,
            data={"holder_name": f"Holder {i}", "agency": agency, "start_date": today},
        )
        sub = services.subcommittee_create(
            actor=coordinator, program=program, data={"name": f"Sub {i:03d}"}
        )
        services.subcommittee_member_add(
            actor=coordinator,
            subcommittee=sub,
            data={"name": f"M {i}", "perspective": "officer", "agency": agency},
        )
        services.subcommittee_report_add(
            actor=coordinator,
            subcommittee=sub,
            data={"reported_on": today, "title": f"R {i}", "text": "x"},
        )
        services.gap_create(
            actor=coordinator,
            program=program,
            data={"title": f"Gap {i:03d}", "owner": owner},
            affected=[agency],
        )


@pytest.mark.parametrize(
    "path",
    ["/seats/", "/subcommittees/", "/gaps/", "/gaps/?sort=target&q=gap", "/composition/"],
)
def test_a_list_costs_the_same_queries_for_1_row_and_for_50(api_for, coordinator, program_a, path):
    client = api_for(coordinator)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(API + path)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _grow(program_a, coordinator, 1)
    count()
    with_one = count()
    _grow(program_a, coordinator, 49, start=1)
    assert count() == with_one, path


def test_the_gap_list_pages_through_every_gap_once(
    api_for, coordinator, program_a, settings, today
):
    settings.CITKIT_PAGE_SIZE = 3
    for i in range(8):
        services.gap_create(
            actor=coordinator,
            program=program_a,
            data={
                "title": f"Gap {i}",
                "status": ["open", "resolved", "workaround", "accepted"][i % 4],
                "target_date": None if i % 3 == 0 else today + i * DAY,
            },
        )
    client = api_for(coordinator)
    for sort in ("status", "target", "title", "updated"):
        seen, url = [], f"{API}/gaps/?sort={sort}"
        while url:
            body = client.get(url).json()
            seen += [g["title"] for g in body["results"]]
            url = body["next"]
        assert sorted(seen) == sorted(f"Gap {i}" for i in range(8)), sort
    statuses = [g["status"] for g in client.get(f"{API}/gaps/?sort=status").json()["results"]]
    assert statuses == ["open", "open", "workaround"]
