"""The adviser's regional overview, the factor profile across a region, the administrators'
national view, and their exports."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import audit
from accounts.models import AuditAction
from analysis import access
from analysis.models import AnalysisStatus, Round
from analysis.selectors.core import current_round
from boligsosial.parsing import parse_natural
from factors.selectors import municipality_trend
from overview import exports
from overview.forms import OverviewFilterForm, ProfileComparisonForm, ProfileTrendForm
from overview.selectors.measures import region_plans
from overview.selectors.profile import factor_profile
from overview.selectors.queue import work_queue
from overview.selectors.table import Overview, filter_and_sort, norwegian_sort_key, overview
from reference.models import County, Municipality, Region

FILTER_KEYS = ("q", "status", "county", "malform")
SORT_KEYS = ("sort", "dir")


class UnknownRound(Exception):
    """The query named a round that does not exist; the view says so and shows the current."""

    def __init__(self, year: str):
        super().__init__(year)
        self.year = year


def _all_rounds() -> list[Round]:
    """Every round, newest first: the page's round menu, and the round shown and the one
    before it are chosen from them (one query for all three)."""
    return list(Round.objects.select_related("questionnaire"))


def _round(request: HttpRequest, rounds: list[Round]) -> Round | None:
    """The round asked for (?runde=YEAR), else the current one; None before any round."""
    year = request.GET.get("runde")
    if year:
        number = parse_natural(year)
        round_ = next((r for r in rounds if r.year == number), None)
        if round_ is None:
            raise UnknownRound(year)
        return round_
    return current_round(rounds)


def _without_round(request: HttpRequest, url: str) -> HttpResponse:
    """Back to the same page for the current round, keeping the filters, with a message."""
    query = request.GET.copy()
    messages.error(
        request,
        _("There is no round for %(year)s. Showing the current round instead.")
        % {"year": query.pop("runde", [""])[0][:10]},
    )
    return redirect(f"{url}?{query.urlencode()}" if query else url)


def _overview(
    request: HttpRequest,
    municipalities,
    counties,
    round_: Round,
    rounds: list[Round],
    *,
    for_page: bool = True,
) -> dict:
    """What the page (or, with for_page=False, an export) shows. The export leaves out the
    county and country lines: a file of one row per municipality stays one to read back."""
    filters = OverviewFilterForm(request.GET or None, counties=counties)
    params = dict(filters.cleaned_data) if filters.is_valid() else {}
    params.update(sort=request.GET.get("sort"), dir=request.GET.get("dir"))
    table: Overview = overview(municipalities, round_, with_comparisons=for_page, rounds=rounds)
    rows = filter_and_sort(table.rows, params, table.indicators)
    query = request.GET.copy()
    query.pop("sort", None)
    query.pop("dir", None)
    query.pop("side", None)  # a new order starts at the first page
    sort_columns = [
        ("number", _("Number")),
        ("name", _("Municipality")),
        ("county", _("County")),
        ("status", _("Status")),
        ("progress", _("Progress")),
        ("activity", _("Last activity")),
    ]
    sort = params["sort"] if params["sort"] in table.sort_keys else "number"
    return {
        "round": round_,
        "previous_round": table.previous_round,
        "rounds": rounds,
        "overview": table,
        "rows": rows,
        "filters": filters,
        "filters_invalid": filters.is_bound and not filters.is_valid(),
        "kept_filters": [
            (k, request.GET[k]) for k in (*FILTER_KEYS, *SORT_KEYS) if request.GET.get(k)
        ],
        # The filter form sends the sorting along, so a new filter keeps the order chosen.
        "kept_sort": [(k, request.GET[k]) for k in SORT_KEYS if request.GET.get(k)],
        "factor_columns": [(f, f"f{f.number}") for f in table.factors],
        "figure_columns": [
            (i, f"kf-{i.code}", year)
            for i, year in zip(table.indicators, table.figure_years, strict=True)
        ],
        # The county and country lines name themselves across the columns before the figures.
        "comparison_colspan": len(sort_columns) + len(table.factors),
        "sort_columns": sort_columns,
        "sort": sort,
        "dir": "desc" if params["dir"] == "desc" else "asc",
        "base_query": query.urlencode(),
        "full_query": request.GET.urlencode(),
        "column_count": len(sort_columns) + len(table.factors) + len(table.indicators),
        # The region's report zip holds only the started analyses; the link says how many.
        "started_count": sum(
            1 for r in table.rows if r.status and r.status != AnalysisStatus.NOT_STARTED
        ),
    }


def _region_municipalities(region: Region):
    return Municipality.objects.current().in_region(region)


@require_GET
def region_overview(request: HttpRequest, pk: int) -> HttpResponse:
    region = access.get_region_for_user(request.user, pk)
    url = reverse("overview:region", args=[region.pk])
    rounds = _all_rounds()
    try:
        round_ = _round(request, rounds)
    except UnknownRound:
        return _without_round(request, url)
    context = {"region": region, "round": round_}
    if round_ is not None:
        counties = County.objects.filter(region=region)
        context.update(_overview(request, _region_municipalities(region), counties, round_, rounds))
    return render(request, "analysis/overview/region.html", context)


def _refuse_export(request: HttpRequest, overview_url: str, context: dict) -> HttpResponse | None:
    """An export of what the page would not show: say why on the page, send no file."""
    if context["filters_invalid"]:
        messages.error(request, _("The filter is not valid, so nothing was exported."))
        return redirect(f"{overview_url}?{request.GET.urlencode()}")
    return None


@require_GET
def region_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    region = access.get_region_for_user(request.user, pk)
    url = reverse("overview:region", args=[region.pk])
    if fmt not in exports.OVERVIEW_FORMATS:
        raise Http404
    rounds = _all_rounds()
    try:
        round_ = _round(request, rounds)
    except UnknownRound:
        return _without_round(request, url)
    if round_ is None:
        return redirect(url)
    counties = County.objects.filter(region=region)
    context = _overview(
        request, _region_municipalities(region), counties, round_, rounds, for_page=False
    )
    if refused := _refuse_export(request, url, context):
        return refused
    return _export(context, fmt, f"oversikt-{region.pk}-{round_.year}", region=region)


NATIONAL_PAGE_SIZE = 50


@dataclass
class RegionSummary:
    region: Region
    municipalities: int
    by_status: list[int]  # in the order of AnalysisStatus


def _region_summary(regions: list[Region], rows: list) -> list[RegionSummary]:
    """Per region, how many of the (filtered) municipalities are in each status; "not
    started" counts those without an analysis too."""
    statuses = list(AnalysisStatus.values)
    counts = {r.pk: [0] * len(statuses) for r in regions}
    totals = dict.fromkeys(counts, 0)
    for row in rows:
        region = row.municipality.region_id
        totals[region] += 1
        counts[region][statuses.index(row.status or AnalysisStatus.NOT_STARTED)] += 1
    return [RegionSummary(r, totals[r.pk], counts[r.pk]) for r in regions if totals[r.pk]]


