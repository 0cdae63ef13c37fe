"""The key figures are computed once for each change of what they are computed from
(keyfigures/versions.py), and every change shows at once: a saved or deleted value, a bulk
write, an import, an official figure, a municipality's population, an indicator's new name,
a rolled-back write."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from keyfigures import versions
from keyfigures.models import Indicator, IndicatorAggregateValue, IndicatorValue
from keyfigures.selectors import key_figures
from keyfigures.services.imports import import_indicator_file
from reference.models import Municipality

pytestmark = pytest.mark.django_db
FILES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
RATE = "kommunale-boliger-per-1000"


def fauske():
    return Municipality.objects.get(number="1841")


def figure(code=RATE):
    return next(f for f in key_figures(fauske()) if f.indicator.code == code)


def put(value, year=2024, municipality=None):
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code=RATE),
        municipality=municipality or fauske(),
        year=year,
        value=value,
    )


def test_unchanged_figures_cost_one_query():
    put(Decimal(12))
    municipality = fauske()
    key_figures(municipality)
    with CaptureQueriesContext(connection) as queries:
        figures = key_figures(municipality)
    assert len(queries) == 1  # the token
    assert next(f for f in figures if f.indicator.code == RATE).value == Decimal(12)


def test_a_saved_value_shows_at_once():
    put(Decimal(12))
    assert figure().value == Decimal(12)
    put(Decimal(15), year=2025)
    assert (figure().year, figure().value) == (2025, Decimal(15))
    IndicatorValue.objects.get(year=2025).delete()
    assert figure().year == 2024


def test_bulk_writes_show_at_once():
    put(Decimal(12))
    assert figure().value == Decimal(12)
    IndicatorValue.objects.filter(year=2024).update(value=Decimal(14))
    assert figure().value == Decimal(14)
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                indicator=Indicator.objects.get(code=RATE),
                municipality=fauske(),
                year=2025,
                value=Decimal(16),
            )
        ]
    )
    assert (figure().year, figure().value) == (2025, Decimal(16))
    IndicatorValue.objects.filter(year=2025).delete()
    assert (figure().year, figure().value) == (2024, Decimal(14))


def test_an_import_shows_at_once():
    assert figure().year is None
    path = FILES / "demo-fiktive-tall-nokkeltall.csv"
    import_indicator_file(data=path.read_bytes(), filename=path.name)
    assert figure().year is not None


def test_an_official_county_figure_shows_at_once():
    put(Decimal(12))
    assert not figure().county.official
    IndicatorAggregateValue.objects.create(
        indicator=Indicator.objects.get(code=RATE),
        county=fauske().county,
        year=2024,
        value=Decimal(7),
    )
    assert figure().county.official
    assert figure().county.value == Decimal(7)


def test_a_new_population_changes_the_computed_country_figure():
    for municipality in Municipality.objects.current():
        put(Decimal(10 if municipality.number == "1841" else 20), municipality=municipality)
    before = figure().country.value
    fauske_now = fauske()
    fauske_now.population *= 1000
    fauske_now.save()
    assert figure().country.value < before


def test_an_indicator_renamed_shows_at_once():
    put(Decimal(12))
    figure()
    indicator = Indicator.objects.get(code=RATE)
    indicator.name_nb = "Nytt navn"
    indicator.save()
    assert figure().indicator.name_nb == "Nytt navn"


def test_a_rolled_back_write_leaves_the_cached_figures_right():
    put(Decimal(12))
    before = versions.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        put(Decimal(99), year=2025)
        assert figure().value == Decimal(99)
        raise RuntimeError
    assert versions.current() == before
    assert (figure().year, figure().value) == (2024, Decimal(12))


def test_the_key_figures_page_shows_a_new_value_at_once(client_for, analysis):
    client = client_for("planner")
    url = f"{analysis.get_absolute_url()}nokkeltall/"
    put(Decimal(12))
    assert client.get(url).status_code == 200
    put(Decimal("13.5"), year=2025)
    assert "13,5" in client.get(url).content.decode()
