"""Action items: the committee's list, "my action items" for every member, owners
changing status and notes, overdue marking, the API, permissions and query counts."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citkit.committee import services
from citkit.committee.models import ActionItem
from citkit.core.models import AuditEntry, Role

pytestmark = pytest.mark.django_db

ALL = set(Role.values)
MANAGERS = {Role.COORDINATOR, Role.COMMITTEE_MEMBER}
READERS = MANAGERS | {Role.AGENCY_ADMIN, Role.TRAINER}
COORD = {Role.COORDINATOR}


def _item(program, owner, title, *, days=7, **data):
    return services.action_item_create(
        actor=None,
        program=program,
        data={
            "title": title,
            "owner": owner,
            "due_date": program.today() + datetime.timedelta(days=days),
            **data,
        },
    )


@pytest.fixture
def items(program_a, members):
    """One item per owner: the coordinator's, the agency administrator's, the officer's
    (overdue) and the trainer's."""
    return {
        "coordinator": _item(program_a, members[Role.COORDINATOR], "Draft the MOU"),
        "agency_admin": _item(program_a, members[Role.AGENCY_ADMIN], "Send the roster"),
        "officer": _item(program_a, members[Role.OFFICER], "Volunteer for class", days=-3),
        "trainer": _item(program_a, members[Role.TRAINER], "Find speakers"),
    }


def _visible_titles(response):
    return {i.title for i in response.context["page"].items}


# (url, roles answered 200, roles answered 404; every other member gets 403)
def _pages(items):
    coord, admin, officer = items["coordinator"], items["agency_admin"], items["officer"]
    not_readers = ALL - READERS
    return [
        ("/p/riverbend/committee/actions/", ALL, set()),
        ("/p/riverbend/committee/actions/?format=csv", ALL, set()),
        ("/p/riverbend/committee/actions/mine/", ALL, set()),
        ("/p/riverbend/committee/actions/add/", MANAGERS, set()),
        (f"/p/riverbend/committee/actions/{coord.pk}/", READERS, not_readers),
        (
            f"/p/riverbend/committee/actions/{officer.pk}/",
            READERS | {Role.OFFICER},
            not_readers - {Role.OFFICER},
        ),
        (f"/p/riverbend/committee/actions/{coord.pk}/edit/", MANAGERS, not_readers),
        (
            f"/p/riverbend/committee/actions/{admin.pk}/edit/",
            MANAGERS | {Role.AGENCY_ADMIN},
            not_readers,
        ),
        (
            f"/p/riverbend/committee/actions/{officer.pk}/edit/",
            MANAGERS | {Role.OFFICER},
            not_readers - {Role.OFFICER},
        ),
        (f"/p/riverbend/committee/actions/{coord.pk}/delete/", MANAGERS, not_readers),
        (f"/p/riverbend/committee/actions/{coord.pk}/history/", COORD, set()),
    ]


def test_each_role_gets_the_answer_its_capabilities_give(client, members, items):
    for url, allowed, hidden in _pages(items):
        for role, user in members.items():
            client.force_login(user)
            expected = 200 if role in allowed else 404 if role in hidden else 403
            assert client.get(url).status_code == expected, (role, url)


def test_an_outsider_gets_404_on_every_page_and_endpoint(client, outsider, items, api_for):
    client.force_login(outsider)
    for url, _, _ in _pages(items):
        assert client.get(url).status_code == 404, url
    api = api_for(outsider)
    for url in (
        "/api/programs/riverbend/committee/actions/",
        "/api/programs/riverbend/committee/actions/mine/",
        f"/api/programs/riverbend/committee/actions/{items['coordinator'].pk}/",
    ):
        assert api.get(url).status_code == 404, url
    url = f"/api/programs/riverbend/committee/actions/{items['coordinator'].pk}/"
    assert api.patch(url, {"status": "done"}, format="json").status_code == 404
    url = f"/p/riverbend/committee/actions/{items['coordinator'].pk}/status/"
    assert client.post(url, {"status": "done"}).status_code == 404
    assert ActionItem.objects.get(pk=items["coordinator"].pk).status == "open"


