"""All-or-nothing imports, the upload page, and the county/country comparison."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from analysis.importers import ImportError_
from analysis.models import Indicator, IndicatorValue, Municipality
from analysis.selectors.indicators import aggregate, display_value, key_figures
from analysis.services.indicators import import_indicator_file

pytestmark = pytest.mark.django_db
FILES = Path(__file__).resolve().parents[3] / "fixtures" / "imports"


def run(name, **kwargs):
    return import_indicator_file(data=(FILES / name).read_bytes(), filename=name, **kwargs)


def test_the_catalogue_is_loaded_with_real_source_tables():
    per_1000 = Indicator.objects.get(code="kommunale-boliger-per-1000")
    assert (per_1000.source_table, per_1000.unit) == ("12008", "per_1000")
    assert per_1000.count_indicator.code == "kommunale-boliger"
    assert Indicator.objects.get(code="befolkning-80-andel").source_table == "07459"


def test_import_creates_values_and_a_reimport_changes_nothing():
    report = run("ssb-wide-semicolon.csv")
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    fauske = IndicatorValue.objects.get(municipality__number="1841", year=2023)
    assert fauske.value == Decimal("21.1") and fauske.source_file == "ssb-wide-semicolon.csv"
    suppressed = IndicatorValue.objects.get(municipality__number="1804", year=2023)
    assert (suppressed.value, suppressed.missing_reason) == (None, "suppressed")
    again = run("ssb-wide-semicolon.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_a_changed_value_is_updated():
    run("ssb-wide-semicolon.csv")
    IndicatorValue.objects.filter(municipality__number="1841", year=2023).update(value=1)
    assert run("ssb-wide-semicolon.csv").updated == 1


def test_a_bad_row_writes_nothing_at_all():
    with pytest.raises(ImportError_):
        run("mixed-decimals.csv", indicator_code="startlan-per-1000")
    assert not IndicatorValue.objects.exists()


def test_an_unknown_indicator_writes_nothing():
    with pytest.raises(ImportError_) as error:
        run("unknown-indicator.csv")
    assert "Ukjent indikator «Antall katter»" in error.value.errors[0]
    assert not IndicatorValue.objects.exists()


def test_numbers_that_no_longer_exist_are_reported_not_guessed():
    report = run("gone-municipality.csv", indicator_code="midlertidig-botilbud")
    assert report.created == 1
    (reason,) = report.skipped
    assert "1507" in reason
    assert not IndicatorValue.objects.filter(municipality__number="1507").exists()


def test_dry_run_reports_and_writes_nothing():
    report = run("ssb-wide-semicolon.csv", dry_run=True)
    assert report.created == 4 and report.dry_run
    assert not IndicatorValue.objects.exists()


def test_a_file_over_the_limit_is_refused(settings):
    settings.INDICATOR_FILE_MAX_BYTES = 10
    with pytest.raises(ImportError_) as error:
        run("ssb-wide-semicolon.csv")
    assert "grensen er" in error.value.errors[0]


def test_the_demo_file_imports_and_says_it_is_fictitious_in_its_name():
    report = run("demo-fiktive-tall-nokkeltall.csv")
    assert report.created == IndicatorValue.objects.count() > 1000
    assert set(IndicatorValue.objects.values_list("source_file", flat=True)) == {
        "demo-fiktive-tall-nokkeltall.csv"
    }
    assert (
        (FILES / "demo-fiktive-tall-nokkeltall.csv")
        .read_text("utf-8-sig")
        .startswith("# FIKTIVE TALL")
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    {
        "administrator": 200,
        "adviser": 404,
        "planner": 404,
        "reader": 404,
        "other_planner": 404,
        "outside_adviser": 404,
        "anonymous": 302,
    }.items(),
)
def test_only_administrators_reach_the_upload_page(client_for, persona, status):
    assert client_for(persona).get(reverse("analysis:indicator_upload")).status_code == status


def upload(client, name, **data):
    content = (FILES / name).read_bytes()
    return client.post(
        reverse("analysis:indicator_upload"),
        {"file": SimpleUploadedFile(name, content), **data},
    )


def test_administrator_uploads_a_file_and_sees_the_report(client_for):
    response = upload(client_for("administrator"), "ssb-wide-semicolon.csv")
    assert response.status_code == 200
    assert "Verdier opprettet: 4" in response.text
    assert IndicatorValue.objects.count() == 4


def test_a_bad_upload_shows_the_rows_and_writes_nothing(client_for):
    response = upload(
        client_for("administrator"), "text-in-number.csv", indicator="startlan-per-1000"
    )
    assert response.status_code == 400
    assert "Rad 2, kolonne «2023»: «mange» er ikke et tall." in response.text
    assert not IndicatorValue.objects.exists()


def test_an_upload_over_the_limit_is_refused_before_reading(client_for, settings):
    settings.INDICATOR_FILE_MAX_BYTES = 10
    response = upload(client_for("administrator"), "ssb-wide-semicolon.csv")
    assert response.status_code == 400
    assert "grensen er" in response.text


def test_a_planner_cannot_upload(client_for):
    response = upload(client_for("planner"), "ssb-wide-semicolon.csv")
    assert response.status_code == 404
    assert not IndicatorValue.objects.exists()


def test_counts_add_up_and_rates_are_weighted_by_population():
    assert aggregate([(10, 1000), (20, 3000)], "count") == 30
    assert aggregate([(10, 1000), (20, 3000)], "per_1000") == pytest.approx(17.5)
    assert aggregate([], "percent") is None


def test_small_counts_are_shown_as_under_3():
    assert display_value(Decimal(2), "count") == "under 3"
    assert display_value(Decimal(0), "count") == "0"
    assert display_value(Decimal(2), "per_1000") == "2,0"
    assert display_value(None, "count", "suppressed") == "skjult"


def test_key_figures_compare_with_county_and_country():
    indicator = Indicator.objects.get(code="kommunale-boliger-per-1000")
    fauske = Municipality.objects.get(number="1841")
    bodo = Municipality.objects.get(number="1804")
    oslo = Municipality.objects.get(number="0301")
    for municipality, value in [(fauske, 20), (bodo, 10), (oslo, 30)]:
        IndicatorValue.objects.create(
            indicator=indicator, municipality=municipality, year=2023, value=value
        )
    figure = next(f for f in key_figures(fauske) if f.indicator == indicator)
    county = (20 * fauske.population + 10 * bodo.population) / (fauske.population + bodo.population)
    country = (county * (fauske.population + bodo.population) + 30 * oslo.population) / (
        fauske.population + bodo.population + oslo.population
    )
    assert figure.county == pytest.approx(county)
    assert figure.country == pytest.approx(country)
    counts = key_figures(fauske, show_counts=True)
    assert "kommunale-boliger" in [f.indicator.code for f in counts]


@pytest.mark.parametrize(
    ("persona", "status"),
    {
        "planner": 200,
        "reader": 200,
        "adviser": 200,
        "outside_adviser": 404,
        "other_planner": 404,
        "anonymous": 302,
    }.items(),
)
def test_key_figures_page_answers_each_persona(client_for, analysis, persona, status):
    url = reverse("analysis:key_figures", args=[analysis.pk])
    assert client_for(persona).get(url).status_code == status


def test_key_figures_page_says_demo_figures_are_fictitious(client_for, analysis):
    run("demo-fiktive-tall-nokkeltall.csv")
    response = client_for("planner").get(reverse("analysis:key_figures", args=[analysis.pk]))
    assert "Fiktive tall." in response.text


def test_key_figures_page_runs_a_fixed_number_of_queries(
    client_for, analysis, django_assert_num_queries
):
    run("demo-fiktive-tall-nokkeltall.csv")
    client = client_for("planner")
    url = reverse("analysis:key_figures", args=[analysis.pk])
    client.get(url)
    # session, user, memberships, analysis; indicators, rates with counts, own values,
    # comparison values
    with django_assert_num_queries(8):
        client.get(url)
