"""The report as HTML and PDF from one template, and the archive of PDFs sent to politicians.

`templates/reports/report.html` holds the report's content once; it extends the app's page
frame for the browser and `reports/pdf_base.html` for WeasyPrint, so the two never drift
apart. The PDF is PDF/UA-1 (tagged, with language and title) and its charts are SVG images
with a text alternative. The print stylesheet is inlined into the PDF's HTML, so that HTML is
a complete document on its own: what `render_report --format html` writes is exactly what
WeasyPrint reads.

A PDF is in the municipality's own written form (målform) unless the person asks for the
other one: a report for the municipality's political leadership follows the form the
municipality has chosen (cf. språklova § 15 for state bodies writing to it).

Rendered PDFs are kept in a cache (reports/cache.py) keyed by the exact HTML they come from,
so a region's batch only lays out what changed. Archived PDFs are separate: they are stored
once and never change, whatever happens to the cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version as package_version
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analysis.models import Analysis
from boligsosial import pdf_layout
from boligsosial.charts import Figure, svg_data_uri
from factors.charts import factor_profile_figure
from jobs import services as jobs
from jobs.models import Job
from reports import cache as pdf_cache
from reports import versions as report_versions
from reports.models import ArchivedReport
from reports.selectors import RegionBatch, ReportContext, report_context

PRINT_STYLESHEET = "css/report-print.css"
# The languages a PDF can be made in: the two written forms of Norwegian (DESIGN.md, Language).
PDF_LANGUAGES = ("nb", "nn")
# Stands in the PDF's HTML where the chart's SVG goes, until the PDF is actually laid out: the
# cache key is taken from the HTML without the chart (and the chart's figure), so a cache hit
# costs neither the SVG export nor WeasyPrint. Quotes in answers are escaped, so no answer can
# produce `src="…"` and be mistaken for it.
CHART_PLACEHOLDER = f"{pdf_layout.CHART_URL}report-chart"
TREND_CHART_PLACEHOLDER = f"{pdf_layout.CHART_URL}trend-chart"
# Raise when html_to_pdf's options change in a way the HTML does not show.
PDF_FORMAT_VERSION = "2"
# How many times archiving renders again when the analysis changed during rendering.
ARCHIVE_ATTEMPTS = 3

logger = logging.getLogger(__name__)

# WeasyPrint logs every CSS property it does not know (Bootstrap-only ones in the shared
# markup) as a warning; they are harmless in the print path.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


class ArchiveConflict(Exception):
    """The analysis kept changing while its PDF was being made."""


def pdf_language_choices() -> list[tuple[str, str]]:
    names = dict(settings.LANGUAGES)
    return [(code, str(names[code])) for code in PDF_LANGUAGES]


def default_pdf_language(analysis: Analysis) -> str:
    """The municipality's målform: nynorsk municipalities get nynorsk, the rest bokmål."""
    return analysis.municipality.default_language


def document_title(analysis: Analysis) -> str:
    """The title in the browser tab and in the PDF's metadata: "Foranalyse 2026 – Fauske
    kommune" (the round already says it is a pre-analysis)."""
    return _("%(round)s – %(municipality)s municipality") % {
        "round": analysis.round.title,
        "municipality": analysis.municipality.name,
    }


def profile_chart(ctx: ReportContext) -> Figure:
    names = [row.factor.name for row in ctx.factors]
    scores = [row.score for row in ctx.factors]
    users = [row.users_score for row in ctx.factors] if ctx.user_views else None
    previous = [row.previous_score for row in ctx.factors] if ctx.previous_round else None
    return factor_profile_figure(names, scores, users_scores=users, previous_scores=previous)


