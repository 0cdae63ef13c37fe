"""Reads of the self-assessment: one analysis's six factors with the previous round beside
them, and the profile chart the analysis page shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from analysis import versions
from analysis.models import Analysis, Project, Revision, RevisionKind
from analysis.selectors import reads
from analysis.selectors.review import change_between
from factors.charts import factor_profile_figure, factor_trend_figure
from factors.models import FactorAssessment, UserOrganisationInput
from reference.models import SuccessFactor


@dataclass(frozen=True)
class FactorRow:
    factor: SuccessFactor
    assessment: FactorAssessment | None

    @property
    def score(self) -> int | None:
        return self.assessment.score if self.assessment else None


def success_factors(analysis: Analysis) -> list[SuccessFactor]:
    """The six factors, in order (read once inside analysis.selectors.reads.shared_reads)."""
    return reads.once(analysis, "success_factors", lambda: list(SuccessFactor.objects.all()))


def assessments_of(analysis: Analysis) -> list[FactorAssessment]:
    """The analysis's assessments (read once inside shared_reads)."""
    return reads.once(
        analysis,
        "factor_assessments",
        lambda: list(FactorAssessment.objects.filter(analysis=analysis)),
    )


def factor_rows(analysis: Analysis) -> list[FactorRow]:
    """Every factor, with the analysis's assessment of it or None (two queries)."""
    assessments = {a.factor_id: a for a in assessments_of(analysis)}
    return [FactorRow(f, assessments.get(f.pk)) for f in success_factors(analysis)]


def scores_of(analysis: Analysis | None) -> dict[int, int | None]:
    """Factor id → score in an analysis (one query; none for no analysis)."""
    if analysis is None:
        return {}
    if reads.is_shared(analysis):
        return {a.factor_id: a.score for a in assessments_of(analysis)}
    return dict(
        FactorAssessment.objects.filter(analysis=analysis).values_list("factor_id", "score")
    )


@dataclass(frozen=True)
class Trend:
    """The municipality's score on each factor in every round up to this one."""

    rounds: list[str]  # round titles, oldest first
    rows: list[tuple[SuccessFactor, list[int | None]]]  # per factor, a score per round

    @property
    def shown(self) -> bool:
        # Two rounds are the profile's "previous round" column; a trend needs three.
        return len(self.rounds) >= 3

    def chart(self) -> dict:
        return factor_trend_figure(
            self.rounds, [(f"{f.number}. {f.name}", scores) for f, scores in self.rows]
        )


def trend(analysis: Analysis, factors: list[SuccessFactor]) -> Trend:
    """Every round's scores of the municipality up to this analysis's round, in one query,
    however many rounds there are."""
    return municipality_trend(analysis.municipality_id, analysis.round.year, factors)


def municipality_trend(
    municipality_id: int, up_to_year: int, factors: list[SuccessFactor]
) -> Trend:
    """Every round's scores of a municipality up to the round of `up_to_year` (the analysis
    page, the report, the adviser's region profile): one query, however many rounds."""
    rows = FactorAssessment.objects.filter(
        analysis__municipality_id=municipality_id,
        analysis__round__year__lte=up_to_year,
    ).values_list("analysis__round__year", "analysis__round__title", "factor_id", "score")
    titles: dict[int, str] = {}
    scores: dict[tuple[int, int], int | None] = {}
    for year, title, factor_id, score in rows:
        titles[year] = title
        scores[(year, factor_id)] = score
    years = sorted(titles)
    return Trend(
        rounds=[titles[y] for y in years],
        rows=[(f, [scores.get((y, f.pk)) for y in years]) for f in factors],
    )


def profile(analysis: Analysis, previous: Analysis | None) -> dict:
    """The six factors on the analysis page: the table rows with the previous round's score,
    and the chart of the same numbers."""
    rows = factor_rows(analysis)
    previous_scores = scores_of(previous)
    history = trend(analysis, [r.factor for r in rows])
    return {
        "trend": history,
        "trend_chart": history.chart() if history.shown else None,
        "factor_rows": rows,
        "factor_table": [(r, previous_scores.get(r.factor.pk)) for r in rows],
        "has_scores": any(r.score is not None for r in rows),
        "profile_chart": factor_profile_figure(
            [r.factor.name for r in rows],
            [r.score for r in rows],
            previous_scores=[previous_scores.get(r.factor.pk) for r in rows]
            if previous_scores
            else None,
        ),
    }


