"""Render one municipality's report for a round to a file:

python manage.py render_report --municipality 1841 --round 2026 --output fauske.pdf
python manage.py render_report --municipality 1841 --round 2026 --output f.html --format html
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from boligsosial import pdf_layout
from reports import services
from reports.selectors import analysis_for_report


class Command(BaseCommand):
    help = "Render a municipality's pre-analysis report for a round as PDF (or HTML)."
    # A one-shot command: the URL check alone imports every view (0.5 s of the 1.5 s this
    # took). The translation checks stay: a missing or stale catalogue stops it rather than
    # writing the report in English (boligsosial/checks.py).
    requires_system_checks = ["translation"]

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="municipality number, 1841")
        parser.add_argument("--round", required=True, type=int, help="the round's year")
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf")
        parser.add_argument(
            "--language",
            choices=services.PDF_LANGUAGES,
            default=None,
            help="nb or nn (default: the municipality's målform)",
        )

    def handle(self, *args, **options):
        try:
            self.write_report(options)
        finally:
            # A layout process manage.py started and nothing used (an error, HTML output).
            pdf_layout.cancel_prestarted()

    def write_report(self, options):
        analysis = analysis_for_report(options["municipality"], options["round"])
        if analysis is None:
            raise CommandError(
                _("No analysis for municipality %(number)s in round %(year)s.")
                % {"number": options["municipality"], "year": options["round"]}
            )
        language = options["language"] or services.default_pdf_language(analysis)
        if options["format"] == "html":
            # The same self-contained document WeasyPrint lays out: styles inlined, the chart
            # as an SVG data URI, so the file opens styled anywhere.
            with translation.override(language):
                html = services.render_report_html(analysis, for_pdf=True)
            options["output"].write_text(html, encoding="utf-8")
        else:
            options["output"].write_bytes(services.render_report_pdf(analysis, language=language))
        self.stdout.write(
            _("Wrote %(path)s (%(size)s bytes).")
            % {"path": options["output"], "size": options["output"].stat().st_size}
        )
