"""Reads for the review page: the analysis read-only, section by section, with comments."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from analysis import parts
from analysis.models import Analysis, AnalysisStatus, Answer, ReviewComment, StatusChange
from reference.models import Section


@dataclass
class SectionReview:
    section: Section
    answers: list[tuple] = field(default_factory=list)  # (question, answer value, comments)
    comments: list[ReviewComment] = field(default_factory=list)  # on the section as a whole
    # What the section's part shows beside its questions (the six factors' scores).
    panel: parts.Panel | None = None


def comments_by_section(analysis: Analysis) -> dict[int, list[ReviewComment]]:
    """Top-level comments with their replies, by section id (one query + one for replies)."""
    result: dict[int, list[ReviewComment]] = {}
    replies = ReviewComment.objects.select_related("author").order_by("created_at", "pk")
    for comment in (
        ReviewComment.objects.filter(analysis=analysis, parent__isnull=True)
        .select_related("author", "question")
        .prefetch_related(Prefetch("replies", queryset=replies))
    ):
        result.setdefault(comment.section_id, []).append(comment)
    return result


def section_comments(analysis: Analysis, section: Section | None) -> dict:
    """The adviser's comments for the page where a section is edited: those on the section as
    a whole, and how many are on its questions (shown on the questions' own page)."""
    comments = comments_by_section(analysis).get(getattr(section, "pk", None), [])
    return {
        "section_comments": [c for c in comments if c.question_id is None],
        "question_comment_count": sum(1 for c in comments if c.question_id is not None),
    }


def latest_send_back(analysis: Analysis) -> StatusChange | None:
    """The adviser's message when the analysis is sent back now, for the top of its page."""
    if analysis.status != AnalysisStatus.SENT_BACK:
        return None
    return (
        StatusChange.objects.filter(analysis=analysis, to_status=AnalysisStatus.SENT_BACK)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
        .first()
    )


def latest_decision(analysis: Analysis) -> StatusChange | None:
    """Who submitted or approved the analysis, and when, while it is submitted or approved:
    every part says so at its top (issue 15). One query, only in those two states."""
    if analysis.status not in (AnalysisStatus.SUBMITTED, AnalysisStatus.APPROVED):
        return None
    return (
        StatusChange.objects.filter(analysis=analysis, to_status=analysis.status)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
        .first()
    )


def review_page(analysis: Analysis) -> dict:
    sections = list(analysis.round.questionnaire.sections.prefetch_related("questions"))
    answers = {
        a.question_id: a.value
        for a in Answer.objects.filter(analysis=analysis).only("question_id", "value")
    }
    comments = comments_by_section(analysis)
    rows = []
    for section in sections:
        section_comments = comments.get(section.pk, [])
        part = parts.get(section.kind)
        row = SectionReview(
            section=section,
            comments=[c for c in section_comments if c.question_id is None],
            panel=part.review_panel(analysis) if part else None,
        )
        for question in section.questions.all():
            row.answers.append(
                (
                    question,
                    question.display_answer(answers.get(question.pk, "")),
                    [c for c in section_comments if c.question_id == question.pk],
                )
            )
        rows.append(row)
    return {
        "section_reviews": rows,
        "status_changes": StatusChange.objects.filter(analysis=analysis).select_related(
            "changed_by"
        ),
        "open_comments": sum(1 for cs in comments.values() for c in cs if c.resolved_at is None),
    }
