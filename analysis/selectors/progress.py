"""How far an analysis has come, section by section, and what blocks submission.

A fixed number of queries per analysis, however many answers, units or projects it has.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Expression, OuterRef, Q, QuerySet
from django.utils import timezone

from analysis import parts
from analysis.models import Analysis, Answer
from analysis.selectors import reads
from reference.models import Question, Section


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
    # What the section's part still lacks, in words (the questions are listed apart).
    missing: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return self.done >= self.total


def section_progress(analysis: Analysis) -> list[SectionProgress]:
    """Progress of every section, in order: its required questions answered, plus what its
    part has done (analysis/parts.py).

    Queries: sections, questions, answered question ids, and each part's own (the map's
    cells and the count of task areas, allocation rows and the count of instruments,
    assessments and the count of factors, cooperation entries, projects): a fixed number,
    independent of the data size.
    """
    sections = reads.sections(analysis)
    questions = reads.questions(analysis)
    answered_rows = [
        (question_id, carried)
        for question_id, _key, value, carried in reads.answer_rows(analysis)
        if value != ""
    ]
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

    result = []
    for section in sections:
        ids = required_by_section.get(section.id, [])
        q_done, q_total = sum(1 for i in ids if i in answered), len(ids)
        part = parts.get(section.kind)
        own = part.progress(analysis) if part else parts.Progress(0, 0)
        result.append(
            SectionProgress(
                section,
                own.done + q_done,
                own.total + q_total,
                required=part.required if part else True,
                unconfirmed=carried_by_section.get(section.id, 0) + own.unconfirmed,
                missing=part.describe_missing(own) if part else "",
            )
        )
    return result


# The names of progress_columns()'s annotations: what is done, and out of how much.
DONE_PREFIX = "progress_done_"
TOTAL_PREFIX = "progress_total_"


def progress_columns(questionnaire_id: int) -> dict[str, Expression]:
    """Annotations for an Analysis queryset from which `percent_done` computes the overall
    percent of each analysis, the same arithmetic as `section_progress`: required questions
    answered, and each part's `done()`, with the totals beside them. Read with the analyses
    themselves, so the overview's progress column costs no query of its own."""
    return dict(_progress_columns(questionnaire_id))


# Built once per questionnaire in a process: building the dozen subqueries cost more than the
# database's work on them. A query resolves a copy of each expression (annotate), so the
# same ones serve every query; the parts are registered once, when Django starts.
@functools.lru_cache(maxsize=32)
def _progress_columns(questionnaire_id: int) -> tuple[tuple[str, Expression], ...]:
    required = Question.objects.filter(section__questionnaire_id=questionnaire_id, required=True)
    answered = Answer.objects.filter(
        analysis=OuterRef("pk"),
        question__section__questionnaire_id=questionnaire_id,
        question__required=True,
    ).exclude(value="")
    columns = {
        f"{DONE_PREFIX}questions": parts.count_of(answered),
        f"{TOTAL_PREFIX}questions": parts.count_of(required),
    }
    for n, part in enumerate(parts.all_parts()):
        done = part.done()
        if done is not None:
            columns[f"{DONE_PREFIX}{n}"] = done
        columns[f"{TOTAL_PREFIX}{n}"] = part.total_expression()
    return tuple(columns.items())


def percent_done(row: Mapping[str, Any]) -> int:
    """The overall percent of an analysis read with `progress_columns`."""
    done = sum(v or 0 for k, v in row.items() if k.startswith(DONE_PREFIX))
    total = sum(v or 0 for k, v in row.items() if k.startswith(TOTAL_PREFIX))
    return round(100 * done / total) if total else 100


def with_progress(questionnaire_id: int) -> QuerySet[Analysis]:
    """Analyses annotated with `progress_columns`, to filter further: the annotations are
    resolved once per questionnaire in a process (a filter on this queryset copies them, it
    does not resolve them again), which costs more than the database's work on them."""
    return _with_progress(questionnaire_id).all()


@functools.lru_cache(maxsize=32)
def _with_progress(questionnaire_id: int) -> QuerySet[Analysis]:
    # Never evaluated itself: with_progress hands out copies.
    return Analysis.objects.order_by().annotate(**progress_columns(questionnaire_id))


def bulk_progress(analyses: QuerySet[Analysis], questionnaire_id: int) -> dict[int, int]:
    """Overall percent per analysis, in one query for any number of analyses."""
    columns = progress_columns(questionnaire_id)
    rows = (
        with_progress(questionnaire_id).filter(pk__in=analyses.values("pk")).values("pk", *columns)
    )
    return {row["pk"]: percent_done(row) for row in rows}


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
    if reads.is_shared(analysis):
        # The questions and answers the progress has read already (analysis_page).
        answered = {q_id for q_id, _key, value, _c in reads.answer_rows(analysis) if value != ""}
        sections = {s.pk: s for s in reads.sections(analysis)}
        missing = [q for q in reads.questions(analysis) if q.required and q.pk not in answered]
        for question in missing:
            question.section = sections[question.section_id]
        return missing
    return list(
        Question.objects.filter(
            section__questionnaire_id=analysis.round.questionnaire_id, required=True
        )
        .exclude(Q(answers__analysis=analysis) & ~Q(answers__value=""))
        .select_related("section")
    )
