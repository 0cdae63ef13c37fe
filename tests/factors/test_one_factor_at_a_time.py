"""One factor at a time (issue 15, item 4): each factor has its own page with the six as steps;
Save goes on to the next factor, the last back to all six; nothing else changes."""

import pytest
from django.urls import reverse

from factors.models import FactorAssessment
from reference.models import SuccessFactor

pytestmark = pytest.mark.django_db


def factor_url(analysis, number):
    return reverse("factors:assessment", args=[analysis.pk, number])


def one_factor(number, score="4", status="Vi har en plan.", version=0):
    return {
        f"f{number}-score": score,
        f"f{number}-status": status,
        f"f{number}-challenges": "",
        f"f{number}-evidence": "",
        f"f{number}-version": str(version),
    }


def test_a_factor_page_holds_that_factor_alone_and_marks_it_among_the_six(client_for, analysis):
    html = client_for("planner").get(factor_url(analysis, 2)).text
    assert 'name="f2-score"' in html
    assert 'name="f1-score"' not in html and 'name="f3-score"' not in html
    assert "Faktor 2 av 6" in html
    assert html.count('aria-current="step"') == 1
    for factor in SuccessFactor.objects.all():
        assert factor_url(analysis, factor.number) in html
    assert "Lagre og gå til neste faktor" in html and "Forrige faktor" in html


def test_saving_a_factor_saves_it_alone_and_goes_on_to_the_next(client_for, analysis):
    response = client_for("planner").post(factor_url(analysis, 2), one_factor(2), follow=True)
    assert response.redirect_chain[-1][0] == factor_url(analysis, 3)
    [saved] = FactorAssessment.objects.filter(analysis=analysis)
    assert (saved.factor.number, saved.score, saved.status) == (2, 4, "Vi har en plan.")
    assert "Lagret. Neste:" in response.text
    # The step of the factor just saved is marked as scored.
    assert "(vurdert)" in response.text


def test_the_last_factor_leads_back_to_all_six(client_for, analysis):
    response = client_for("planner").post(factor_url(analysis, 6), one_factor(6))
    assert response.headers["Location"] == reverse("factors:assessments", args=[analysis.pk])


def test_a_mistake_keeps_what_was_typed_and_saves_nothing(client_for, analysis):
    response = client_for("planner").post(
        factor_url(analysis, 3), one_factor(3, status="Tekst jeg skrev. " + "x" * 5000)
    )
    assert response.status_code == 200
    assert "Tekst jeg skrev" in response.text
    assert not FactorAssessment.objects.exists()


def test_a_factor_that_does_not_exist_is_not_found(client_for, analysis):
    assert client_for("planner").get(factor_url(analysis, 7)).status_code == 404


def test_a_reader_reads_the_factor_and_is_offered_no_save(client_for, analysis):
    html = client_for("reader").get(factor_url(analysis, 1)).text
    assert "Lagre" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "Neste faktor" in html


def test_the_page_of_all_six_lists_the_factors_as_steps(client_for, analysis):
    html = client_for("planner").get(reverse("factors:assessments", args=[analysis.pk])).text
    assert 'aria-current="step"' not in html
    assert factor_url(analysis, 4) in html
    assert 'name="f6-score"' in html


@pytest.mark.parametrize("which", ["one", "all"])
def test_the_page_shows_what_is_saved(client_for, analysis, which):
    """Opening the self-assessment shows the saved score and text (it once showed them empty:
    the view's initial=None hid the saved values)."""
    factor = SuccessFactor.objects.get(number=2)
    FactorAssessment.objects.create(
        analysis=analysis, factor=factor, score=4, status="Planen er vedtatt."
    )
    url = (
        factor_url(analysis, 2)
        if which == "one"
        else reverse("factors:assessments", args=[analysis.pk])
    )
    html = client_for("planner").get(url).text
    assert "Planen er vedtatt." in html
    assert _checked(html, "f2-score") == "4"


def _checked(html: str, name: str) -> str | None:
    import re

    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def test_a_factor_page_runs_as_many_queries_as_the_page_of_all_six_whatever_the_data(
    client_for, analysis
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from analysis.models import Project

    client = client_for("planner")

    def queries(url) -> int:
        client.get(url)  # the session warmed
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one, all_six = factor_url(analysis, 2), reverse("factors:assessments", args=[analysis.pk])
    # One project to begin with: with none, the projects' factors are never asked for.
    Project.objects.create(municipality=analysis.municipality, name="P").factors.set(
        SuccessFactor.objects.filter(number=2)
    )
    little = (queries(one), queries(all_six))
    for i in range(5):
        project = Project.objects.create(municipality=analysis.municipality, name=f"P{i}")
        project.factors.set(SuccessFactor.objects.all())
        FactorAssessment.objects.get_or_create(
            analysis=analysis, factor=SuccessFactor.objects.get(number=i + 1), defaults={"score": 3}
        )
    much = (queries(one), queries(all_six))
    # The same as the page of all six, pinned in test_assessments_history_and_submit.py.
    assert little == much == (9, 9)
