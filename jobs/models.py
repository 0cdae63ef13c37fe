"""A job a person started and waits for, its work items, and the workers' heartbeats.

The task queue (django.tasks, stored by django-tasks-db) knows tasks; these rows know what the
person asked for: how far it has come, what came out, and which parts are done, so that a
task run again after its worker died skips what is done and never makes a thing twice.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("In progress")
    FINISHING = "finishing", _("Putting the result together")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def result_path(job: Job, filename: str) -> str:
    return f"jobs/{job.pk}/{filename}"


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    # Null: started from the command line.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="jobs"
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    # A job of one task reports its own progress here; a batch counts its items instead.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("message"), blank=True)
    result = models.FileField(_("result"), upload_to=result_path, blank=True, max_length=300)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    # The task that runs the job (one task) or puts the batch's result together.
    task_id = models.CharField(max_length=64, blank=True)
    finish_task = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}


class JobItem(models.Model):
    """One part of a batch (one municipality's report): run by a task of its own, so that
    several workers share a batch."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=100)
    label = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    task_id = models.CharField(max_length=64, blank=True)
    # Which worker is making it: another takes over only when that worker has gone silent.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=result_path, blank=True, max_length=300)
    filename = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    seconds = models.FloatField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "key"], name="job_item_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class WorkerHeartbeat(models.Model):
    """A running worker (`manage.py run_worker`) says it is alive every few seconds; a task
    whose worker has stopped saying so is given to another."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"
