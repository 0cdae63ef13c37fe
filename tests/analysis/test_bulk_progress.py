"""The overview's progress column reads every analysis's progress in the query that reads the
analyses (analysis/selectors/progress.py, progress_columns); it must say what the analysis
page says, part by part, whatever is half done."""

import pytest

from analysis import parts
from analysis.models import (
    AllocationPractice,
    Analysis,
    Answer,
    ExternalActor,
    Gap,
    Project,
    Responsibility,
    ResponsibilityRole,
    TaskAreaGap,
)
from analysis.selectors.progress import bulk_progress, overall_percent, section_progress
from factors.models import FactorAssessment
from reference.models import Instrument, Question, SuccessFactor, TaskArea
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def half_done(analysis):
    """Some of everything: answers (one empty), a map with a unit, a contributor only and a gap,
    one decider and one honest gap in the allocation, factors with and without a status, an
    external actor but no body, a project of the municipality."""
    required = list(
        Question.objects.filter(
            section__questionnaire=analysis.round.questionnaire, required=True
        ).order_by("pk")
    )
    Answer.objects.create(analysis=analysis, question=required[0], value="Ja")
    Answer.objects.create(analysis=analysis, question=required[1], value="")
    unit, other = make_unit(analysis), make_unit(analysis, "Helse")
    areas = list(TaskArea.objects.order_by("pk"))
    Responsibility.objects.create(
        analysis=analysis, task_area=areas[0], unit=unit, role=ResponsibilityRole.RESPONSIBLE
    )
    Responsibility.objects.create(
        analysis=analysis, task_area=areas[0], unit=other, role=ResponsibilityRole.RESPONSIBLE
    )
    Responsibility.objects.create(
        analysis=analysis, task_area=areas[1], unit=unit, role=ResponsibilityRole.CONTRIBUTING
    )
    TaskAreaGap.objects.create(analysis=analysis, task_area=areas[2], gap=Gap.NOBODY)
    instruments = list(Instrument.objects.order_by("pk"))
    AllocationPractice.objects.create(
        analysis=analysis, instrument=instruments[0], decided_by="NAV"
    )
    AllocationPractice.objects.create(
        analysis=analysis, instrument=instruments[1], gap=Gap.NOT_RELEVANT
    )
    AllocationPractice.objects.create(analysis=analysis, instrument=instruments[2], criteria="x")
    factors = list(SuccessFactor.objects.order_by("number"))
    FactorAssessment.objects.create(analysis=analysis, factor=factors[0], score=3, status="Her")
    FactorAssessment.objects.create(analysis=analysis, factor=factors[1], score=2, status="")
    FactorAssessment.objects.create(analysis=analysis, factor=factors[2], score=None, status="x")
    ExternalActor.objects.create(analysis=analysis, kind="nav", name="NAV")
    Project.objects.create(municipality=analysis.municipality, name="Bolig først")
    return analysis


def test_each_part_counts_in_bulk_what_the_analysis_page_counts(half_done):
    for part in parts.all_parts():
        done = part.bulk_done(Analysis.objects.filter(pk=half_done.pk)).get(half_done.pk, 0)
        assert done == part.progress(half_done).done, part.kind


def test_the_overview_percent_is_the_analysis_pages(half_done, other_analysis):
    percent = bulk_progress(
        Analysis.objects.filter(pk__in=[half_done.pk, other_analysis.pk]),
        half_done.round.questionnaire_id,
    )
    assert percent[half_done.pk] == overall_percent(section_progress(half_done))
    assert 0 < percent[half_done.pk] < 100
    # Nothing done in Vefsn: its row is there, at 0 %, not left out.
    assert percent[other_analysis.pk] == overall_percent(section_progress(other_analysis)) == 0
