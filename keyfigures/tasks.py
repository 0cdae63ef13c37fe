"""The fetch from SSB as a background job (the administrators' button): the job's page shows
its progress, and the run is recorded (FetchRun) whatever comes of it."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.tasks import TaskContext, task
from django.utils.translation import gettext as _

from jobs import services as jobs
from keyfigures.services.fetching import FetchFailed, fetch_indicators


@task(takes_context=True)
def fetch_key_figures(context: TaskContext, job_id: str, from_year: int | None = None) -> str:
    job = jobs.job_for_task(job_id)
    if job.is_finished:
        return "already finished"
    owner = User.objects.filter(pk=job.owner_id).first()

    def progress(done: int, total: int, message: str) -> None:
        jobs.report_progress(job_id, done=done, total=total, message=message)

    try:
        result = fetch_indicators(
            from_year=from_year, started_by=owner, via="button", progress=progress
        )
    except FetchFailed as error:
        jobs.fail(job_id, _("Nothing was fetched or written:") + " " + " ".join(error.errors[:5]))
        return "failed"
    report = result.report
    summary = _(
        "Fetched %(indicators)s. Created %(created)s, updated %(updated)s, unchanged "
        "%(unchanged)s values; official figures: created %(a_created)s, updated %(a_updated)s."
    ) % {
        "indicators": ", ".join(result.indicators) or "–",
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "a_created": report.aggregates_created,
        "a_updated": report.aggregates_updated,
    }
    jobs.complete(job_id, message=" ".join([summary, *result.messages])[:5000])
    return result.run.outcome
