"""A planner opens Fauske's report in Chromium, sees the interactive chart, downloads the PDF
in the municipality's written form and archives it; the adviser reads the same report."""

import io

import pikepdf
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from analysis.models import Analysis
from reports.models import ArchivedReport
from tests.browser.helpers import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fauske_report(demo_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_recommendation_rules", verbosity=0)
    return Analysis.objects.filter(municipality__number="1841", is_demo=True).latest("round__year")


def test_planner_reads_the_report_downloads_the_pdf_and_archives_it(
    page, live_server, fauske_report
):
    sign_in(page, live_server, "planlegger", land=False)
    page.goto(f"{live_server.url}/rapport/{fauske_report.pk}/")
    assert page.title() == "Foranalyse 2026 – Fauske kommune – Boligsosial oversikt"
    expect(page.get_by_role("heading", level=1)).to_have_text("Foranalyse for Fauske")
    page.wait_for_selector("#profile-chart .main-svg")  # plotly.js drew the chart
    expect(page.get_by_role("heading", name="Anbefalinger", exact=True)).to_be_visible()
    # The summary names the three most important recommendations, not all of them.
    expect(page.locator(".main-recommendations li")).to_have_count(3)
    check_page(page, "report")

    # Fauske writes bokmål: that is the PDF's language unless the planner picks another.
    language = page.get_by_label("Språk i PDF-en")
    assert language.input_value() == "nb"
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Last ned PDF").click()
    download = download_info.value
    assert download.suggested_filename == "foranalyse-1841-2026.pdf"
    with open(download.path(), "rb") as handle, pikepdf.open(io.BytesIO(handle.read())) as pdf:
        assert str(pdf.Root.Lang) == "nb"

    page.get_by_label("Språk i den arkiverte PDF-en").select_option("nn")
    page.get_by_role("button", name="Arkiver PDF til politisk ledelse").click()
    page.wait_for_load_state()
    expect(page.get_by_text("PDF-en er arkivert")).to_be_visible()
    assert ArchivedReport.objects.get().language == "nn"
    check_page(page, "report-archive")
    with page.expect_download() as archived_info:
        page.get_by_role("link", name="Last ned PDF fra").first.click()
    assert archived_info.value.suggested_filename.startswith("foranalyse-1841-2026-")


def test_adviser_reads_the_report_but_is_not_offered_archiving(page, live_server, fauske_report):
    sign_in(page, live_server, "radgiver", land=False)
    page.goto(f"{live_server.url}/rapport/{fauske_report.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Foranalyse for Fauske")
    expect(page.get_by_role("button", name="Arkiver PDF til politisk ledelse")).to_have_count(0)
    expect(page.get_by_role("button", name="Last ned PDF")).to_be_visible()
    check_page(page, "report-adviser")


def test_planner_makes_a_recommendation_a_measure_from_the_kept_report(
    page, live_server, fauske_report
):
    """The report's content is kept rendered (reports/versions.py); its buttons post the one
    form outside it, with this person's CSRF token, to the recommendation's own address."""
    sign_in(page, live_server, "planlegger", land=False)
    url = f"{live_server.url}/rapport/{fauske_report.pk}/"
    page.goto(url)
    page.goto(url)  # the second time from the cache
    recommendation = page.locator("section.recommendation").first
    title = recommendation.get_by_role("heading", level=3).inner_text().split(". ", 1)[1]
    recommendation.get_by_role("button", name="Gjør om til tiltak").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Endre tiltak")
    expect(page.get_by_label("Tittel")).to_have_value(title)
