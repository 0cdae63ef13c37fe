"""An analysis's key figures: the municipality's figures with trends, definitions and the
county and country beside them (read from `keyfigures`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from analysis import access
from keyfigures.charts import trend_charts
from keyfigures.selectors import key_figures

SHOW_COUNTS = "antall"


@require_GET
def analysis_key_figures(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    show_counts = request.GET.get("visning") == SHOW_COUNTS
    figures = key_figures(analysis.municipality, show_counts=show_counts)
    charts = dict(trend_charts(figures.with_values))
    return render(
        request,
        "analysis/indicators/key_figures.html",
        {
            "analysis": analysis,
            "figures": figures,
            "show_counts": show_counts,
            # Each indicator with figures: its chart (with two years or more) and its table.
            "trends": [
                {
                    "figure": figure,
                    "chart": charts.get(figure.indicator.code),
                    "id": f"trend-{figure.indicator.code}-data",
                }
                for figure in figures.with_values
            ],
        },
    )


urlpatterns = [
    path("<int:pk>/nokkeltall/", analysis_key_figures, name="key_figures"),
]
