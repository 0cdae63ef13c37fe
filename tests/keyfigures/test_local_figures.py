"""The municipality's own figures: its editors add them with a source, year and note; they
are shown apart from the official figures, and marked as the municipality's own in the
report."""

from decimal import Decimal

import pytest
from django.urls import reverse

from keyfigures.models import LocalFigure
from reference.models import Municipality

pytestmark = pytest.mark.django_db

FIGURE = {
    "name": "Bostedsløse personer (egen telling)",
    "year": 2024,
    "value": "14",
    "unit": "count",
    "source": "Boligkontorets kartlegging",
    "note": "Telt i uke 48.",
}


def add(client, analysis, **changes):
    return client.post(
        reverse("analysis:local_figure_add", args=[analysis.pk]), {**FIGURE, **changes}
    )


def test_an_editor_adds_a_figure_with_its_source_year_and_note(client_for, analysis, planner):
    response = add(client_for("planner"), analysis)

    assert response.status_code == 302
    figure = LocalFigure.objects.get()
    assert (figure.municipality, figure.year, figure.value, figure.created_by) == (
        analysis.municipality,
        2024,
        Decimal("14"),
        planner,
    )
    assert (figure.source, figure.note) == ("Boligkontorets kartlegging", "Telt i uke 48.")
    page = client_for("reader").get(reverse("analysis:key_figures", args=[analysis.pk])).text
    assert "Kommunens egne tall" in page and "Boligkontorets kartlegging" in page
    # A reader sees the figures but gets no form and no remove button.
    assert "Legg til tallet" not in page and "Fjern" not in page


def test_a_figure_without_a_source_is_refused_in_norwegian_and_nothing_is_written(
    client_for, analysis
):
    response = add(client_for("planner"), analysis, source="", value="mange")

    assert response.status_code == 400
    assert "Feltet er påkrevet." in response.text
    assert "Oppgi et tall." in response.text
    assert not LocalFigure.objects.exists()


def test_the_same_figure_and_year_twice_is_refused(client_for, analysis):
    client = client_for("planner")
    add(client, analysis)
    response = add(client, analysis, value="15")

    assert LocalFigure.objects.get().value == Decimal("14")
    assert response.status_code == 302  # back to the page, with the reason
    page = client.get(response["Location"]).text
    assert "finnes allerede" in page


def test_an_editor_removes_the_municipalitys_figure_and_not_anothers(client_for, analysis):
    vefsn = Municipality.objects.get(number="1824")
    theirs = LocalFigure.objects.create(municipality=vefsn, **{**FIGURE, "value": 3})
    client = client_for("planner")
    add(client, analysis)
    ours = LocalFigure.objects.get(municipality=analysis.municipality)

    refused = client.post(reverse("analysis:local_figure_remove", args=[analysis.pk, theirs.pk]))
    removed = client.post(reverse("analysis:local_figure_remove", args=[analysis.pk, ours.pk]))

    assert refused.status_code == 404 and removed.status_code == 302
    assert list(LocalFigure.objects.all()) == [theirs]


def test_the_report_shows_the_municipalitys_own_figures_marked_as_its_own(client_for, analysis):
    add(client_for("planner"), analysis)

    report = client_for("planner").get(reverse("reports:report", args=[analysis.pk])).text

    assert "Kommunens egne tall: talt av kommunen selv, ikke offisiell statistikk." in report
    assert "kommunens eget tall" in report
    assert (
        "Bostedsløse personer (egen telling)" in report and "Boligkontorets kartlegging" in report
    )


@pytest.mark.parametrize(
    "field, text",
    [
        ("note", "Gjelder Kari Nordmann, 15038510190."),
        ("source", "Saksbehandler Ola Hansen, Storgata 12"),
        ("name", "Bostedsløse: ola hansen og kari nordmann, sak om utkastelse"),
    ],
)
def test_text_that_can_identify_a_person_is_refused_and_nothing_is_written(
    client_for, analysis, field, text
):
    response = add(client_for("planner"), analysis, **{field: text})

    assert response.status_code == 400
    assert "Dette kan identifisere en person." in response.text
    assert text in response.text  # what was typed is kept
    assert not LocalFigure.objects.exists()
