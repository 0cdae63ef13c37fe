"""An analysis of an earlier round stays as it was decided: its answers are the baseline for
"change since the previous round", so only the current round's analyses can be sent back
(issue 11, defect 10)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from analysis.models import AnalysisStatus
from analysis.services import workflow
from tests.factories import FAUSKE, analysis_of, open_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_years(round_):
    """Fauske's analysis of the round before the current one, approved."""
    analysis = analysis_of(open_year(round_.year - 1), FAUSKE)
    analysis.status = AnalysisStatus.APPROVED
    analysis.save()
    return analysis


@pytest.mark.parametrize("status", [AnalysisStatus.APPROVED, AnalysisStatus.SUBMITTED])
def test_an_adviser_cannot_send_back_an_analysis_of_an_earlier_round(
    client_for, last_years, status
):
    last_years.status = status
    last_years.save()
    response = client_for("adviser").post(
        reverse("analysis:decision", args=[last_years.pk]),
        {"decision": "send_back", "message": "Se på tallene igjen."},
        follow=True,
    )
    assert "Bare analyser i gjeldende runde kan sendes tilbake." in response.text
    last_years.refresh_from_db()
    assert last_years.status == status


def test_the_service_refuses_it_too(last_years, adviser):
    with pytest.raises(ValidationError, match="gjeldende runde"):
        workflow.send_back_analysis(analysis=last_years, by=adviser, message="Igjen.")
    last_years.refresh_from_db()
    assert last_years.status == AnalysisStatus.APPROVED


def test_the_review_page_of_an_earlier_round_offers_no_send_back(client_for, last_years, analysis):
    page = client_for("adviser").get(reverse("analysis:review", args=[last_years.pk]))
    assert page.status_code == 200
    assert 'value="send_back"' not in page.text
    assert "hører til en tidligere runde" in page.text
    analysis.status = AnalysisStatus.APPROVED
    analysis.save()
    current = client_for("adviser").get(reverse("analysis:review", args=[analysis.pk]))
    assert 'value="send_back"' in current.text
