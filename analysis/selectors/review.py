"""Reads for the review page: the analysis read-only, section by section, with comments."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import parts, versions
from analysis.models import (
    AllocationPractice,
    Analysis,
    AnalysisStatus,
    Answer,
    CooperationBody,
    ExternalActor,
    InternalNote,
    ReviewComment,
    StatusChange,
)
from analysis.selectors import reads
from analysis.selectors.core import in_current_round, previous_analysis
from analysis.selectors.structures import projects_of, responsibility_matrix
from reference.models import Instrument, Section


@dataclass
class SectionReview:
    section: Section
    answers: list[tuple] = field(default_factory=list)  # (question, answer value, comments)
    comments: list[ReviewComment] = field(default_factory=list)  # on the section as a whole
    # What the section's part shows beside its questions (the six factors' scores), and the
    # panel as HTML, rendered once for as long as the page is kept (analysis/versions.py).
    panel: parts.Panel | None = None
    panel_html: str = ""


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


def internal_notes(analysis: Analysis) -> list[InternalNote]:
    """The office's notes on the analysis, oldest first, with who wrote them (one query).
    Only the review page reads them, and only for those `access.can_keep_internal_notes`
    lets in."""
    return list(InternalNote.objects.filter(analysis=analysis).select_related("author"))


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
    """Every part of the analysis read-only, each answer and row with what changed since the
    municipality's previous round (issue 15): the questionnaire's answers here, the other
    parts through their `review_panel` (the parts registry, so this app never imports the
    apps above it), and the parts that are no section (the action plan) after them.

    All but the comments is kept in the cache under the analysis's content token
    (analysis/versions.py), with the status history (a status change replaces the token) and
    whether the analysis belongs to the current round (so does a new round, and the day is
    part of the key): one query and one for the replies when nothing changed since the page
    was last computed, in any process."""
    content = versions.cached(analysis, "review", lambda: _review_content(analysis))
    comments = comments_by_section(analysis)
    rows = []
    for cached_row in content["section_reviews"]:
        section_comments = comments.get(cached_row.section.pk, [])
        rows.append(
            SectionReview(
                section=cached_row.section,
                comments=[c for c in section_comments if c.question_id is None],
                panel=cached_row.panel,
                panel_html=cached_row.panel_html,
                answers=[
                    (
                        question,
                        shown,
                        [c for c in section_comments if c.question_id == question.pk],
                        change,
                    )
                    for question, shown, _none, change in cached_row.answers
                ],
            )
        )
    return {
        "section_reviews": rows,
        "extra_panels": content["extra_panels"],
        "extra_panels_html": content["extra_panels_html"],
        "previous_analysis": content["previous_analysis"],
        "status_changes": content["status_changes"],
        "in_current_round": content["in_current_round"],
        "open_comments": sum(1 for cs in comments.values() for c in cs if c.resolved_at is None),
    }


def _review_content(analysis: Analysis) -> dict:
    """What `review_page` keeps: the sections with their answers and panels (no comments),
    the parts that are no section, the previous round's analysis. The parts read what they
    share once (analysis.selectors.reads)."""
    with reads.shared_reads(analysis):
        return _read_review_content(analysis)


def _read_review_content(analysis: Analysis) -> dict:
    previous = previous_analysis(analysis)
    sections = list(analysis.round.questionnaire.sections.prefetch_related("questions"))
    answers = {
        a.question_id: a.value
        for a in Answer.objects.filter(analysis=analysis).only("question_id", "value")
    }
    # The previous round's answers by question key: a new edition keeps its keys.
    previous_answers = (
        dict(Answer.objects.filter(analysis=previous).values_list("question__key", "value"))
        if previous is not None
        else {}
    )
    rows = []
    for section in sections:
        part = parts.get(section.kind)
        panel = part.review_panel(analysis, previous) if part else None
        row = SectionReview(section=section, panel=panel, panel_html=_panel_html(panel))
        for question in section.questions.all():
            shown = question.display_answer(answers.get(question.pk, ""))
            change = None
            if previous is not None:
                old = previous_answers.get(question.key, "")
                change = change_between(question.display_answer(old) if old else "", shown)
            row.answers.append((question, shown, None, change))
        rows.append(row)
    kinds = {section.kind for section in sections}
    extra_panels = [
        panel
        for part in parts.all_parts()
        if part.kind not in kinds and (panel := part.review_panel(analysis, previous)) is not None
    ]
    return {
        "section_reviews": rows,
        "extra_panels": extra_panels,
        "extra_panels_html": [_panel_html(panel) for panel in extra_panels],
        "previous_analysis": previous,
        "status_changes": list(
            StatusChange.objects.filter(analysis=analysis).select_related("changed_by")
        ),
        "in_current_round": in_current_round(analysis),
    }


def _panel_html(panel: parts.Panel | None) -> str:
    """A part's read-only block as HTML. Review panels read nothing but their own context
    (no form, no person), so the HTML is the same for everyone who may open the page."""
    return render_to_string(panel.template, {"panel": panel.context}) if panel else ""


# --- What changed since the previous round (issue 15) ------------------------------------------


@dataclass(frozen=True)
class Change:
    """How an answer or a row differs from the municipality's previous round: "new" (nothing
    there before) or "changed", with the old value as a person reads it."""

    kind: str
    old: str = ""

    @property
    def is_new(self) -> bool:
        return self.kind == "new"


def change_between(old: str | None, new: str) -> Change | None:
    """How `new` differs from `old`, both as a person reads them: None when they are the
    same, "new" when the previous round had nothing there (`old` None or empty), else
    "changed" with the old text. Callers pass no change at all when there is no previous
    round to compare with."""
    old_text = (old or "").strip()
    new_text = (new or "").strip()
    if old_text == new_text:
        return None
    if not old_text:
        return Change("new") if new_text else None
    return Change("changed", old_text)


def _row_text(row, fields: tuple[str, ...]) -> str:
    """A row's editable fields in words, to compare and to show the old value."""
    parts_ = []
    for name in fields:
        value = getattr(row, name)
        display = getattr(row, f"get_{name}_display", None)
        if display is not None and value:
            value = display()
        elif value is True:
            value = _("yes")
        elif value is False:
            value = _("no")
        if value not in (None, ""):
            parts_.append(f"{row._meta.get_field(name).verbose_name}: {value}")
    return "; ".join(str(p) for p in parts_)