def test_an_anonymous_visitor_is_sent_to_sign_in(client, items):
    for url, _, _ in _pages(items):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


# --- Who sees which items ------------------------------------------------------


def test_committee_readers_see_every_item_in_the_list(client_for, members, items):
    for role in READERS:
        response = client_for(members[role]).get("/p/riverbend/committee/actions/")
        assert _visible_titles(response) == {i.title for i in items.values()}, role


def test_an_officer_sees_only_their_own_items_in_the_list_and_in_mine(client_for, members, items):
    client = client_for(members[Role.OFFICER])
    for url in ("/p/riverbend/committee/actions/", "/p/riverbend/committee/actions/mine/"):
        assert _visible_titles(client.get(url)) == {"Volunteer for class"}, url
    assert (
        "Draft the MOU"
        not in client.get("/p/riverbend/committee/actions/?format=csv").getvalue().decode()
    )


def test_a_dispatcher_without_items_sees_an_empty_list(client_for, members, items):
    client = client_for(members[Role.DISPATCHER])
    assert _visible_titles(client.get("/p/riverbend/committee/actions/")) == set()
    response = client.get("/p/riverbend/committee/actions/mine/")
    assert "You have no action items" in response.content.decode()


def test_my_items_are_my_own_even_for_the_coordinator(client_for, members, items):
    response = client_for(members[Role.COORDINATOR]).get("/p/riverbend/committee/actions/mine/")
    assert _visible_titles(response) == {"Draft the MOU"}


def test_my_items_list_open_ones_first(client_for, program_a, members):
    analyst = members[Role.ANALYST]
    done = _item(program_a, analyst, "Early but done", days=-10, status="done")
    later = _item(program_a, analyst, "Later", days=20)
    sooner = _item(program_a, analyst, "Sooner", days=2, status="in_progress")
    response = client_for(analyst).get("/p/riverbend/committee/actions/mine/")
    assert [i.pk for i in response.context["page"].items] == [sooner.pk, later.pk, done.pk]


# --- Overdue -----------------------------------------------------------------------


def test_an_overdue_item_is_marked_with_words_not_colour_only(client_for, members, items):
    client = client_for(members[Role.COORDINATOR])
    for url in (
        "/p/riverbend/committee/actions/",
        f"/p/riverbend/committee/actions/{items['officer'].pk}/",
    ):
        html = client.get(url).content.decode()
        assert '<span class="badge badge-overdue">Overdue</span>' in html, url
    html = client.get("/p/riverbend/committee/actions/").content.decode()
    assert html.count('<span class="badge badge-overdue">Overdue</span>') == 1
    officer_html = client_for(members[Role.OFFICER]).get("/p/riverbend/committee/actions/mine/")
    assert "Overdue" in officer_html.content.decode()


def test_an_item_done_late_is_not_overdue(client_for, program_a, members):
    _item(program_a, members[Role.COORDINATOR], "Finished late", days=-5, status="done")
    html = client_for(members[Role.COORDINATOR]).get("/p/riverbend/committee/actions/").content
    assert b"Overdue</mark>" not in html


def test_the_list_filters_by_overdue_status_owner_and_title(client_for, members, items):
    client = client_for(members[Role.COORDINATOR])

    def titles(**params):
        return _visible_titles(client.get("/p/riverbend/committee/actions/", params))

    assert titles(overdue="true") == {"Volunteer for class"}
    assert "Volunteer for class" not in titles(overdue="false")
    assert titles(owner=members[Role.TRAINER].username) == {"Find speakers"}
    assert titles(q="mou") == {"Draft the MOU"}
    services.action_item_update(actor=None, item=items["trainer"], data={"status": "done"})
    assert titles(status="done") == {"Find speakers"}


def test_the_list_sorts_by_due_date(client_for, members, items):
    client = client_for(members[Role.COORDINATOR])
    due = [i.due_date for i in client.get("/p/riverbend/committee/actions/").context["page"].items]
    assert due == sorted(due)
    latest = client.get("/p/riverbend/committee/actions/", {"sort": "-due"}).context["page"]
    assert latest.items[0].title != "Volunteer for class"
    assert latest.items[-1].title == "Volunteer for class"