def profile_chart_alt(ctx: ReportContext) -> str:
    """The chart's text alternative: every number the bars show, in words."""
    if ctx.previous_round:
        parts = [
            _("%(factor)s: %(score)s (%(round)s: %(previous)s)")
            % {
                "factor": row.factor.name,
                "score": row.score or _("no score"),
                "round": ctx.previous_round.title,
                "previous": row.previous_score or _("no score"),
            }
            for row in ctx.factors
        ]
    else:
        parts = [
            _("%(factor)s: %(score)s")
            % {"factor": row.factor.name, "score": row.score or _("no score")}
            for row in ctx.factors
        ]
    return _("Bar chart of the six-factor profile, scores 1 to 5. %(values)s.") % {
        "values": "; ".join(parts)
    }


def trend_chart_alt(ctx: ReportContext) -> str:
    """The trend chart's text alternative: every factor's score in each round, in words."""
    trend = ctx.trend
    parts = [
        _("%(factor)s: %(scores)s")
        % {
            "factor": f"{factor.number}. {factor.name}",
            "scores": ", ".join(
                f"{title} {score if score is not None else _('no score')}"
                for title, score in zip(trend.rounds, scores, strict=True)
            ),
        }
        for factor, scores in trend.rows
    ]
    return _("Line chart of the scores over every round, 1 to 5. %(values)s.") % {
        "values": "; ".join(parts)
    }


def print_stylesheet() -> str:
    return Path(finders.find(PRINT_STYLESHEET)).read_text(encoding="utf-8")


def _template_context(ctx: ReportContext, *, for_pdf: bool) -> dict:
    context = {
        "report": ctx,
        "analysis": ctx.analysis,
        "for_pdf": for_pdf,
        "base_template": "reports/pdf_base.html" if for_pdf else "base.html",
        "document_title": document_title(ctx.analysis),
        "generated_at": timezone.localtime(),
        "chart_alt": profile_chart_alt(ctx),
        "trend_chart_alt": trend_chart_alt(ctx) if ctx.trend and ctx.trend.shown else "",
    }
    if for_pdf:
        context["print_css"] = print_stylesheet()
    return context


@dataclass(frozen=True)
class PdfChart:
    """A chart still to be drawn: where its SVG goes, its figure and its text alternative."""

    placeholder: str
    figure: Figure
    alt: str


@dataclass(frozen=True)
class PdfSource:
    """The PDF's HTML with the charts still to be drawn, and what they are drawn from."""

    html: str
    charts: tuple[PdfChart, ...] = ()

    @property
    def fingerprint(self) -> str:
        """Every input of the PDF: the HTML (answers, scores, key figures, recommendation
        texts, the inlined stylesheet, the date on the cover, the language), the charts'
        figures, and the layout engine's version."""
        digest = hashlib.sha256()
        for part in (
            PDF_FORMAT_VERSION,
            _weasyprint_version(),
            self.html,
            *(
                f"{c.placeholder}\0{json.dumps(c.figure, sort_keys=True)}\0{c.alt}"
                for c in self.charts
            ),
        ):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def final_html(self) -> str:
        """The HTML with its charts drawn in, as SVG data URIs."""
        if not self.charts:
            return self.html
        html = self.html
        svgs = pdf_layout.draw_charts([(chart.figure, chart.alt) for chart in self.charts])
        for chart, svg in zip(self.charts, svgs, strict=True):
            html = html.replace(f'src="{chart.placeholder}"', f'src="{svg_data_uri(svg)}"', 1)
        return html


@cache
def _weasyprint_version() -> str:
    return package_version("weasyprint")


def pdf_source(analysis: Analysis) -> PdfSource:
    """The PDF's HTML in the active language, with a placeholder for the chart."""
    ctx = report_context(analysis)
    context = _template_context(ctx, for_pdf=True)
    charts = []
    if ctx.has_scores:
        charts.append(PdfChart(CHART_PLACEHOLDER, profile_chart(ctx), context["chart_alt"]))
        context["chart_src"] = CHART_PLACEHOLDER
        if ctx.trend is not None and ctx.trend.shown:
            charts.append(
                PdfChart(TREND_CHART_PLACEHOLDER, ctx.trend.chart(), context["trend_chart_alt"])
            )
            context["trend_chart_src"] = TREND_CHART_PLACEHOLDER
    html = render_to_string("reports/report.html", context)
    return PdfSource(html=html, charts=tuple(charts))