@dataclass
class ReviewRow:
    """One row of a part on the review page, read-only, with its change since the previous
    round (None: unchanged, or no previous round)."""

    item: object
    change: Change | None = None


def _changes(rows: list, previous_rows: list, key, fields: tuple[str, ...], compared: bool):
    before = {key(r): _row_text(r, fields) for r in previous_rows}
    return [
        ReviewRow(r, change_between(before.get(key(r)), _row_text(r, fields)) if compared else None)
        for r in rows
    ]


def map_review(analysis: Analysis, previous: Analysis | None) -> dict:
    """Who does what for the review page: each task area's responsible and contributing units
    or its honest gap, with the change since the previous round. Four queries (task areas,
    units, cells, gaps: `responsibility_matrix`), four more when there is a previous round."""
    matrix = responsibility_matrix(analysis)
    old_rows = {}
    if previous is not None:
        old = responsibility_matrix(previous)
        old_rows = {row.task_area.pk: _matrix_text(old, row) for row in old.rows}
    rows = []
    for row in matrix.rows:
        text = _matrix_text(matrix, row)
        change = (
            change_between(old_rows.get(row.task_area.pk), text) if previous is not None else None
        )
        rows.append(
            {
                "task_area": row.task_area,
                "responsible": matrix.unit_names(row, "responsible"),
                "contributing": matrix.unit_names(row, "contributing"),
                "gap": row.gap_label,
                "without_owner": row.has_no_owner,
                "answered": row.is_answered,
                "change": change,
            }
        )
    return {"rows": rows, "compared": previous is not None}


def _matrix_text(matrix, row) -> str:
    responsible = matrix.unit_names(row, "responsible")
    contributing = matrix.unit_names(row, "contributing")
    words = []
    if responsible:
        words.append(f"{_('Responsible')}: {', '.join(responsible)}")
    if contributing:
        words.append(f"{_('Contributing')}: {', '.join(contributing)}")
    if row.gap:
        words.append(str(row.gap_label))
    return "; ".join(words)


def cooperation_review(analysis: Analysis, previous: Analysis | None) -> dict:
    """Cooperation bodies and external actors, each with its change since the previous round
    (matched by name, actors by kind and name). Two queries, two more with a previous round."""
    compared = previous is not None
    old_bodies = list(CooperationBody.objects.filter(analysis=previous)) if compared else []
    old_actors = list(ExternalActor.objects.filter(analysis=previous)) if compared else []
    return {
        "bodies": _changes(
            list(CooperationBody.objects.filter(analysis=analysis)),
            old_bodies,
            lambda r: r.name.strip().lower(),
            CooperationBody.EDITABLE,
            compared,
        ),
        "actors": _changes(
            list(ExternalActor.objects.filter(analysis=analysis)),
            old_actors,
            lambda r: (r.kind, r.name.strip().lower()),
            ExternalActor.EDITABLE,
            compared,
        ),
        "compared": compared,
    }


def allocation_review(analysis: Analysis, previous: Analysis | None) -> dict:
    """Every instrument with its practice (or none), and the change since the previous round.
    Two queries (instruments, practices), one more with a previous round."""
    compared = previous is not None
    practices = {p.instrument_id: p for p in AllocationPractice.objects.filter(analysis=analysis)}
    old = (
        {
            p.instrument_id: _row_text(p, AllocationPractice.EDITABLE)
            for p in AllocationPractice.objects.filter(analysis=previous)
        }
        if compared
        else {}
    )
    rows = []
    for instrument in Instrument.objects.order_by("order"):
        practice = practices.get(instrument.pk)
        text = _row_text(practice, AllocationPractice.EDITABLE) if practice else ""
        rows.append(
            {
                "instrument": instrument,
                "practice": practice,
                "change": change_between(old.get(instrument.pk), text) if compared else None,
            }
        )
    return {"rows": rows, "compared": compared}


def projects_review(analysis: Analysis, previous: Analysis | None) -> dict:
    """The municipality's projects (`projects_of`: four queries). Projects belong to the
    municipality and outlive rounds, so there is no earlier copy to compare with: a project
    changed since this round opened is marked, without an old value."""
    opened = analysis.round.opens_on
    rows = [
        ReviewRow(
            project,
            Change("changed")
            if previous is not None and timezone.localdate(project.updated_at) >= opened
            else None,
        )
        for project in projects_of(analysis)
    ]
    return {"rows": rows, "compared": previous is not None}
