"""The adviser's comments show where they apply: on the structure pages and the
self-assessment, not only on question sections; a send-back message heads the analysis page."""

import pytest
from django.urls import reverse

from analysis.models import AnalysisStatus
from analysis.services import review, workflow
from reference.models import Section
from tests.factors.test_assessments_history_and_submit import fill_everything

pytestmark = pytest.mark.django_db

PAGES = {
    "responsibility_map": "analysis:responsibility_map",
    "cooperation": "analysis:cooperation",
    "allocation": "analysis:allocation",
    "projects": "analysis:projects",
    "factors": "factors:assessments",
}


def section_of(analysis, kind):
    return Section.objects.get(questionnaire=analysis.round.questionnaire, kind=kind)


@pytest.mark.parametrize("kind", PAGES)
def test_a_comment_on_a_structure_section_shows_on_its_page_and_nowhere_else(
    client_for, analysis, adviser, kind
):
    review.add_comment(
        analysis=analysis,
        author=adviser,
        body=f"Se nærmere på {kind}.",
        section=section_of(analysis, kind),
    )
    client = client_for("planner")
    for other, url_name in PAGES.items():
        page = client.get(reverse(url_name, args=[analysis.pk]))
        shown = f"Se nærmere på {kind}." in page.text
        assert shown == (other == kind), (kind, other)
    page = client.get(reverse(PAGES[kind], args=[analysis.pk]))
    assert "Kommentarer fra rådgiveren" in page.text
    assert "Svar på kommentarene" in page.text


def test_comments_on_a_structure_sections_questions_are_counted_with_a_link_to_them(
    client_for, analysis, adviser
):
    section = section_of(analysis, "cooperation")
    question = section.questions.first()
    review.add_comment(analysis=analysis, author=adviser, body="Hvem?", question=question)
    page = client_for("planner").get(reverse("analysis:cooperation", args=[analysis.pk]))
    questions_url = reverse("analysis:section", args=[analysis.pk, section.key])
    assert f'<a href="{questions_url}">1 kommentar til spørsmålene i denne delen</a>' in page.text
    assert "Hvem?" not in page.text  # it is read beside its question


def test_a_structure_page_without_comments_has_no_comment_heading(client_for, analysis):
    page = client_for("planner").get(reverse("analysis:allocation", args=[analysis.pk]))
    assert "Kommentarer fra rådgiveren" not in page.text


def test_the_send_back_message_heads_the_analysis_page_while_it_is_sent_back(
    client_for, analysis, planner, adviser
):
    fill_everything(analysis, planner)
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    workflow.submit_analysis(analysis=analysis, by=planner)
    workflow.send_back_analysis(
        analysis=analysis, by=adviser, message="Beskriv tildelingen av kommunale boliger."
    )
    client = client_for("planner")
    page = client.get(analysis.get_absolute_url()).text
    message_at = page.index("Beskriv tildelingen av kommunale boliger.")
    assert "Rådgiveren har sendt foranalysen tilbake." in page
    assert message_at < page.index('id="progress-heading"')

    workflow.submit_analysis(analysis=analysis, by=planner)
    page = client.get(analysis.get_absolute_url()).text
    assert "Beskriv tildelingen av kommunale boliger." not in page
