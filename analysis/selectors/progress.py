"""How far an analysis has come, section by section, and what blocks submission.

A fixed number of queries per analysis, however many answers, units or projects it has.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from analysis.models import (
    AllocationPractice,
    Analysis,
    Answer,
    Instrument,
    Question,
    Responsibility,
    ResponsibilityRole,
    Section,
    SectionKind,
    TaskArea,
)
from factors.models import FactorAssessment, SuccessFactor


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    done: int
    total: int
    # Sections that may legitimately stay empty (projects) never block submission.
    required: bool = True

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return self.done >= self.total


def section_progress(analysis: Analysis) -> list[SectionProgress]:
    """Progress of every section, in order.

    Queries: sections, questions, answered question ids, task areas with a responsible
    unit (+ count of task areas), instruments (+ practices), complete assessments (+ count of
    factors), cooperation entries, projects: a fixed number, independent of the data size.
    """
    sections = list(analysis.round.questionnaire.sections.all())
    questions = list(
        Question.objects.filter(section__questionnaire_id=analysis.round.questionnaire_id).only(
            "id", "section_id", "required"
        )
    )
    answered = set(
        Answer.objects.filter(analysis=analysis)
        .exclude(value="")
        .values_list("question_id", flat=True)
    )
    required_by_section: dict[int, list[int]] = {}
    for q in questions:
        if q.required:
            required_by_section.setdefault(q.section_id, []).append(q.id)

    def question_counts(section: Section) -> tuple[int, int]:
        ids = required_by_section.get(section.id, [])
        return sum(1 for i in ids if i in answered), len(ids)

    result = []
    for section in sections:
        q_done, q_total = question_counts(section)
        if section.kind == SectionKind.RESPONSIBILITY_MAP:
            owned = (
                Responsibility.objects.filter(
                    analysis=analysis, role=ResponsibilityRole.RESPONSIBLE
                )
                .values("task_area")
                .distinct()
                .count()
            )
            result.append(
                SectionProgress(section, owned + q_done, TaskArea.objects.count() + q_total)
            )
        elif section.kind == SectionKind.ALLOCATION:
            described = (
                AllocationPractice.objects.filter(analysis=analysis).exclude(decided_by="").count()
            )
            result.append(
                SectionProgress(section, described + q_done, Instrument.objects.count() + q_total)
            )
        elif section.kind == SectionKind.FACTORS:
            complete = (
                FactorAssessment.objects.filter(analysis=analysis, score__isnull=False)
                .exclude(status="")
                .count()
            )
            result.append(
                SectionProgress(section, complete + q_done, SuccessFactor.objects.count() + q_total)
            )
        elif section.kind == SectionKind.COOPERATION:
            counts = Analysis.objects.filter(pk=analysis.pk).aggregate(
                bodies=Count("cooperation_bodies", distinct=True),
                actors=Count("external_actors", distinct=True),
            )
            has_entries = int(bool(counts["bodies"] or counts["actors"]))
            result.append(SectionProgress(section, has_entries + q_done, 1 + q_total))
        elif section.kind == SectionKind.PROJECTS:
            has_projects = int(analysis.municipality.projects.exists())
            result.append(SectionProgress(section, has_projects + q_done, 1 + q_total, False))
        else:
            result.append(SectionProgress(section, q_done, q_total))
    return result


def overall_percent(progress: list[SectionProgress]) -> int:
    done = sum(p.done for p in progress)
    total = sum(p.total for p in progress)
    return round(100 * done / total) if total else 100


def submission_blockers(progress: list[SectionProgress]) -> list[SectionProgress]:
    """Required sections that are not complete; submission waits for them."""
    return [p for p in progress if p.required and not p.complete]


def unanswered_required_questions(analysis: Analysis) -> list[Question]:
    return list(
        Question.objects.filter(
            section__questionnaire_id=analysis.round.questionnaire_id, required=True
        )
        .exclude(Q(answers__analysis=analysis) & ~Q(answers__value=""))
        .select_related("section")
    )
