"""What a municipality submitted is kept as a PDF in the archive: made in the background once
the submission is committed, once per submission, and never of answers changed since."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from analysis.models import Analysis
from analysis.services import workflow
from reports.models import ArchivedReport
from reports.services import archive_as_submitted
from tests.factories import make_complete
from tests.pdf_text import pdf_text, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(analysis, planner, django_capture_on_commit_callbacks) -> Analysis:
    make_complete(analysis)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit_analysis(analysis=analysis, by=planner)
    analysis.refresh_from_db()
    return analysis


def test_submitting_keeps_a_pdf_of_what_was_sent_in_the_archive(submitted, planner):
    [archived] = ArchivedReport.objects.filter(analysis=submitted)
    assert archived.created_by == planner
    assert archived.analysis_version == submitted.version
    assert archived.purpose == "Som sendt inn"
    assert archived.language == "nb"
    with archived.file.open("rb") as handle:
        text = squeeze(pdf_text(handle.read()))
    assert "Fauske" in text and "Tekst" in text  # the answers make_complete wrote


def test_the_snapshot_is_made_once_even_when_its_task_runs_again(submitted, planner):
    again = archive_as_submitted(
        analysis_id=submitted.pk, submitted_by_id=planner.pk, version=submitted.version
    )
    assert again is None
    assert ArchivedReport.objects.filter(analysis=submitted).count() == 1


def test_no_snapshot_is_made_of_answers_changed_after_the_submission(analysis, planner):
    make_complete(analysis)
    workflow.submit_analysis(analysis=analysis, by=planner)
    version = Analysis.objects.get(pk=analysis.pk).version
    Analysis.objects.filter(pk=analysis.pk).update(version=version + 1)  # sent back, edited

    made = archive_as_submitted(
        analysis_id=analysis.pk, submitted_by_id=planner.pk, version=version
    )

    assert made is None and not ArchivedReport.objects.filter(analysis=analysis).exists()


def test_nothing_is_archived_when_the_submission_is_refused(
    analysis, planner, django_capture_on_commit_callbacks
):
    workflow.touch_analysis(analysis=analysis, by=planner)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        workflow.submit_analysis(analysis=analysis, by=planner)  # nothing filled in
    assert not ArchivedReport.objects.filter(analysis=analysis).exists()


def test_the_receipt_points_to_the_archived_snapshot(submitted, client_for):
    page = client_for("planner").get(reverse("analysis:receipt", args=[submitted.pk]))
    html = page.content.decode()
    assert "En PDF av foranalysen slik den ble sendt inn" in html
    assert reverse("reports:archive_list", args=[submitted.pk]) in html
