"""The report in the page, as a PDF download, and the archive of PDFs sent to politicians.

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
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from analysis import access
from analysis.models import Analysis, Round
from reports import selectors, services
from reports.management.commands.render_region_reports import region_analyses
from reports.models import ArchivedReport


@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    html = services.render_report_html(
        analysis,
        request=request,
        extra={
            "can_archive": access.can_edit_municipality(request.user, analysis.municipality_id),
            "archived_count": analysis.archived_reports.count(),
        },
    )
    return HttpResponse(html)


@require_GET
def report_for_round(request: HttpRequest, number: str, year: int) -> HttpResponse:
    """/rapport/1841/2026/: a readable address; an unknown round or municipality is 404."""
    municipality = access.get_municipality_for_user(request.user, number)
    analysis = Analysis.objects.filter(municipality=municipality, round__year=year).first()
    if analysis is None:
        raise Http404
    return redirect("reports:report", pk=analysis.pk)


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    pdf = services.render_report_pdf(analysis)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{services.report_filename(analysis)}"'
    return response


@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    services.archive_report(analysis=analysis, by=request.user)
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
    return FileResponse(
        archived.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


@require_GET
def region_zip(request: HttpRequest, pk: int, year: int) -> StreamingHttpResponse:
    """Every municipality's report in the adviser's region, as one zip streamed while the
    PDFs are made (about 0.7 s each; see bench_reports.py)."""
    region = access.get_region_for_user(request.user, pk)
    if not Round.objects.filter(year=year).exists():
        raise Http404
    analyses = region_analyses(region, year)
    response = StreamingHttpResponse(
        services.region_reports_zip(analyses), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="foranalyser-{year}-region-{pk}.zip"'
    return response