@require_GET
def national_overview(request: HttpRequest) -> HttpResponse:
    access.require_administrator(request.user)
    url = reverse("overview:national")
    rounds = _all_rounds()
    try:
        round_ = _round(request, rounds)
    except UnknownRound:
        return _without_round(request, url)
    context = {"round": round_}
    if round_ is not None:
        context.update(
            _overview(
                request,
                Municipality.objects.current(),
                County.objects.all(),
                round_,
                rounds,
            )
        )
        rows = context["rows"]
        regions = sorted(Region.objects.all(), key=lambda r: norwegian_sort_key(r.name))
        context["region_summary"] = _region_summary(regions, rows)
        # A page of municipalities at a time (about a region's worth): all 357 rows made a
        # page of 370 KB that took seven times the region overview's time (issue 16).
        page = Paginator(rows, NATIONAL_PAGE_SIZE).get_page(request.GET.get("side"))
        on_page: dict[int, list] = {}
        for row in page.object_list:
            on_page.setdefault(row.municipality.region_id, []).append(row)
        context["groups"] = [(r, on_page[r.pk]) for r in regions if r.pk in on_page]
        context["page"] = page
        query = request.GET.copy()
        query.pop("side", None)
        context["page_query"] = query.urlencode()
        context["status_labels"] = AnalysisStatus.labels
    return render(request, "analysis/overview/national.html", context)


