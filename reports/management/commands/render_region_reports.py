"""Every municipality of a region in one go, for an adviser:

    python manage.py render_region_reports --region Nordland --round 2026 --output nordland/
    python manage.py render_region_reports --region Nordland --round 2026 --output nordland.zip

One PDF per municipality that has started its analysis (<number>-<name>.pdf), each in its
municipality's målform, in a folder, or in a zip when the output ends in .zip, with a
README.txt naming the round, the date and the municipalities left out because they have not
started, and a progress line per municipality. PDFs whose content has not changed come from
the report cache (reports/cache.py), the same one the web's region zip uses, so a second run
takes seconds.

The batch runs as the web's does: a background job of one task per municipality
(reports/tasks.py). The command starts `--workers` workers of its own (default: one per
core) that stop when the queue is empty; workers already running (`run_worker`) share the
work. No report is made twice, and a worker that dies leaves its report to another.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.tasks import default_task_backend
from django.utils.translation import gettext as _

from analysis.models import Round
from boligsosial.parsing import parse_natural
from jobs.models import ItemStatus, Job, JobStatus
from reference.models import Region
from reports import services
from reports.selectors import region_batch


def find_region(text: str) -> Region:
    if (number := parse_natural(text)) is not None:
        region = Region.objects.filter(pk=number).first()
        if region:
            return region
    matches = list(Region.objects.filter(name__icontains=text))
    if len(matches) != 1:
        raise CommandError(
            _("Name one region; %(count)s match “%(text)s”.")
            % {"count": len(matches), "text": text}
        )
    return matches[0]


def start_workers(count: int) -> list[subprocess.Popen]:
    """Workers for this batch: each runs tasks until the queue is empty, then stops."""
    if count <= 0 or not default_task_backend.supports_get_result:
        return []  # the immediate backend has run everything already
    command = [
        sys.executable,
        str(Path(settings.BASE_DIR) / "manage.py"),
        "run_worker",
        "--batch",
        "--interval",
        "0.2",
        "--no-startup-delay",
        "-v0",
    ]
    return [subprocess.Popen(command, env=os.environ.copy()) for _ in range(count)]  # noqa: S603


class Command(BaseCommand):
    help = "Render the report of every municipality in a region to a folder or a zip file."
    # A one-shot command: the URL check alone imports every view (0.5 s). The translation
    # checks stay, so a missing or stale catalogue stops it (boligsosial/checks.py).
    requires_system_checks = ["translation"]

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="the region's id or part of its name")
        parser.add_argument("--round", required=True, type=int, help="the round's year")
        parser.add_argument("--output", required=True, type=Path, help="a folder or a .zip")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="workers to start for the batch (default: one per core); 0 uses running ones",
        )

    def handle(self, *args, **options):
        region = find_region(options["region"])
        round_ = Round.objects.filter(year=options["round"]).first()
        if round_ is None:
            raise CommandError(_("There is no round %(year)s.") % {"year": options["round"]})
        batch = region_batch(region, round_)
        if not batch.analyses:
            raise CommandError(
                _("No municipality in this region has started its analysis in that round.")
            )
        output: Path = options["output"]
        started = time.perf_counter()
        job = services.start_region_batch(batch=batch, by=None)
        workers = start_workers(min(options["workers"], len(batch.analyses)))
        try:
            job, stats = self.follow(job, total=len(batch.analyses), workers=workers)
        finally:
            for worker in workers:
                worker.wait()
        if job.status != JobStatus.DONE:
            raise CommandError(
                _("The batch was not finished (%(status)s). Running workers go on with it.")
                % {"status": job.get_status_display()}
            )
        with job.result.open("rb") as result:
            if output.suffix.lower() == ".zip":
                output.write_bytes(result.read())
            else:
                output.mkdir(parents=True, exist_ok=True)
                with zipfile.ZipFile(result) as archive:
                    for name in archive.namelist():
                        if not name.endswith("-mangler.txt"):
                            (output / name).write_bytes(archive.read(name))
        self.stdout.write(
            _(
                "%(count)s reports in %(seconds).1f s (%(cached)s from the cache, "
                "%(failed)s failed): %(path)s"
            )
            % {
                "count": len(batch.analyses),
                "seconds": time.perf_counter() - started,
                "cached": stats["cached"],
                "failed": stats["failed"],
                "path": output,
            }
        )
        if stats["failed"]:
            raise CommandError(_("Some reports could not be made; see the lines above."))

    def follow(self, job: Job, *, total: int, workers: list) -> tuple[Job, dict]:
        """A line per report as it is finished (by whichever worker), saying which, how long,
        and whether it came from the cache; until the zip is made."""
        stats = {"cached": 0, "failed": 0}
        shown: set[int] = set()
        while True:
            job.refresh_from_db()
            finished = job.items.exclude(status=ItemStatus.PENDING).order_by(
                "finished_at", "position"
            )
            for item in finished.exclude(pk__in=shown):
                shown.add(item.pk)
                if item.status == ItemStatus.FAILED:
                    stats["failed"] += 1
                    note = _("FAILED, see the log")
                elif item.detail.get("from_cache"):
                    stats["cached"] += 1
                    note = _("from the cache")
                else:
                    note = _("rendered")
                self.stdout.write(
                    f"[{len(shown):>3}/{total}] {item.label:<29} {item.seconds or 0:5.1f} s  {note}"
                )
            if job.is_finished:
                return job, stats
            if workers and all(w.poll() is not None for w in workers):
                job.refresh_from_db()
                if not job.is_finished:
                    return job, stats  # its own workers are gone; running ones go on
            time.sleep(0.2)
