"""Reads for the planner's analysis page and section pages."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from analysis import parts, versions
from analysis.models import Analysis, Answer, SectionAssignment
from analysis.selectors import reads
from analysis.selectors.core import previous_analysis, rounds_for_municipality
from analysis.selectors.progress import (
    SectionProgress,
    overall_percent,
    round_not_open,
    section_progress,
    submission_blockers,
    unanswered_required_questions,
)
from reference.models import Question, Section


def section_url(analysis: Analysis, section: Section) -> str | None:
    """Where a section is edited: its part's own page, or the page of its questions."""
    part = parts.get(section.kind)
    if part is None:
        return reverse("analysis:section", args=[analysis.pk, section.key])
    try:
        return reverse(part.url_name, args=[analysis.pk])
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class SectionRow:
    progress: SectionProgress
    url: str | None
    assignment: SectionAssignment | None
    missing_questions: list

    @property
    def section(self) -> Section:
        return self.progress.section


def assignments_by_section(analysis: Analysis) -> dict[int, SectionAssignment]:
    return {
        a.section_id: a
        for a in SectionAssignment.objects.filter(analysis=analysis).select_related(
            "unit", "assignee"
        )
    }


def analysis_page(analysis: Analysis) -> dict:
    """Everything the analysis page shows, in a fixed number of queries: the parts' progress
    and panels read what they share once (analysis.selectors.reads). Kept in the cache under
    the analysis's content token (analysis/versions.py): no query at all when nothing it
    reads changed since the page was last computed, in any process."""

    def compute() -> dict:
        with reads.shared_reads(analysis):
            return _analysis_page(analysis)

    page = versions.cached(analysis, "page", compute)
    return {**page, "round_not_open": round_not_open(analysis)}


def _analysis_page(analysis: Analysis) -> dict:
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
    previous = analysis.previous
    if previous is None and analysis.status == "not_started":
        previous = previous_analysis(analysis)
    return {
        "previous_analysis": previous,
        # The round switcher: the municipality's analysis in every round (a new round and a
        # status change replace the token, and the day is part of the key).
        "round_entries": rounds_for_municipality(analysis.municipality_id),
        # Who changed the analysis last (touch_analysis replaces the token).
        "last_activity_by": analysis.last_activity_by,
        "section_rows": rows,
        "overall_percent": overall_percent(progress),
        "blockers": submission_blockers(progress),
        "unconfirmed_rows": [row for row in rows if row.progress.unconfirmed],
        "part_panels": [
            _as_html(panel)
            for part in parts.all_parts()
            if (panel := part.page_panel(analysis, previous)) is not None
        ],
    }


def _as_html(panel: parts.Panel) -> parts.Panel:
    """A panel that is the same for everyone, rendered once for as long as the page is kept;
    the others are rendered for each person (their forms and links depend on who looks)."""
    if not panel.for_everyone:
        return panel
    return replace(panel, html=render_to_string(panel.template, {"panel": panel.context}))


def previous_answers(analysis: Analysis, section: Section) -> dict[str, str]:
    """Last round's answers to the section's questions, by question key (matched by key, so
    a new edition of the questionnaire still finds them); none before a first round."""
    if not analysis.previous_id:
        return {}
    return dict(
        Answer.objects.filter(
            analysis_id=analysis.previous_id, question__section__key=section.key
        ).values_list("question__key", "value")
    )


def sections_of(analysis: Analysis) -> list[Section]:
    """The analysis's sections in order, each saying whether it has questions of its own
    (`has_questions`): one query for a part's page, its section and its links to the
    previous and next part (part_nav)."""
    return list(
        Section.objects.filter(questionnaire_id=analysis.round.questionnaire_id)
        .annotate(has_questions=Exists(Question.objects.filter(section=OuterRef("pk"))))
        .order_by("order")
    )


def section_of_kind(analysis: Analysis, kind: str) -> Section | None:
    """The analysis's questionnaire section of a kind (the map, cooperation ...)."""
    return Section.objects.filter(
        questionnaire_id=analysis.round.questionnaire_id, kind=kind
    ).first()


def answers_by_question(analysis: Analysis, section: Section) -> dict[int, Answer]:
    return {
        a.question_id: a
        for a in Answer.objects.filter(analysis=analysis, question__section=section).select_related(
            "updated_by"
        )
    }
