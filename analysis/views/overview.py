"""The adviser's regional overview, the administrators' national view, and their exports."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from analysis import access
from analysis.models import County, Municipality, Region, Round
from analysis.review_forms import OverviewFilterForm
from analysis.selectors.core import current_round
from analysis.selectors.overview import filter_and_sort, overview_rows, previous_round
from analysis.services import exports
from factors.models import SuccessFactor


def _round(request: HttpRequest) -> Round:
    year = request.GET.get("runde")
    if year:
        try:
            return Round.objects.select_related("questionnaire").get(year=int(year))
        except (ValueError, Round.DoesNotExist):
            raise Http404(_("There is no round for that year.")) from None
    round_ = current_round()
    if round_ is None:
        raise Http404(_("No round has been opened yet."))
    return round_


def _overview(request: HttpRequest, municipalities, counties) -> dict:
    round_ = _round(request)
    filters = OverviewFilterForm(request.GET or None, counties=counties)
    params = filters.cleaned_data if filters.is_valid() else {}
    params = {**params, "sort": request.GET.get("sort"), "dir": request.GET.get("dir")}
    rows = filter_and_sort(overview_rows(municipalities, round_), params)
    query = request.GET.copy()
    query.pop("sort", None)
    query.pop("dir", None)
    return {
        "round": round_,
        "previous_round": previous_round(round_),
        "rounds": Round.objects.all(),
        "rows": rows,
        "filters": filters,
        "factor_columns": [(f, f"f{f.number}") for f in SuccessFactor.objects.all()],
        "sort_columns": [
            ("number", _("Number")),
            ("name", _("Municipality")),
            ("county", _("County")),
            ("status", _("Status")),
            ("progress", _("Progress")),
            ("activity", _("Last activity")),
        ],
        "sort": params["sort"] or "number",
        "dir": params["dir"] or "asc",
        "base_query": query.urlencode(),
        "full_query": request.GET.urlencode(),
    }


@require_GET
def region_overview(request: HttpRequest, pk: int) -> HttpResponse:
    region = access.get_region_for_user(request.user, pk)
    municipalities = Municipality.objects.filter(county__region=region, valid_to__isnull=True)
    counties = County.objects.filter(region=region)
    context = _overview(request, municipalities, counties)
    return render(request, "analysis/overview/region.html", {"region": region, **context})


@require_GET
def region_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    region = access.get_region_for_user(request.user, pk)
    municipalities = Municipality.objects.filter(county__region=region, valid_to__isnull=True)
    context = _overview(request, municipalities, County.objects.filter(region=region))
    return _export(context["rows"], fmt, f"oversikt-{region.pk}-{context['round'].year}")


@require_GET
def national_overview(request: HttpRequest) -> HttpResponse:
    access.require_administrator(request.user)
    context = _overview(
        request, Municipality.objects.filter(valid_to__isnull=True), County.objects.all()
    )
    groups: dict[int, list] = {}
    for row in context["rows"]:
        groups.setdefault(row.municipality.county.region_id, []).append(row)
    regions = {r.pk: r for r in Region.objects.all()}
    context["groups"] = [
        (regions[pk], rows)
        for pk, rows in sorted(groups.items(), key=lambda item: regions[item[0]].name)
    ]
    return render(request, "analysis/overview/national.html", context)


@require_GET
def national_export(request: HttpRequest, fmt: str) -> HttpResponse:
    access.require_administrator(request.user)
    context = _overview(
        request, Municipality.objects.filter(valid_to__isnull=True), County.objects.all()
    )
    return _export(context["rows"], fmt, f"oversikt-landet-{context['round'].year}")


def _export(rows, fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(exports.overview_csv(rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.overview_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


urlpatterns = [
    path("region/<int:pk>/eksport.<slug:fmt>", region_export, name="region_export"),
    path("landet/", national_overview, name="national"),
    path("landet/eksport.<slug:fmt>", national_export, name="national_export"),
]
