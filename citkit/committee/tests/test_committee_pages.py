"""Committee pages: seats, composition check, subcommittees and the service-gap register."""

import csv
import datetime
import io

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
        actor=coordinator,
        program=program_a,
        data={"name": "Training", "charge": "Adapt the curriculum."},
    )
    member = services.subcommittee_member_add(
        actor=coordinator, subcommittee=sub, data={"name": "Sgt. Diaz", "perspective": "officer"}
    )
    gap = services.gap_create(
        actor=coordinator,
        program=program_a,
        data={"title": "No youth mobile crisis", "status": "open"},
        affected=[clinic_a],
    )
    return {"seat": seat, "sub": sub, "member": member, "gap": gap}


def _url(template, records):
    return template.format(**{k: v.pk for k, v in records.items()})


COORD = {Role.COORDINATOR}
PAGES = [
    ("/p/riverbend/committee/", READERS),
    ("/p/riverbend/committee/seats/add/", MANAGERS),
    ("/p/riverbend/committee/seats/{seat}/edit/", MANAGERS),
    ("/p/riverbend/committee/seats/{seat}/end/", MANAGERS),
    ("/p/riverbend/committee/seats/{seat}/delete/", MANAGERS),
    ("/p/riverbend/committee/subcommittees/add/", MANAGERS),
    ("/p/riverbend/committee/subcommittees/{sub}/", READERS),
    ("/p/riverbend/committee/subcommittees/{sub}/edit/", MANAGERS),
    ("/p/riverbend/committee/gaps/", READERS),
    ("/p/riverbend/committee/gaps/?format=csv", READERS),
    ("/p/riverbend/committee/gaps/?status=open&q=youth", READERS),
    ("/p/riverbend/committee/gaps/{gap}/", READERS),
    ("/p/riverbend/committee/gaps/add/", MANAGERS),
    ("/p/riverbend/committee/gaps/{gap}/edit/", MANAGERS),
    ("/p/riverbend/committee/gaps/{gap}/delete/", MANAGERS),
    ("/p/riverbend/committee/gaps/{gap}/history/", COORD),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES)
def test_each_role_gets_the_answer_its_capabilities_give(
    client, members, records, template, allowed
):
    url = _url(template, records)
    for role, user in members.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == (200 if role in allowed else 403), (role, url)


@pytest.mark.parametrize(("template", "allowed"), PAGES)
def test_an_outsider_gets_404_on_every_page(client, outsider, records, template, allowed):
    client.force_login(outsider)
    assert client.get(_url(template, records)).status_code == 404


@pytest.mark.parametrize(("template", "allowed"), PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, records, template, allowed):
    response = client.get(_url(template, records))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def _writes(records, police_a, clinic_a, today):
    seat, sub, member, gap = records["seat"], records["sub"], records["member"], records["gap"]
    base = "/p/riverbend/committee"
    seat_post = {
        "holder_name": "Dr. Okafor",
        "seat_type": "mh_coordinator",
        "agency": clinic_a.pk,
        "start_date": today.isoformat(),
    }
    gap_post = {"title": "No 24-hour receiving facility", "status": "open"}
    return [
        (f"{base}/seats/add/", seat_post),
        (f"{base}/seats/{seat.pk}/edit/", {**seat_post, "holder_name": "Chief Ward"}),
        (f"{base}/seats/{seat.pk}/end/", {"end_date": today.isoformat()}),
        (f"{base}/subcommittees/seed/", {}),
        (f"{base}/subcommittees/add/", {"name": "Youth"}),
        (f"{base}/subcommittees/{sub.pk}/edit/", {"name": "Training", "charge": "New"}),
        (
            f"{base}/subcommittees/{sub.pk}/members/add/",
            {"member-name": "Dr. Lee", "member-perspective": "provider"},
        ),
        (
            f"{base}/subcommittees/{sub.pk}/reports/add/",
            {"report-reported_on": today.isoformat(), "report-title": "T", "report-text": "X"},
        ),
        (f"{base}/subcommittees/{sub.pk}/members/{member.pk}/remove/", {}),
        (f"{base}/gaps/add/", {**gap_post, "affected_agencies": [police_a.pk]}),
        (f"{base}/gaps/{gap.pk}/edit/", gap_post),
        (f"{base}/gaps/{gap.pk}/delete/", {}),
        (f"{base}/seats/{seat.pk}/delete/", {}),
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


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_get_403_on_every_write_and_nothing_changes(
    client, members, records, police_a, clinic_a, today, role
):
    client.force_login(members[role])
    before = _state()
    for url, data in _writes(records, police_a, clinic_a, today):
        assert client.post(url, data).status_code == 403, (role, url)
    assert _state() == before


def test_an_outsider_gets_404_on_every_write_and_nothing_changes(
    client, outsider, records, police_a, clinic_a, today
):
    client.force_login(outsider)
    before = _state()
    for url, data in _writes(records, police_a, clinic_a, today):
        assert client.post(url, data).status_code == 404, url
    assert _state() == before


@pytest.mark.parametrize("role", sorted(MANAGERS))
def test_coordinators_and_committee_members_make_every_change(
    client, members, records, police_a, clinic_a, today, role
):
    client.force_login(members[role])
    audited = AuditEntry.objects.count()
    for url, data in _writes(records, police_a, clinic_a, today):
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content.decode()[:2000])
    assert not Seat.objects.filter(pk=records["seat"].pk).exists()
    assert Seat.objects.get().holder_name == "Dr. Okafor"
    assert set(Subcommittee.objects.values_list("name", flat=True)) == {
        "Systems",
        "Data",
        "Training",
        "Youth",
    }
    training = Subcommittee.objects.get(name="Training")
    assert training.charge == "New"
    assert list(training.members.values_list("name", flat=True)) == ["Dr. Lee"]
    assert training.reports.get().title == "T"
    assert list(ServiceGap.objects.values_list("title", flat=True)) == [
        "No 24-hour receiving facility"
    ]
    assert AuditEntry.objects.count() > audited


