"""All of a municipality's answers for a round as an Excel workbook, one sheet per section,
read back with pandas and compared cell by cell."""

import datetime
import io

import pandas as pd
import pytest
from django.urls import reverse

from analysis.models import (
    AllocationPractice,
    Answer,
    CooperationBody,
    ExternalActor,
    Project,
    Responsibility,
    Unit,
)
from factors.models import FactorAssessment
from reference.models import Instrument, Question, SuccessFactor, TaskArea

pytestmark = pytest.mark.django_db


def text(key: str) -> str:
    return Question.objects.get(key=key).text_nb


@pytest.fixture
def filled(analysis):
    answers = {
        "eksisterende-planer": "Kommuneplanen nevner boliger.",
        "boligpolitisk-plan": "no",
        "planstrategi": "yes",
        "strategisk-ansvar": "spredt",
        "oppgaver": "Tildeling og oppfølging.",
        "vertikal-samordning": "Møter med Husbanken.",
    }
    for key, value in answers.items():
        Answer.objects.create(
            analysis=analysis, question=Question.objects.get(key=key), value=value
        )
    FactorAssessment.objects.create(
        analysis=analysis,
        factor=SuccessFactor.objects.get(number=1),
        score=2,
        status="Lite forankret.",
        challenges="Utskifting.",
        evidence="Arbeidsgruppen.",
    )
    FactorAssessment.objects.create(
        analysis=analysis,
        factor=SuccessFactor.objects.get(number=4),
        score=None,
        status="Vet ikke.",
    )
    eiendom = Unit.objects.create(municipality=analysis.municipality, name="Eiendom")
    nav = Unit.objects.create(municipality=analysis.municipality, name="NAV-kontoret")
    tildeling = TaskArea.objects.get(key="tildeling")
    Responsibility.objects.create(
        analysis=analysis, task_area=tildeling, unit=nav, role="responsible"
    )
    Responsibility.objects.create(
        analysis=analysis, task_area=tildeling, unit=eiendom, role="contributing"
    )
    CooperationBody.objects.create(
        analysis=analysis,
        name="Boligforum",
        members="NAV, eiendom",
        mandate="Enkeltsaker",
        meeting_frequency="Månedlig",
        is_formal=True,
    )
    ExternalActor.objects.create(
        analysis=analysis, kind="husbanken", name="Husbanken", cooperation_about="Startlån"
    )
    AllocationPractice.objects.create(
        analysis=analysis,
        instrument=Instrument.objects.get(key="startlan"),
        decided_by="Tildelingsteamet",
        criteria="Behov",
        criteria_written=True,
    )
    Project.objects.create(
        municipality=analysis.municipality,
        name="Bo trygt",
        description="Oppfølging i hjemmet.",
        status="active",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2027, 1, 1),
    )
    Project.objects.create(
        municipality=analysis.municipality,
        name="Gammelt prosjekt",
        status="completed",
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2020, 1, 1),
    )
    return analysis


def qa(rows):
    return pd.DataFrame(rows, columns=["Spørsmål", "Svar"])


def test_answers_export_has_every_cell_as_the_pages_show_it(client_for, filled):
    response = client_for("adviser").get(reverse("reports:answers_export", args=[filled.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="foranalyse-fauske-2026.xlsx"'
    sheets = pd.read_excel(io.BytesIO(response.content), sheet_name=None, dtype=object)
    assert list(sheets) == [
        "Forarbeid",
        "Refleksjonsspørsmål",
        "Hvem gjør hva",
        "Samarbeid",
        "Tildeling",
        "De seks suksessfaktorene",
        "Prosjekter og tiltak",
    ]
    nan = float("nan")
    expected = {
        "Forarbeid": qa(
            [
                [text("eksisterende-planer"), "Kommuneplanen nevner boliger."],
                [text("boligpolitisk-plan"), "Nei"],
                [text("operative-mal"), nan],
                [text("planstrategi"), "Ja"],
                [text("strategisk-ansvar"), "Spredt på flere enheter"],
                [text("politisk-involvering"), nan],
                [text("forankring"), nan],
                [text("budsjett"), nan],
                [text("kunnskapsgrunnlag"), nan],
            ]
        ),
        "Refleksjonsspørsmål": qa(
            [
                [text("prosjektoversikt"), nan],
                [text("oppgaver"), "Tildeling og oppfølging."],
                [text("ansvarlige-enheter"), nan],
                [text("samarbeidsorganer"), nan],
                [text("tildeling"), nan],
                [text("eksterne-aktorer"), nan],
            ]
        ),
        "Hvem gjør hva": qa(
            [
                [area.name_nb, "NAV-kontoret (Ansvarlig); Eiendom (Bidrar)"]
                if area.key == "tildeling"
                else [area.name_nb, "Ingen"]
                for area in TaskArea.objects.all()
            ]
        ),
        "Samarbeid": qa(
            [
                [text("vertikal-samordning"), "Møter med Husbanken."],
                [
                    "Samarbeidsorgan: Boligforum",
                    "Formelt etablert – NAV, eiendom – Enkeltsaker – Månedlig",
                ],
                ["Ekstern aktør: Husbanken", "Startlån"],
            ]
        ),
        "Tildeling": qa(
            [
                ["Startlån", "Tildelingsteamet – Behov – Skriftlige kriterier: Ja"],
                ["Bostøtte", nan],
                ["Tilskudd", nan],
                ["Kommunal bolig", nan],
                ["Midlertidig bolig", nan],
            ]
        ),
        "De seks suksessfaktorene": pd.DataFrame(
            [
                ["Forankring og eierskap", "Lite forankret.", 2, "Utskifting.", "Arbeidsgruppen."],
                ["Økonomiske ressurser", "Vet ikke.", nan, nan, nan],
            ],
            columns=["Spørsmål", "Svar", "Vurdering", "Utfordringer", "Hva vurderingen bygger på"],
        ),
        "Prosjekter og tiltak": qa([["Bo trygt", "Aktivt – Oppfølging i hjemmet."]]),
    }
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(
            sheets[name].reset_index(drop=True), frame, check_dtype=False, obj=name
        )
    # the score is a number in the workbook
    assert isinstance(sheets["De seks suksessfaktorene"].loc[0, "Vurdering"], int)


@pytest.mark.parametrize(
    ("persona", "status"),
    {
        "planner": 200,
        "reader": 200,
        "adviser": 200,
        "administrator": 200,
        "outside_adviser": 404,
        "other_planner": 404,
        "anonymous": 302,
    }.items(),
)
def test_answers_export_answers_each_persona(client_for, analysis, persona, status):
    url = reverse("reports:answers_export", args=[analysis.pk])
    assert client_for(persona).get(url).status_code == status
