"""Background jobs: start one, report progress, finish with a file; and the worker's side,
which makes a job survive a worker that dies.

Two shapes of job, both followed on the same page (jobs:detail) by the person who started it:

* One task does the whole job (an SSB fetch, a big import, a round's e-mails)::

      @task(takes_context=True)
      def fetch_statistics(context, job_id: str, year: int) -> None:
          job = jobs.job_for_task(job_id)
          for n, table in enumerate(tables, start=1):
              ...
              jobs.report_progress(job_id, done=n, total=len(tables), message=table.name)
          jobs.complete(job_id, name="fetch.txt", content=b"...")  # or no file

      job = jobs.start_job(kind="fetch", owner=user, title=_("…"), task=fetch_statistics,
                           args=[2025])
      return redirect(job)  # the progress page

  An exception in the task marks the job failed (a task_finished signal).

* A batch of independent items, one task each, so that every worker shares it (a region's
  PDFs): `start_batch(items=[(key, label), …], item_task=…, finish_task=…)`. Each item task
  calls `run_item(context, item_id, work)`; `work(item)` returns an ItemResult. When the last
  item is finished, `finish_task` is queued once and calls `run_finish(context, job_id,
  assemble)`, which stores what `assemble` writes as the job's result.

Tasks run again after a worker dies (recover_lost_tasks), so they must be safe to run twice:
an item that is done is skipped, an item another live worker is making is left to it, and
only the worker that holds an item's claim may store its result, so nothing is made twice.
Enqueueing is part of the caller's transaction (the database backend), so a job and its
tasks exist together or not at all.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.tasks import Task, TaskContext, TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string

from jobs.models import ItemStatus, Job, JobItem, JobStatus, WorkerHeartbeat, result_path

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    status: str
    status_text: str
    done: int
    total: int
    failed: int
    message: str
    has_result: bool

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "status_text": self.status_text,
            "done": self.done,
            "total": self.total,
            "failed": self.failed,
            "percent": self.percent,
            "message": self.message,
            "finished": self.status in {JobStatus.DONE, JobStatus.FAILED},
            "has_result": self.has_result,
        }


@dataclass(frozen=True)
class ItemResult:
    """What an item's work made: a file (stored with the job) and anything the job's
    assembler or the command's progress lines want to know."""

    filename: str = ""
    content: bytes | None = None
    detail: dict = field(default_factory=dict)


# --- Starting -----------------------------------------------------------------------------


def start_job(
    *,
    kind: str,
    owner: User | None,
    title: str,
    task: Task,
    args: Sequence[Any] = (),
    params: dict | None = None,
) -> Job:
    """A job of one task, called as task(job_id, *args)."""
    with transaction.atomic():
        job = Job.objects.create(kind=kind, owner=owner, title=title, params=params or {})
        _enqueue(Job.objects.filter(pk=job.pk), task, str(job.pk), *args)
    job.refresh_from_db()
    return job


def start_batch(
    *,
    kind: str,
    owner: User | None,
    title: str,
    items: Sequence[tuple[str, str]],
    item_task: Task,
    finish_task: Task,
    params: dict | None = None,
) -> Job:
    """A job of many items, each run by item_task(item_id) on whichever worker is free, then
    finish_task(job_id) once. With the immediate backend (tests) everything has run when this
    returns."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            owner=owner,
            title=title,
            params=params or {},
            total=len(items),
            finish_task=finish_task.module_path,
        )
        rows = JobItem.objects.bulk_create(
            JobItem(job=job, position=n, key=key, label=label)
            for n, (key, label) in enumerate(items, start=1)
        )
        for row in rows:
            if row.pk is None:  # backends that do not return ids from bulk_create
                row.pk = JobItem.objects.get(job=job, key=row.key).pk
        for row in rows:
            _enqueue(JobItem.objects.filter(pk=row.pk), item_task, row.pk)
        if not rows:
            _queue_finish(job.pk)
    job.refresh_from_db()
    return job


def _enqueue(rows, task: Task, *args) -> None:
    """Queue the task and note its id on its job or item (`rows`), so that a task that fails
    fails what it was working on. A backend that runs the task at once (the immediate one,
    in tests) has finished it before its id is known: its failure is passed on here."""
    result = task.enqueue(*args)
    rows.filter(task_id="").update(task_id=str(result.id))
    if result.status == TaskResultStatus.FAILED:
        _give_up(str(result.id), result.errors[-1].exception_class_path)


# --- Progress -------------------------------------------------------------------------------


def progress(job: Job) -> Progress:
    """How far the job has come: its items (a batch) or what its task reported."""
    counts = job.items.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=~Q(status=ItemStatus.PENDING)),
        failed=Count("pk", filter=Q(status=ItemStatus.FAILED)),
    )
    if counts["total"]:
        done, total, failed = counts["done"], counts["total"], counts["failed"]
    else:
        done, total, failed = job.done, job.total, 0
    return Progress(
        status=job.status,
        status_text=str(job.get_status_display()),
        done=done,
        total=total,
        failed=failed,
        message=job.message,
        has_result=bool(job.result),
    )


def report_progress(job_id: str, *, done: int, total: int, message: str = "") -> None:
    """For a job of one task: visible at once (the worker runs tasks outside a transaction)."""
    Job.objects.filter(pk=job_id).exclude(status__in=[JobStatus.DONE, JobStatus.FAILED]).update(
        status=JobStatus.RUNNING, done=done, total=total, message=message
    )


def job_for_task(job_id: str) -> Job:
    return Job.objects.get(pk=job_id)


def complete(
    job_id: str, *, name: str = "", content: bytes | None = None, message: str = ""
) -> None:
    """A job of one task is done, with a file to download if it made one."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return
    if content is not None:
        job.result.save(name, ContentFile(content), save=False)
        job.result_name = name
    job.status = JobStatus.DONE
    job.message = message or job.message
    job.finished_at = timezone.now()
    job.save()


