import pytest
from django.core.exceptions import ValidationError

from analysis.models import AnalysisStatus, StatusChange
from analysis.selectors.progress import overall_percent, section_progress, submission_blockers
from analysis.services import workflow

pytestmark = pytest.mark.django_db


def test_an_empty_analysis_has_no_progress_and_every_required_section_blocks(analysis):
    progress = section_progress(analysis)
    assert overall_percent(progress) == 0
    assert [p.section.key for p in submission_blockers(progress)] == [
        "forarbeid",
        "refleksjon",
        "hvem-gjor-hva",
        "samarbeid",
        "tildeling",
        "suksessfaktorer",
    ]


def test_the_demo_analysis_is_partly_filled(demo_data):
    from analysis.models import Analysis

    fauske = Analysis.objects.filter(municipality__number="1841", is_demo=True).latest(
        "round__year"
    )
    progress = {p.section.key: p for p in section_progress(fauske)}
    assert progress["suksessfaktorer"].complete
    assert progress["hvem-gjor-hva"].done == 7  # two task areas have no owner
    assert 0 < overall_percent(list(progress.values())) < 100


def test_submitting_an_incomplete_analysis_is_refused_with_the_sections_named(analysis, planner):
    workflow.touch_analysis(analysis=analysis, by=planner)
    with pytest.raises(ValidationError) as error:
        workflow.submit_analysis(analysis=analysis, by=planner)
    assert "Forarbeid" in str(error.value)
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.IN_PROGRESS


def test_first_save_moves_the_analysis_to_in_progress_and_raises_its_version(analysis, planner):
    version = analysis.version
    workflow.touch_analysis(analysis=analysis, by=planner)
    assert analysis.status == AnalysisStatus.IN_PROGRESS
    assert analysis.version == version + 1
    assert analysis.last_activity_by == planner
    change = StatusChange.objects.get(analysis=analysis)
    assert (change.from_status, change.to_status) == ("not_started", "in_progress")


def test_approve_and_send_back_are_recorded_with_who_and_why(analysis, adviser):
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    workflow.send_back_analysis(analysis=analysis, by=adviser, message="Se på faktor 3.")
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SENT_BACK
    assert analysis.is_editable
    last = StatusChange.objects.filter(analysis=analysis).last()
    assert (last.changed_by, last.message) == (adviser, "Se på faktor 3.")


def test_approving_twice_is_refused(analysis, adviser):
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    workflow.approve_analysis(analysis=analysis, by=adviser)
    with pytest.raises(ValidationError):
        workflow.approve_analysis(analysis=analysis, by=adviser)
    assert StatusChange.objects.filter(analysis=analysis).count() == 1


def test_a_submitted_analysis_is_read_only(analysis):
    analysis.status = AnalysisStatus.SUBMITTED
    with pytest.raises(ValidationError):
        workflow.ensure_editable(analysis)
