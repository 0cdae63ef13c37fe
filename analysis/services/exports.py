"""Exports with pandas: the overview table as CSV or Excel, and one municipality's answers
for a round as an Excel workbook with one sheet per section. Column names are Norwegian
(through gettext); numbers stay numbers."""

from __future__ import annotations

import io
import re

import pandas as pd
from django.utils.translation import gettext as _

from analysis.models import Analysis, Answer, QuestionKind
from analysis.selectors.overview import OverviewRow
from factors.models import FactorAssessment, SuccessFactor


def overview_frame(rows: list[OverviewRow]) -> pd.DataFrame:
    factors = list(SuccessFactor.objects.all())
    records = []
    for r in rows:
        a = r.analysis
        record = {
            _("Municipality number"): r.municipality.number,
            _("Municipality"): r.municipality.name,
            _("County"): r.municipality.county.name,
            _("Language form"): r.municipality.get_language_form_display(),
            _("Status"): a.get_status_display() if a else "",
            _("Progress (%)"): r.progress,
            _("Last activity"): a.last_activity_at.replace(tzinfo=None)
            if a and a.last_activity_at
            else None,
        }
        changes = r.changes
        for f in factors:
            record[f.name] = r.scores.get(f.number)
            record[_("Change: %(factor)s") % {"factor": f.name}] = changes.get(f.number)
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    for f in factors:
        frame[f.name] = frame[f.name].astype("Int64")
        column = _("Change: %(factor)s") % {"factor": f.name}
        frame[column] = frame[column].astype("Int64")
    return frame


def overview_csv(rows: list[OverviewRow]) -> bytes:
    # Semicolon and UTF-8 with BOM: what Norwegian Excel opens correctly.
    return overview_frame(rows).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def overview_xlsx(rows: list[OverviewRow]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        overview_frame(rows).to_excel(writer, index=False, sheet_name=_("Overview")[:31])
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Ark"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def analysis_answers_xlsx(analysis: Analysis) -> bytes:
    answers = {a.question_id: a for a in Answer.objects.filter(analysis=analysis)}
    buffer = io.BytesIO()
    used: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for section in analysis.round.questionnaire.sections.prefetch_related("questions"):
            rows = []
            for q in section.questions.all():
                answer = answers.get(q.pk)
                value = answer.value if answer else ""
                if q.kind == QuestionKind.YES_NO:
                    value = {"yes": _("Yes"), "no": _("No")}.get(value, value)
                elif q.kind == QuestionKind.CHOICE:
                    value = dict(q.choice_pairs()).get(value, value)
                rows.append({_("Question"): q.text, _("Answer"): value})
            if section.kind == "factors":
                for a in FactorAssessment.objects.filter(analysis=analysis).select_related(
                    "factor"
                ):
                    rows.append(
                        {
                            _("Question"): a.factor.name,
                            _("Answer"): a.status,
                            _("Score"): a.score,
                            _("Challenges"): a.challenges,
                            _("What the score rests on"): a.evidence,
                        }
                    )
            frame = pd.DataFrame.from_records(rows, columns=None)
            if frame.empty:
                frame = pd.DataFrame({_("Question"): [], _("Answer"): []})
            if _("Score") in frame:
                frame[_("Score")] = frame[_("Score")].astype("Int64")
            frame.to_excel(writer, index=False, sheet_name=_sheet_name(section.title, used))
    return buffer.getvalue()
