"""Key figures for an analysis, and the administrators' import of statistics files."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from analysis import access
from analysis.importers import ImportError_
from analysis.indicator_forms import IndicatorUploadForm
from analysis.selectors.indicators import key_figures, trend_figure_json
from analysis.services.indicators import import_indicator_file


@require_GET
def analysis_key_figures(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    show_counts = request.GET.get("visning") == "antall"
    figures = key_figures(analysis.municipality, show_counts=show_counts)
    return render(
        request,
        "analysis/indicators/key_figures.html",
        {
            "analysis": analysis,
            "figures": figures,
            "show_counts": show_counts,
            "trend_chart": json.loads(trend_figure_json(figures)),
            "has_values": any(f.year for f in figures),
            "fictitious": any("fiktiv" in f.source_file.lower() for f in figures),
        },
    )


@require_http_methods(["GET", "POST"])
def indicator_upload(request: HttpRequest) -> HttpResponse:
    access.require_administrator(request.user)
    form = IndicatorUploadForm(request.POST or None, request.FILES or None)
    report, errors = None, []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        indicator = form.cleaned_data["indicator"]
        limit = settings.INDICATOR_FILE_MAX_BYTES
        try:
            if upload.size > limit:
                # Refused by its size before a byte is read.
                raise ImportError_(
                    [
                        _("The file is %(size)s MB; the limit is %(limit)s MB.")
                        % {"size": round(upload.size / 1e6, 1), "limit": round(limit / 1e6)}
                    ]
                )
            report = import_indicator_file(
                data=upload.read(),
                filename=upload.name,
                indicator_code=indicator.code if indicator else None,
                dry_run=form.cleaned_data["dry_run"],
            )
        except ImportError_ as error:
            errors = error.errors
    return render(
        request,
        "analysis/indicators/upload.html",
        {"form": form, "report": report, "errors": errors},
        status=400 if errors else 200,
    )


urlpatterns = [
    path("<int:pk>/nokkeltall/", analysis_key_figures, name="key_figures"),
    path("nokkeltall/import/", indicator_upload, name="indicator_upload"),
]