@require_GET
def national_export(request: HttpRequest, fmt: str) -> HttpResponse:
    access.require_administrator(request.user)
    url = reverse("overview:national")
    if fmt not in exports.OVERVIEW_FORMATS:
        raise Http404
    rounds = _all_rounds()
    try:
        round_ = _round(request, rounds)
    except UnknownRound:
        return _without_round(request, url)
    if round_ is None:
        return redirect(url)
    context = _overview(
        request,
        Municipality.objects.current(),
        County.objects.all(),
        round_,
        rounds,
        for_page=False,
    )
    if refused := _refuse_export(request, url, context):
        return refused
    return _export(context, fmt, f"oversikt-landet-{round_.year}")


def _export(context: dict, fmt: str, name: str, region: Region | None = None) -> HttpResponse:
    audit.record(
        AuditAction.EXPORT,
        region=region,
        target=f"{name}.{fmt}",
        details={"format": fmt, "rows": len(context["rows"])},
    )
    table: Overview = context["overview"]
    content, content_type = exports.overview_file(
        context["rows"], fmt, factors=table.factors, indicators=table.indicators
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_GET
def region_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """Per factor the distribution of scores and the weakest and strongest municipalities;
    and two to six chosen municipalities side by side."""
    region = access.get_region_for_user(request.user, pk)
    url = reverse("overview:region_profile", args=[region.pk])
    rounds = _all_rounds()
    try:
        round_ = _round(request, rounds)
    except UnknownRound:
        return _without_round(request, url)
    if round_ is None:
        messages.info(request, _("No round has been opened yet."))
        return redirect("overview:region", pk=region.pk)
    municipalities = list(
        _region_municipalities(region).select_related("county").order_by("number")
    )
    # The compare form sends "sammenlign" too, so choosing nobody still gets a message.
    asked = "kommune" in request.GET or "sammenlign" in request.GET
    form = ProfileComparisonForm(request.GET if asked else None, municipalities=municipalities)
    chosen = form.cleaned_data["kommune"] if form.is_valid() else []
    profile = factor_profile(municipalities, round_, compare=chosen)
    trend_form = ProfileTrendForm(
        request.GET if "utvikling" in request.GET else None, municipalities=municipalities
    )
    trend_of = None
    if trend_form.is_valid() and trend_form.cleaned_data["utvikling"]:
        trend_of = next(
            m for m in municipalities if m.number == trend_form.cleaned_data["utvikling"]
        )
    trend = municipality_trend(trend_of.pk, round_.year, profile.factors) if trend_of else None
    return render(
        request,
        "analysis/overview/profile.html",
        {
            "region": region,
            "round": round_,
            "rounds": rounds,
            "profile": profile,
            "form": form,
            "trend_form": trend_form,
            "trend_of": trend_of,
            "trend": trend,
            "trend_chart": trend.chart() if trend is not None and trend.shown else None,
            "overview_query": urlencode({"runde": round_.year}),
        },
    )


@require_GET
def region_measures(request: HttpRequest, pk: int) -> HttpResponse:
    """Each municipality's action plan in the region: how many measures, how many overdue,
    how many done in the round; ?forsinket=1 lists the overdue ones across the region."""
    region = access.get_region_for_user(request.user, pk)
    url = reverse("overview:region_measures", args=[region.pk])
    rounds = _all_rounds()
    try:
        round_ = _round(request, rounds)
    except UnknownRound:
        return _without_round(request, url)
    if round_ is None:
        messages.info(request, _("No round has been opened yet."))
        return redirect("overview:region", pk=region.pk)
    overdue_only = request.GET.get("forsinket") == "1"
    return render(
        request,
        "analysis/overview/measures.html",
        {
            "region": region,
            "round": round_,
            "rounds": rounds,
            "plans": region_plans(
                _region_municipalities(region), round_, overdue_only=overdue_only
            ),
            "overdue_only": overdue_only,
            "overview_query": urlencode({"runde": round_.year}),
        },
    )


@require_GET
def region_work_queue(request: HttpRequest, pk: int) -> HttpResponse:
    """What the adviser should look at next: analyses waiting for review, oldest submission
    first; then those not yet submitted in a round open today, soonest close first."""
    region = access.get_region_for_user(request.user, pk)
    return render(
        request,
        "analysis/overview/work_queue.html",
        {
            "region": region,
            "queue": work_queue(_region_municipalities(region), timezone.localdate()),
        },
    )
