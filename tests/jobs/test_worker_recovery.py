"""A worker killed in the middle of a region's batch (SIGKILL: no goodbye, its task left
RUNNING) loses nothing: another worker notices its silence, runs the lost report again, and
the batch finishes with every report made exactly once."""

from __future__ import annotations

import io
import os
import signal
import zipfile
from collections import Counter

import pytest
from django_tasks_db.models import DBTaskResult

from analysis.models import Analysis, AnalysisStatus
from jobs.models import ItemStatus, Job, JobItem, JobStatus
from reference.models import Region
from reports import services
from reports.management.commands.load_recommendation_rules import load_recommendation_rules
from reports.selectors import region_batch
from tests.processes import environment, start_worker, stop, wait_for

pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True)]

STARTED = ["1804", "1824", "1841", "1865", "1833", "1860"]


@pytest.fixture
def database_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_worker_killed_mid_batch_loses_nothing_and_makes_nothing_twice(
    round_, database_tasks, tmp_path
):
    load_recommendation_rules()
    Analysis.objects.filter(round=round_, municipality__number__in=STARTED).update(
        status=AnalysisStatus.IN_PROGRESS
    )
    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    job = services.start_region_batch(batch=region_batch(nordland, round_), by=None)
    assert job.status == JobStatus.QUEUED and job.items.count() == len(STARTED)

    env = environment(MEDIA_ROOT=str(tmp_path / "media"))
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    first = start_worker(env, logs[0])
    processes = [first]
    try:
        # Wait until the first worker is in the middle of a report (claimed, not done) with
        # at least one report behind it, then kill it where it stands.
        def rendering():
            if not JobItem.objects.filter(job=job, status=ItemStatus.DONE).exists():
                return None
            return (
                JobItem.objects.filter(job=job, status=ItemStatus.PENDING, attempts=1)
                .exclude(claimed_by="")
                .first()
            )

        victim = wait_for(rendering, timeout=120, what="a report in progress", logs=logs)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        lost = DBTaskResult.objects.get(pk=victim.task_id)
        assert lost.status == "RUNNING"  # django-tasks-db alone would leave it so forever

        second = start_worker(env, logs[1])
        processes.append(second)
        wait_for(
            lambda: Job.objects.get(pk=job.pk).is_finished,
            timeout=180,
            what="the batch to finish",
            logs=logs,
        )
    finally:
        stop(processes)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    victim.refresh_from_db()
    assert victim.status == ItemStatus.DONE and victim.attempts == 2
    lost.refresh_from_db()
    assert lost.status == "SUCCESSFUL" and len(lost.worker_ids) == 2
    # Each item's task stored its report once: no attempt was "superseded" or "skipped".
    item_tasks = DBTaskResult.objects.filter(task_path="reports.tasks.render_region_report")
    assert Counter(t.return_value for t in item_tasks) == {"done": len(STARTED)}
    with job.result.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert names[0] == "README.txt"
    assert sorted(n.split("-")[0] for n in names[1:]) == sorted(STARTED)
    assert all(n.endswith(".pdf") for n in names[1:])
