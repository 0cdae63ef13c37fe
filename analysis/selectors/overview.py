"""The adviser's overview: every municipality of a region (or the whole country) for a round,
with status, progress, last activity, the six factor scores and their change since the
previous round. A fixed number of queries, however many municipalities there are."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from analysis.models import (
    AllocationPractice,
    Analysis,
    Answer,
    CooperationBody,
    ExternalActor,
    Instrument,
    Municipality,
    Project,
    Question,
    Responsibility,
    ResponsibilityRole,
    Round,
    TaskArea,
)
from factors.models import FactorAssessment, SuccessFactor

SORT_KEYS = {"number", "name", "county", "status", "progress", "activity"} | {
    f"f{n}" for n in range(1, 7)
}


@dataclass
class OverviewRow:
    municipality: Municipality
    analysis: Analysis | None
    progress: int = 0
    scores: dict[int, int | None] = field(default_factory=dict)
    previous: dict[int, int | None] = field(default_factory=dict)

    @property
    def changes(self) -> dict[int, int | None]:
        return {
            n: (s - self.previous[n])
            if s is not None and self.previous.get(n) is not None
            else None
            for n, s in self.scores.items()
        }

    @property
    def factor_cells(self) -> list[tuple[int, int | None, int | None]]:
        """(factor number, score, change since the previous round) for factors 1–6."""
        changes = self.changes
        return [(n, self.scores.get(n), changes.get(n)) for n in sorted(self.scores)]


def previous_round(round_: Round) -> Round | None:
    return Round.objects.filter(year__lt=round_.year).order_by("-year").first()


def _count_by(qs, key: str) -> dict[int, int]:
    return {row[key]: row["n"] for row in qs.values(key).annotate(n=Count("pk"))}


def bulk_progress(analyses: list[Analysis], questionnaire_id: int) -> dict[int, int]:
    """Overall percent per analysis, the same arithmetic as selectors.progress, in a fixed
    number of queries for any number of analyses."""
    ids = [a.pk for a in analyses]
    required = list(
        Question.objects.filter(
            section__questionnaire_id=questionnaire_id, required=True
        ).values_list("pk", flat=True)
    )
    answered = _count_by(
        Answer.objects.filter(analysis__in=ids, question__in=required).exclude(value=""),
        "analysis",
    )
    owned = {
        row["analysis"]: row["n"]
        for row in Responsibility.objects.filter(
            analysis__in=ids, role=ResponsibilityRole.RESPONSIBLE
        )
        .values("analysis")
        .annotate(n=Count("task_area", distinct=True))
    }
    allocated = _count_by(
        AllocationPractice.objects.filter(analysis__in=ids).exclude(decided_by=""), "analysis"
    )
    assessed = _count_by(
        FactorAssessment.objects.filter(analysis__in=ids, score__isnull=False).exclude(status=""),
        "analysis",
    )
    bodies = set(
        CooperationBody.objects.filter(analysis__in=ids).values_list("analysis", flat=True)
    )
    actors = set(ExternalActor.objects.filter(analysis__in=ids).values_list("analysis", flat=True))
    with_projects = set(
        Project.objects.filter(municipality__in=[a.municipality_id for a in analyses])
        .values_list("municipality", flat=True)
        .distinct()
    )
    totals = (
        len(required)
        + TaskArea.objects.count()
        + Instrument.objects.count()
        + SuccessFactor.objects.count()
        + 2  # cooperation entries, projects
    )
    result = {}
    for a in analyses:
        done = (
            answered.get(a.pk, 0)
            + owned.get(a.pk, 0)
            + allocated.get(a.pk, 0)
            + assessed.get(a.pk, 0)
            + int(a.pk in bodies or a.pk in actors)
            + int(a.municipality_id in with_projects)
        )
        result[a.pk] = round(100 * done / totals) if totals else 100
    return result


def overview_rows(
    municipalities: QuerySet[Municipality], round_: Round, *, with_previous: bool = True
) -> list[OverviewRow]:
    """Queries: municipalities, analyses (+ last actor), progress (9), assessments, previous
    round, previous assessments."""
    munis = list(municipalities.select_related("county__region").order_by("number"))
    analyses = {
        a.municipality_id: a
        for a in Analysis.objects.filter(
            round=round_, municipality__in=[m.pk for m in munis]
        ).select_related("last_activity_by")
    }
    progress = bulk_progress(list(analyses.values()), round_.questionnaire_id)
    scores: dict[int, dict[int, int | None]] = {}
    for analysis_id, number, score in FactorAssessment.objects.filter(
        analysis__in=[a.pk for a in analyses.values()]
    ).values_list("analysis", "factor__number", "score"):
        scores.setdefault(analysis_id, {})[number] = score
    previous_scores: dict[int, dict[int, int | None]] = {}
    prev = previous_round(round_) if with_previous else None
    if prev is not None:
        for muni_id, number, score in FactorAssessment.objects.filter(
            analysis__round=prev, analysis__municipality__in=[m.pk for m in munis]
        ).values_list("analysis__municipality", "factor__number", "score"):
            previous_scores.setdefault(muni_id, {})[number] = score
    rows = []
    for m in munis:
        a = analyses.get(m.pk)
        row_scores = {n: None for n in range(1, 7)}
        if a:
            row_scores.update(scores.get(a.pk, {}))
        rows.append(
            OverviewRow(
                municipality=m,
                analysis=a,
                progress=progress.get(a.pk, 0) if a else 0,
                scores=row_scores,
                previous=previous_scores.get(m.pk, {}),
            )
        )
    return rows


def filter_and_sort(rows: list[OverviewRow], params: dict) -> list[OverviewRow]:
    status = params.get("status") or ""
    county = params.get("county") or ""
    language = params.get("malform") or ""
    query = (params.get("q") or "").strip().lower()
    result = [
        r
        for r in rows
        if (not status or (r.analysis and r.analysis.status == status))
        and (not county or r.municipality.county.number == county)
        and (not language or r.municipality.language_form == language)
        and (
            not query
            or query in r.municipality.name.lower()
            or query in r.municipality.number
            or query in r.municipality.other_language_names.lower()
        )
    ]
    key = params.get("sort") if params.get("sort") in SORT_KEYS else "number"
    reverse = params.get("dir") == "desc"

    def sort_value(r: OverviewRow):
        if key == "number":
            return r.municipality.number
        if key == "name":
            return r.municipality.name
        if key == "county":
            return r.municipality.county.number
        if key == "status":
            return r.analysis.status if r.analysis else ""
        if key == "progress":
            return r.progress
        if key == "activity":
            return (
                r.analysis.last_activity_at.timestamp()
                if r.analysis and r.analysis.last_activity_at
                else 0
            )
        score = r.scores.get(int(key[1:]))
        return -1 if score is None else score

    return sorted(result, key=sort_value, reverse=reverse)


__all__ = ["OverviewRow", "filter_and_sort", "overview_rows", "previous_round"]