def factors_with_criteria(analysis: Analysis) -> list[SuccessFactor]:
    """The six factors with their criteria and maturity levels, as the self-assessment shows
    them: reference data, kept under the analysis's content token, which a change of them
    replaces (analysis/versions.py); three queries when it is not kept."""
    return versions.cached(
        analysis,
        "factors_with_criteria",
        lambda: list(SuccessFactor.objects.prefetch_related("criteria", "levels")),
    )


def projects_by_factor(analysis: Analysis) -> dict[int, list[Project]]:
    """The municipality's projects under each factor they strengthen, kept under the
    analysis's content token, which a change of a project or its factors replaces (two
    queries when it is not kept)."""

    def read() -> dict[int, list[Project]]:
        found: dict[int, list[Project]] = {}
        for project in analysis.municipality.projects.prefetch_related("factors"):
            for factor in project.factors.all():
                found.setdefault(factor.pk, []).append(project)
        return found

    return versions.cached(analysis, "projects_by_factor", read)


def assessment_revisions(analysis: Analysis, factor: SuccessFactor) -> QuerySet[Revision]:
    """The history of one factor's assessment in an analysis, newest first (one query)."""
    return Revision.objects.filter(
        analysis=analysis,
        kind=RevisionKind.ASSESSMENT,
        object_id__in=FactorAssessment.objects.filter(analysis=analysis, factor=factor).values(
            "pk"
        ),
    ).select_related("changed_by")


@dataclass
class UserView:
    """A user organisation's answer: its comment, and its score and comment per factor
    (keyed by the factor's number)."""

    organisation: str
    comment: str
    submitted_at: object
    scores: dict[int, int | None] = field(default_factory=dict)
    comments: dict[int, str] = field(default_factory=dict)


def user_views(analysis: Analysis, factors: list[SuccessFactor]) -> list[UserView]:
    """The user organisations' answers to the analysis, oldest first, as the report and the
    review page show them. Two queries (inputs with their invitation, their ratings)."""
    number_of = {f.pk: f.number for f in factors}
    views = []
    for item in (
        UserOrganisationInput.objects.filter(invitation__analysis=analysis)
        .select_related("invitation")
        .prefetch_related(Prefetch("ratings"))
        .order_by("submitted_at")
    ):
        view = UserView(item.invitation.organisation_name, item.comment, item.submitted_at)
        for rating in item.ratings.all():
            view.scores[number_of[rating.factor_id]] = rating.score
            view.comments[number_of[rating.factor_id]] = rating.comment
        views.append(view)
    return views


def review(analysis: Analysis, previous: Analysis | None) -> dict:
    """The self-assessment and the user organisations' views on the adviser's review page,
    each factor with what changed since the previous round (score and text). Queries: 1
    factors, 2 assessments, 3 the previous round's assessments (with one), 4–5 the user
    organisations' answers and ratings."""
    rows = factor_rows(analysis)
    old = (
        {a.factor_id: a for a in FactorAssessment.objects.filter(analysis=previous)}
        if previous is not None
        else {}
    )
    factors = [r.factor for r in rows]
    table = []
    for row in rows:
        change = None
        if previous is not None:
            before = old.get(row.factor.pk)
            change = change_between(_assessment_text(before), _assessment_text(row.assessment))
        table.append((row, change))
    views = user_views(analysis, factors)
    return {
        "factor_table": table,
        "user_views": [
            (
                view,
                [(f, view.scores.get(f.number), view.comments.get(f.number, "")) for f in factors],
            )
            for view in views
        ],
        "compared": previous is not None,
    }


def _assessment_text(assessment: FactorAssessment | None) -> str:
    if assessment is None:
        return ""
    words = []
    if assessment.score is not None:
        words.append(
            f"{FactorAssessment._meta.get_field('score').verbose_name}: {assessment.score}"
        )
    for name in ("status", "challenges", "evidence"):
        value = getattr(assessment, name).strip()
        if value:
            words.append(f"{FactorAssessment._meta.get_field(name).verbose_name}: {value}")
    return "; ".join(str(w) for w in words)
