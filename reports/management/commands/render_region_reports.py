"""Every municipality of a region in one go, for an adviser:

    python manage.py render_region_reports --region Nordland --round 2026 --output nordland/
    python manage.py render_region_reports --region Nordland --round 2026 --output nordland.zip

One PDF per municipality (foranalyse-<number>-<year>.pdf) in a folder, or in a zip when the
output ends in .zip, with a progress line per municipality.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from analysis.models import Analysis, Region
from reports import services


def region_analyses(region: Region, year: int) -> list[Analysis]:
    return list(
        Analysis.objects.filter(
            municipality__county__region=region,
            municipality__valid_to__isnull=True,
            round__year=year,
        )
        .select_related("municipality__county__region", "round__questionnaire")
        .order_by("municipality__number")
    )


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
        analyses = region_analyses(region, options["round"])
        if not analyses:
            raise CommandError(_("No analyses in this region for that round."))
        output: Path = options["output"]
        as_zip = output.suffix.lower() == ".zip"
        if not as_zip:
            output.mkdir(parents=True, exist_ok=True)
        archive = zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) if as_zip else None
        started = time.perf_counter()
        try:
            for index, analysis in enumerate(analyses, start=1):
                t0 = time.perf_counter()
                with translation.override(analysis.municipality.default_language):
                    pdf = services.render_report_pdf(analysis)
                name = services.report_filename(analysis)
                if archive is not None:
                    archive.writestr(name, pdf)
                else:
                    (output / name).write_bytes(pdf)
                self.stdout.write(
                    f"[{index:>3}/{len(analyses)}] {analysis.municipality.number} "
                    f"{analysis.municipality.name:<24} {time.perf_counter() - t0:5.1f} s"
                )
        finally:
            if archive is not None:
                archive.close()
        self.stdout.write(
            _("%(count)s reports in %(seconds).1f s: %(path)s")
            % {"count": len(analyses), "seconds": time.perf_counter() - started, "path": output}
        )
