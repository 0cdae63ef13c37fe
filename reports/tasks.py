"""The region's batch of PDFs as background tasks: one task per municipality, so every free
worker takes the next one (two workers on two cores share a batch), and one task at the end
that puts the zip together. Started by reports.services.start_region_batch. And the PDF of what
a municipality submitted, archived after the submission (reports/receivers.py)."""

from __future__ import annotations

import zipfile
from typing import IO

from django.tasks import TaskContext, task

from analysis.models import Analysis
from jobs import services as jobs
from jobs.models import ItemStatus, Job, JobItem
from reports import services


@task(takes_context=True)
def render_region_report(context: TaskContext, item_id: int) -> str:
    return jobs.run_item(context, item_id, _render)


def _analysis(pk: str) -> Analysis:
    return Analysis.objects.select_related(
        "municipality__county__region", "round__questionnaire"
    ).get(pk=int(pk))


def _render(item: JobItem) -> jobs.ItemResult:
    analysis = _analysis(item.key)
    pdf, from_cache = services.report_pdf(analysis)
    return jobs.ItemResult(
        filename=services.batch_filename(analysis), content=pdf, detail={"from_cache": from_cache}
    )


@task(takes_context=True)
def assemble_region_zip(context: TaskContext, job_id: str) -> str:
    return jobs.run_finish(context, job_id, _zip)


def _zip(job: Job, items: list[JobItem], out: IO[bytes]) -> str:
    """README.txt first, then each municipality's PDF in order, or a note saying it is missing."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(services.BATCH_README, job.params.get("readme", ""))
        for item in items:
            if item.status == ItemStatus.DONE and item.file:
                with item.file.open("rb") as pdf:
                    archive.writestr(item.filename, pdf.read())
            else:
                analysis = _analysis(item.key)
                name = services.batch_filename(analysis).replace(".pdf", "-mangler.txt")
                archive.writestr(name, services.missing_report_note(analysis))
    return job.params["filename"]


@task()
def archive_submitted_report(analysis_id: int, submitted_by_id: int | None, version: int) -> str:
    """The snapshot of a submission in the archive (reports.receivers enqueues it)."""
    archived = services.archive_as_submitted(
        analysis_id=analysis_id, submitted_by_id=submitted_by_id, version=version
    )
    return f"archived report {archived.pk}" if archived else "nothing to archive"


def warm_up() -> None:
    """For a worker that is starting: WeasyPrint's and pikepdf's imports and plotly-print's
    JavaScript engine, which the first report would otherwise wait for."""
    import weasyprint  # noqa: F401

    import boligsosial.pdf_tagging  # noqa: F401 – pikepdf
    from boligsosial.charts import figure_to_svg
    from factors.charts import factor_profile_figure

    figure_to_svg(factor_profile_figure(["a"], [3]), title="warm-up")