def fail(job_id: str, message: str) -> None:
    Job.objects.filter(pk=job_id).exclude(status=JobStatus.DONE).update(
        status=JobStatus.FAILED, message=message, finished_at=timezone.now()
    )


# --- The item tasks' side ---------------------------------------------------------------------


def _worker_of(context: TaskContext) -> str:
    ids = context.task_result.worker_ids
    return ids[-1] if ids else "unknown"


def live_workers(now=None) -> set[str]:
    since = (now or timezone.now()) - timedelta(seconds=settings.WORKER_LOST_AFTER_SECONDS)
    return set(
        WorkerHeartbeat.objects.filter(last_seen__gte=since).values_list("worker_id", flat=True)
    )


def _claim(item_id: int, worker: str) -> JobItem | None:
    """The item for this worker to make, or None: it is finished, or a live worker has it."""
    with transaction.atomic():
        item = JobItem.objects.select_for_update().select_related("job").get(pk=item_id)
        if item.status != ItemStatus.PENDING:
            return None
        if item.claimed_by and item.claimed_by != worker and item.claimed_by in live_workers():
            return None
        item.claimed_by = worker
        item.claimed_at = timezone.now()
        item.attempts += 1
        item.save(update_fields=["claimed_by", "claimed_at", "attempts"])
        Job.objects.filter(pk=item.job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING)
    return item


def run_item(context: TaskContext, item_id: int, work: Callable[[JobItem], ItemResult]) -> str:
    """Make one item of a batch, once. Returns what happened, for the task's result."""
    worker = _worker_of(context)
    item = _claim(item_id, worker)
    if item is None:
        return "skipped"
    started = time.perf_counter()
    try:
        result = work(item)
    except Exception as error:
        logger.exception("Job %s: item %s failed", item.job_id, item.key)
        _finish_item(
            item, worker, status=ItemStatus.FAILED, error=f"{type(error).__name__}: {error}"
        )
        return "failed"
    stored = ""
    if result.content is not None:
        stored = item.file.storage.save(
            result_path(item.job, result.filename), ContentFile(result.content)
        )
    if not _finish_item(
        item,
        worker,
        status=ItemStatus.DONE,
        file=stored,
        filename=result.filename,
        detail=result.detail,
        seconds=time.perf_counter() - started,
    ):
        # Another worker took the item over meanwhile (this one was thought lost): its copy
        # counts, this one is thrown away.
        if stored:
            item.file.storage.delete(stored)
        return "superseded"
    return "done"


def _finish_item(item: JobItem, worker: str, *, status: str, **values) -> bool:
    with transaction.atomic():
        updated = JobItem.objects.filter(
            pk=item.pk, status=ItemStatus.PENDING, claimed_by=worker
        ).update(status=status, finished_at=timezone.now(), **values)
        if updated:
            _queue_finish_when_complete(item.job_id)
    return bool(updated)


def _queue_finish_when_complete(job_id) -> None:
    """Queue the batch's finishing task once, when no item is left. Runs in the transaction
    that finished an item; the job row's lock makes two last items agree on who queues it."""
    job = Job.objects.select_for_update().get(pk=job_id)
    if job.status not in {JobStatus.QUEUED, JobStatus.RUNNING}:
        return
    if job.items.filter(status=ItemStatus.PENDING).exists():
        return
    _queue_finish(job_id)