def render_report_html(
    analysis: Analysis,
    *,
    request: HttpRequest | None = None,
    for_pdf: bool = False,
    extra: dict | None = None,
) -> str:
    """The report as HTML: for the browser (inside the app's page frame) or, with for_pdf,
    the standalone, self-contained document WeasyPrint lays out (styles inlined, chart as an
    SVG data URI)."""
    if for_pdf:
        return pdf_source(analysis).final_html()
    ctx = report_context(analysis)
    context = _template_context(ctx, for_pdf=False) | (extra or {})
    if ctx.has_scores:
        context["chart_json"] = profile_chart(ctx)
        if ctx.trend is not None and ctx.trend.shown:
            context["trend_chart_json"] = ctx.trend.chart()
    return render_to_string("reports/report.html", context, request=request)


def render_report_page(analysis: Analysis, *, request: HttpRequest, extra: dict) -> str:
    """The report in the app's page frame, its content kept rendered under a key that changes
    with everything it shows (reports/versions.py): a page whose data has not changed since
    it was last rendered reads three tokens instead of the report's thirty-odd queries, and
    renders only the frame and the actions. `extra` holds the page's actions (can_archive,
    archived_count, pdf_languages, pdf_default_language)."""
    can_act = bool(extra.get("can_archive")) and analysis.is_editable
    # Read only when the kept content is missing (and by tests that look at the context).
    ctx = SimpleLazyObject(lambda: report_context(analysis))

    def report_data() -> dict:
        data = _template_context(ctx, for_pdf=False)
        if ctx.has_scores:
            data["chart_json"] = profile_chart(ctx)
            if ctx.trend is not None and ctx.trend.shown:
                data["trend_chart_json"] = ctx.trend.chart()
        return data

    context = {
        "analysis": analysis,
        "for_pdf": False,
        "base_template": "base.html",
        "document_title": document_title(analysis),
        "report": ctx,
        "report_fragment_key": report_versions.page_key(analysis, can_act=can_act),
        "fragment_context": report_data,
        **extra,
    }
    return render_to_string("reports/report.html", context, request=request)


