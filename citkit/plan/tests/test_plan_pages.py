"""The plan pages: the roadmap by phase with measured progress and disagreement,
changing tasks and their order, dependencies, attachments, permissions, query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citkit.committee import services as committee
from citkit.core.models import AuditEntry, Role
from citkit.plan import services
from citkit.plan.models import Phase, Task, TaskAttachment
from citkit.testing.queries import count_queries

pytestmark = pytest.mark.django_db

ALL = set(Role.values)
MANAGERS = {Role.COORDINATOR, Role.COMMITTEE_MEMBER}
READERS = MANAGERS | {Role.AGENCY_ADMIN, Role.TRAINER}


@pytest.fixture
def plan(program_a):
    services.plan_seed(actor=None, program=program_a)
    return {t.key: t for t in Task.objects.filter(program=program_a)}


@pytest.fixture
def attachment(plan):
    return services.attachment_add(
        actor=None,
        task=plan["develop-memorandum"],
        filename="mou-draft.txt",
        content=b"Draft MOU between the city and the clinic",
        content_type="text/plain",
    )


def _pages(plan, attachment):
    task = plan["develop-memorandum"]
    return [
        ("/p/riverbend/plan/", READERS),
        (f"/p/riverbend/plan/tasks/{task.pk}/", READERS),
        (f"/p/riverbend/plan/tasks/{task.pk}/attachments/{attachment.pk}/", READERS),
        ("/p/riverbend/plan/tasks/add/", MANAGERS),
        (f"/p/riverbend/plan/tasks/{task.pk}/edit/", MANAGERS),
        (f"/p/riverbend/plan/tasks/{task.pk}/history/", {Role.COORDINATOR}),
    ]


def test_each_role_gets_the_answer_its_capabilities_give(client, members, plan, attachment):
    for url, allowed in _pages(plan, attachment):
        for role, user in members.items():
            client.force_login(user)
            expected = 200 if role in allowed else 403
            assert client.get(url).status_code == expected, (role, url)


def test_an_outsider_gets_404_on_every_page_and_write(client, outsider, plan, attachment):
    client.force_login(outsider)
    for url, _ in _pages(plan, attachment):
        assert client.get(url).status_code == 404, url
    task = plan["develop-memorandum"]
    before = AuditEntry.objects.count()
    for url, data in _writes(task):
        assert client.post(url, data).status_code == 404, url
    assert AuditEntry.objects.count() == before


def test_an_anonymous_visitor_is_sent_to_sign_in(client, plan, attachment):
    for url, _ in _pages(plan, attachment):
        assert client.get(url)["Location"].startswith("/accounts/login/")


def _writes(task):
    return [
        ("/p/riverbend/plan/seed/", {}),
        ("/p/riverbend/plan/tasks/add/", {"phase": task.phase_id, "title": "X"}),
        (f"/p/riverbend/plan/tasks/{task.pk}/edit/", {"phase": task.phase_id, "title": "X"}),
        (f"/p/riverbend/plan/tasks/{task.pk}/move/", {"direction": "down"}),
        (f"/p/riverbend/plan/tasks/{task.pk}/retire/", {"retired": "1"}),
        (
            f"/p/riverbend/plan/tasks/{task.pk}/attachments/add/",
            {"file": SimpleUploadedFile("a.txt", b"hello")},
        ),
    ]


def test_read_only_roles_get_403_on_writes_and_nothing_changes(client, members, plan):
    task = plan["develop-memorandum"]
    for role in ALL - MANAGERS:
        client.force_login(members[role])
        before = (
            list(Task.objects.values_list("pk", "title", "order", "retired", "status")),
            AuditEntry.objects.count(),
            TaskAttachment.objects.count(),
        )
        for url, data in _writes(task):
            assert client.post(url, data).status_code == 403, (role, url)
        after = (
            list(Task.objects.values_list("pk", "title", "order", "retired", "status")),
            AuditEntry.objects.count(),
            TaskAttachment.objects.count(),
        )
        assert after == before, role


# --- Starting the plan ------------------------------------------------------------------


def test_without_a_plan_managers_are_offered_the_cit_roadmap(client_for, members):
    html = client_for(members[Role.COMMITTEE_MEMBER]).get("/p/riverbend/plan/").content.decode()
    assert "Start from the CIT roadmap" in html
    html = client_for(members[Role.TRAINER]).get("/p/riverbend/plan/").content.decode()
    assert "Start from the CIT roadmap" not in html
    assert "has not started the implementation plan yet" in html


def test_starting_from_the_roadmap_gives_the_five_phases(client_for, members, program_a):
    response = client_for(members[Role.COORDINATOR]).post("/p/riverbend/plan/seed/", follow=True)
    assert response.redirect_chain[-1][0] == "/p/riverbend/plan/"
    html = response.content.decode()
    for name in (
        "Lay the foundation",
        "Commit",
        "Make a plan",
        "Implement",
        "Sustain &amp; expand",
    ):
        assert name in html
    assert "Attend a train-the-trainer" in html
    assert Phase.objects.filter(program=program_a).count() == 5


def test_adding_a_task_without_a_plan_sends_you_to_start_it(client_for, members):
    response = client_for(members[Role.COORDINATOR]).get("/p/riverbend/plan/tasks/add/")
    assert response["Location"] == "/p/riverbend/plan/"


# --- What the plan shows -------------------------------------------------------------------


def test_each_phase_shows_its_percent_complete(client_for, members, plan):
    for key in ("learn-model", "contact-program", "review-core-elements"):
        services.task_update(actor=None, task=plan[key], data={"status": "done"})
    response = client_for(members[Role.TRAINER]).get("/p/riverbend/plan/")
    html = response.content.decode()
    # 3 of the 7 foundation steps.
    assert "43% complete: 3 of 7 tasks done." in html
    assert (
        '<progress value="43" max="100" aria-label="Lay the foundation, percent complete">' in html
    )


def test_a_task_shows_its_measured_progress_with_a_progress_bar(
    client_for, members, plan, program_a, police_a
):
    committee.seat_create(
        actor=None,
        program=program_a,
        data={
            "holder_name": "Chief Ward",
            "agency": police_a,
            "start_date": datetime.date(2026, 1, 1),
        },
    )
    html = client_for(members[Role.AGENCY_ADMIN]).get("/p/riverbend/plan/").content.decode()
    assert "1 of 3 core partners seated" in html
    task = plan["formalize-committee"]
    assert f'<progress value="1" max="3" aria-label="Measured progress of {task.title}">' in html


def test_a_task_marked_done_that_the_records_contradict_is_flagged(client_for, members, plan):
    services.task_update(actor=None, task=plan["formalize-committee"], data={"status": "done"})
    html = client_for(members[Role.COORDINATOR]).get("/p/riverbend/plan/").content.decode()
    assert "⚠ Status and records disagree</span>" in html
    assert "Marked done, but the records say 0 of 3 core partners seated" in html
    assert "1 task</strong> where the typed status and the records disagree" in html
    detail = client_for(members[Role.COORDINATOR]).get(
        f"/p/riverbend/plan/tasks/{plan['formalize-committee'].pk}/"
    )
    assert "Marked done, but the records say" in detail.content.decode()


def test_an_open_dependency_is_shown_as_waits_on(client_for, members, plan):
    html = client_for(members[Role.COORDINATOR]).get("/p/riverbend/plan/").content.decode()
    row = html[html.index(f'id="task-{plan["hold-training"].pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Waits on:" in row
    assert "Adapt the curriculum" in row


def test_an_overdue_task_is_marked_with_words(client_for, members, plan, program_a):
    yesterday = program_a.today() - datetime.timedelta(days=1)
    services.task_update(actor=None, task=plan["seek-funding"], data={"due_date": yesterday})
    services.task_update(
        actor=None, task=plan["learn-model"], data={"due_date": yesterday, "status": "done"}
    )
    html = client_for(members[Role.COORDINATOR]).get("/p/riverbend/plan/").content.decode()
    assert html.count('<span class="badge badge-overdue">Overdue</span>') == 1
    row = html[html.index(f'id="task-{plan["seek-funding"].pk}"') :]
    assert "Overdue" in row[: row.index("</tr>")]


def test_retired_tasks_are_behind_a_show_retired_toggle(client_for, members, plan):
    client = client_for(members[Role.COORDINATOR])
    response = client.post(
        f"/p/riverbend/plan/tasks/{plan['plan-media'].pk}/retire/", {"retired": "1"}
    )
    assert response["Location"] == f"/p/riverbend/plan/#task-{plan['plan-media'].pk}"
    client.get("/p/riverbend/plan/")  # shows the message "… retired"
    html = client.get("/p/riverbend/plan/").content.decode()
    details = html[html.index("<summary>Show retired tasks (1)</summary>") :]
    details = details[: details.index("</details>")]
    assert "Plan for media attention" in details
    before_details = html[: html.index("<summary>Show retired tasks (1)</summary>")]
    assert before_details.count("Plan for media attention") == 0
    client.post(f"/p/riverbend/plan/tasks/{plan['plan-media'].pk}/retire/", {"retired": "0"})
    assert not Task.objects.get(pk=plan["plan-media"].pk).retired
    assert "Show retired tasks" not in client.get("/p/riverbend/plan/").content.decode()


def test_managers_move_a_task_up_and_down(client_for, members, plan, program_a):
    client = client_for(members[Role.COMMITTEE_MEMBER])

    def implement():
        return list(
            Task.objects.filter(program=program_a, phase__key="implement")
            .order_by("order")
            .values_list("key", flat=True)
        )

    client.post(f"/p/riverbend/plan/tasks/{plan['develop-policies'].pk}/move/", {"direction": "up"})
    assert implement()[:2] == ["develop-policies", "develop-memorandum"]
    client.post(
        f"/p/riverbend/plan/tasks/{plan['develop-policies'].pk}/move/", {"direction": "down"}
    )
    assert implement()[:2] == ["develop-memorandum", "develop-policies"]
    response = client.post(
        f"/p/riverbend/plan/tasks/{plan['develop-policies'].pk}/move/",
        {"direction": "sideways"},
        follow=True,
    )
    assert "Use up or down." in response.content.decode()


def test_managers_see_the_controls_and_readers_do_not(client_for, members, plan):
    manager = client_for(members[Role.COORDINATOR]).get("/p/riverbend/plan/").content.decode()
    assert "Move up" in manager and "Retire" in manager and "Add a task to" in manager
    reader = client_for(members[Role.TRAINER]).get("/p/riverbend/plan/").content.decode()
    assert "Move up" not in reader and "Retire" not in reader and "Add a task to" not in reader


# --- Adding and editing tasks --------------------------------------------------------------


def test_a_manager_adds_a_task_to_a_phase(client_for, members, plan, program_a):
    implement = Phase.objects.get(program=program_a, key="implement")
    client = client_for(members[Role.COORDINATOR])
    form = client.get(f"/p/riverbend/plan/tasks/add/?phase={implement.pk}").context["form"]
    assert form["phase"].value() == implement.pk
    response = client.post(
        "/p/riverbend/plan/tasks/add/",
        {
            "phase": implement.pk,
            "title": "Train dispatchers (8 hours)",
            "status": "not_started",
            "owner": members[Role.TRAINER].pk,
            "measure": "partners_engaged",
            "depends_on": [plan["adapt-curriculum"].pk],
        },
    )
    task = Task.objects.get(title="Train dispatchers (8 hours)")
    assert response["Location"] == f"/p/riverbend/plan/tasks/{task.pk}/"
    assert task.order == 9
    assert task.owner == members[Role.TRAINER]
    assert task.measure == "partners_engaged"
    assert list(task.depends_on.all()) == [plan["adapt-curriculum"]]


def test_the_edit_form_offers_the_measures_and_the_other_tasks(client_for, members, plan):
    task = plan["hold-training"]
    form = (
        client_for(members[Role.COORDINATOR])
        .get(f"/p/riverbend/plan/tasks/{task.pk}/edit/")
        .context["form"]
    )
    assert ("committee_core_partners", "Steering committee has its core partners") in list(
        form.fields["measure"].choices
    )
    choices = set(form.fields["depends_on"].queryset)
    assert task not in choices
    assert plan["adapt-curriculum"] in choices
    assert set(form["depends_on"].value()) == {d.pk for d in task.depends_on.all()}


def _edit_data(task, **changes):
    data = {
        "phase": task.phase_id,
        "title": task.title,
        "status": task.status,
        "measure": task.measure,
        "depends_on": [d.pk for d in task.depends_on.all()],
    }
    data.update(changes)
    return data


def test_marking_a_task_done_while_it_waits_is_refused_on_the_status_field(
    client_for, members, plan
):
    task = plan["hold-training"]
    before = (AuditEntry.objects.count(), sorted(d.pk for d in task.depends_on.all()))
    response = client_for(members[Role.COORDINATOR]).post(
        f"/p/riverbend/plan/tasks/{task.pk}/edit/",
        _edit_data(task, status="done", title="Hold the first class"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Adapt the curriculum" in " ".join(errors["status"])
    assert "It still waits on" in response.content.decode()
    task.refresh_from_db()
    assert (task.status, task.title) == ("not_started", "Hold training")
    after = (AuditEntry.objects.count(), sorted(d.pk for d in task.depends_on.all()))
    assert after == before


def test_dropping_the_blocking_dependency_lets_the_task_be_done_in_one_edit(
    client_for, members, plan
):
    task = plan["plan-media"]
    response = client_for(members[Role.COORDINATOR]).post(
        f"/p/riverbend/plan/tasks/{task.pk}/edit/", _edit_data(task, status="done", depends_on=[])
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"
    assert not task.depends_on.exists()


def test_adding_an_open_dependency_to_a_done_task_is_refused_on_the_status_field(
    client_for, members, plan
):
    task = plan["learn-model"]
    services.task_update(actor=None, task=task, data={"status": "done"})
    response = client_for(members[Role.COORDINATOR]).post(
        f"/p/riverbend/plan/tasks/{task.pk}/edit/",
        _edit_data(task, depends_on=[plan["seek-funding"].pk]),
    )
    assert response.status_code == 400
    assert "Seek funding" in " ".join(response.context["form"].errors["status"])
    assert not task.depends_on.exists()


def test_a_cycle_of_dependencies_is_refused(client_for, members, plan):
    task = plan["adapt-curriculum"]
    response = client_for(members[Role.COORDINATOR]).post(
        f"/p/riverbend/plan/tasks/{task.pk}/edit/",
        _edit_data(task, depends_on=[plan["hold-training"].pk]),
    )
    assert response.status_code == 400
    assert "wait on each other" in " ".join(response.context["form"].errors["depends_on"])
    assert plan["hold-training"] not in task.depends_on.all()


def test_a_new_task_marked_done_that_would_wait_is_refused(client_for, members, plan, program_a):
    response = client_for(members[Role.COORDINATOR]).post(
        "/p/riverbend/plan/tasks/add/",
        {
            "phase": plan["hold-training"].phase_id,
            "title": "Second class",
            "status": "done",
            "depends_on": [plan["hold-training"].pk],
        },
    )
    assert response.status_code == 400
    assert "Hold training" in " ".join(response.context["form"].errors["status"])
    assert not Task.objects.filter(title="Second class").exists()


def test_bad_fields_are_named_on_the_task_form(client_for, members, plan, program_b):
    other = Phase.objects.create(program=program_b, key="x", name="X", order=1)
    response = client_for(members[Role.COORDINATOR]).post(
        "/p/riverbend/plan/tasks/add/",
        {
            "phase": other.pk,
            "title": "",
            "status": "nearly",
            "measure": "vibes",
            "start_date": "2030-02-01",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"phase", "title", "status", "measure"}


def test_the_due_date_cannot_come_before_the_start(client_for, members, plan):
    task = plan["seek-funding"]
    response = client_for(members[Role.COORDINATOR]).post(
        f"/p/riverbend/plan/tasks/{task.pk}/edit/",
        _edit_data(task, start_date="2030-02-01", due_date="2030-01-01"),
    )
    assert response.status_code == 400
    assert "before the start date" in " ".join(response.context["form"].errors["due_date"])


# --- The task page and attachments ---------------------------------------------------------


def test_the_task_page_shows_dependencies_measure_and_history_link(client_for, members, plan):
    task = plan["hold-training"]
    html = (
        client_for(members[Role.COORDINATOR])
        .get(f"/p/riverbend/plan/tasks/{task.pk}/")
        .content.decode()
    )
    assert "Adapt the curriculum" in html and "still open" in html
    assert f"/p/riverbend/plan/tasks/{task.pk}/history/" in html
    reader = client_for(members[Role.TRAINER]).get(f"/p/riverbend/plan/tasks/{task.pk}/")
    assert "/history/" not in reader.content.decode()
    assert reader.context["attachment_form"] is None
    measured = client_for(members[Role.TRAINER]).get(
        f"/p/riverbend/plan/tasks/{plan['select-chair'].pk}/"
    )
    assert "No chair yet" in measured.content.decode()


def test_a_manager_attaches_a_file_and_readers_download_it(client_for, members, plan):
    task = plan["develop-memorandum"]
    client = client_for(members[Role.COMMITTEE_MEMBER])
    upload = SimpleUploadedFile("MOU v2.pdf", b"%PDF-1.4 draft", content_type="application/pdf")
    response = client.post(
        f"/p/riverbend/plan/tasks/{task.pk}/attachments/add/", {"file": upload}, follow=True
    )
    assert "MOU v2.pdf attached." in response.content.decode()
    attachment = TaskAttachment.objects.get(task=task)
    assert attachment.uploaded_by == members[Role.COMMITTEE_MEMBER]
    download = client_for(members[Role.AGENCY_ADMIN]).get(
        f"/p/riverbend/plan/tasks/{task.pk}/attachments/{attachment.pk}/"
    )
    assert download.content == b"%PDF-1.4 draft"
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "MOU v2.pdf" in download["Content-Disposition"]


def test_an_html_attachment_is_never_served_as_a_page(client_for, members, plan):
    task = plan["develop-memorandum"]
    attachment = services.attachment_add(
        actor=None,
        task=task,
        filename="x.html",
        content=b"<script>1</script>",
        content_type="text/html",
    )
    response = client_for(members[Role.TRAINER]).get(
        f"/p/riverbend/plan/tasks/{task.pk}/attachments/{attachment.pk}/"
    )
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_attachment_is_reached_only_through_its_own_task(client_for, members, plan, attachment):
    other = plan["develop-policies"]
    response = client_for(members[Role.COORDINATOR]).get(
        f"/p/riverbend/plan/tasks/{other.pk}/attachments/{attachment.pk}/"
    )
    assert response.status_code == 404


def test_an_empty_upload_is_refused_with_a_message(client_for, members, plan):
    task = plan["develop-memorandum"]
    response = client_for(members[Role.COORDINATOR]).post(
        f"/p/riverbend/plan/tasks/{task.pk}/attachments/add/",
        {"file": SimpleUploadedFile("empty.txt", b"")},
        follow=True,
    )
    assert "empty" in response.content.decode()
    assert not TaskAttachment.objects.exists()


# --- Query counts -----------------------------------------------------------------------------


def _grow(program, phase, users, n, start=0):
    """n tasks in one phase, with owners, a measure, due dates and dependencies.

    Each distinct measure costs its own queries once per page (not once per task), so
    the tasks share one measure here."""
    previous = Task.objects.filter(phase=phase).last()
    measures = ["committee_chair", ""]
    for i in range(start, start + n):
        task = services.task_create(
            actor=None,
            program=program,
            data={
                "phase": phase,
                "title": f"Grown task {i:03d}",
                "owner": users[i % len(users)],
                "measure": measures[i % len(measures)],
                "due_date": datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
            },
        )
        if previous is not None:
            services.task_set_dependencies(actor=None, task=task, depends_on=[previous])
        if i % 7 == 3:
            services.task_retire(actor=None, task=task)
        previous = task


def _count(client, url) -> int:
    return count_queries(client, url)


def test_the_plan_page_costs_the_same_queries_for_1_task_and_for_50(client_for, members, program_a):
    phase = Phase.objects.create(program=program_a, key="implement", name="Implement", order=1)
    users = [members[Role.COORDINATOR], members[Role.TRAINER]]
    client = client_for(members[Role.COORDINATOR])
    _grow(program_a, phase, users, 1)
    _count(client, "/p/riverbend/plan/")
    with_one = _count(client, "/p/riverbend/plan/")
    _grow(program_a, phase, users, 49, start=1)
    with_fifty = _count(client, "/p/riverbend/plan/")
    assert with_fifty == with_one, (with_one, with_fifty)
