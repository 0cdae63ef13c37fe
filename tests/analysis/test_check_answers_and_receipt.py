"""Check your answers, then a receipt (issue 15, item 2): a summary of every part with a link
to change it, listing what is missing or carried over unconfirmed; submission from there, by
the one submit service; then a receipt saying what was sent, when, and who was told."""

import pytest
from django.urls import reverse

from analysis.models import AnalysisStatus, CooperationBody, TaskAreaGap
from analysis.selectors.sections import section_url
from notifications.models import Kind, OptOut
from outbox.models import OutgoingMessage
from reference.models import Section, TaskArea
from tests.factories import make_user
from tests.factors.test_assessments_history_and_submit import fill_everything

pytestmark = pytest.mark.django_db


def check_url(analysis):
    return reverse("analysis:check_answers", args=[analysis.pk])


def receipt_url(analysis):
    return reverse("analysis:receipt", args=[analysis.pk])


@pytest.fixture
def complete(analysis, planner):
    fill_everything(analysis, planner)
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    return analysis


@pytest.fixture
def advisers(adviser):
    """The region's advisers: one with e-mail, one who turned submissions off, one without an
    address. Only the first is told."""
    adviser.email, adviser.first_name, adviser.last_name = "radgiver@example.test", "Rita", "Råd"
    adviser.save()
    muted = make_user(
        "muted", role="adviser", region="Statsforvalteren i Nordland", email="m@example.test"
    )
    OptOut.objects.create(user=muted, kind=Kind.SUBMITTED)
    make_user("no_email", role="adviser", region="Statsforvalteren i Nordland")
    return adviser


def test_every_part_is_listed_with_a_link_to_change_it(client_for, analysis):
    page = client_for("planner").get(check_url(analysis))
    assert page.status_code == 200
    sections = Section.objects.filter(questionnaire=analysis.round.questionnaire)
    for section in sections:
        assert f'id="part-{section.key}"' in page.text
        assert section_url(analysis, section) in page.text
    assert page.text.count('class="change-link">Endre<') == sections.count()


def test_the_page_lists_what_is_missing_and_offers_no_submission_yet(client_for, analysis):
    page = client_for("planner").get(check_url(analysis))
    blockers = page.text.split('id="check-blockers"')[1].split("</div>")[0]
    assert "9 av 9 oppgaveområder mangler svar" in blockers
    assert "Ikke besvart (obligatorisk)" in page.text
    assert f'action="{reverse("analysis:submit", args=[analysis.pk])}"' not in page.text


def test_carried_over_entries_not_confirmed_are_listed(client_for, complete):
    CooperationBody.objects.filter(analysis=complete).update(carried_over=True)
    page = client_for("planner").get(check_url(complete))
    blockers = page.text.split('id="check-blockers"')[1].split("</div>")[0]
    assert "1 videreført svar ikke bekreftet" in blockers


def test_honest_gaps_are_shown_as_answers(client_for, complete):
    area = TaskArea.objects.get(key="bomiljo")
    complete.responsibilities.filter(task_area=area).delete()
    TaskAreaGap.objects.create(analysis=complete, task_area=area, gap="nobody")
    page = client_for("planner").get(check_url(complete))
    gap = f'<li>{area.name}: <strong class="gap-answer">Ingen har ansvar i dag</strong></li>'
    assert gap in page.text
    assert 'id="check-ready"' in page.text


def test_a_complete_analysis_is_submitted_from_the_page_and_gets_a_receipt(
    client_for, complete, planner, advisers
):
    client = client_for("planner")
    page = client.get(check_url(complete))
    assert 'id="check-ready"' in page.text
    response = client.post(reverse("analysis:submit", args=[complete.pk]), follow=True)
    assert response.redirect_chain[-1][0] == receipt_url(complete)
    complete.refresh_from_db()
    assert complete.status == AnalysisStatus.SUBMITTED
    assert "Foranalysen er sendt inn" in response.text
    assert f"Sendt inn av {planner.get_username()}" in response.text
    notified = response.text.split('id="notified"')[1].split("</ul>")[0]
    assert "Rita Råd" in notified
    assert "muted" not in notified and "no_email" not in notified
    # The receipt names exactly those the e-mail went to.
    sent_to = set(OutgoingMessage.objects.filter(kind=Kind.SUBMITTED).values_list("to", flat=True))
    assert sent_to == {"radgiver@example.test"}


def test_a_refused_submission_returns_to_the_check_page_with_every_reason(client_for, analysis):
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    response = client_for("planner").post(
        reverse("analysis:submit", args=[analysis.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == check_url(analysis)
    assert "Foranalysen kan ikke sendes inn ennå" in response.text
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.IN_PROGRESS


def test_a_reader_sees_the_summary_without_a_submit_button(client_for, complete):
    page = client_for("reader").get(check_url(complete))
    assert page.status_code == 200
    assert "Du har lesetilgang." in page.text
    assert f'action="{reverse("analysis:submit", args=[complete.pk])}"' not in page.text
    assert "Endre<" not in page.text
    assert 'class="change-link">Åpne<' in page.text


def test_the_receipt_of_an_analysis_not_yet_submitted_says_so(client_for, analysis):
    page = client_for("planner").get(receipt_url(analysis))
    assert "Foranalysen er ikke sendt inn ennå." in page.text
    assert check_url(analysis) in page.text


def test_the_analysis_page_leads_to_the_check_page(client_for, complete):
    page = client_for("planner").get(complete.get_absolute_url())
    assert check_url(complete) in page.text
    assert f'action="{reverse("analysis:submit", args=[complete.pk])}"' not in page.text
