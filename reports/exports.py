"""One municipality's answers for a round as an Excel workbook, one sheet per section: each
question with its answer as the page shows it, the factor section with the scores, the
structural sections with their entries."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from analysis.models import (
    AllocationPractice,
    Analysis,
    Answer,
    CooperationBody,
    ExternalActor,
    Project,
    Responsibility,
    TaskAreaGap,
)
from boligsosial.spreadsheets import sheet_name, xlsx_bytes
from factors.models import FactorAssessment
from reference.models import Instrument, SectionKind, TaskArea


def _yes_no(value: bool | None) -> str:
    return {True: _("Yes"), False: _("No")}.get(value, "")


def _structure_rows(analysis: Analysis, kind: str) -> list[dict]:
    """The structural sections' own content, as question/answer rows after their questions."""
    question, answer = _("Question"), _("Answer")
    rows: list[dict] = []
    if kind == SectionKind.RESPONSIBILITY_MAP:
        units: dict[int, list[str]] = {}
        # Responsible units before contributing ones ("responsible" > "contributing").
        for r in (
            Responsibility.objects.filter(analysis=analysis)
            .select_related("unit")
            .order_by("-role", "unit__name")
        ):
            units.setdefault(r.task_area_id, []).append(f"{r.unit.name} ({r.get_role_display()})")
        gaps = {
            g.task_area_id: g.get_gap_display()
            for g in TaskAreaGap.objects.filter(analysis=analysis)
        }
        for area in TaskArea.objects.all():
            said = [*units.get(area.pk, []), *([gaps[area.pk]] if area.pk in gaps else [])]
            rows.append({question: area.name, answer: "; ".join(said) or _("Nobody")})
    elif kind == SectionKind.COOPERATION:
        for body in CooperationBody.objects.filter(analysis=analysis):
            parts = [
                _("Formally established") if body.is_formal else _("Informal"),
                body.members,
                body.mandate,
                body.meeting_frequency,
            ]
            rows.append(
                {
                    question: _("Cooperation body: %(name)s") % {"name": body.name},
                    answer: " – ".join(p for p in parts if p),
                }
            )
        for actor in ExternalActor.objects.filter(analysis=analysis):
            rows.append(
                {
                    question: _("External actor: %(name)s") % {"name": actor.name},
                    answer: actor.cooperation_about,
                }
            )
    elif kind == SectionKind.ALLOCATION:
        practices = {
            p.instrument_id: p for p in AllocationPractice.objects.filter(analysis=analysis)
        }
        for instrument in Instrument.objects.all():
            p = practices.get(instrument.pk)
            parts = [p.decided_by or p.get_gap_display(), p.criteria] if p else []
            if p and p.criteria_written is not None:
                parts.append(
                    _("Criteria written down: %(yes_no)s") % {"yes_no": _yes_no(p.criteria_written)}
                )
            rows.append({question: instrument.name, answer: " – ".join(x for x in parts if x)})
    elif kind == SectionKind.PROJECTS:
        start, end = analysis.round.opens_on, analysis.round.closes_on
        for project in Project.objects.filter(municipality=analysis.municipality):
            if project.is_active_between(start, end):
                parts = [project.get_status_display(), project.description]
                rows.append({question: project.name, answer: " – ".join(x for x in parts if x)})
    return rows


def analysis_answers_frames(analysis: Analysis) -> list[tuple[str, pd.DataFrame]]:
    """One (sheet name, table) per section: each question with its answer as the page shows
    it; the factor section adds the scores, the structural sections their entries."""
    answers = {a.question_id: a for a in Answer.objects.filter(analysis=analysis)}
    question, answer = _("Question"), _("Answer")
    factor_columns = [_("Score"), _("Challenges"), _("What the score rests on")]
    used: set[str] = set()
    frames = []
    for section in analysis.round.questionnaire.sections.prefetch_related("questions"):
        rows = []
        for q in section.questions.all():
            found = answers.get(q.pk)
            value = q.display_answer(found.value if found else "")
            rows.append({question: q.text, answer: value})
        columns = [question, answer]
        if section.kind == SectionKind.FACTORS:
            columns += factor_columns
            for a in FactorAssessment.objects.filter(analysis=analysis).select_related("factor"):
                rows.append(
                    {
                        question: a.factor.name,
                        answer: a.status,
                        _("Score"): a.score,
                        _("Challenges"): a.challenges,
                        _("What the score rests on"): a.evidence,
                    }
                )
        rows += _structure_rows(analysis, section.kind)
        frame = pd.DataFrame(rows, columns=columns)
        if section.kind == SectionKind.FACTORS:
            frame[_("Score")] = frame[_("Score")].astype("Int64")
        frames.append((sheet_name(section.title, used), frame))
    return frames


def analysis_answers_xlsx(analysis: Analysis) -> bytes:
    return xlsx_bytes(analysis_answers_frames(analysis))