def test_the_csv_export_lists_items_with_their_overdue_flag(client_for, members, items):
    response = client_for(members[Role.COORDINATOR]).get(
        "/p/riverbend/committee/actions/?format=csv"
    )
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    by_title = {r["title"]: r for r in rows}
    assert set(by_title) == {i.title for i in items.values()}
    assert by_title["Volunteer for class"]["overdue"] == "yes"
    assert by_title["Draft the MOU"]["overdue"] == "no"


# --- Creating, editing, deleting ----------------------------------------------------


def test_a_committee_member_adds_an_item_for_any_member(client_for, members, program_a):
    due = program_a.today() + datetime.timedelta(days=14)
    response = client_for(members[Role.COMMITTEE_MEMBER]).post(
        "/p/riverbend/committee/actions/add/",
        {
            "title": "Ask the hospital about a single point of entry",
            "owner": members[Role.DISPATCHER].pk,
            "due_date": due.isoformat(),
            "status": "open",
        },
    )
    item = ActionItem.objects.get(title__startswith="Ask the hospital")
    assert response.status_code == 302
    assert response["Location"] == f"/p/riverbend/committee/actions/{item.pk}/"
    assert item.owner == members[Role.DISPATCHER]
    assert item.due_date == due
    assert AuditEntry.objects.filter(action="create", object_id=str(item.pk)).exists()


def test_the_owner_must_be_a_member_of_the_program(client_for, members, outsider, program_a):
    response = client_for(members[Role.COORDINATOR]).post(
        "/p/riverbend/committee/actions/add/",
        {"title": "X", "owner": outsider.pk, "due_date": "2030-01-01", "status": "open"},
    )
    assert response.status_code == 400
    assert "owner" in response.context["form"].errors
    assert not ActionItem.objects.exists()