# --- Committee home ----------------------------------------------------------------


def test_an_empty_committee_says_everything_it_is_missing(client_for, coordinator):
    page = client_for(coordinator).get("/p/riverbend/committee/").content.decode()
    assert (
        "The committee still needs a law-enforcement seat, a mental-health provider seat, "
        "an advocate seat (lived experience or family) and a chair." in page
    )
    assert page.count("✗") == 4


def test_the_composition_check_follows_the_seats(
    client_for, coordinator, program_a, police_a, clinic_a, today
):
    client = client_for(coordinator)
    for holder, seat_type, agency in [
        ("Chief Ward", "agency_executive", police_a),
        ("Dr. Okafor", "member", clinic_a),
    ]:
        response = client.post(
            "/p/riverbend/committee/seats/add/",
            {
                "holder_name": holder,
                "seat_type": seat_type,
                "agency": agency.pk,
                "start_date": today.isoformat(),
            },
        )
        assert response.status_code == 302
    page = client.get("/p/riverbend/committee/").content.decode()
    assert (
        "The committee still needs an advocate seat (lived experience or family) and a chair."
        in page
    )
    assert "law-enforcement seat" not in page
    for holder, seat_type in [("Rosa Lind", "advocate"), ("Judge Amari", "chair")]:
        services.seat_create(
            actor=coordinator,
            program=program_a,
            data={"holder_name": holder, "seat_type": seat_type, "start_date": today},
        )
    response = client.get("/p/riverbend/committee/")
    page = response.content.decode()
    assert "The committee has the core partners the CIT model asks for" in page
    assert "still needs" not in page
    assert response.context["composition"]["complete"]
    assert page.count("✓") == 4


def test_ended_seats_move_to_the_collapsed_past_seats_section(
    client_for, coordinator, program_a, today
):
    for name, end in [("Current Holder", None), ("Former Holder", today - DAY)]:
        services.seat_create(
            actor=coordinator,
            program=program_a,
            data={
                "holder_name": name,
                "seat_type": "advocate",
                "start_date": today - 90 * DAY,
                "end_date": end,
            },
        )
    response = client_for(coordinator).get("/p/riverbend/committee/")
    page = response.content.decode()
    assert [s.holder_name for s in response.context["current_seats"]] == ["Current Holder"]
    assert [s.holder_name for s in response.context["past_seats"]] == ["Former Holder"]
    past = page.index("<summary>Past seats (1)</summary>")
    assert page.index("Current Holder") < past < page.index("Former Holder")
    assert page[:past].rfind("<details") > page[:past].rfind("</details>")


