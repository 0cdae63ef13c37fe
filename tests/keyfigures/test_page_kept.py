"""The key-figure page's figures, charts and tables are kept rendered under the figures'
version (analysis/views/key_figures.py): the same page as rendered afresh, and every change of
the figures, of the municipality's or county's name shows at once."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from keyfigures.models import IndicatorValue, LocalFigure
from reference.models import County, Municipality
from tests.keyfigures.test_comparisons_and_pages import COUNT, RATE, demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_figure_page(client_for, analysis):
    demo()
    client = client_for("planner")
    url = reverse("analysis:key_figures", args=[analysis.pk])

    def load(query: str = "") -> str:
        response = client.get(url + query)
        assert response.status_code == 200
        shown = response.text.replace("\xa0", " ")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", shown)

    load()
    return load


def test_the_page_kept_is_the_page_rendered_afresh(key_figure_page):
    kept, kept_counts = key_figure_page(), key_figure_page("?visning=antall")
    cache.clear()
    assert key_figure_page() == kept
    assert key_figure_page("?visning=antall") == kept_counts
    assert kept != kept_counts


def test_a_new_figure_shows_at_once(key_figure_page, analysis):
    latest = IndicatorValue.objects.filter(
        municipality=analysis.municipality, indicator__code=RATE
    ).latest("year")
    assert "98765,4" not in key_figure_page()
    latest.value = Decimal("98765.4")
    latest.save()
    assert "98 765,4" in key_figure_page()


def test_a_count_changed_in_bulk_shows_at_once(key_figure_page, analysis):
    rows = IndicatorValue.objects.filter(municipality=analysis.municipality, indicator__code=COUNT)
    assert "4321" not in key_figure_page("?visning=antall")
    rows.update(value=Decimal("4321"))
    assert "4 321" in key_figure_page("?visning=antall")


@pytest.mark.parametrize(
    "model, name",
    [(Municipality, "Fauske by"), (County, "Nordlandet")],
    ids=["municipality", "county"],
)
def test_a_new_name_shows_at_once(key_figure_page, analysis, model, name):
    row = model.objects.get(
        pk=analysis.municipality_id if model is Municipality else analysis.municipality.county_id
    )
    row.name = name
    row.save()
    assert f'class="text-end">{name}</th>' in key_figure_page()


def test_the_municipalitys_own_figures_are_read_every_time(key_figure_page, analysis):
    LocalFigure.objects.create(
        municipality=analysis.municipality,
        name="Bostedsløse ved telling",
        year=2024,
        value=Decimal("7"),
        unit="count",
        source="Egen telling",
    )
    assert "Bostedsløse ved telling" in key_figure_page()