def test_bad_fields_are_named_on_the_add_page(client_for, members, items):
    response = client_for(members[Role.COORDINATOR]).post(
        "/p/riverbend/committee/actions/add/", {"title": "", "due_date": "soon", "status": "x"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"title", "owner", "due_date", "status"}


def test_managers_edit_every_field(client_for, members, items):
    item = items["officer"]
    response = client_for(members[Role.COMMITTEE_MEMBER]).post(
        f"/p/riverbend/committee/actions/{item.pk}/edit/",
        {
            "title": "Volunteer for the spring class",
            "owner": members[Role.TRAINER].pk,
            "due_date": "2031-05-01",
            "status": "in_progress",
            "notes": "Asked the sergeant",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.owner, item.status) == (
        "Volunteer for the spring class",
        members[Role.TRAINER],
        "in_progress",
    )


def test_an_owner_sees_only_status_and_notes_on_the_edit_page(client_for, members, items):
    response = client_for(members[Role.AGENCY_ADMIN]).get(
        f"/p/riverbend/committee/actions/{items['agency_admin'].pk}/edit/"
    )
    assert set(response.context["form"].fields) == {"status", "notes"}
    assert 'name="title"' not in response.content.decode()


def test_an_agency_administrator_updates_the_status_and_notes_of_their_item(
    client_for, members, items
):
    item = items["agency_admin"]
    response = client_for(members[Role.AGENCY_ADMIN]).post(
        f"/p/riverbend/committee/actions/{item.pk}/edit/",
        {
            "status": "done",
            "notes": "Sent on Monday",
            "title": "Hijacked",
            "due_date": "2040-01-01",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.notes, item.title) == ("done", "Sent on Monday", "Send the roster")
    assert item.completed_at is not None
    entry = AuditEntry.objects.filter(object_id=str(item.pk), action="update").get()
    assert entry.after["status"] == "done"


def test_a_reader_cannot_change_an_item_they_do_not_own(client_for, members, items):
    client = client_for(members[Role.AGENCY_ADMIN])
    item = items["trainer"]
    before = AuditEntry.objects.count()
    assert (
        client.post(
            f"/p/riverbend/committee/actions/{item.pk}/edit/", {"status": "done"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/p/riverbend/committee/actions/{item.pk}/status/", {"status": "done"}
        ).status_code
        == 403
    )
    item.refresh_from_db()
    assert item.status == "open"
    assert AuditEntry.objects.count() == before


def test_an_officer_gets_404_on_another_members_item(client_for, members, items):
    client = client_for(members[Role.OFFICER])
    for item in (items["coordinator"], items["agency_admin"]):
        assert client.get(f"/p/riverbend/committee/actions/{item.pk}/").status_code == 404
        url = f"/p/riverbend/committee/actions/{item.pk}/status/"
        assert client.post(url, {"status": "done"}).status_code == 404
        item.refresh_from_db()
        assert item.status == "open"


def test_the_owner_marks_an_item_done_with_one_click(client_for, members, items):
    item = items["officer"]
    client = client_for(members[Role.OFFICER])
    response = client.post(
        f"/p/riverbend/committee/actions/{item.pk}/status/",
        {
            "status": "in_progress",
            "next": "/p/riverbend/committee/actions/mine/?status=in_progress",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/p/riverbend/committee/actions/mine/?status=in_progress"
    item.refresh_from_db()
    assert item.status == "in_progress"
    response = client.post(
        f"/p/riverbend/committee/actions/{item.pk}/status/",
        {"status": "done"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article id="action-{item.pk}"')
    assert "Done" in html and "Overdue" not in html
    item.refresh_from_db()
    assert item.status == "done"


def test_the_one_click_change_refuses_a_bad_status_and_a_foreign_next(client_for, members, items):
    item = items["officer"]
    client = client_for(members[Role.OFFICER])
    url = f"/p/riverbend/committee/actions/{item.pk}/status/"
    response = client.post(url, {"status": "exploded"})
    assert response["Location"] == "/p/riverbend/committee/actions/mine/"
    item.refresh_from_db()
    assert item.status == "open"
    response = client.post(url, {"status": "done", "next": "https://evil.example/"})
    assert response["Location"] == "/p/riverbend/committee/actions/mine/"


def test_the_detail_page_links_the_meeting_for_readers_only(client_for, members, program_a):
    import zoneinfo

    start = datetime.datetime(2026, 3, 4, 18, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    meeting = services.meeting_create(
        actor=None,
        program=program_a,
        data={"starts_at": start, "ends_at": start + datetime.timedelta(hours=1)},
    )
    decision = services.decision_record(
        actor=None, meeting=meeting, data={"text": "Adopt the MOU template"}
    )
    item = _item(
        program_a, members[Role.OFFICER], "Read the template", meeting=meeting, decision=decision
    )
    officer_page = client_for(members[Role.OFFICER]).get(
        f"/p/riverbend/committee/actions/{item.pk}/"
    )
    html = officer_page.content.decode()
    assert "Adopt the MOU template" in html
    assert "Steering Committee meeting" in html
    assert f"/meetings/{meeting.pk}/" not in html


def test_only_managers_delete_an_item(client_for, members, items):
    item = items["trainer"]
    url = f"/p/riverbend/committee/actions/{item.pk}/delete/"
    assert client_for(members[Role.TRAINER]).post(url).status_code == 403
    assert ActionItem.objects.filter(pk=item.pk).exists()
    response = client_for(members[Role.COMMITTEE_MEMBER]).post(url)
    assert response["Location"] == "/p/riverbend/committee/actions/"
    assert not ActionItem.objects.filter(pk=item.pk).exists()
    history = client_for(members[Role.COORDINATOR]).get(f"{url[:-7]}history/")
    assert "This record has been deleted" in history.content.decode()


def test_read_only_roles_get_403_on_writes_and_nothing_changes(client, members, items):
    writes = [
        ("/p/riverbend/committee/actions/add/", {"title": "X", "due_date": "2030-01-01"}),
        (f"/p/riverbend/committee/actions/{items['coordinator'].pk}/edit/", {"status": "done"}),
        (f"/p/riverbend/committee/actions/{items['coordinator'].pk}/delete/", {}),
    ]
    for role in ALL - MANAGERS:
        client.force_login(members[role])
        before = (ActionItem.objects.count(), AuditEntry.objects.count())
        for url, data in writes:
            assert client.post(url, data).status_code in (403, 404), (role, url)
        assert (ActionItem.objects.count(), AuditEntry.objects.count()) == before, role


# --- API -----------------------------------------------------------------------------

API = "/api/programs/riverbend/committee/actions/"


def test_the_api_lists_what_the_pages_list(api_for, members, items):
    for role, user in members.items():
        response = api_for(user).get(API)
        assert response.status_code == 200, role
        titles = {r["title"] for r in response.json()["results"]}
        if role in READERS:
            assert titles == {i.title for i in items.values()}, role
        else:
            owned = {i.title for i in items.values() if i.owner == user}
            assert titles == owned, role


def test_the_api_uses_the_same_filters_and_flags_overdue(api_for, members, items):
    api = api_for(members[Role.COORDINATOR])
    rows = api.get(API, {"overdue": "true"}).json()["results"]
    assert [(r["title"], r["overdue"]) for r in rows] == [("Volunteer for class", True)]
    rows = api.get(API, {"owner": members[Role.TRAINER].username}).json()["results"]
    assert [r["title"] for r in rows] == ["Find speakers"]
    assert api.get(API, {"sort": "nonsense"}).status_code == 400


def test_mine_in_the_api_lists_my_own_items(api_for, members, items):
    for user in members.values():
        rows = api_for(user).get(f"{API}mine/").json()["results"]
        assert {r["title"] for r in rows} == {i.title for i in items.values() if i.owner == user}


def test_the_api_refuses_an_owner_from_another_program(api_for, members, outsider, items):
    response = api_for(members[Role.COORDINATOR]).post(
        API, {"title": "X", "owner": outsider.username, "due_date": "2030-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "owner" in response.json()


def test_an_owner_patches_status_and_notes_but_not_other_fields(api_for, members, items):
    item = items["agency_admin"]
    api = api_for(members[Role.AGENCY_ADMIN])
    url = f"{API}{item.pk}/"
    response = api.patch(url, {"status": "in_progress", "notes": "Half done"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_progress"
    before = AuditEntry.objects.count()
    for data in (
        {"title": "Renamed"},
        {"due_date": "2040-01-01"},
        {"status": "done", "title": "X"},
    ):
        assert api.patch(url, data, format="json").status_code == 403, data
    item.refresh_from_db()
    assert (item.title, item.status, item.notes) == ("Send the roster", "in_progress", "Half done")
    assert AuditEntry.objects.count() == before


def test_the_api_refuses_changes_by_members_who_do_not_own_the_item(api_for, members, items):
    url = f"{API}{items['coordinator'].pk}/"
    for role in (Role.AGENCY_ADMIN, Role.TRAINER):
        assert (
            api_for(members[role]).patch(url, {"status": "done"}, format="json").status_code == 403
        )
        assert api_for(members[role]).delete(url).status_code == 403
    for role in (Role.OFFICER, Role.DISPATCHER, Role.ANALYST, Role.STATE_COORDINATOR):
        assert api_for(members[role]).get(url).status_code == 404
        assert (
            api_for(members[role]).patch(url, {"status": "done"}, format="json").status_code == 404
        )
    items["coordinator"].refresh_from_db()
    assert items["coordinator"].status == "open"


def test_only_managers_create_and_delete_through_the_api(api_for, members, items):
    data = {"title": "X", "owner": members[Role.TRAINER].username, "due_date": "2030-01-01"}
    for role in ALL - MANAGERS:
        assert api_for(members[role]).post(API, data, format="json").status_code == 403, role
    url = f"{API}{items['trainer'].pk}/"
    assert api_for(members[Role.COMMITTEE_MEMBER]).delete(url).status_code == 204
    assert not ActionItem.objects.filter(pk=items["trainer"].pk).exists()


def test_what_an_item_concerns_is_not_changed_by_an_update(api_for, members, items):
    url = f"{API}{items['coordinator'].pk}/"
    response = api_for(members[Role.COORDINATOR]).patch(url, {"concerns_task": None}, format="json")
    assert response.status_code == 400
    assert "concerns_task" in response.json()


# --- Query counts --------------------------------------------------------------------


def _grow(program, users, n, start=0):
    """n items spread over a few owners, some overdue, some done."""
    for i in range(start, start + n):
        status = "done" if i % 3 == 0 else "open"
        _item(
            program, users[i % len(users)], f"Grown item {i:03d}", days=(i % 5) - 2, status=status
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
        "/p/riverbend/committee/actions/",
        "/p/riverbend/committee/actions/?format=csv",
        "/p/riverbend/committee/actions/?overdue=true&sort=open",
        "/p/riverbend/committee/actions/mine/",
        "/api/programs/riverbend/committee/actions/",
        "/api/programs/riverbend/committee/actions/mine/",
    ],
)
def test_a_list_costs_the_same_queries_for_1_row_and_for_50(
    client, api_for, members, program_a, url
):
    user = members[Role.COORDINATOR]
    owners = [user, members[Role.TRAINER], members[Role.OFFICER]]
    if url.startswith("/api/"):
        client = api_for(user)
    else:
        client.force_login(user)
    _grow(program_a, [user], 1)
    _count(client, url)  # warm caches (content types, sessions)
    with_one = _count(client, url)
    _grow(program_a, owners, 49, start=1)
    with_fifty = _count(client, url)
    assert with_fifty == with_one, (url, with_one, with_fifty)


def test_the_owner_filter_does_not_list_other_members_to_an_officer(client_for, members, items):
    officer = client_for(members[Role.OFFICER]).get("/p/riverbend/committee/actions/")
    owners = list(officer.context["filterset"].form.fields["owner"].queryset)
    assert owners == [members[Role.OFFICER]]
    reader = client_for(members[Role.TRAINER]).get("/p/riverbend/committee/actions/")
    assert set(reader.context["filterset"].form.fields["owner"].queryset) == set(members.values())


def test_my_items_offer_no_owner_filter(client_for, members, items):
    response = client_for(members[Role.TRAINER]).get("/p/riverbend/committee/actions/mine/")
    assert set(response.context["filterset"].form.fields) == {"q", "status", "overdue"}


def test_an_htmx_search_returns_only_the_rows(client_for, members, items):
    response = client_for(members[Role.COORDINATOR]).get(
        "/p/riverbend/committee/actions/", {"q": "speakers"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<h1>" not in html
    assert "Find speakers" in html and "Draft the MOU" not in html


def test_an_owner_with_a_nul_byte_is_refused_as_no_such_member(api_for, members):
    response = api_for(members[Role.COORDINATOR]).post(
        API, {"title": "X", "owner": "coord\x00inator", "due_date": "2030-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "owner" in response.json()
    assert not ActionItem.objects.filter(title="X").exists()


@pytest.fixture
def gaps_may_be_concerned():
    """A kind registered the way another app registers its own records."""
    from citkit.committee.concerns import ConcernKind, register_concern, unregister_concern
    from citkit.committee.models import ServiceGap

    register_concern(ConcernKind(key="gap", model=ServiceGap, label="Concerns service gap"))
    yield
    unregister_concern("gap")


def test_any_registered_kind_of_record_can_be_concerned_through_page_and_api(
    gaps_may_be_concerned, client_for, api_for, members, program_a
):
    gap = services.gap_create(actor=None, program=program_a, data={"title": "No respite"})
    coordinator = members[Role.COORDINATOR]
    page = client_for(coordinator).get(f"/p/riverbend/committee/actions/add/?gap={gap.pk}")
    assert page.context["form"]["concerns_gap"].value() == gap.pk
    response = api_for(coordinator).post(
        API,
        {
            "title": "Ask the county",
            "owner": members[Role.TRAINER].username,
            "due_date": "2030-01-01",
            "concerns_gap": gap.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["concerns_type"] == "committee.servicegap"
    assert ActionItem.objects.get(title="Ask the county").concerns == gap


def test_a_concerned_record_the_user_cannot_see_is_refused(
    gaps_may_be_concerned, api_for, members, program_b
):
    hidden = services.gap_create(actor=None, program=program_b, data={"title": "Elsewhere"})
    response = api_for(members[Role.COORDINATOR]).post(
        API,
        {
            "title": "X",
            "owner": members[Role.TRAINER].username,
            "due_date": "2030-01-01",
            "concerns_gap": hidden.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "concerns_gap" in response.json()
