"""Background jobs: one task reporting progress and leaving a file; a task that fails fails
its job; lost tasks are run again, then given up; the job's page is its owner's alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs import services
from jobs.models import Job, JobItem, JobStatus, WorkerHeartbeat
from tests.jobs.tasks_for_tests import break_down, count_to

pytestmark = pytest.mark.django_db


def test_a_job_of_one_task_reports_progress_and_leaves_its_file(adviser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = services.start_job(kind="count", owner=adviser, title="Telling", task=count_to, args=[3])
    assert job.status == JobStatus.DONE and job.result_name == "tall.txt"
    assert services.progress(job).as_dict() | {"status_text": ""} == {
        "status": "done",
        "status_text": "",
        "done": 3,
        "total": 3,
        "failed": 0,
        "percent": 100,
        "message": "3 av 3",
        "finished": True,
        "has_result": True,
    }
    with job.result.open("rb") as handle:
        assert handle.read() == b"1 2 3"


def test_a_task_that_raises_fails_its_job(adviser):
    job = services.start_job(kind="x", owner=adviser, title="Brudd", task=break_down)
    assert job.status == JobStatus.FAILED and "RuntimeError" in job.message


def test_only_the_owner_sees_the_job_and_its_download(client_for, adviser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = services.start_job(kind="count", owner=adviser, title="Telling", task=count_to, args=[2])
    for name in ["detail", "progress", "download"]:
        url = reverse(f"jobs:{name}", args=[job.pk])
        assert client_for("adviser").get(url).status_code == 200
        assert client_for("administrator").get(url).status_code == 404
        assert client_for("planner").get(url).status_code == 404


def test_the_job_page_runs_the_same_queries_for_a_small_and_a_large_batch(
    client_for, adviser, queries_on_reload
):
    client = client_for("adviser")
    small = Job.objects.create(kind="k", owner=adviser, title="Liten", total=2)
    large = Job.objects.create(kind="k", owner=adviser, title="Stor", total=200)
    for job in (small, large):
        JobItem.objects.bulk_create(
            JobItem(job=job, position=n, key=str(n), label=f"Kommune {n}", status="failed")
            for n in range(job.total)
        )
    # session, user, memberships, the job, its items' counts, its items.
    counts = {queries_on_reload(client, job.get_absolute_url()) for job in (small, large)}
    assert counts == {6}


def running_task(worker_id: str, started_ago: float, attempts: int = 1) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="tests.jobs.tasks_for_tests.break_down",
        backend_name="default",
        run_after=timezone.now(),
        status="RUNNING",
        started_at=timezone.now() - timedelta(seconds=started_ago),
        worker_ids=[f"dead-{n}" for n in range(attempts - 1)] + [worker_id],
    )


def test_a_task_whose_worker_went_silent_is_queued_again(settings):
    settings.WORKER_LOST_AFTER_SECONDS = 60
    WorkerHeartbeat.objects.create(worker_id="alive", hostname="h", pid=1, last_seen=timezone.now())
    WorkerHeartbeat.objects.create(
        worker_id="silent", hostname="h", pid=2, last_seen=timezone.now() - timedelta(minutes=5)
    )
    alive = running_task("alive", 300)
    lost = running_task("silent", 300)
    just_claimed = running_task("new-worker", 1)
    assert services.recover_lost_tasks() == (1, 0)
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[alive.pk] == "RUNNING" and statuses[just_claimed.pk] == "RUNNING"
    assert statuses[lost.pk] == "READY"


def test_a_task_that_lost_its_worker_every_time_fails_its_item(settings, adviser):
    settings.TASK_MAX_ATTEMPTS = 3
    job = Job.objects.create(
        kind="k",
        owner=adviser,
        title="Tre forsøk",
        total=1,
        finish_task="tests.jobs.tasks_for_tests.break_down",
    )
    task = running_task("gone", 300, attempts=3)
    item = JobItem.objects.create(job=job, position=1, key="1", label="Fauske", task_id=task.pk)
    assert services.recover_lost_tasks() == (0, 1)
    item.refresh_from_db()
    assert item.status == "failed" and item.error == "jobs.WorkerLost"
    assert DBTaskResult.objects.get(pk=task.pk).status == "FAILED"
