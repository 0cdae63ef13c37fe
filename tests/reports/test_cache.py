"""The report cache: a PDF is laid out again only when something it shows has changed, each
language apart, and archived PDFs are never taken from it. WeasyPrint runs for real; the
`layouts` fixture only counts what it lays out."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from analysis.models import Analysis, Project
from boligsosial import pdf_layout
from keyfigures.models import Indicator, IndicatorValue
from reports import cache, services
from reports.models import RecommendationRule

pytestmark = pytest.mark.django_db


def cached_files(analysis) -> list[str]:
    folder = settings.MEDIA_ROOT / cache.DIRECTORY / str(analysis.pk)
    return sorted(p.name for p in folder.glob("*.pdf")) if folder.exists() else []


def test_the_second_request_comes_from_the_cache(filled, layouts):
    first, from_cache = services.report_pdf(filled)
    assert not from_cache and len(layouts) == 1
    second, from_cache = services.report_pdf(filled)
    assert from_cache and second == first and len(layouts) == 1


def test_a_new_analysis_version_is_laid_out_again_and_replaces_the_old_file(filled, layouts):
    services.report_pdf(filled)
    Analysis.objects.filter(pk=filled.pk).update(version=filled.version + 1)
    filled.refresh_from_db()
    _pdf, from_cache = services.report_pdf(filled)
    assert not from_cache and len(layouts) == 2
    (name,) = cached_files(filled)
    assert name.startswith(f"nb-v{filled.version}-")


@pytest.mark.parametrize(
    "change",
    [
        "indicator_import",
        "recommendation_text",
        "project_edited_elsewhere",
        "new_day",
    ],
)
def test_changes_that_do_not_raise_the_version_still_reach_the_pdf(
    filled, layouts, monkeypatch, change
):
    services.report_pdf(filled)
    if change == "indicator_import":
        IndicatorValue.objects.create(
            indicator=Indicator.objects.get(code="kommunale-boliger-per-1000"),
            municipality=filled.municipality,
            year=2024,
            value=Decimal("21.5"),
        )
    elif change == "recommendation_text":
        RecommendationRule.objects.filter(key="okonomiplan").update(title_nb="Ny tittel")
    elif change == "project_edited_elsewhere":
        Project.objects.filter(municipality=filled.municipality).update(name="Nytt navn")
    elif change == "new_day":
        tomorrow = timezone.localtime() + datetime.timedelta(days=1)
        monkeypatch.setattr(services.timezone, "localtime", lambda *a: tomorrow)
    _pdf, from_cache = services.report_pdf(filled)
    assert not from_cache and len(layouts) == 2


def test_each_language_has_its_own_cached_pdf(filled, layouts):
    nb, _ = services.report_pdf(filled, language="nb")
    nn, _ = services.report_pdf(filled, language="nn")
    assert nb != nn and '<html lang="nn">' in layouts[1]
    assert services.report_pdf(filled, language="nb") == (nb, True)
    assert services.report_pdf(filled, language="nn") == (nn, True)
    assert [name[:3] for name in cached_files(filled)] == ["nb-", "nn-"]


def test_archiving_lays_out_a_fresh_pdf_and_the_cache_cannot_change_it(filled, planner, layouts):
    services.report_pdf(filled)
    archived = services.archive_report(analysis=filled, by=planner)
    assert len(layouts) == 2  # not taken from the cache
    with archived.file.open("rb") as handle:
        stored = handle.read()
    cache.clear()
    RecommendationRule.objects.update(title_nb="Endret etterpå")
    services.report_pdf(filled)
    with archived.file.open("rb") as handle:
        assert handle.read() == stored
    assert services.archived_file_is_intact(archived)


def test_a_cache_hit_costs_neither_the_chart_nor_the_layout(filled, layouts, monkeypatch):
    services.report_pdf(filled)

    def no_chart(*args, **kwargs):
        raise AssertionError("the chart was exported for a cached PDF")

    monkeypatch.setattr(pdf_layout, "figure_to_svg", no_chart)
    assert services.report_pdf(filled)[1] is True


def test_the_region_zip_streams_one_chunk_per_municipality(round_, rules, layouts):
    analyses = list(
        Analysis.objects.filter(
            round=round_, municipality__number__in=["1804", "1824", "1841"]
        ).select_related("municipality__county", "round__questionnaire")
    )
    chunks = list(services.region_reports_zip(services.region_reports(analyses)))
    assert len([c for c in chunks if c]) >= 3  # bytes flow after each report, not at the end
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert sorted(archive.namelist()) == ["1804-Bodø.pdf", "1824-Vefsn.pdf", "1841-Fauske.pdf"]
    # A second zip takes every PDF from the cache.
    list(services.region_reports_zip(services.region_reports(analyses)))
    assert len(layouts) == 3


def test_a_report_that_fails_leaves_a_note_in_the_zip_and_the_others_come_through(
    round_, rules, monkeypatch
):
    def layout(html: str) -> bytes:
        if "Foranalyse for Vefsn" in html:
            raise RuntimeError("layout failed")
        return b"%PDF-fake"

    monkeypatch.setattr(services, "html_to_pdf", layout)
    analyses = list(
        Analysis.objects.filter(round=round_, municipality__number__in=["1824", "1841"])
    )
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(services.region_reports_zip(services.region_reports(analyses))))
    )
    assert archive.read("1841-Fauske.pdf") == b"%PDF-fake"
    note = archive.read("1824-Vefsn-mangler.txt").decode()
    assert "Rapporten for Vefsn kunne ikke lages" in note
