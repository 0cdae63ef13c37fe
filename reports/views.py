"""The report in the page, as a PDF download, the archive of PDFs sent to politicians, and all
the answers as an Excel workbook.

Every view fetches through analysis.access: readers, editors, the region's advisers and
administrators may read and download; only editors archive; everyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import audit
from accounts.models import AuditAction
from analysis import access
from analysis.models import Round
from analysis.views import editing
from boligsosial.spreadsheets import XLSX
from plans import services as plan_services
from reports import exports, selectors, services
from reports.forms import PdfLanguageForm
from reports.models import ArchivedReport


@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    audit.record_adviser_opened(
        request.user, analysis.municipality, target=str(analysis), page="report"
    )
    html = services.render_report_page(
        analysis,
        request=request,
        extra={
            "can_archive": access.can_edit_municipality(request.user, analysis.municipality_id),
            "archived_count": analysis.archived_reports.count(),
            "pdf_languages": services.pdf_language_choices(),
            "pdf_default_language": services.default_pdf_language(analysis),
        },
    )
    return HttpResponse(html)


@require_POST
def measure_from_recommendation(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """One step from a recommendation that applies now to a measure in the plan, prefilled
    with its title, text and success factors; then to the measure's form for the owner, unit
    and deadline. A rule that does not apply to this analysis makes nothing."""
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    recommendation = next(
        (rec for rec in selectors.recommendations_of(analysis) if rec.rule.key == key), None
    )
    if recommendation is None:
        raise Http404
    back = analysis.get_absolute_url()
    made = []

    def create():
        made.append(
            plan_services.create_measure_from_recommendation(
                analysis=analysis,
                key=key,
                title=recommendation.title,
                description=recommendation.body,
                factor_numbers=recommendation.factor_numbers,
                by=request.user,
            )
        )

    response = editing.act(request, do=create, done_url=back)
    if not made:
        return response
    messages.success(
        request,
        _("The recommendation is now a measure in the plan. Name an owner, a unit and a deadline."),
    )
    return redirect("plans:measure_edit", pk=analysis.pk, measure_pk=made[0].pk)


def _round_not_found(request: HttpRequest, year: int) -> HttpResponse:
    """A round that does not exist gets a page saying so and naming the rounds there are:
    rounds are the same for everybody, so this tells nobody anything they may not know."""
    return render(
        request,
        "reports/round_not_found.html",
        {"year": year, "rounds": list(Round.objects.order_by("-year"))},
        status=404,
    )


@require_GET
def report_for_round(request: HttpRequest, number: str, year: int) -> HttpResponse:
    """/rapport/kommune/1841/2026/: a readable address. A municipality out of reach is a
    plain 404; an unknown round says so."""
    municipality = access.get_municipality_for_user(request.user, number)
    if not Round.objects.filter(year=year).exists():
        return _round_not_found(request, year)
    analysis = selectors.analysis_for_report(municipality.number, year)
    if analysis is None:
        raise Http404
    return redirect("reports:report", pk=analysis.pk)


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    form = PdfLanguageForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("This language is not offered for the PDF."))
    language = form.language_or(services.default_pdf_language(analysis))
    pdf, _from_cache = services.report_pdf(analysis, language=language)
    audit.record(
        AuditAction.PDF_DOWNLOADED,
        municipality=analysis.municipality,
        target=str(analysis),
        details={"analysis": analysis.pk, "language": language},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{services.report_filename(analysis)}"'
    response["Content-Language"] = language
    return response


@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    form = PdfLanguageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("This language is not offered for the PDF."))
    language = form.language_or(services.default_pdf_language(analysis))
    try:
        services.archive_report(analysis=analysis, by=request.user, language=language)
    except services.ArchiveConflict as conflict:
        messages.error(request, str(conflict))
        return redirect(reverse("reports:report", args=[analysis.pk]))
    audit.record(
        AuditAction.REPORT_ARCHIVED,
        municipality=analysis.municipality,
        target=str(analysis),
        details={"analysis": analysis.pk, "language": language},
    )
    messages.success(request, _("The PDF was archived. It will not change afterwards."))
    return redirect(reverse("reports:archive_list", args=[analysis.pk]))


@require_GET
def archive_list(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    return render(
        request,
        "reports/archive_list.html",
        {
            "analysis": analysis,
            "archived": selectors.archived_reports(analysis),
            "can_archive": access.can_edit_municipality(request.user, analysis.municipality_id),
            "pdf_languages": services.pdf_language_choices(),
            "pdf_default_language": services.default_pdf_language(analysis),
        },
    )


@require_GET
def archived_download(request: HttpRequest, pk: int) -> FileResponse:
    archived = ArchivedReport.objects.filter(pk=pk).only("analysis_id", "file").first()
    if archived is None:
        raise Http404
    # The archived file is as reachable as its analysis: outsiders get the same 404.
    analysis = access.get_analysis_for_user(request.user, archived.analysis_id)
    name = services.report_filename(analysis).replace(".pdf", f"-{archived.pk}.pdf")
    audit.record(
        AuditAction.PDF_DOWNLOADED,
        municipality=analysis.municipality,
        target=name,
        details={"analysis": analysis.pk, "archived": archived.pk},
    )
    return FileResponse(
        archived.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


@require_POST
def region_zip(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Every started municipality's report in the adviser's region, as one zip made in the
    background (about a second a report, shared by the workers); the adviser follows it on the
    job's page and downloads the zip there."""
    region = access.get_region_for_user(request.user, pk)
    round_ = Round.objects.filter(year=year).first()
    if round_ is None:
        return _round_not_found(request, year)
    # Only the started analyses; the README names those left out, in the adviser's language.
    batch = selectors.region_batch(region, round_)
    audit.record(
        AuditAction.PDF_DOWNLOADED,
        region=region,
        target=f"{region} {year}",
        details={"zip": True, "municipalities": len(batch.analyses)},
    )
    job = services.start_region_batch(batch=batch, by=request.user)
    return redirect(job)


@require_GET
def answers_export(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    response = HttpResponse(exports.analysis_answers_xlsx(analysis), content_type=XLSX)
    name = f"foranalyse-{slugify(analysis.municipality.name)}-{analysis.round.year}.xlsx"
    audit.record(
        AuditAction.EXPORT,
        municipality=analysis.municipality,
        target=name,
        details={"analysis": analysis.pk, "format": "xlsx"},
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