def pdf_base_url() -> str:
    return str(Path(finders.find(PRINT_STYLESHEET)).parent)


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint alone, for the final HTML: A4, tagged PDF/UA-1. The HTML carries its own
    stylesheet, so nothing else goes in. (`manage.py render_report` lays out in a process
    started before Django instead: render_report_pdf.)"""
    return pdf_layout.layout(html, pdf_base_url())


def render_report_pdf(analysis: Analysis, *, language: str | None = None) -> bytes:
    """A fresh PDF, never from the cache (the archive uses this); in the municipality's
    målform unless `language` says otherwise."""
    with translation.override(language or default_pdf_language(analysis)):
        source = pdf_source(analysis)
        if pdf_layout.is_prestarted():  # manage.py render_report
            charts = [(chart.placeholder, chart.figure, chart.alt) for chart in source.charts]
            return pdf_layout.lay_out_prestarted(source.html, pdf_base_url(), charts)
        return html_to_pdf(source.final_html())


def report_pdf(analysis: Analysis, *, language: str | None = None) -> tuple[bytes, bool]:
    """The PDF from the cache when nothing it shows has changed, else rendered and cached.
    Returns (pdf, came from the cache)."""
    language = language or default_pdf_language(analysis)
    with translation.override(language):
        source = pdf_source(analysis)
    key = pdf_cache.CacheKey(analysis.pk, analysis.version, language, source.fingerprint)
    pdf = pdf_cache.get(key)
    if pdf is not None:
        return pdf, True
    pdf = html_to_pdf(source.final_html())
    pdf_cache.put(key, pdf)
    return pdf, False


def report_filename(analysis: Analysis, extension: str = "pdf") -> str:
    return f"foranalyse-{analysis.municipality.number}-{analysis.round.year}.{extension}"


def _fresh(analysis: Analysis) -> Analysis:
    return Analysis.objects.select_related(
        "municipality__county__region", "round__questionnaire"
    ).get(pk=analysis.pk)


def archive_report(
    *, analysis: Analysis, by: User, language: str | None = None, purpose: str = ""
) -> ArchivedReport:
    """Render the PDF and keep it as sent: the bytes are stored once with who made it, when,
    the language, their SHA-256 and the analysis version it came from. Nothing updates an
    archived report afterwards (the admin is read-only), so the file stays what the
    politicians received.

    The version recorded must be the version the PDF shows. Rendering takes a second and
    holds no lock (planners keep saving meanwhile); afterwards the analysis row is locked
    (select_for_update) and its version compared with the one rendered. If a save came in
    between, the PDF is made again; after ARCHIVE_ATTEMPTS tries ArchiveConflict is raised
    and nothing is stored.
    """
    language = language or default_pdf_language(analysis)
    for _attempt in range(ARCHIVE_ATTEMPTS):
        current = _fresh(analysis)
        pdf = render_report_pdf(current, language=language)
        with transaction.atomic():
            locked = Analysis.objects.select_for_update().only("version").get(pk=analysis.pk)
            if locked.version != current.version:
                continue
            now = timezone.now()
            archived = ArchivedReport(
                analysis=current,
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
                analysis_version=current.version,
                language=language,
                purpose=purpose or _("For political leadership"),
                created_at=now,
                created_by=by,
            )
            name = report_filename(current).replace(".pdf", f"-{language}-{now:%Y%m%d-%H%M%S}.pdf")
            archived.file.save(name, ContentFile(pdf), save=False)
            archived.full_clean()
            archived.save()
            return archived
    raise ArchiveConflict(
        _("The analysis changed while the PDF was being made. Nothing was archived; try again.")
    )


def archive_as_submitted(*, analysis_id: int, submitted_by_id: int | None, version: int):
    """The PDF of what a municipality submitted, kept in the archive (issue 15: the receipt's
    snapshot). Made by a background task after the submission's commit; returns the archived
    report, or None when there is nothing (more) to make: the answers have changed since the
    submission (it was sent back and edited before the task ran, so the PDF would not show
    what was sent), or this submission's snapshot exists already (a task run again after its
    worker was lost)."""
    analysis = Analysis.objects.select_related(
        "municipality__county__region", "round__questionnaire"
    ).get(pk=analysis_id)
    if analysis.version != version or analysis.submitted_at is None:
        return None
    made = ArchivedReport.objects.filter(
        analysis=analysis,
        analysis_version=version,
        created_by_id=submitted_by_id,
        created_at__gte=analysis.submitted_at,
    )
    if made.exists():
        return None
    by = User.objects.filter(pk=submitted_by_id).first()
    language = default_pdf_language(analysis)
    with translation.override(language):
        return archive_report(
            analysis=analysis, by=by, language=language, purpose=_("As submitted")
        )


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


@dataclass(frozen=True)
class BatchItem:
    analysis: Analysis
    filename: str
    pdf: bytes | None  # None: this report could not be made
    from_cache: bool
    seconds: float


def batch_filename(analysis: Analysis) -> str:
    """<number>-<name>.pdf, e.g. 1865-Vågan.pdf: sorts by number and reads at a glance.
    Spaces become hyphens; Django's get_valid_filename drops anything that could name a
    folder."""
    name = get_valid_filename("-".join(analysis.municipality.name.split()))
    return f"{analysis.municipality.number}-{name}.pdf"


def region_reports(analyses: Iterable[Analysis]) -> Iterator[BatchItem]:
    """Each analysis's PDF in its municipality's målform, from the cache where it can be, one
    at a time. A report that fails is logged and reported as missing; the others go on."""
    for analysis in analyses:
        started = time.perf_counter()
        try:
            pdf, from_cache = report_pdf(analysis)
        except Exception:
            logger.exception("The report for analysis %s could not be made", analysis.pk)
            pdf, from_cache = None, False
        yield BatchItem(
            analysis, batch_filename(analysis), pdf, from_cache, time.perf_counter() - started
        )


BATCH_README = "README.txt"


def region_batch_readme(batch: RegionBatch) -> str:
    """What the zip holds, in the language of the person (or command) asking: the round, when
    it was made, and which municipalities are not in it because they have not started."""
    made = formats.date_format(timezone.localtime(), "j. F Y H:i")
    lines = [
        _("Pre-analysis reports – %(region)s") % {"region": batch.region.name},
        "",
        _("Round: %(round)s") % {"round": batch.round.title},
        _("Made: %(when)s") % {"when": made},
        "",
        ngettext(
            "The report of %(count)s municipality that has started its pre-analysis, as "
            "<number>-<name>.pdf.",
            "The reports of the %(count)s municipalities that have started their "
            "pre-analysis, one PDF each, named <number>-<name>.pdf.",
            len(batch.analyses),
        )
        % {"count": len(batch.analyses)},
    ]
    if batch.not_started:
        lines += [
            "",
            ngettext(
                "Left out because the pre-analysis has not been started (%(count)s municipality):",
                "Left out because the pre-analysis has not been started (%(count)s "
                "municipalities):",
                len(batch.not_started),
            )
            % {"count": len(batch.not_started)},
            *(f"  {m.number} {m.name}" for m in batch.not_started),
        ]
    else:
        lines += ["", _("Every municipality in the region has started; none was left out.")]
    # Windows' Notepad, where many advisers will open it, wants CRLF.
    return "\r\n".join(lines) + "\r\n"


def start_region_batch(*, batch: RegionBatch, by: User | None) -> Job:
    """The region's reports as a background job: one task per started municipality, which
    every free worker shares, then the zip (reports/tasks.py). The README is written now, in
    the language of the person asking; the job's page shows the progress and the download."""
    from reports import tasks

    return jobs.start_batch(
        kind="region_reports",
        owner=by,
        title=_("Reports for %(region)s, %(round)s")
        % {"region": batch.region.name, "round": batch.round.title},
        items=[
            (str(a.pk), f"{a.municipality.number} {a.municipality.name}") for a in batch.analyses
        ],
        item_task=tasks.render_region_report,
        finish_task=tasks.assemble_region_zip,
        params={
            "region": batch.region.pk,
            "round": batch.round.year,
            "readme": region_batch_readme(batch),
            "filename": f"foranalyser-{batch.round.year}-region-{batch.region.pk}.zip",
        },
    )


def missing_report_note(analysis: Analysis) -> str:
    with translation.override(default_pdf_language(analysis)):
        return _(
            "The report for %(municipality)s could not be made. Try again, or download it "
            "from the municipality's report page."
        ) % {"municipality": analysis.municipality.name}


def region_reports_zip(items: Iterable[BatchItem], *, readme: str = "") -> Iterator[bytes]:
    """The batch as a zip, produced as it goes: each municipality's PDF is handed on as soon as
    it is ready (at once from the cache, else after about a second of rendering), so a
    download shows progress and nothing holds every PDF in memory. A report that failed
    becomes a short text file saying so: the zip stays whole and shows which one is missing."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        if readme:
            archive.writestr(BATCH_README, readme)
            yield sink.take()
        for item in items:
            if item.pdf is None:
                name = item.filename.replace(".pdf", "-mangler.txt")
                archive.writestr(name, missing_report_note(item.analysis))
            else:
                archive.writestr(item.filename, item.pdf)
            yield sink.take()
    yield sink.take()
