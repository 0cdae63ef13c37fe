"""An administrator imports a statistics file through the upload page; a planner reads the key
figures with their trend charts, and switches between shares and counts."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from analysis.models import Analysis
from keyfigures.models import IndicatorValue
from keyfigures.services.imports import import_indicator_file
from tests.browser.helpers import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FILES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


def test_administrator_imports_a_file_and_sees_the_report(page, live_server, demo_data):
    sign_in(page, live_server, "admin", land=False)
    page.goto(f"{live_server.url}/analyse/nokkeltall/import/")
    check_page(page, "key-figures-upload")
    page.get_by_label("Statistikkfil").set_input_files(str(FILES / "ssb-with-heading-kostra.csv"))
    page.get_by_role("button", name="Importer").click()
    page.wait_for_load_state()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Verdier opprettet: 4")
    expect(status).to_contain_text("Hoppet over 2: bydeler, som ikke er kommuner")
    assert IndicatorValue.objects.count() == 4  # what the page reported
    check_page(page, "key-figures-upload-report")


def test_planner_reads_key_figures_with_charts_and_switches_to_counts(page, live_server, demo_data):
    path = FILES / "demo-fiktive-tall-nokkeltall.csv"
    import_indicator_file(data=path.read_bytes(), filename=path.name)
    analysis = Analysis.objects.filter(municipality__number="1841", is_demo=True).latest(
        "round__year"
    )
    sign_in(page, live_server, "planlegger", land=False)
    page.goto(f"{live_server.url}/analyse/{analysis.pk}/nokkeltall/")
    page.wait_for_selector(".trend-figure .main-svg")  # plotly.js drew the charts
    assert page.locator(".trend-figure .main-svg").count() >= 5
    # The county and the whole country are lines in the same chart and rows in its table.
    first = page.locator(".trend-figure").first
    expect(first.locator(".legend")).to_contain_text("Nordland")
    expect(first.locator(".legend")).to_contain_text("Hele landet")
    expect(first.get_by_role("rowheader", name="Hele landet")).to_be_visible()
    expect(page.get_by_text("Fiktive tall.")).to_be_visible()
    check_page(page, "key-figures")
    page.get_by_role("link", name="Antall", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("row", name="Kommunalt disponerte boliger (antall)")).to_be_visible()
    check_page(page, "key-figures-counts")
