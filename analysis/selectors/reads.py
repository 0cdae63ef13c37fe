"""Reads that several blocks of one page share, made once per page.

The analysis page asks every part for its progress and its panel (analysis/parts.py); the
progress of the map, the recommendations and the matrix all read the same cells, the factor
profile and the factors' progress the same assessments. Inside `shared_reads(analysis)` each
read below is made once and kept on that analysis object until the block ends; outside it
(every other page, every service) each call reads afresh, so nothing is ever kept across
requests or across a write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from analysis.models import AllocationPractice, Analysis, Answer, Responsibility, TaskAreaGap
from reference.models import Instrument, Question, Section, TaskArea

_ATTRIBUTE = "_shared_reads"


@contextmanager
def shared_reads(analysis: Analysis) -> Iterator[None]:
    """Within the block, the reads of this module on `analysis` are made once."""
    setattr(analysis, _ATTRIBUTE, {})
    try:
        yield
    finally:
        delattr(analysis, _ATTRIBUTE)


def once[T](analysis: Analysis | None, key: str, read: Callable[[], T]) -> T:
    """`read()`, or what it gave the first time inside `shared_reads(analysis)`."""
    memo: dict[str, Any] | None = getattr(analysis, _ATTRIBUTE, None)
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def is_shared(analysis: Analysis | None) -> bool:
    return getattr(analysis, _ATTRIBUTE, None) is not None


def sections(analysis: Analysis) -> list[Section]:
    """The sections of the analysis's questionnaire, in order."""
    return once(analysis, "sections", lambda: list(analysis.round.questionnaire.sections.all()))


def task_areas(analysis: Analysis) -> list[TaskArea]:
    return once(analysis, "task_areas", lambda: list(TaskArea.objects.order_by("order")))


def instruments(analysis: Analysis) -> list[Instrument]:
    return once(analysis, "instruments", lambda: list(Instrument.objects.order_by("order")))


def responsibility_cells(analysis: Analysis) -> list[tuple[int, int, str, int, bool]]:
    """(task area id, unit id, role, pk, carried over) of every cell of the map."""
    return once(
        analysis,
        "responsibility_cells",
        lambda: list(
            Responsibility.objects.filter(analysis=analysis).values_list(
                "task_area_id", "unit_id", "role", "pk", "carried_over"
            )
        ),
    )


def task_area_gaps(analysis: Analysis) -> list[tuple[int, str, int, bool]]:
    """(task area id, gap, pk, carried over) of every task area answered without a unit."""
    return once(
        analysis,
        "task_area_gaps",
        lambda: list(
            TaskAreaGap.objects.filter(analysis=analysis).values_list(
                "task_area_id", "gap", "pk", "carried_over"
            )
        ),
    )


def allocation_practices(analysis: Analysis) -> list[AllocationPractice]:
    """The analysis's allocation practices with their instrument, in the instruments' order."""
    return once(
        analysis,
        "allocation_practices",
        lambda: list(
            AllocationPractice.objects.filter(analysis=analysis)
            .select_related("instrument")
            .order_by("instrument__order")
        ),
    )


def answer_rows(analysis: Analysis) -> list[tuple[int, str, str, bool]]:
    """(question id, question key, value, carried over) of every answer of the analysis."""
    return once(
        analysis,
        "answer_rows",
        lambda: list(
            Answer.objects.filter(analysis=analysis).values_list(
                "question_id", "question__key", "value", "carried_over"
            )
        ),
    )


def questions(analysis: Analysis) -> list[Question]:
    """The questions of the analysis's questionnaire, in order."""
    return once(
        analysis,
        "questions",
        lambda: list(
            Question.objects.filter(section__questionnaire_id=analysis.round.questionnaire_id)
        ),
    )
