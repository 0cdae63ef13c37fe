"""Fixtures for the report tests: the recommendation rules' texts, a filled analysis, and
indicator values to compare."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.utils import translation

from analysis.models import (
    ActorKind,
    AllocationPractice,
    Analysis,
    Answer,
    CooperationBody,
    ExternalActor,
    Project,
    ProjectStatus,
    Responsibility,
    ResponsibilityRole,
    Unit,
)
from factors.models import FactorAssessment, Invitation, UserFactorRating, UserOrganisationInput
from keyfigures.models import Indicator, IndicatorValue
from plans.models import Measure, MeasurePriority, MeasureStatus
from reference.models import (
    FundingSource,
    Instrument,
    Municipality,
    Question,
    SuccessFactor,
    TaskArea,
)
from reports.management.commands.load_recommendation_rules import load_recommendation_rules
from tests.factories import analysis_of, open_year
from tests.module_data import rolled_back_at_the_end


@contextmanager
def rolled_back(django_db_blocker):
    """For a module fixture that lays out a PDF once for many tests: the data made inside
    exists until the block ends, then is rolled back, so every test still starts clean."""
    with django_db_blocker.unblock(), translation.override("nb"), rolled_back_at_the_end():
        yield


def filled_fauske(scores=(2, 2, 3, 2, 3, 1)) -> Analysis:
    """This round's Fauske, filled like the demo analysis, with key figures to compare and the
    recommendation rules' texts (inside `rolled_back`)."""
    analysis = analysis_of(open_year(2026), "1841")
    load_recommendation_rules()
    fill(analysis, scores)
    add_indicator_values(analysis.municipality)
    return analysis


@pytest.fixture
def layouts(monkeypatch):
    """Every HTML WeasyPrint lays out, in order. The PDFs are real: about 1.5 s each."""
    from reports import services

    calls: list[str] = []
    real = services.html_to_pdf

    def layout(html: str) -> bytes:
        calls.append(html)
        return real(html)

    monkeypatch.setattr(services, "html_to_pdf", layout)
    return calls


@pytest.fixture
def fake_layouts(monkeypatch):
    """WeasyPrint replaced by a stand-in "PDF" naming the HTML it got, for tests that lay out
    a whole region (41 PDFs, a minute with the real thing) or one PDF per persona: they test
    files, progress, the cache and access. Real PDFs: `layouts`, test_pdf.py, test_cache.py."""
    import hashlib

    from reports import services

    calls: list[str] = []

    def layout(html: str) -> bytes:
        calls.append(html)
        return b"%PDF-fake " + hashlib.sha256(html.encode()).hexdigest().encode()

    monkeypatch.setattr(services, "html_to_pdf", layout)
    return calls


@pytest.fixture
def rules(db):
    load_recommendation_rules()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Archived PDFs and the report cache go to a throwaway folder, never the worktree's."""
    settings.MEDIA_ROOT = tmp_path / "media"


def answer(analysis, key: str, value: str) -> Answer:
    question = Question.objects.get(section__questionnaire=analysis.round.questionnaire, key=key)
    return Answer.objects.update_or_create(
        analysis=analysis, question=question, defaults={"value": value}
    )[0]