def test_ending_a_seat_keeps_it_on_record_and_drops_it_from_the_check(
    client_for, coordinator, program_a, today
):
    seat = services.seat_create(
        actor=coordinator,
        program=program_a,
        data={"holder_name": "Rosa Lind", "seat_type": "advocate", "start_date": today - 9 * DAY},
    )
    client = client_for(coordinator)
    response = client.post(
        f"/p/riverbend/committee/seats/{seat.pk}/end/", {"end_date": (today - DAY).isoformat()}
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.end_date == today - DAY
    page = client.get("/p/riverbend/committee/").content.decode()
    assert "an advocate seat (lived experience or family)" in page


def test_the_manager_buttons_show_for_managers_only(client_for, members, records):
    for role in (Role.COORDINATOR, Role.COMMITTEE_MEMBER):
        page = client_for(members[role]).get("/p/riverbend/committee/").content.decode()
        assert "/committee/seats/add/" in page and "/committee/subcommittees/add/" in page
        assert f"/committee/seats/{records['seat'].pk}/edit/" in page
    for role in (Role.AGENCY_ADMIN, Role.TRAINER):
        page = client_for(members[role]).get("/p/riverbend/committee/").content.decode()
        assert "Chief Ward" in page
        assert "/committee/seats/add/" not in page and "/subcommittees/add/" not in page
        assert "/edit/" not in page and "/delete/" not in page


def test_the_seed_button_appears_only_while_there_are_no_subcommittees(
    client_for, coordinator, members, program_a
):
    client = client_for(coordinator)
    label = "Create the Systems, Data and Training subcommittees"
    assert label in client.get("/p/riverbend/committee/").content.decode()
    trainer_page = client_for(members[Role.TRAINER]).get("/p/riverbend/committee/")
    assert label not in trainer_page.content.decode()
    client = client_for(coordinator)
    response = client.post("/p/riverbend/committee/subcommittees/seed/", follow=True)
    page = response.content.decode()
    assert "Created the Systems, Data and Training subcommittees." in page
    assert label not in page
    assert Subcommittee.objects.filter(program=program_a).count() == 3


def test_the_home_page_shows_each_subcommittees_balance_and_overdue_deadline(
    client_for, coordinator, records, today
):
    sub = records["sub"]
    services.subcommittee_update(
        actor=coordinator, subcommittee=sub, data={"deadline": today - DAY}
    )
    response = client_for(coordinator).get("/p/riverbend/committee/")
    row = response.context["subcommittees"][0]
    assert row["overdue"]
    assert row["balance"]["sentence"] == "It still needs a mental-health provider and an advocate."
    page = response.content.decode()
    assert "It still needs a mental-health provider and an advocate." in page
    assert "<mark>overdue</mark>" in page


def test_a_seat_with_attendance_cannot_be_deleted_and_the_page_says_why(
    client_for, coordinator, program_a, records
):
    now = datetime.datetime.now(datetime.UTC)
    meeting = services.meeting_create(
        actor=coordinator,
        program=program_a,
        data={"starts_at": now, "ends_at": now + datetime.timedelta(hours=1)},
    )
    services.attendance_record(
        actor=coordinator, meeting=meeting, statuses={records["seat"].pk: "present"}
    )
    response = client_for(coordinator).post(
        f"/p/riverbend/committee/seats/{records['seat'].pk}/delete/", follow=True
    )
    assert "give it an end date instead" in response.content.decode()
    assert Seat.objects.filter(pk=records["seat"].pk).exists()


# --- Bad input -------------------------------------------------------------------


def _unchanged(client, url, data, fields):
    before = _state()
    response = client.post(url, data)
    assert response.status_code == 400, url
    form = response.context["member_form"] if "members/add" in url else None
    form = form or (response.context["report_form"] if "reports/add" in url else None)
    form = form or response.context["form"]
    assert set(form.errors) >= set(fields), form.errors
    assert _state() == before
    return response


def test_bad_seat_input_is_refused_field_by_field(
    client_for, coordinator, records, agency_b, outsider, today
):
    client = client_for(coordinator)
    _unchanged(
        client,
        "/p/riverbend/committee/seats/add/",
        {"holder_name": "", "seat_type": "emperor", "start_date": "soon"},
        {"holder_name", "seat_type", "start_date"},
    )
    _unchanged(
        client,
        "/p/riverbend/committee/seats/add/",
        {
            "holder_name": "X",
            "seat_type": "member",
            "start_date": today.isoformat(),
            "agency": agency_b.pk,
            "user": outsider.pk,
        },
        {"agency", "user"},
    )
    # The form parses; the service then refuses a seat that ends before it starts.
    _unchanged(
        client,
        "/p/riverbend/committee/seats/add/",
        {
            "holder_name": "X",
            "seat_type": "member",
            "start_date": today.isoformat(),
            "end_date": (today - DAY).isoformat(),
        },
        {"end_date"},
    )
    response = _unchanged(
        client,
        f"/p/riverbend/committee/seats/{records['seat'].pk}/end/",
        {"end_date": (today - 365 * DAY).isoformat()},
        {"end_date"},
    )
    assert "cannot end before it starts" in response.content.decode()


def test_bad_subcommittee_input_is_refused_field_by_field(client_for, coordinator, records):
    client = client_for(coordinator)
    response = _unchanged(
        client, "/p/riverbend/committee/subcommittees/add/", {"name": "Training"}, {"name"}
    )
    assert "already exists" in response.content.decode()
    _unchanged(
        client,
        "/p/riverbend/committee/subcommittees/add/",
        {"name": "", "deadline": "tomorrow"},
        {"name", "deadline"},
    )
    sub = records["sub"]
    response = _unchanged(
        client,
        f"/p/riverbend/committee/subcommittees/{sub.pk}/members/add/",
        {"member-name": "", "member-perspective": "astronaut"},
        {"name", "perspective"},
    )
    assert "Sgt. Diaz" in response.content.decode()  # the detail page, with the form open
    _unchanged(
        client,
        f"/p/riverbend/committee/subcommittees/{sub.pk}/reports/add/",
        {"report-reported_on": "", "report-title": "", "report-text": ""},
        {"reported_on", "title", "text"},
    )


def test_bad_gap_input_is_refused_field_by_field(
    client_for, coordinator, records, agency_b, outsider
):
    client = client_for(coordinator)
    _unchanged(
        client,
        "/p/riverbend/committee/gaps/add/",
        {
            "title": "",
            "status": "forgotten",
            "target_date": "someday",
            "affected_agencies": [agency_b.pk],
            "owner": outsider.pk,
        },
        {"title", "status", "target_date", "affected_agencies", "owner"},
    )
    _unchanged(
        client,
        f"/p/riverbend/committee/gaps/{records['gap'].pk}/edit/",
        {"title": "", "status": "open"},
        {"title"},
    )


# --- Subcommittee detail -------------------------------------------------------------


def test_the_subcommittee_page_shows_charge_balance_members_and_reports(
    client_for, coordinator, records, today, clinic_a
):
    sub = records["sub"]
    services.subcommittee_update(
        actor=coordinator, subcommittee=sub, data={"deadline": today - DAY}
    )
    services.subcommittee_member_add(
        actor=coordinator,
        subcommittee=sub,
        data={"name": "Dr. Lee", "perspective": "provider", "agency": clinic_a},
    )
    for day, title in [(today - 20 * DAY, "Older report"), (today - 2 * DAY, "Newer report")]:
        services.subcommittee_report_add(
            actor=coordinator,
            subcommittee=sub,
            data={"reported_on": day, "title": title, "text": "Findings."},
        )
    page = client_for(coordinator).get(f"/p/riverbend/committee/subcommittees/{sub.pk}/")
    html = page.content.decode()
    assert "Adapt the curriculum." in html
    assert "It still needs an advocate." in html
    assert "<mark>overdue</mark>" in html
    assert "Riverbend Behavioral Health" in html
    assert html.index("Newer report") < html.index("Older report")


def test_a_deadline_still_ahead_is_not_marked_overdue(client_for, coordinator, records, today):
    sub = records["sub"]
    services.subcommittee_update(actor=coordinator, subcommittee=sub, data={"deadline": today})
    page = client_for(coordinator).get(f"/p/riverbend/committee/subcommittees/{sub.pk}/")
    assert "<mark>overdue</mark>" not in page.content.decode()


def test_a_member_of_another_subcommittee_cannot_be_removed_through_this_one(
    client_for, coordinator, program_a, records
):
    other = services.subcommittee_create(
        actor=coordinator, program=program_a, data={"name": "Data"}
    )
    url = f"/p/riverbend/committee/subcommittees/{other.pk}/members/{records['member'].pk}/remove/"
    assert client_for(coordinator).post(url).status_code == 404
    assert SubcommitteeMember.objects.filter(pk=records["member"].pk).exists()


def test_another_programs_records_are_404(client_for, outsider, coordinator, records, program_b):
    sub_b = services.subcommittee_create(actor=outsider, program=program_b, data={"name": "Data"})
    client = client_for(coordinator)
    assert client.get(f"/p/riverbend/committee/subcommittees/{sub_b.pk}/").status_code == 404
    assert client.get(f"/p/lakeshore/committee/gaps/{records['gap'].pk}/").status_code == 404


# --- Service-gap register ----------------------------------------------------------------


def _gap(actor, program, title, **data):
    affected = data.pop("affected", [])
    return services.gap_create(
        actor=actor, program=program, data={"title": title, **data}, affected=affected
    )


def test_the_register_filters_by_status_and_searches(client_for, coordinator, program_a, records):
    _gap(coordinator, program_a, "No 24-hour receiving facility", status="resolved")
    _gap(coordinator, program_a, "No peer respite", status="workaround", workaround="Use the ER")
    client = client_for(coordinator)

    def titles(**params):
        page = client.get("/p/riverbend/committee/gaps/", params).context["page"]
        return [g.title for g in page.items]

    assert titles() == [
        "No youth mobile crisis",
        "No peer respite",
        "No 24-hour receiving facility",
    ]
    assert titles(status="resolved") == ["No 24-hour receiving facility"]
    assert titles(q="the er") == ["No peer respite"]
    assert titles(q="youth", status="resolved") == []
    assert titles(sort="title") == [
        "No 24-hour receiving facility",
        "No peer respite",
        "No youth mobile crisis",
    ]


def test_the_register_marks_overdue_only_open_gaps(client_for, coordinator, program_a, today):
    _gap(coordinator, program_a, "Late and open", target_date=today - DAY)
    _gap(coordinator, program_a, "Late but resolved", target_date=today - DAY, status="resolved")
    _gap(coordinator, program_a, "Due today", target_date=today)
    response = client_for(coordinator).get("/p/riverbend/committee/gaps/")
    rows = response.content.decode().split("<tr>")
    marked = [r for r in rows if "<mark>overdue</mark>" in r]
    assert len(marked) == 1 and "Late and open" in marked[0]


def test_the_register_exports_csv_with_affected_partners(
    client_for, coordinator, program_a, police_a, clinic_a
):
    _gap(
        coordinator,
        program_a,
        "=HYPERLINK(bad)",
        affected=[police_a, clinic_a],
        owner=coordinator,
        workaround="Call the on-call clinician",
    )
    response = client_for(coordinator).get("/p/riverbend/committee/gaps/?format=csv&q=hyper")
    assert response["Content-Disposition"] == 'attachment; filename="service-gaps.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["title", "status", "affected partners", "interim workaround", "owner"]
    assert len(rows) == 2
    title, status, affected, workaround, owner = rows[1][:5]
    assert title == "'=HYPERLINK(bad)"
    assert affected == "Riverbend Behavioral Health; Riverbend Police Department"
    assert (status, workaround, owner) == ("Open", "Call the on-call clinician", "coordinator_a")


def test_the_gap_form_offers_only_this_programs_agencies_and_members(
    client_for, coordinator, members, police_a, agency_b, outsider
):
    form = client_for(coordinator).get("/p/riverbend/committee/gaps/add/").context["form"]
    assert police_a in form.fields["affected_agencies"].queryset
    assert agency_b not in form.fields["affected_agencies"].queryset
    owners = form.fields["owner"].queryset
    assert members[Role.TRAINER] in owners and outsider not in owners


def test_a_gap_is_added_edited_and_its_history_kept(
    client_for, coordinator, members, police_a, clinic_a, today
):
    client = client_for(coordinator)
    response = client.post(
        "/p/riverbend/committee/gaps/add/",
        {
            "title": "No youth mobile crisis",
            "description": "Nobody responds to under-18s at night.",
            "affected_agencies": [police_a.pk, clinic_a.pk],
            "workaround": "Adult team responds with a school counsellor on call.",
            "owner": members[Role.COMMITTEE_MEMBER].pk,
            "target_date": (today + 60 * DAY).isoformat(),
            "status": "workaround",
        },
    )
    gap = ServiceGap.objects.get()
    assert response["Location"] == f"/p/riverbend/committee/gaps/{gap.pk}/"
    assert set(gap.affected_agencies.all()) == {police_a, clinic_a}
    assert gap.owner == members[Role.COMMITTEE_MEMBER]
    response = client.post(
        f"/p/riverbend/committee/gaps/{gap.pk}/edit/",
        {"title": "No youth mobile crisis", "affected_agencies": [clinic_a.pk], "status": "open"},
    )
    assert response.status_code == 302
    gap.refresh_from_db()
    assert list(gap.affected_agencies.all()) == [clinic_a]
    assert gap.owner is None and gap.status == "open"
    detail = client.get(f"/p/riverbend/committee/gaps/{gap.pk}/").content.decode()
    assert f"/committee/gaps/{gap.pk}/history/" in detail
    history = client.get(f"/p/riverbend/committee/gaps/{gap.pk}/history/")
    # created, its partners set, a field changed, its partners changed
    assert len(history.context["entries"]) == 4
    member_view = client_for(members[Role.COMMITTEE_MEMBER]).get(
        f"/p/riverbend/committee/gaps/{gap.pk}/"
    )
    assert "/history/" not in member_view.content.decode()


def test_a_deleted_gaps_history_remains_for_the_coordinator(client_for, coordinator, records):
    gap = records["gap"]
    client = client_for(coordinator)
    assert client.post(f"/p/riverbend/committee/gaps/{gap.pk}/delete/").status_code == 302
    assert not ServiceGap.objects.filter(pk=gap.pk).exists()
    history = client.get(f"/p/riverbend/committee/gaps/{gap.pk}/history/")
    assert "This record has been deleted." in history.content.decode()


# --- Query counts ----------------------------------------------------------------------


def _grow(program, coordinator, n, start=0):
    """n seats, subcommittees with a member, and gaps with an owner and two affected partners."""
    today = program.today()
    for i in range(start, start + n):
        agency = AgencyFactory(program=program, name=f"Grown agency {i:03d}")
        owner = UserFactory(username=f"owner{i:03d}")
        MembershipFactory(program=program, user=owner, role=Role.COMMITTEE_MEMBER)
        services.seat_create(
            actor=coordinator,
            program=program,
            data={
                "holder_name": f"Holder {i}",
                "agency": agency,
                "start_date": today - 10 * DAY,
                "end_date": today - DAY if i % 2 else None,
            },
        )
        sub = services.subcommittee_create(
            actor=coordinator, program=program, data={"name": f"Sub {i:03d}", "deadline": today}
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
            data={"title": f"Gap {i:03d}", "owner": owner, "target_date": today - DAY},
            affected=[agency, *program.agencies.all()[:1]],
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/p/riverbend/committee/",
        "/p/riverbend/committee/gaps/",
        "/p/riverbend/committee/gaps/?format=csv",
        "/p/riverbend/committee/gaps/?sort=target&q=gap",
    ],
)
def test_a_list_costs_the_same_queries_for_1_row_and_for_50(
    client, coordinator, program_a, police_a, url
):
    client.force_login(coordinator)
    _grow(program_a, coordinator, 1)
    _count(client, url)  # warm caches (content types, sessions)
    with_one = _count(client, url)
    _grow(program_a, coordinator, 49, start=1)
    with_fifty = _count(client, url)
    assert with_fifty == with_one, (url, with_one, with_fifty)


def test_the_register_pages_through_every_gap_once(
    client, coordinator, program_a, police_a, settings, today
):
    settings.CITKIT_PAGE_SIZE = 4
    for i in range(10):
        _gap(
            coordinator,
            program_a,
            f"Gap {i}",
            status=["open", "resolved", "workaround"][i % 3],
            target_date=None if i % 4 == 0 else today + i * DAY,
        )
    client.force_login(coordinator)
    for sort in ("status", "target", "title", "updated"):
        seen, url = [], f"/p/riverbend/committee/gaps/?sort={sort}"
        while url:
            page = client.get(url).context["page"]
            seen += [g.title for g in page.items]
            url = (
                f"/p/riverbend/committee/gaps/?sort={sort}&cursor={page.next_cursor}"
                if page.next_cursor
                else None
            )
        assert sorted(seen) == sorted(f"Gap {i}" for i in range(10)), sort
    first = client.get("/p/riverbend/committee/gaps/?sort=target").context["page"].items
    assert first[0].title == "Gap 1"