def _queue_finish(job_id) -> None:
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=JobStatus.FINISHING)
    _enqueue(Job.objects.filter(pk=job_id), import_string(job.finish_task), str(job_id))


def run_finish(
    context: TaskContext, job_id: str, assemble: Callable[[Job, list[JobItem], IO[bytes]], str]
) -> str:
    """Put a finished batch's result together: `assemble(job, items, out)` writes the file and
    returns its name. Safe to run twice: a job that is done is left alone."""
    job = Job.objects.get(pk=job_id)
    if job.status != JobStatus.FINISHING:
        return "skipped"
    items = list(job.items.order_by("position"))
    with tempfile.TemporaryFile() as out:
        name = assemble(job, items, out)
        out.seek(0)
        stored = job.result.storage.save(result_path(job, name), File(out, name=name))
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.FINISHING).update(
        status=JobStatus.DONE, result=stored, result_name=name, finished_at=timezone.now()
    )
    if not updated:
        job.result.storage.delete(stored)
        return "superseded"
    # The items' files are inside the result now.
    for item in items:
        if item.file:
            item.file.storage.delete(item.file.name)
    JobItem.objects.filter(job=job).update(file="")
    return "done"


def on_task_finished(sender, task_result, **kwargs) -> None:
    """A task that failed (raised, or was given up after its workers died) fails its item or
    its job, so the person waiting sees it instead of a bar that never moves."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    error = task_result.errors[-1].exception_class_path if task_result.errors else "failed"
    _give_up(str(task_result.id), error)


def _give_up(task_id: str, error: str) -> None:
    for item in JobItem.objects.filter(task_id=task_id, status=ItemStatus.PENDING):
        with transaction.atomic():
            if JobItem.objects.filter(pk=item.pk, status=ItemStatus.PENDING).update(
                status=ItemStatus.FAILED, error=error, finished_at=timezone.now()
            ):
                _queue_finish_when_complete(item.job_id)
    for job in Job.objects.filter(task_id=task_id).exclude(status=JobStatus.DONE):
        fail(str(job.pk), error)


# --- The worker's side -------------------------------------------------------------------------


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:200],
            "pid": os.getpid(),
            "last_seen": timezone.now(),
        },
    )


def sign_off(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def recover_lost_tasks(now=None) -> tuple[int, int]:
    """Tasks left RUNNING by a worker that has gone silent (killed, out of memory, its machine
    gone) are queued again, up to TASK_MAX_ATTEMPTS runs in all; after that they fail, and so
    do their items. Returns (queued again, given up). django-tasks-db has no such reaper of
    its own (upstream issue 46)."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    live = live_workers(now)
    # A task claimed moments ago by a worker that has not yet written its first heartbeat.
    grace = now - timedelta(seconds=settings.WORKER_HEARTBEAT_SECONDS * 2)
    requeued = given_up = 0
    for task in DBTaskResult.objects.running().filter(started_at__lt=grace):
        if task.worker_ids and task.worker_ids[-1] in live:
            continue
        same = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
            # The task, its items and its job fail together, or the job would wait for ever
            # on items nobody runs.
            with transaction.atomic():
                if same.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path="jobs.WorkerLost",
                    traceback=f"Its worker stopped during each of {len(task.worker_ids)} attempts.",
                ):
                    given_up += 1
                    _give_up(str(task.pk), "jobs.WorkerLost")
        elif same.update(status=TaskResultStatus.READY, started_at=None):
            requeued += 1
            logger.warning(
                "Task %s (%s) lost its worker %s; queued again",
                task.pk,
                task.task_path,
                task.worker_ids[-1] if task.worker_ids else "?",
            )
    return requeued, given_up


def prune(now=None) -> int:
    """Remove finished jobs older than JOB_KEEP_DAYS with their files, and heartbeats of
    workers silent for a day."""
    now = now or timezone.now()
    WorkerHeartbeat.objects.filter(last_seen__lt=now - timedelta(days=1)).delete()
    old = Job.objects.filter(
        status__in=[JobStatus.DONE, JobStatus.FAILED],
        created_at__lt=now - timedelta(days=settings.JOB_KEEP_DAYS),
    )
    count = 0
    for job in old:
        for name in [job.result.name, *job.items.exclude(file="").values_list("file", flat=True)]:
            if name:
                job.result.storage.delete(name)
        job.delete()
        count += 1
    return count
