"""Jobs: queued, run by the worker (or at once in tests), watched on a page and in the API;
schedules that run once per period without cron; large exports as jobs."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from citkit.committee import services as committee
from citkit.core import jobs
from citkit.core.models import AuditEntry, Job, ScheduledRun, WorkerHeartbeat
from citkit.core.schedules import Schedule, run_due

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@jobs.job(kind="test.count")
def count_to(job, progress, *, upto: int) -> dict:
    progress.update(total=upto, checked=0, phase="Counting")
    for number in range(1, upto + 1):
        progress.update(checked=number)
    return {"counted": upto}


@jobs.job(kind="test.refuse")
def refuse(job, progress) -> dict:
    raise jobs.JobFailed("Row 3, column “badge”: already used.", {"problems": [3]})


@jobs.job(kind="test.crash")
def crash(job, progress) -> dict:
    raise RuntimeError("a bug")


def test_a_job_runs_and_keeps_its_outcome_and_counts(program_a, coordinator):
    job = jobs.enqueue(count_to, actor=coordinator, program=program_a, label="Count", upto=7)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"counted": 7}
    assert job.progress["checked"] == 7 and job.progress["total"] == 7
    assert job.requested_by == coordinator and job.kind == "test.count"
    assert job.started_at <= job.finished_at


def test_an_expected_failure_is_kept_in_words_with_its_details(program_a, coordinator):
    job = jobs.enqueue(refuse, actor=coordinator, program=program_a, label="Refuse")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "already used" in job.error
    assert job.result == {"problems": [3]}


def test_an_unexpected_error_fails_the_job_without_leaking_the_exception(
    program_a, coordinator, caplog
):
    job = jobs.enqueue(crash, actor=coordinator, program=program_a, label="Crash")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "unexpected error" in job.error and "a bug" not in job.error
    assert "a bug" in caplog.text  # the operator's log has the traceback


def test_only_a_decorated_function_can_be_queued(program_a, coordinator):
    with pytest.raises(TypeError):
        jobs.enqueue(print, actor=coordinator, program=program_a, label="x")


# --- The worker -----------------------------------------------------------------


# The worker closes connections between tasks as a real one does, which would
# close the test's own transaction: these tests commit for real.
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_job_once_it_is_committed(
    settings, program_a, coordinator, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_QUEUE
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue(count_to, actor=coordinator, program=program_a, label="Count", upto=3)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.task_id
    assert jobs.progress_of(job)["phase"] == "Waiting for a worker"
    call_command("worker", "--batch", "--no-schedule", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result == {"counted": 3}


# The worker closes connections between tasks as a real one does, which would
# close the test's own transaction: these tests commit for real.
@pytest.mark.django_db(transaction=True)
def test_a_reminder_due_today_is_sent_by_the_worker_once_even_with_two_workers(
    settings, program_a, coordinator, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_QUEUE
    coordinator.email = "coordinator@example.org"
    coordinator.save()
    committee.action_item_create(
        actor=None,
        program=program_a,
        data={
            "title": "Send the MOU to counsel",
            "owner": coordinator,
            "due_date": program_a.today(),
        },
    )
    # Two workers start, each with its scheduler: the period is queued once.
    call_command("worker", "--batch", "--id", "one", stdout=io.StringIO())
    call_command("worker", "--batch", "--id", "two", stdout=io.StringIO())
    reminders = [m for m in mail.outbox if "Send the MOU to counsel" in m.subject]
    assert len(reminders) == 1
    assert (
        ScheduledRun.objects.filter(name="citkit.committee.tasks.send_due_reminders").count() == 1
    )
    assert WorkerHeartbeat.objects.count() == 2


def test_a_period_runs_once_and_the_next_period_runs_again(program_a):
    first = timezone.now().replace(hour=13, minute=0, second=0, microsecond=0)
    assert "citkit.committee.tasks.send_due_reminders" in run_due(first)
    assert "citkit.committee.tasks.send_due_reminders" not in run_due(
        first + datetime.timedelta(hours=5)
    )
    assert "citkit.committee.tasks.send_due_reminders" in run_due(
        first + datetime.timedelta(days=1)
    )


def test_a_schedule_finds_the_start_of_the_period_now_falls_in():
    weekly = Schedule(
        name="w", rule="FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=0;BYSECOND=0", task=None
    )
    wednesday = datetime.datetime(2026, 12, 2, 15, 0, tzinfo=datetime.UTC)
    assert weekly.latest_period(wednesday) == datetime.datetime(
        2026, 11, 30, 6, 0, tzinfo=datetime.UTC
    )
    monday_early = datetime.datetime(2026, 11, 30, 5, 59, tzinfo=datetime.UTC)
    assert weekly.latest_period(monday_early) == datetime.datetime(
        2026, 11, 23, 6, 0, tzinfo=datetime.UTC
    )


# --- The job page and API --------------------------------------------------------


def _queued(program, user):
    """A job as it looks before a worker picks it up (with live counters in the cache)."""
    job = Job.objects.create(program=program, kind="test.count", label="Count", requested_by=user)
    jobs.Progress(job).update(total=200, checked=50, phase="Checking rows")
    return job


def test_the_job_page_shows_live_progress_and_polls_until_done(client_for, program_a, coordinator):
    job = _queued(program_a, coordinator)
    url = reverse("job-detail", args=[program_a.slug, job.pk])
    html = client_for(coordinator).get(url).content.decode()
    assert 'value="25"' in html and "Checking rows" in html
    assert 'hx-trigger="every 1s"' in html
    partial = client_for(coordinator).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("{#") or partial.lstrip().startswith("<section")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="It broke.")
    done = client_for(coordinator).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "It broke." in done and "hx-trigger" not in done


def test_someone_elses_job_is_not_found(client_for, program_a, coordinator, members, outsider):
    job = _queued(program_a, coordinator)
    for user in (members["committee_member"], outsider):
        client = client_for(user)
        assert client.get(reverse("job-detail", args=[program_a.slug, job.pk])).status_code == 404
        assert client.get(f"/api/programs/{program_a.slug}/jobs/{job.pk}/").status_code == 404
    assert client_for(coordinator).get(f"/p/{program_a.slug}/jobs/not-a-uuid/").status_code == 404


def test_the_api_shows_the_job_to_poll(api_for, program_a, coordinator):
    job = _queued(program_a, coordinator)
    response = api_for(coordinator).get(f"/api/programs/{program_a.slug}/jobs/{job.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["percent"], body["progress"]["checked"]) == ("queued", 25, 50)
    assert body["download_url"] is None
    listed = api_for(coordinator).get(f"/api/programs/{program_a.slug}/jobs/").json()
    assert [j["id"] for j in listed["results"]] == [str(job.pk)]


# --- Large exports ----------------------------------------------------------------


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_large_export_runs_as_a_job_and_gives_the_same_file(
    settings, client_for, program_a, coordinator, police_a
):
    from citkit.testing.factories import PersonFactory

    for number in range(6):
        PersonFactory(program=program_a, agency=police_a, last_name=f"Zed{number}")
    client = client_for(coordinator)
    inline = client.get(f"/p/{program_a.slug}/people/?format=csv&sort=name")
    assert inline.status_code == 200
    settings.CITKIT_EXPORT_INLINE_ROWS = 3
    response = client.get(f"/p/{program_a.slug}/people/?format=csv&sort=name")
    assert response.status_code == 302
    job = Job.objects.get(kind="core.list_export")
    assert response["Location"] == reverse("job-detail", args=[program_a.slug, job.pk])
    assert job.status == Job.Status.SUCCEEDED and job.result == {"rows": 6}
    page = client.get(response["Location"]).content.decode()
    assert "Download people.csv" in page or "Download" in page
    download = client.get(reverse("job-download", args=[program_a.slug, job.pk]))
    assert "no-store" in download["Cache-Control"]
    assert _rows(b"".join(download.streaming_content)) == _rows(b"".join(inline.streaming_content))


def test_a_large_export_honours_the_filters_on_screen(
    settings, client_for, program_a, coordinator, police_a
):
    from citkit.testing.factories import PersonFactory

    for number in range(4):
        PersonFactory(program=program_a, agency=police_a, last_name=f"Keep{number}")
    for number in range(4):
        PersonFactory(program=program_a, agency=police_a, last_name=f"Drop{number}")
    settings.CITKIT_EXPORT_INLINE_ROWS = 2
    client_for(coordinator).get(f"/p/{program_a.slug}/people/?format=csv&q=Keep")
    job = Job.objects.get(kind="core.list_export")
    download = client_for(coordinator).get(reverse("job-download", args=[program_a.slug, job.pk]))
    names = [row[0] for row in _rows(b"".join(download.streaming_content))[1:]]
    assert sorted(names) == ["Keep0", "Keep1", "Keep2", "Keep3"]


def test_an_export_job_of_someone_no_longer_a_member_fails_and_writes_no_file(
    program_a, coordinator
):
    from citkit.core.exports import export_list
    from citkit.core.models import Membership

    Membership.objects.filter(user=coordinator).delete()
    job = jobs.enqueue(
        export_list,
        actor=coordinator,
        program=program_a,
        label="Export",
        view="citkit.people.views.roster.PersonListView",
        query="",
    )
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.file
    assert "member" in job.error


def test_the_dashboard_audit_trail_is_untouched_by_jobs(program_a, coordinator):
    """Jobs write no audit entries of their own: the work they do writes its own."""
    before = AuditEntry.objects.count()
    jobs.enqueue(count_to, actor=coordinator, program=program_a, label="Count", upto=2)
    assert AuditEntry.objects.count() == before


def test_a_roster_export_is_in_the_access_log_with_its_rows_small_or_large(
    settings, client_for, program_a, coordinator, police_a
):
    from citkit.core.models import AccessEntry
    from citkit.testing.factories import PersonFactory

    for number in range(5):
        PersonFactory(program=program_a, agency=police_a, last_name=f"Keep{number}")
    client = client_for(coordinator)
    b"".join(client.get(f"/p/{program_a.slug}/people/?format=csv&q=Keep").streaming_content)
    settings.CITKIT_EXPORT_INLINE_ROWS = 2
    client.get(f"/p/{program_a.slug}/people/?format=csv&q=Keep")
    entries = list(AccessEntry.objects.filter(what="Roster export").order_by("id"))
    assert [(e.action, e.rows, e.query, e.user) for e in entries] == [
        ("export", 5, "q=Keep", coordinator),
        ("export", 5, "q=Keep", coordinator),
    ]
