"""Reads for the planner's analysis page and section pages."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from analysis.models import Analysis, Section, SectionAssignment, SectionKind
from analysis.selectors.progress import (
    SectionProgress,
    overall_percent,
    round_not_open,
    section_progress,
    submission_blockers,
    unanswered_required_questions,
)
from factors.charts import factor_profile_figure
from factors.models import FactorAssessment, SuccessFactor

# Where each kind of section is edited; the structural sections have their own screens.
SECTION_URL_NAMES = {
    SectionKind.QUESTIONS: "analysis:section",
    SectionKind.FACTORS: "analysis:factors",
    SectionKind.RESPONSIBILITY_MAP: "analysis:responsibility_map",
    SectionKind.COOPERATION: "analysis:cooperation",
    SectionKind.ALLOCATION: "analysis:allocation",
    SectionKind.PROJECTS: "analysis:projects",
}


def section_url(analysis: Analysis, section: Section) -> str | None:
    name = SECTION_URL_NAMES[section.kind]
    args = [analysis.pk, section.key] if name == "analysis:section" else [analysis.pk]
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def questions_url(analysis: Analysis, section: Section) -> str:
    """The page with the section's own questions (every kind may carry some)."""
    return reverse("analysis:section", args=[analysis.pk, section.key])


@dataclass(frozen=True)
class SectionRow:
    progress: SectionProgress
    url: str | None
    assignment: SectionAssignment | None
    missing_questions: list

    @property
    def section(self) -> Section:
        return self.progress.section


@dataclass(frozen=True)
class FactorRow:
    factor: SuccessFactor
    assessment: FactorAssessment | None

    @property
    def score(self) -> int | None:
        return self.assessment.score if self.assessment else None


def assignments_by_section(analysis: Analysis) -> dict[int, SectionAssignment]:
    return {
        a.section_id: a
        for a in SectionAssignment.objects.filter(analysis=analysis).select_related(
            "unit", "assignee"
        )
    }


def factor_rows(analysis: Analysis) -> list[FactorRow]:
    assessments = {a.factor_id: a for a in FactorAssessment.objects.filter(analysis=analysis)}
    return [FactorRow(f, assessments.get(f.pk)) for f in SuccessFactor.objects.all()]


def analysis_page(analysis: Analysis) -> dict:
    """Everything the analysis page shows, in a fixed number of queries."""
    progress = section_progress(analysis)
    assignments = assignments_by_section(analysis)
    missing: dict[int, list] = {}
    for question in unanswered_required_questions(analysis):
        missing.setdefault(question.section_id, []).append(question)
    rows = [
        SectionRow(
            progress=p,
            url=section_url(analysis, p.section),
            assignment=assignments.get(p.section.pk),
            missing_questions=missing.get(p.section.pk, []),
        )
        for p in progress
    ]
    factors = factor_rows(analysis)
    previous = analysis.previous
    if previous is None and analysis.status == "not_started":
        from analysis.services.rounds import previous_analysis

        previous = previous_analysis(analysis)
    previous_scores = (
        dict(FactorAssessment.objects.filter(analysis=previous).values_list("factor_id", "score"))
        if previous
        else {}
    )
    return {
        "previous_analysis": previous,
        "previous_scores": [previous_scores.get(r.factor.pk) for r in factors],
        "factor_table": [(r, previous_scores.get(r.factor.pk)) for r in factors],
        "section_rows": rows,
        "overall_percent": overall_percent(progress),
        "blockers": submission_blockers(progress),
        "unconfirmed_rows": [row for row in rows if row.progress.unconfirmed],
        "round_not_open": round_not_open(analysis),
        "factor_rows": factors,
        "profile_chart": json.loads(
            factor_profile_figure(
                [r.factor.name for r in factors],
                [r.score for r in factors],
                previous_scores=[previous_scores.get(r.factor.pk) for r in factors]
                if previous_scores
                else None,
            ).to_json()
        ),
        "has_scores": any(r.score is not None for r in factors),
    }