def fill(analysis, scores=(2, 2, 3, 2, 3, 1), *, projects: int = 1, with_users: bool = True):
    """A filled analysis like the demo one: low scores, no plan, goals or budget, strategic
    responsibility spread out, a gap in the map, informal cooperation."""
    for key, value in {
        "boligpolitisk-plan": "no",
        "operative-mal": "no",
        "budsjett": "no",
        "strategisk-ansvar": "spredt",
        "politisk-involvering": "sent",
        "forankring": "ildsjeler",
        "samarbeidsorganer": "uformelle",
        "eksisterende-planer": "Kommuneplanens samfunnsdel nevner boligbehov.",
    }.items():
        answer(analysis, key, value)
    for factor, score in zip(SuccessFactor.objects.order_by("number"), scores, strict=True):
        FactorAssessment.objects.update_or_create(
            analysis=analysis,
            factor=factor,
            defaults={
                "score": score,
                "status": f"Status for {factor.name_nb}.",
                "challenges": f"Utfordringer for {factor.name_nb}.",
                "evidence": "Drøftet i arbeidsgruppen.",
            },
        )
    municipality = analysis.municipality
    nav = Unit.objects.get_or_create(municipality=municipality, name="NAV-kontoret")[0]
    health = Unit.objects.get_or_create(municipality=municipality, name="Helse og omsorg")[0]
    areas = list(TaskArea.objects.order_by("order"))
    for area in areas[:-2]:
        Responsibility.objects.create(
            analysis=analysis, task_area=area, unit=nav, role=ResponsibilityRole.RESPONSIBLE
        )
    Responsibility.objects.create(
        analysis=analysis, task_area=areas[0], unit=health, role=ResponsibilityRole.RESPONSIBLE
    )
    CooperationBody.objects.create(analysis=analysis, name="Boligforum", is_formal=False)
    ExternalActor.objects.create(analysis=analysis, kind=ActorKind.HUSBANKEN, name="Husbanken")
    AllocationPractice.objects.create(
        analysis=analysis,
        instrument=Instrument.objects.get(key="startlan"),
        decided_by="Tildelingsteamet",
        criteria="Behov og økonomi.",
        criteria_written=True,
    )
    year = analysis.round.year
    factors = list(SuccessFactor.objects.filter(number__in=[3, 5]))
    for i in range(projects):
        project = Project.objects.create(
            municipality=municipality,
            name=f"Bo trygt {i}",
            responsible_unit=health,
            starts_on=datetime.date(year - 1, 8, 1),
            ends_on=datetime.date(year + 1, 7, 31),
            status=ProjectStatus.ACTIVE,
        )
        project.factors.set(factors)
    Project.objects.create(
        municipality=municipality,
        name="Avsluttet prosjekt fra før",
        starts_on=datetime.date(year - 5, 1, 1),
        ends_on=datetime.date(year - 4, 1, 1),
        status=ProjectStatus.COMPLETED,
    )
    # The action plan: a measure under way and one planned, both from this round.
    Measure.objects.create(
        municipality=municipality,
        planned_in=analysis.round,
        title="Utarbeide en boligsosial handlingsplan",
        responsible_unit=nav,
        owner_name="Kari Nordmann",
        owner_role="boligkoordinator",
        deadline=datetime.date(year, 11, 30),
        priority=MeasurePriority.HIGH,
        status=MeasureStatus.STARTED,
        estimated_cost=350000,
        funding_source=FundingSource.objects.get(key="kommunebudsjett"),
    )
    Measure.objects.create(
        municipality=municipality,
        planned_in=analysis.round,
        title="Skriftlige tildelingskriterier",
        responsible_unit=health,
        deadline=datetime.date(year + 1, 3, 1),
        priority=MeasurePriority.MEDIUM,
    )
    if with_users:
        invitation = Invitation.objects.create(
            analysis=analysis,
            organisation_name="Leieboerforeningen",
            token=f"token-{analysis.pk}",
            expires_at=datetime.datetime(year + 1, 1, 1, tzinfo=datetime.UTC),
        )
        user_input = UserOrganisationInput.objects.create(
            invitation=invitation, comment="Vi vil bli spurt tidligere."
        )
        for factor in SuccessFactor.objects.all():
            UserFactorRating.objects.create(input=user_input, factor=factor, score=1)
    return analysis


@pytest.fixture
def filled(analysis, rules):
    return fill(analysis)


