"""Every municipality of a region in one go, for an adviser:

    python manage.py render_region_reports --region Nordland --round 2026 --output nordland/
    python manage.py render_region_reports --region Nordland --round 2026 --output nordland.zip

One PDF per municipality that has started its analysis (<number>-<name>.pdf), each in its
municipality's målform, in a folder, or in a zip when the output ends in .zip, with a
README.txt naming the round, the date and the municipalities left out because they have not
started, and a progress line per municipality. PDFs whose content has not changed come from
the report cache (reports/cache.py), the same one the web's region zip uses, so a second run
takes seconds.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from analysis.models import Round
from reference.models import Region
from reports import services
from reports.selectors import region_batch


def find_region(text: str) -> Region:
    if text.isdigit():
        region = Region.objects.filter(pk=int(text)).first()
        if region:
            return region
    matches = list(Region.objects.filter(name__icontains=text))
    if len(matches) != 1:
        raise CommandError(
            _("Name one region; %(count)s match “%(text)s”.")
            % {"count": len(matches), "text": text}
        )
    return matches[0]


class Command(BaseCommand):
    help = "Render the report of every municipality in a region to a folder or a zip file."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="the region's id or part of its name")
        parser.add_argument("--round", required=True, type=int, help="the round's year")
        parser.add_argument("--output", required=True, type=Path, help="a folder or a .zip")

    def handle(self, *args, **options):
        region = find_region(options["region"])
        round_ = Round.objects.filter(year=options["round"]).first()
        if round_ is None:
            raise CommandError(_("There is no round %(year)s.") % {"year": options["round"]})
        batch = region_batch(region, round_)
        analyses = batch.analyses
        if not analyses:
            raise CommandError(
                _("No municipality in this region has started its analysis in that round.")
            )
        readme = services.region_batch_readme(batch)
        output: Path = options["output"]
        started = time.perf_counter()
        stats = {"cached": 0, "failed": 0}

        def progress(items):
            """Each report as it is ready, with a line saying which, how long, and whether
            it came from the cache (the same cache the web's region zip uses)."""
            for index, item in enumerate(items, start=1):
                if item.pdf is None:
                    stats["failed"] += 1
                    note = _("FAILED, see the log")
                elif item.from_cache:
                    stats["cached"] += 1
                    note = _("from the cache")
                else:
                    note = _("rendered")
                self.stdout.write(
                    f"[{index:>3}/{len(analyses)}] {item.analysis.municipality.number} "
                    f"{item.analysis.municipality.name:<24} {item.seconds:5.1f} s  {note}"
                )
                yield item

        items = progress(services.region_reports(analyses))
        if output.suffix.lower() == ".zip":
            with output.open("wb") as handle:
                for chunk in services.region_reports_zip(items, readme=readme):
                    handle.write(chunk)
        else:
            output.mkdir(parents=True, exist_ok=True)
            (output / services.BATCH_README).write_text(readme, encoding="utf-8")
            for item in items:
                if item.pdf is not None:
                    (output / item.filename).write_bytes(item.pdf)
        self.stdout.write(
            _(
                "%(count)s reports in %(seconds).1f s (%(cached)s from the cache, "
                "%(failed)s failed): %(path)s"
            )
            % {
                "count": len(analyses),
                "seconds": time.perf_counter() - started,
                "cached": stats["cached"],
                "failed": stats["failed"],
                "path": output,
            }
        )
        if stats["failed"]:
            raise CommandError(_("Some reports could not be made; see the lines above."))
