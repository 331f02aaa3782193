"""The plan's part of the demo: a plan part-way through Implement, the action items
agreed about its tasks, and weekly snapshots over six months."""

import io
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from citkit.committee.models import ActionItem
from citkit.core.models import Program
from citkit.plan.demo import load_plan_demo
from citkit.plan.models import ProgressSnapshot, Task
from citkit.plan.selectors import plan_progress
from citkit.plan.selectors.dashboard import build_dashboard

User = get_user_model()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for the class and rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield {"program": Program.objects.get(slug="riverbend")}
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestTheDemoPlan:
    def test_the_plan_is_part_way_through_implement(self, demo):
        progress = plan_progress(demo["program"])
        phases = {p.key: p for p in progress.phases}
        for key in ("foundation", "commit", "plan"):
            assert phases[key].percent >= 80, key
        implement = {t.task.key: t.task.status for t in phases["implement"].tasks}
        assert implement == {
            "develop-memorandum": "in_progress",
            "develop-policies": "in_progress",
            "recruit-trainers": "in_progress",
            "select-officers": "not_started",
            "adapt-curriculum": "not_started",
            "train-the-trainer": "not_started",
            "hold-training": "not_started",
            "plan-media": "not_started",
        }
        assert [t.task.key for t in progress.disagreements] == ["create-subcommittees"]

    def test_weekly_snapshots_over_six_months_show_progress_rising(self, demo):
        snapshots = list(ProgressSnapshot.objects.filter(program=demo["program"]))
        assert 26 <= len(snapshots) <= 28
        weeks = [s.week for s in snapshots]
        assert all((b - a).days == 7 for a, b in itertools.pairwise(weeks))
        overall = [s.overall for s in snapshots]
        assert overall == sorted(overall) and overall[0] < overall[-1] - 30
        assert snapshots[-1].overall == plan_progress(demo["program"]).percent

    def test_the_dashboard_shows_the_demo_with_overdue_items_and_a_flagged_task(self, demo, client):
        client.force_login(User.objects.get(username="coordinator"))
        response = client.get("/p/riverbend/plan/dashboard/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Create subcommittees (Systems, Data, Training)" in html
        assert "Marked done, but the records say 2 of 3 subcommittees balanced." in html
        assert "Recruit an advocate for the Data subcommittee" in html
        assert "Develop a memorandum of understanding" in html
        assert "No mobile crisis after midnight in the east county" in html
        assert "Steering Committee meeting" in html
        assert "it rose from" in html
        dashboard = build_dashboard(demo["program"], User.objects.get(username="coordinator"))
        assert len(dashboard.overdue_actions) == 3 and len(dashboard.overdue_tasks) == 2

    def test_action_items_are_done_open_and_overdue_across_the_demo_logins(self, demo):
        program = demo["program"]
        items = ActionItem.objects.filter(program=program)
        statuses = set(items.values_list("status", flat=True))
        assert {"done", "open", "in_progress"} <= statuses
        overdue = items.overdue(program.today())
        assert set(overdue.values_list("owner__username", flat=True)) == {
            "coordinator",
            "committee",
            "agencyadmin",
        }
        assert all(i.completed_at for i in items.filter(status="done"))
        assert items.filter(decision__isnull=False).exists()
        assert items.exclude(concerns_id="").exists()

    def test_action_items_concern_plan_tasks(self, demo):
        items = ActionItem.objects.filter(program=demo["program"], concerns_type__model="task")
        assert items.count() == 8
        assert {"done", "open", "in_progress"} <= set(items.values_list("status", flat=True))

    def test_lakeshore_gets_no_demo_plan(self):
        lakeshore = Program.objects.get(slug="lakeshore")
        assert not Task.objects.filter(program=lakeshore).exists()
        assert load_plan_demo(lakeshore) == {}

    def test_loading_the_plan_again_changes_nothing(self, demo):
        assert load_plan_demo(demo["program"]) == {}
