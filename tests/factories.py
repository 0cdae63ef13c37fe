"""Objects the tests make again and again, made one way: people with a role, a round, scores,
units. Fixtures in conftest.py build the usual world from these; a test that needs one more
thing calls them directly."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.contrib.auth.models import User

from accounts.models import Membership, Role
from analysis import versions
from analysis.models import Analysis, Round, Unit
from analysis.services.rounds import open_round
from factors.models import FactorAssessment
from reference.models import Municipality, Questionnaire, Region, SuccessFactor

PASSWORD = "test-passord-123"
# The municipalities the tests use most: two in Nordland (one region), one in Troms og Finnmark.
FAUSKE, VEFSN, TROMSO = "1841", "1824", "5501"
# The personas every permission test uses (conftest.py makes each as a fixture): make_user's
# arguments after the username, which is the persona's name.
PERSONAS = {
    "planner": {"role": Role.EDITOR, "municipality": FAUSKE},
    "reader": {"role": Role.READER, "municipality": FAUSKE},
    "adviser": {"role": Role.ADVISER, "region": "Statsforvalteren i Nordland"},
    "outside_adviser": {"role": Role.ADVISER, "region": "Statsforvalteren i Troms og Finnmark"},
    "other_planner": {"role": Role.EDITOR, "municipality": VEFSN},
    "administrator": {"is_staff": True, "is_superuser": True},
}


def make_user(
    username: str,
    *,
    role: str | None = None,
    municipality: Municipality | str | None = None,
    region: Region | str | None = None,
    password: str = PASSWORD,
    **extra,
) -> User:
    """A user, with a membership when a role is given: an editor or reader of a municipality
    (by instance or number), or an adviser for a region (by instance or name)."""
    user = User.objects.create_user(username=username, password=password, **extra)
    if role is not None:
        if isinstance(municipality, str):
            municipality = Municipality.objects.get(number=municipality)
        if isinstance(region, str):
            region = Region.objects.get(name=region)
        Membership.objects.create(user=user, role=role, municipality=municipality, region=region)
    return user


def make_editor(username: str, municipality: Municipality | str, **extra) -> User:
    return make_user(username, role=Role.EDITOR, municipality=municipality, **extra)


def open_year(year: int, *, edition: int = 1, questionnaire: Questionnaire | None = None) -> Round:
    """Open "Foranalyse <year>", 1 January to 31 December, with the given edition (the first
    by default): what most tests open."""
    return open_round(
        year=year,
        title=f"Foranalyse {year}",
        questionnaire=questionnaire or Questionnaire.objects.get(edition=edition),
        opens_on=datetime.date(year, 1, 1),
        closes_on=datetime.date(year, 12, 31),
    )


def analysis_of(round_: Round, number: str) -> Analysis:
    """The analysis of the municipality with this number in the round."""
    return Analysis.objects.get(round=round_, municipality__number=number)


def score(analysis: Analysis, scores: Sequence[int | None], *, status: str = "x") -> Analysis:
    """The analysis's self-assessment: one score per factor, 1 to 6 in order. Written in one
    go, as a service writes a page of rows: the pages' token is replaced once, not once a
    row (analysis/versions.py; about a millisecond a row, and the access matrix scores many
    analyses)."""
    FactorAssessment.objects.bulk_create(
        FactorAssessment(analysis=analysis, factor=factor, score=value, status=status)
        for factor, value in zip(SuccessFactor.objects.order_by("number"), scores, strict=True)
    )
    versions.changed_for_analysis(analysis.pk)
    return analysis


def make_unit(analysis: Analysis, name: str = "Eiendom") -> Unit:
    return Unit.objects.create(municipality=analysis.municipality, name=name)


def make_complete(analysis: Analysis) -> Analysis:
    """Every required part filled in, through the database (for tests of what happens at
    submission, not of filling in)."""
    from analysis.models import (
        AllocationPractice,
        AnalysisStatus,
        Answer,
        ExternalActor,
        Responsibility,
    )
    from reference.models import Instrument, Question, TaskArea

    for q in Question.objects.filter(section__questionnaire=analysis.round.questionnaire):
        value = {"yes_no": "yes", "choice": q.choices[0]["value"] if q.choices else ""}.get(
            q.kind, "Tekst"
        )
        Answer.objects.update_or_create(analysis=analysis, question=q, defaults={"value": value})
    unit = Unit.objects.get_or_create(municipality=analysis.municipality, name="Eiendom")[0]
    for area in TaskArea.objects.all():
        Responsibility.objects.get_or_create(
            analysis=analysis, task_area=area, unit=unit, defaults={"role": "responsible"}
        )
    for instrument in Instrument.objects.all():
        AllocationPractice.objects.update_or_create(
            analysis=analysis, instrument=instrument, defaults={"decided_by": "Teamet"}
        )
    for factor in SuccessFactor.objects.all():
        FactorAssessment.objects.update_or_create(
            analysis=analysis, factor=factor, defaults={"score": 3, "status": "Her er vi"}
        )
    ExternalActor.objects.create(analysis=analysis, kind="nav", name="NAV")
    Analysis.objects.filter(pk=analysis.pk).update(status=AnalysisStatus.IN_PROGRESS)
    analysis.refresh_from_db()
    return analysis
