"""Reads for checking the answers before submitting, and for the receipt after (issue 15,
item 2: the GOV.UK / Designsystemet "check answers" pattern)."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis import receipts
from analysis.models import AllocationPractice, Analysis, Answer, StatusChange
from analysis.selectors.progress import (
    SectionProgress,
    round_not_open,
    section_progress,
    submission_blockers,
    unanswered_required_questions,
    unconfirmed_sections,
)
from analysis.selectors.review import latest_decision
from analysis.selectors.sections import section_url
from analysis.selectors.structures import responsibility_matrix
from reference.models import Instrument, Question, SectionKind


@dataclass
class CheckSection:
    progress: SectionProgress
    # Where the planner changes it; None for a part with no page of its own.
    url: str | None
    # (question, answer in words) for every question of the section, "" when unanswered.
    answers: list[tuple[Question, str]] = field(default_factory=list)
    # (task area or instrument, the honest gap in words): shown so the planner sees them as
    # answers, not as something forgotten.
    gaps: list[tuple[str, str]] = field(default_factory=list)
    missing_questions: list[Question] = field(default_factory=list)

    @property
    def section(self):
        return self.progress.section


def check_answers_page(analysis: Analysis) -> dict:
    """Every part of the analysis with its answers, what is still missing and what was
    carried over unconfirmed; whether it can be submitted is the submit service's to decide
    (analysis/services/workflow.py), and this page shows the same reasons beforehand."""
    progress = section_progress(analysis)
    values = dict(
        Answer.objects.filter(analysis=analysis)
        .exclude(value="")
        .values_list("question_id", "value")
    )
    questions: dict[int, list[Question]] = {}
    for question in Question.objects.filter(
        section__questionnaire_id=analysis.round.questionnaire_id
    ):
        questions.setdefault(question.section_id, []).append(question)
    missing: dict[int, list[Question]] = {}
    for question in unanswered_required_questions(analysis):
        missing.setdefault(question.section_id, []).append(question)
    kinds = {p.section.kind for p in progress}
    gaps: dict[str, list[tuple[str, str]]] = {}
    if SectionKind.RESPONSIBILITY_MAP in kinds:
        matrix = responsibility_matrix(analysis)
        gaps[SectionKind.RESPONSIBILITY_MAP] = [
            (row.task_area.name, row.gap_label) for row in matrix.rows if row.gap
        ]
    if SectionKind.ALLOCATION in kinds:
        names = {i.pk: i.name for i in Instrument.objects.all()}
        gaps[SectionKind.ALLOCATION] = [
            (names[p.instrument_id], p.get_gap_display())
            for p in AllocationPractice.objects.filter(analysis=analysis).exclude(gap="")
        ]
    sections = [
        CheckSection(
            progress=p,
            url=section_url(analysis, p.section),
            answers=[
                (q, q.display_answer(values.get(q.pk, ""))) for q in questions.get(p.section.pk, [])
            ],
            gaps=gaps.get(p.section.kind, []),
            missing_questions=missing.get(p.section.pk, []),
        )
        for p in progress
    ]
    return {
        "check_sections": sections,
        "blockers": submission_blockers(progress),
        "unconfirmed": unconfirmed_sections(progress),
        "round_not_open": round_not_open(analysis),
    }


@dataclass(frozen=True)
class Receipt:
    submission: StatusChange | None
    notified: list
    parts: list[SectionProgress]


def receipt(analysis: Analysis) -> Receipt:
    """What was sent, when and by whom, and who was told by e-mail: the advisers the
    notifications app sends "analysis submitted" to (analysis/receipts.py)."""
    submission = latest_decision(analysis)
    if submission is None or submission.to_status != "submitted":
        submission = (
            StatusChange.objects.filter(analysis=analysis, to_status="submitted")
            .select_related("changed_by")
            .order_by("-changed_at", "-pk")
            .first()
        )
    if submission is None:
        return Receipt(None, [], [])
    return Receipt(
        submission=submission,
        notified=receipts.submission_recipients(analysis, submission.changed_by),
        parts=section_progress(analysis),
    )