def add_indicator_values(municipality: Municipality) -> None:
    """A rate and a count for the municipality, its county neighbour and a municipality
    elsewhere, over two years (the report shows the latest)."""
    # Two indicators from the catalogue that load_reference_data ships.
    rate = Indicator.objects.get(code="kommunale-boliger-per-1000")
    count = Indicator.objects.get(code="midlertidig-botilbud")
    neighbour = Municipality.objects.get(number="1824")  # Vefsn, Nordland
    elsewhere = Municipality.objects.get(number="0301")  # Oslo
    rows = [
        (rate, municipality, 2023, Decimal("10.0")),
        (rate, municipality, 2024, Decimal("20.0")),
        (rate, neighbour, 2024, Decimal("30.0")),
        (rate, elsewhere, 2024, Decimal("15.0")),
        (count, municipality, 2024, Decimal("2")),
        (count, neighbour, 2024, Decimal("40")),
        (count, elsewhere, 2024, Decimal("500")),
    ]
    for indicator, m, year, value in rows:
        IndicatorValue.objects.create(indicator=indicator, municipality=m, year=year, value=value)


SENTENCES = [
    "NAV-kontoret, helse og omsorg, eiendomsforvaltningen og flyktningtjenesten møtes "
    "jevnlig for å drøfte enkeltsaker og felles utfordringer i boligarbeidet.",
    "Ansvaret for oppfølging i hjemmet er delt, og det hender at en søker blir henvist "
    "fra den ene tjenesten til den andre før noen tar saken.",
    "Kommunen har få utleieboliger i sentrum, og ventetiden for en kommunal bolig er "
    "blitt lengre de siste årene, særlig for store familier og for unge med rusproblemer.",
    "Tildelingsteamet vurderer søknadene etter skriftlige kriterier som ble vedtatt av "
    "kommunestyret, men kriteriene er ikke oppdatert etter at loven trådte i kraft.",
    "Brukerorganisasjonen har bedt om å bli tatt med tidligere i planarbeidet, og "
    "kommunen vil invitere dem til arbeidsgruppen fra neste år.",
]


def long_text(n: int = 900, start: int = 0) -> str:
    """About n characters of realistic prose: the length a planner writes when a field
    invites it, with ordinary words and spaces (not one endless word)."""
    parts: list[str] = []
    i = start
    while sum(len(p) + 1 for p in parts) < n:
        parts.append(SENTENCES[i % len(SENTENCES)])
        i += 1
    return " ".join(parts)


# As long as the field allows (200), with a compound longer than the page is wide.
LONG_PROJECT_NAME = (
    "Helhetlig oppfølging av vanskeligstilte på boligmarkedet sammen med NAV og frivillige – "
    "BoligsosialkompetansehevingsprogrammetforansatteikommunenestjenesteenheterogNAV"
)


def fill_long(analysis) -> None:
    """Long, realistic free text where the report has tables and projects: three cooperation
    bodies, two external actors, every instrument's criteria, and three projects, with about
    900 characters in each free-text field and one project with a very long name."""
    from analysis.models import Project

    for i in range(3):
        CooperationBody.objects.create(
            analysis=analysis,
            name=f"Samarbeidsorgan {i + 1}",
            members=long_text(900, i),
            mandate=long_text(900, i + 1),
            meeting_frequency="Annenhver uke",
            is_formal=i == 0,
        )
    for i, kind in enumerate([ActorKind.NAV, ActorKind.VOLUNTARY]):
        ExternalActor.objects.create(
            analysis=analysis, kind=kind, name=f"Aktør {i + 1}", cooperation_about=long_text(900, i)
        )
    for i, instrument in enumerate(Instrument.objects.order_by("order")):
        AllocationPractice.objects.update_or_create(
            analysis=analysis,
            instrument=instrument,
            defaults={
                "decided_by": "Tildelingsteamet",
                "criteria": long_text(900, i),
                "criteria_written": True,
            },
        )
    year = analysis.round.year
    for i, name in enumerate([LONG_PROJECT_NAME, "Bolig først", "Startlån til unge"]):
        Project.objects.create(
            municipality=analysis.municipality,
            name=name,
            description=long_text(900, i),
            partners=long_text(300, i + 2),
            results=long_text(900, i + 3),
            starts_on=datetime.date(year - 1, 1, 1),
            ends_on=datetime.date(year + 1, 12, 31),
            status=ProjectStatus.ACTIVE,
        )
