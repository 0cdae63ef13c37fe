"""The adviser's overview: every municipality of a region (or the whole country) for a round,
with status, progress, last activity, the six factor scores and their change since the
previous round, and a few key figures. A fixed number of queries, however many
municipalities there are; every cell is computed here once, so the page only prints it."""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from analysis.models import (
    AnalysisStatus,
    Round,
)
from analysis.selectors.progress import percent_done, progress_columns, with_progress
from factors.models import FactorAssessment
from keyfigures import versions
from keyfigures.models import Indicator, IndicatorUnit, IndicatorValue, KostraGroupMembership
from keyfigures.selectors import (
    DEMO_MARK,
    GROUP,
    SUPPRESS_BELOW,
    Comparison,
    comparisons,
    display_value,
)
from reference.models import (
    LanguageForm,
    Municipality,
    SuccessFactor,
)

# The key figures beside the profiles (DESIGN.md capability 6): the municipality's own
# housing stock, how many households live in temporary accommodation, and start loans.
OVERVIEW_INDICATORS = ("kommunale-boliger-per-1000", "midlertidig-botilbud", "startlan-per-1000")

BASE_SORT_KEYS = ("number", "name", "county", "status", "progress", "activity")
FACTOR_SORT_KEYS = tuple(f"f{n}" for n in range(1, 7))
# Workflow order, not the alphabetical order of the codes.
STATUS_ORDER = {status: n for n, status in enumerate(AnalysisStatus.values)}

