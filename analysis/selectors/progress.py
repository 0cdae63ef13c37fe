"""How far an analysis has come, section by section, and what blocks submission.

A fixed number of queries per analysis, however many answers, units or projects it has.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

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
    # Entries carried over from the previous round and not yet confirmed or edited. They
    # count as done (the answer is there), but the analysis page asks for a look at them.
    unconfirmed: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return self.done >= self.total


def section_progress(analysis: Analysis) -> list[SectionProgress]:
    """Progress of every section, in order.

    Queries: sections, questions, answered question ids, the map's cells (+ count of task
    areas), allocation rows (+ count of instruments), assessments (+ count of factors),
    cooperation entries, projects: a fixed number, independent of the data size.
    """
    sections = list(analysis.round.questionnaire.sections.all())
    questions = list(
        Question.objects.filter(section__questionnaire_id=analysis.round.questionnaire_id).only(
            "id", "section_id", "required"
        )
    )
    answered_rows = list(
        Answer.objects.filter(analysis=analysis)
        .exclude(value="")
        .values_list("question_id", "carried_over")
    )
    answered = {question_id for question_id, _carried in answered_rows}
    carried_questions = {question_id for question_id, carried in answered_rows if carried}
    section_of = {q.id: q.section_id for q in questions}
    carried_by_section: dict[int, int] = {}
    for question_id in carried_questions:
        section_id = section_of.get(question_id)
        carried_by_section[section_id] = carried_by_section.get(section_id, 0) + 1
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
        carried = carried_by_section.get(section.id, 0)
        if section.kind == SectionKind.RESPONSIBILITY_MAP:
            cells = list(
                Responsibility.objects.filter(analysis=analysis).values_list(
                    "task_area_id", "role", "carried_over"
                )
            )
            owned = {area for area, role, _c in cells if role == ResponsibilityRole.RESPONSIBLE}
            result.append(
                SectionProgress(
                    section,
                    len(owned) + q_done,
                    TaskArea.objects.count() + q_total,
                    unconfirmed=carried + sum(c for _a, _r, c in cells),
                )
            )
        elif section.kind == SectionKind.ALLOCATION:
            rows = list(
                AllocationPractice.objects.filter(analysis=analysis).values_list(
                    "decided_by", "carried_over"
                )
            )
            described = sum(1 for decided_by, _c in rows if decided_by)
            result.append(
                SectionProgress(
                    section,
                    described + q_done,
                    Instrument.objects.count() + q_total,
                    unconfirmed=carried + sum(c for _d, c in rows),
                )
            )
        elif section.kind == SectionKind.FACTORS:
            rows = list(
                FactorAssessment.objects.filter(analysis=analysis).values_list(
                    "score", "status", "carried_over"
                )
            )
            complete = sum(1 for score, status, _c in rows if score is not None and status)
            result.append(
                SectionProgress(
                    section,
                    complete + q_done,
                    SuccessFactor.objects.count() + q_total,
                    unconfirmed=carried + sum(c for _s, _t, c in rows),
                )
            )
        elif section.kind == SectionKind.COOPERATION:
            counts = Analysis.objects.filter(pk=analysis.pk).aggregate(
                bodies=Count("cooperation_bodies", distinct=True),
                actors=Count("external_actors", distinct=True),
                carried_bodies=Count(
                    "cooperation_bodies",
                    filter=Q(cooperation_bodies__carried_over=True),
                    distinct=True,
                ),
                carried_actors=Count(
                    "external_actors", filter=Q(external_actors__carried_over=True), distinct=True
                ),
            )
            has_entries = int(bool(counts["bodies"] or counts["actors"]))
            result.append(
                SectionProgress(
                    section,
                    has_entries + q_done,
                    1 + q_total,
                    unconfirmed=carried + counts["carried_bodies"] + counts["carried_actors"],
                )
            )
        elif section.kind == SectionKind.PROJECTS:
            has_projects = int(analysis.municipality.projects.exists())
            result.append(
                SectionProgress(
                    section, has_projects + q_done, 1 + q_total, False, unconfirmed=carried
                )
            )
        else:
            result.append(SectionProgress(section, q_done, q_total, unconfirmed=carried))
    return result


def overall_percent(progress: list[SectionProgress]) -> int:
    done = sum(p.done for p in progress)
    total = sum(p.total for p in progress)
    return round(100 * done / total) if total else 100


def submission_blockers(progress: list[SectionProgress]) -> list[SectionProgress]:
    """Required sections that are not complete; submission waits for them."""
    return [p for p in progress if p.required and not p.complete]


def unconfirmed_sections(progress: list[SectionProgress]) -> list[SectionProgress]:
    """Sections holding entries carried over from the previous round that nobody has confirmed
    or edited. Submission waits for them too: the adviser must not read last round's text as
    this round's before the municipality has looked at it."""
    return [p for p in progress if p.unconfirmed]


def round_not_open(analysis: Analysis, today: datetime.date | None = None) -> bool:
    """A new round can be prepared before its first day, but not submitted."""
    return analysis.round.opens_on > (today or timezone.localdate())


def unanswered_required_questions(analysis: Analysis) -> list[Question]:
    return list(
        Question.objects.filter(
            section__questionnaire_id=analysis.round.questionnaire_id, required=True
        )
        .exclude(Q(answers__analysis=analysis) & ~Q(answers__value=""))
        .select_related("section")
    )
