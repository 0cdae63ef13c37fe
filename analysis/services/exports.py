"""Exports with pandas: the overview table as CSV or Excel, and one municipality's answers
for a round as an Excel workbook with one sheet per section. Column names are Norwegian
(through gettext); numbers stay numbers; times are local (Europe/Oslo), as on the page."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import pandas as pd
from django.utils.translation import gettext as _

from analysis.models import (
    AllocationPractice,
    Analysis,
    Answer,
    CooperationBody,
    ExternalActor,
    Indicator,
    IndicatorUnit,
    Instrument,
    Project,
    Responsibility,
    SectionKind,
    TaskArea,
)
from analysis.selectors.overview import OverviewRow
from factors.models import FactorAssessment, SuccessFactor

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OVERVIEW_FORMATS = {"csv": CSV, "xlsx": XLSX}


# What Excel, LibreOffice and Google Sheets treat as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """The value as a spreadsheet should show it: text that starts like a formula gets a
    leading apostrophe; anything else (numbers, dates, gaps) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table safe to open in a spreadsheet: only text columns change, so a
    numeric column keeps its type."""
    frame = frame.copy()
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            frame.isetitem(position, column.map(neutralise_formula))
    frame.columns = [neutralise_formula(c) for c in frame.columns]
    return frame


def change_column(factor: SuccessFactor) -> str:
    return _("Change: %(factor)s") % {"factor": factor.name}


def year_column(indicator: Indicator) -> str:
    return _("%(indicator)s, year") % {"indicator": indicator.name}


def overview_columns(
    factors: Sequence[SuccessFactor], indicators: Sequence[Indicator] = ()
) -> list[str]:
    columns = [
        _("Municipality number"),
        _("Municipality"),
        _("County"),
        _("Language form"),
        _("Status"),
        _("Progress (%)"),
        _("Last activity"),
        _("Last activity by"),
    ]
    for f in factors:
        columns += [f.name, change_column(f)]
    for i in indicators:
        columns += [i.name, year_column(i)]
    return columns


def overview_frame(
    rows: list[OverviewRow],
    *,
    factors: Sequence[SuccessFactor] | None = None,
    indicators: Sequence[Indicator] = (),
) -> pd.DataFrame:
    """The table as the page shows it. The columns are fixed up front, so an empty filter
    result is an empty table with headings, not an error."""
    factors = list(SuccessFactor.objects.all()) if factors is None else list(factors)
    records = []
    for r in rows:
        a = r.analysis
        moment = r.last_activity_local
        record = [
            r.municipality.number,
            r.municipality.name,
            r.municipality.county_name,
            r.municipality.get_language_form_display(),
            a.get_status_display() if a else "",
            r.progress,
            moment.replace(tzinfo=None) if moment else None,
            a.last_activity_by if a else "",
        ]
        changes = r.changes
        for f in factors:
            record += [r.scores.get(f.number), changes.get(f.number)]
        for cell in r.figures:
            record += [cell.export_value, cell.year]
        records.append(record)
    frame = pd.DataFrame(records, columns=overview_columns(factors, indicators))
    frame[_("Progress (%)")] = frame[_("Progress (%)")].astype("int64")
    frame[_("Last activity")] = pd.to_datetime(frame[_("Last activity")])
    for f in factors:
        frame[f.name] = frame[f.name].astype("Int64")
        frame[change_column(f)] = frame[change_column(f)].astype("Int64")
    for i in indicators:
        # Counts may hold the text "under 3" (small numbers could identify people); rates
        # are plain numbers.
        if i.unit != IndicatorUnit.COUNT:
            frame[i.name] = frame[i.name].astype("float64")
        frame[year_column(i)] = frame[year_column(i)].astype("Int64")
    return frame


def overview_csv(rows: list[OverviewRow], **columns) -> bytes:
    # Semicolon and UTF-8 with BOM: what Norwegian Excel opens correctly.
    frame = neutralise_formulas(overview_frame(rows, **columns))
    return frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def overview_xlsx(rows: list[OverviewRow], **columns) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise_formulas(overview_frame(rows, **columns)).to_excel(
            writer, index=False, sheet_name=_("Overview")[:31]
        )
    return buffer.getvalue()


def overview_file(rows: list[OverviewRow], fmt: str, **columns) -> tuple[bytes, str]:
    """The export in the asked format (one of OVERVIEW_FORMATS) and its content type."""
    build = overview_csv if fmt == "csv" else overview_xlsx
    return build(rows, **columns), OVERVIEW_FORMATS[fmt]


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Ark"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


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
        for area in TaskArea.objects.all():
            rows.append(
                {
                    question: area.name,
                    answer: "; ".join(units.get(area.pk, [])) or _("Nobody"),
                }
            )
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
            parts = [p.decided_by, p.criteria] if p else []
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
        frames.append((_sheet_name(section.title, used), frame))
    return frames


def analysis_answers_xlsx(analysis: Analysis) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in analysis_answers_frames(analysis):
            neutralise_formulas(frame).to_excel(writer, index=False, sheet_name=sheet)
    return buffer.getvalue()


__all__ = [
    "OVERVIEW_FORMATS",
    "analysis_answers_frames",
    "analysis_answers_xlsx",
    "neutralise_formulas",
    "overview_columns",
    "overview_csv",
    "overview_file",
    "overview_frame",
    "overview_xlsx",
]