# Norwegian alphabetical order: a–z, then æ, ø, å. The three come right after "z" in ASCII
# ("{", "|", "}"); ä and ö sort with æ and ø as in Norwegian dictionaries; other accented
# letters (é, á, č, š …) sort with their base letter.
_AFTER_Z = {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"}


def norwegian_sort_key(text: str) -> str:
    key = []
    for char in text.casefold():
        if char in _AFTER_Z:
            key.append(_AFTER_Z[char])
        else:
            key.append(unicodedata.normalize("NFD", char)[0])
    return "".join(key)


@dataclass(slots=True)
class KeyFigureCell:
    """The latest value of one key figure for one municipality. A count under 3 is shown
    as "under 3" and sorts together with the others under 3, so sorting reveals nothing."""

    year: int | None = None
    value: Decimal | None = None
    missing_reason: str = ""
    unit: str = ""
    text: str = ""  # as displayed; filled once per distinct value by overview()

    @property
    def suppressed(self) -> bool:
        return (
            self.unit == IndicatorUnit.COUNT
            and self.value is not None
            and 0 < self.value < SUPPRESS_BELOW
        )

    @property
    def display(self) -> str:
        if self.text:
            return self.text
        if self.year is None:
            return "–"
        return display_value(self.value, self.unit, self.missing_reason)

    @property
    def export_value(self) -> int | float | str | None:
        """A number where there is one; the text "under 3" where it is suppressed."""
        if self.value is None:
            return None
        if self.suppressed:
            return self.display
        return int(self.value) if self.unit == IndicatorUnit.COUNT else float(self.value)

    @property
    def sort_value(self) -> float | None:
        if self.value is None:
            return None
        return (SUPPRESS_BELOW - 1) / 2 if self.suppressed else float(self.value)


@dataclass(slots=True)
class MunicipalityLine:
    """What the overview shows of a municipality. Plain values, not model instances: 357
    Municipality and County instances cost several times the query that loads them."""

    pk: int
    number: str
    name: str
    other_language_names: str
    language_form: str
    county_number: str
    county_name: str
    region_id: int
    county_id: int

    def get_language_form_display(self) -> str:
        return str(LanguageForm(self.language_form).label) if self.language_form else ""


@dataclass(slots=True)
class AnalysisLine:
    """What the overview shows of an analysis: its status and who last acted on it."""

    pk: int
    status: str
    last_activity_at: datetime.datetime | None
    last_activity_by: str  # the person's full name, else the username; "" for nobody

    def get_status_display(self) -> str:
        return str(AnalysisStatus(self.status).label)


@dataclass
class OverviewRow:
    municipality: MunicipalityLine
    analysis: AnalysisLine | None
    progress: int = 0
    scores: dict[int, int | None] = field(default_factory=dict)
    previous: dict[int, int | None] = field(default_factory=dict)
    figures: list[KeyFigureCell] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.analysis.status if self.analysis else ""

    @property
    def changes(self) -> dict[int, int | None]:
        return {
            n: (s - self.previous[n])
            if s is not None and self.previous.get(n) is not None
            else None
            for n, s in self.scores.items()
        }

    @property
    def last_activity_local(self):
        if self.analysis is None or self.analysis.last_activity_at is None:
            return None
        return timezone.localtime(self.analysis.last_activity_at)


@dataclass
class ComparisonLine:
    """A county's or the whole country's figure under each key-figure column, for the year
    of that column."""

    county_id: int | None  # None: the whole country (or a KOSTRA group)
    name: str  # the county's or the KOSTRA group's name; "" for the whole country
    figures: list[Comparison]
    group_id: int | None = None  # a KOSTRA group's line: its official figures


@dataclass
class Overview:
    rows: list[OverviewRow]
    round: Round
    previous_round: Round | None
    factors: list[SuccessFactor]
    indicators: list[Indicator]
    # Per key-figure column: the latest year any municipality has, the year compared.
    figure_years: list[int] = field(default_factory=list)
    # The counties of the municipalities shown (by number), then the whole country.
    comparisons: list[ComparisonLine] = field(default_factory=list)
    # Whether a figure shown comes from the demo file (the page then says they are invented).
    fictitious: bool = False
    # Each municipality's KOSTRA group (for the latest year compared), where it is known.
    group_of: dict[int, int] = field(default_factory=dict)

    @property
    def sort_keys(self) -> set[str]:
        return {*BASE_SORT_KEYS, *FACTOR_SORT_KEYS, *(f"kf-{i.code}" for i in self.indicators)}

    def comparisons_for(self, rows: list[OverviewRow]) -> list[ComparisonLine]:
        """The lines for the counties these rows are in, and the whole country; none for no
        rows. The national view shows each region's counties under that region's table. A
        county with no figure at all in any column is left out: a line of "0 of 27" says
        nothing an empty table does not."""
        if not rows:
            return []
        counties = {r.municipality.county_id for r in rows}
        groups = {self.group_of.get(r.municipality.pk) for r in rows} - {None}
        return [
            c
            for c in self.comparisons
            if (c.group_id is None and c.county_id is None)
            or (c.county_id in counties and any(f.official or f.covered for f in c.figures))
            or (c.group_id in groups and any(f.official for f in c.figures))
        ]


def previous_round(round_: Round, rounds: Iterable[Round] | None = None) -> Round | None:
    """The round before this one; from `rounds` (every round) where the caller has them."""
    if rounds is not None:
        return max((r for r in rounds if r.year < round_.year), key=lambda r: r.year, default=None)
    return Round.objects.filter(year__lt=round_.year).order_by("-year").first()


def latest_key_figures(
    municipalities: QuerySet[Municipality], indicators: list[Indicator]
) -> dict[tuple[int, int], tuple[int, Decimal | None, str, str]]:
    """(municipality id, indicator id) → (year, value, why missing, source file) of the
    latest year, in one query: a value row is kept when no later year exists for the same
    indicator and municipality."""
    if not indicators:
        return {}
    latest_year = (
        IndicatorValue.objects.filter(
            indicator=OuterRef("indicator"), municipality=OuterRef("municipality")
        )
        .order_by("-year")
        .values("year")[:1]
    )
    values = IndicatorValue.objects.filter(
        indicator__in=[i.pk for i in indicators],
        municipality__in=municipalities.values("pk"),
        year=Subquery(latest_year),
    ).values_list("municipality", "indicator", "year", "value", "missing_reason", "source_file")
    return {(m, i): rest for m, i, *rest in values}


def overview(
    municipalities: QuerySet[Municipality],
    round_: Round,
    *,
    with_previous: bool = True,
    with_comparisons: bool = True,
    rounds: Iterable[Round] | None = None,
) -> Overview:
    """Queries: municipalities, analyses (+ last actor and progress), factors, the scores of
    this round and the previous one, the previous round (unless `rounds`, every round, is
    given), the key figures' version; and for each new version of the key figures, the
    indicators and key figures, and when there is a key-figure column and
    with_comparisons, the KOSTRA groups and the three of keyfigures.selectors.comparisons
    (official figures, values, municipalities per county) for the county and country
    lines."""
    munis = [
        MunicipalityLine(*values)
        for values in municipalities.order_by("number").values_list(
            "pk",
            "number",
            "name",
            "other_language_names",
            "language_form",
            "county__number",
            "county__name",
            "county__region_id",
            "county_id",
        )
    ]
    analyses = {}
    progress = {}
    # The progress column's counts come with the analyses (progress_columns).
    columns = progress_columns(round_.questionnaire_id)
    for row in (
        with_progress(round_.questionnaire_id)
        .of_round(round_, municipalities)
        .values(
            "pk",
            "municipality",
            "status",
            "last_activity_at",
            "last_activity_by__first_name",
            "last_activity_by__last_name",
            "last_activity_by__username",
            *columns,
        )
    ):
        # As User.get_full_name(), else the username.
        first, last = row["last_activity_by__first_name"], row["last_activity_by__last_name"]
        who = f"{first or ''} {last or ''}".strip() or row["last_activity_by__username"] or ""
        analyses[row["municipality"]] = AnalysisLine(
            row["pk"], row["status"], row["last_activity_at"], who
        )
        progress[row["pk"]] = percent_done(row)
    factors = list(SuccessFactor.objects.order_by("number"))
    number_of = {f.pk: f.number for f in factors}
    prev = previous_round(round_, rounds) if with_previous else None
    # This round's scores by analysis, the previous round's by municipality: one query.
    scores: dict[int, dict[int, int | None]] = {}
    previous_scores: dict[int, dict[int, int | None]] = {}
    for round_id, analysis_id, muni_id, factor_id, score in (
        FactorAssessment.objects.filter(
            analysis__round__in=[round_.pk] + ([prev.pk] if prev is not None else []),
            analysis__municipality__in=municipalities.values("pk"),
        )
        .order_by()
        .values_list("analysis__round", "analysis", "analysis__municipality", "factor", "score")
    ):
        if round_id == round_.pk:
            scores.setdefault(analysis_id, {})[number_of[factor_id]] = score
        else:
            previous_scores.setdefault(muni_id, {})[number_of[factor_id]] = score
    # The key figures change only with the figures' version (keyfigures/versions.py): read
    # once for each version and each set of municipalities.
    which = hashlib.sha256(",".join(str(m.pk) for m in munis).encode()).hexdigest()[:32]
    token = versions.current()

    def read_figures() -> tuple[list[Indicator], dict, dict[int, list[KeyFigureCell]]]:
        indicators = list(Indicator.objects.filter(code__in=OVERVIEW_INDICATORS))
        indicators.sort(key=lambda i: OVERVIEW_INDICATORS.index(i.code))
        latest = latest_key_figures(municipalities, indicators)
        # Only the key figures that exist for at least one of these municipalities get a
        # column.
        present = {indicator_id for _m, indicator_id in latest}
        indicators = [i for i in indicators if i.pk in present]
        # Each municipality's cells, formatted in the language of the cache's key.
        # Localised number formatting is slow and values repeat: each distinct one once.
        texts: dict[tuple, str] = {}
        cells: dict[int, list[KeyFigureCell]] = {}
        for m in munis:
            figures = [KeyFigureCell(unit=i.unit, text="–") for i in indicators]
            for n, indicator in enumerate(indicators):
                found = latest.get((m.pk, indicator.pk))
                if found:
                    cell = KeyFigureCell(*found[:3], unit=indicator.unit)
                    key = (cell.value, cell.unit, cell.missing_reason)
                    if key not in texts:
                        texts[key] = cell.display
                    cell.text = texts[key]
                    figures[n] = cell
            cells[m.pk] = figures
        return indicators, latest, cells

    indicators, latest, cells = versions.cached(
        "overview-figures", (which,), read_figures, token=token
    )
    rows = []
    for m in munis:
        a = analyses.get(m.pk)
        row_scores = dict.fromkeys(number_of.values())
        if a:
            row_scores.update(scores.get(a.pk, {}))
        rows.append(
            OverviewRow(
                municipality=m,
                analysis=a,
                progress=progress.get(a.pk, 0) if a else 0,
                scores=row_scores,
                previous=previous_scores.get(m.pk, {}),
                figures=cells[m.pk],
            )
        )
    latest_year: dict[int, int] = {}
    for (_m, indicator_id), (year, *_rest) in latest.items():
        latest_year[indicator_id] = max(year, latest_year.get(indicator_id, year))
    years = [latest_year[i.pk] for i in indicators]
    lines = []
    group_of: dict[int, int] = {}
    if with_comparisons and indicators:
        counties: dict[int, str] = {}
        for m in sorted(munis, key=lambda m: m.county_number):
            counties.setdefault(m.county_id, m.county_name)

        def read_comparisons() -> tuple[dict[int, int], dict[int, str], dict]:
            # The KOSTRA group of each municipality: the group of the latest year loaded up
            # to the latest year compared (one query).
            group_of: dict[int, int] = {}
            names: dict[int, str] = {}
            for muni_id, group_id, name, _year in (
                KostraGroupMembership.objects.filter(
                    municipality__in=[m.pk for m in munis], year__lte=max(years)
                )
                .order_by("year")
                .values_list("municipality", "group", "group__name", "year")
            ):
                group_of[muni_id] = group_id
                names[group_id] = name
            found = comparisons(
                list(zip(indicators, years, strict=True)),
                county_ids=set(counties),
                group_ids=set(group_of.values()),
            )
            return group_of, names, found

        # Like the figures: once for each version and each set of municipalities.
        group_of, names, found = versions.cached(
            "overview-comparisons", (which,), read_comparisons, token=token
        )
        for county_id in (*counties, None):
            lines.append(
                ComparisonLine(
                    county_id=county_id,
                    name=counties.get(county_id, ""),
                    figures=[
                        found[(i.pk, year, county_id)]
                        for i, year in zip(indicators, years, strict=True)
                    ],
                )
            )
        for group_id in sorted(set(group_of.values()), key=lambda g: names[g]):
            lines.insert(
                len(lines) - 1,  # above the whole country
                ComparisonLine(
                    county_id=None,
                    group_id=group_id,
                    name=names[group_id],
                    figures=[
                        found.get(
                            (i.pk, year, (GROUP, group_id)),
                            Comparison(unit=i.unit, official=True, missing_reason="not_available"),
                        )
                        for i, year in zip(indicators, years, strict=True)
                    ],
                ),
            )
    return Overview(
        rows=rows,
        round=round_,
        previous_round=prev,
        factors=factors,
        indicators=indicators,
        figure_years=years,
        comparisons=lines,
        fictitious=any(DEMO_MARK in found[3].lower() for found in latest.values())
        or any(DEMO_MARK in c.source_file.lower() for line in lines for c in line.figures),
        group_of=group_of,
    )


def overview_rows(
    municipalities: QuerySet[Municipality], round_: Round, *, with_previous: bool = True
) -> list[OverviewRow]:
    return overview(
        municipalities, round_, with_previous=with_previous, with_comparisons=False
    ).rows


def filter_and_sort(
    rows: list[OverviewRow], params: dict, indicators: list[Indicator] = ()
) -> list[OverviewRow]:
    """Filter by status, county, målform and a search on name or number; sort by any column.
    Names sort in Norwegian order, statuses in workflow order; empty cells (no score, no key
    figure, no activity) come last in either direction, so "highest first" starts with real
    figures; ties keep municipality-number order."""
    status = params.get("status") or ""
    county = params.get("county") or ""
    language = params.get("malform") or ""
    query = (params.get("q") or "").strip().casefold()
    result = [
        r
        for r in rows
        if (not status or r.status == status)
        and (not county or r.municipality.county_number == county)
        and (not language or r.municipality.language_form == language)
        and (
            not query
            or query in r.municipality.name.casefold()
            or query in r.municipality.number
            or query in r.municipality.other_language_names.casefold()
        )
    ]
    figure_index = {f"kf-{i.code}": n for n, i in enumerate(indicators)}
    allowed = {*BASE_SORT_KEYS, *FACTOR_SORT_KEYS, *figure_index}
    key = params.get("sort") if params.get("sort") in allowed else "number"
    reverse = params.get("dir") == "desc"

    def sort_value(r: OverviewRow):
        if key == "number":
            return r.municipality.number
        if key == "name":
            return norwegian_sort_key(r.municipality.name)
        if key == "county":
            return r.municipality.county_number
        if key == "status":
            return STATUS_ORDER.get(r.status, -1)
        if key == "progress":
            return r.progress
        if key == "activity":
            moment = r.analysis.last_activity_at if r.analysis else None
            return moment.timestamp() if moment else None
        if key in figure_index:
            return r.figures[figure_index[key]].sort_value
        return r.scores.get(int(key[1:]))

    # Municipality-number order first, so equal values keep a stable, predictable order.
    ordered = sorted(result, key=lambda r: r.municipality.number)
    values = [(sort_value(r), r) for r in ordered]
    present = [(v, r) for v, r in values if v is not None]
    empty = [r for v, r in values if v is None]
    return [r for _v, r in sorted(present, key=lambda pair: pair[0], reverse=reverse)] + empty


__all__ = [
    "AnalysisLine",
    "ComparisonLine",
    "KeyFigureCell",
    "MunicipalityLine",
    "Overview",
    "OverviewRow",
    "filter_and_sort",
    "norwegian_sort_key",
    "overview",
    "overview_rows",
    "previous_round",
]
