"""An analysis's key figures: the municipality's figures with trends, definitions and the
county and country beside them (read from `keyfigures`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from analysis import access
from analysis.views import editing
from keyfigures import versions as figure_versions
from keyfigures.charts import trend_charts
from keyfigures.forms import LocalFigureForm
from keyfigures.models import LocalFigure
from keyfigures.selectors import key_figures, local_figures
from keyfigures.services.local import add_local_figure, remove_local_figure

SHOW_COUNTS = "antall"


@require_GET
def analysis_key_figures(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    return _page(request, analysis, LocalFigureForm())


def _page(request: HttpRequest, analysis, form: LocalFigureForm, status: int = 200):
    show_counts = request.GET.get("visning") == SHOW_COUNTS
    municipality = analysis.municipality
    token = figure_versions.current()

    def figures_and_trends() -> dict:
        figures = key_figures(municipality, show_counts=show_counts, trends=True, token=token)
        charts = dict(trend_charts(figures.with_values, municipality_name=municipality.name))
        return {
            "figures": figures,
            # Each indicator with figures: its chart (with two years or more) and its table.
            "trends": [
                {
                    "figure": figure,
                    "chart": charts.get(figure.indicator.code),
                    "id": f"trend-{figure.indicator.code}-data",
                }
                for figure in figures.with_values
            ],
        }

    return render(
        request,
        "analysis/indicators/key_figures.html",
        {
            "analysis": analysis,
            "show_counts": show_counts,
            "local_figures": local_figures(municipality),
            "can_add_figures": access.can_answer_for(request.user, analysis),
            "local_form": form,
            # The figures, their charts and tables change only with the figures' version
            # (which the municipality's and county's names are part of): kept rendered
            # under it, so a page whose figures have not changed reads one token.
            "figures_fragment_key": ":".join(
                str(part)
                for part in (
                    "key-figures",
                    municipality.pk,
                    municipality.county_id,
                    int(show_counts),
                    token,
                )
            ),
            "fragment_context": figures_and_trends,
        },
        status=status,
    )


@require_POST
def local_figure_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A figure of the municipality's own, added by one of its editors."""
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    form = LocalFigureForm(request.POST)
    if not form.is_valid():
        return _page(request, analysis, form, status=400)
    return editing.act(
        request,
        do=lambda: add_local_figure(
            municipality=analysis.municipality, by=request.user, **form.cleaned_data
        ),
        done_url=reverse("analysis:key_figures", args=[analysis.pk]) + "#egne-tall",
        done_message=_("The figure was added."),
    )


@require_POST
def local_figure_remove(request: HttpRequest, pk: int, figure: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    # Another municipality's figure is not found through this one's analysis.
    get_object_or_404(LocalFigure, municipality=analysis.municipality, pk=figure)
    return editing.act(
        request,
        do=lambda: remove_local_figure(municipality=analysis.municipality, pk=figure),
        done_url=reverse("analysis:key_figures", args=[analysis.pk]) + "#egne-tall",
        done_message=_("The figure was removed."),
    )


urlpatterns = [
    path("<int:pk>/nokkeltall/", analysis_key_figures, name="key_figures"),
    path("<int:pk>/nokkeltall/egne/", local_figure_add, name="local_figure_add"),
    path(
        "<int:pk>/nokkeltall/egne/<int:figure>/fjern/",
        local_figure_remove,
        name="local_figure_remove",
    ),
]
