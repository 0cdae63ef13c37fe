"""The report as HTML and PDF from one template, and the archive of PDFs sent to politicians.

`templates/reports/report.html` holds the report's content once; it extends the app's page
frame for the browser and `reports/pdf_base.html` for WeasyPrint, so the two never drift
apart. The PDF is PDF/UA-1 (tagged, with language and title) and its charts are SVG images
with a text alternative.
"""

from __future__ import annotations

import hashlib
import logging
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from analysis.models import Analysis
from factors.charts import factor_profile_figure
from reports.charts import figure_to_svg, svg_data_uri
from reports.models import ArchivedReport
from reports.selectors import ReportContext, report_context

PRINT_STYLESHEET = "css/report-print.css"

# WeasyPrint logs every CSS property it does not know (Bootstrap-only ones in the shared
# markup) as a warning; they are harmless in the print path.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def profile_chart(ctx: ReportContext):
    names = [row.factor.name for row in ctx.factors]
    scores = [row.score for row in ctx.factors]
    users = [row.users_score for row in ctx.factors] if ctx.user_views else None
    return factor_profile_figure(names, scores, users_scores=users)


def profile_chart_alt(ctx: ReportContext) -> str:
    """The chart's text alternative: every number the bars show, in words."""
    parts = [
        _("%(factor)s: %(score)s")
        % {"factor": row.factor.name, "score": row.score or _("no score")}
        for row in ctx.factors
    ]
    return _("Bar chart of the six-factor profile, scores 1 to 5. %(values)s.") % {
        "values": "; ".join(parts)
    }


def _template_context(ctx: ReportContext, *, for_pdf: bool) -> dict:
    figure = profile_chart(ctx) if ctx.has_scores else None
    chart_alt = profile_chart_alt(ctx)
    context = {
        "report": ctx,
        "analysis": ctx.analysis,
        "for_pdf": for_pdf,
        "base_template": "reports/pdf_base.html" if for_pdf else "base.html",
        "generated_at": timezone.localtime(),
        "chart_alt": chart_alt,
    }
    if figure is not None:
        if for_pdf:
            context["chart_src"] = svg_data_uri(figure_to_svg(figure, title=chart_alt))
        else:
            context["chart_json"] = figure.to_plotly_json()
    return context


def render_report_html(
    analysis: Analysis,
    *,
    request: HttpRequest | None = None,
    for_pdf: bool = False,
    extra: dict | None = None,
) -> str:
    """The report as HTML: for the browser (inside the app's page frame) or, with for_pdf,
    the standalone document WeasyPrint lays out."""
    ctx = report_context(analysis)
    context = _template_context(ctx, for_pdf=for_pdf) | (extra or {})
    return render_to_string("reports/report.html", context, request=request)


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint alone, for the final HTML: A4, tagged PDF/UA-1."""
    from weasyprint import CSS, HTML  # imported late: about 0.8 s, only when a PDF is made

    stylesheet = CSS(filename=finders.find(PRINT_STYLESHEET))
    document = HTML(string=html, base_url=str(Path(finders.find(PRINT_STYLESHEET)).parent))
    # pdf_tags must be given to write_pdf too, or the structure tree is left out (STACK.md).
    return document.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1", pdf_tags=True)


def render_report_pdf(analysis: Analysis) -> bytes:
    return html_to_pdf(render_report_html(analysis, for_pdf=True))


def report_filename(analysis: Analysis, extension: str = "pdf") -> str:
    return f"foranalyse-{analysis.municipality.number}-{analysis.round.year}.{extension}"


@transaction.atomic
def archive_report(*, analysis: Analysis, by: User, purpose: str = "") -> ArchivedReport:
    """Render the PDF and keep it as sent: the bytes are stored once with who made it, when,
    their SHA-256 and the analysis version it came from. Nothing updates an archived report
    afterwards (the admin is read-only), so the file stays what the politicians received."""
    pdf = render_report_pdf(analysis)
    now = timezone.now()
    archived = ArchivedReport(
        analysis=analysis,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        analysis_version=analysis.version,
        language=(get_language() or "nb")[:5],
        purpose=purpose or _("For political leadership"),
        created_at=now,
        created_by=by,
    )
    name = report_filename(analysis).replace(".pdf", f"-{now:%Y%m%d-%H%M%S}.pdf")
    archived.file.save(name, ContentFile(pdf), save=False)
    archived.full_clean()
    archived.save()
    return archived


def archived_file_is_intact(archived: ArchivedReport) -> bool:
    with archived.file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest() == archived.sha256


class _Sink:
    """An unseekable file for zipfile: it collects what is written until it is handed on."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def region_reports_zip(analyses: Iterable[Analysis]) -> Iterator[bytes]:
    """A zip of every analysis's PDF, produced as it goes: each municipality's PDF is sent as
    soon as it is rendered, so the browser's download shows the progress. Each report is in
    its municipality's own language form."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for analysis in analyses:
            with translation.override(analysis.municipality.default_language):
                pdf = render_report_pdf(analysis)
            archive.writestr(report_filename(analysis), pdf)
            yield sink.take()
    yield sink.take()
