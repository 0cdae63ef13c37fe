"""Reads of the self-assessment: one analysis's six factors with the previous round beside
them, and the profile chart the analysis page shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from analysis.models import Analysis, Project, Revision, RevisionKind
from factors.charts import factor_profile_figure
from factors.models import FactorAssessment
from reference.models import SuccessFactor


@dataclass(frozen=True)
class FactorRow:
    factor: SuccessFactor
    assessment: FactorAssessment | None

    @property
    def score(self) -> int | None:
        return self.assessment.score if self.assessment else None


def factor_rows(analysis: Analysis) -> list[FactorRow]:
    """Every factor, with the analysis's assessment of it or None (two queries)."""
    assessments = {a.factor_id: a for a in FactorAssessment.objects.filter(analysis=analysis)}
    return [FactorRow(f, assessments.get(f.pk)) for f in SuccessFactor.objects.all()]


def scores_of(analysis: Analysis | None) -> dict[int, int | None]:
    """Factor id → score in an analysis (one query; none for no analysis)."""
    if analysis is None:
        return {}
    return dict(
        FactorAssessment.objects.filter(analysis=analysis).values_list("factor_id", "score")
    )


def profile(analysis: Analysis, previous: Analysis | None) -> dict:
    """The six factors on the analysis page: the table rows with the previous round's score,
    and the chart of the same numbers."""
    rows = factor_rows(analysis)
    previous_scores = scores_of(previous)
    return {
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


def projects_by_factor(analysis: Analysis) -> dict[int, list[Project]]:
    """The municipality's projects under each factor they strengthen (two queries)."""
    found: dict[int, list[Project]] = {}
    for project in analysis.municipality.projects.prefetch_related("factors"):
        for factor in project.factors.all():
            found.setdefault(factor.pk, []).append(project)
    return found


def assessment_revisions(analysis: Analysis, factor: SuccessFactor) -> QuerySet[Revision]:
    """The history of one factor's assessment in an analysis, newest first (one query)."""
    return Revision.objects.filter(
        analysis=analysis,
        kind=RevisionKind.ASSESSMENT,
        object_id__in=FactorAssessment.objects.filter(analysis=analysis, factor=factor).values(
            "pk"
        ),
    ).select_related("changed_by")
