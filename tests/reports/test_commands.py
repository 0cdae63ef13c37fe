"""The commands: one report to a file, a region's reports to a folder or zip, the rules."""

import re
import subprocess
import sys
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from analysis.models import Analysis, AnalysisStatus
from reports import services
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


def test_render_report_writes_a_pdf(filled, tmp_path):
    out = tmp_path / "fauske.pdf"
    call_command("render_report", municipality="1841", round=2026, output=out, stdout=StringIO())
    assert out.read_bytes().startswith(b"%PDF")


def test_render_report_writes_a_self_contained_styled_html_file(filled, tmp_path):
    out = tmp_path / "fauske.html"
    call_command(
        "render_report",
        municipality="1841",
        round=2026,
        output=out,
        format="html",
        stdout=StringIO(),
    )
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Foranalyse for Fauske" in html
    # The print stylesheet is inside the file, not linked: it opens styled anywhere.
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert "size: A4" in style and "break-after: avoid" in style and ".cover-facts" in style
    assert 'rel="stylesheet"' not in html
    # The chart is inside too, as an SVG image with its text alternative.
    assert 'src="data:image/svg+xml;base64,' in html
    assert services.CHART_PLACEHOLDER not in html


def test_the_html_file_is_what_weasyprint_lays_out(filled, tmp_path, layouts):
    html_file, pdf_file = tmp_path / "f.html", tmp_path / "f.pdf"
    call_command("render_report", municipality="1841", round=2026, output=html_file, format="html")
    call_command("render_report", municipality="1841", round=2026, output=pdf_file)

    def without_chart(html: str) -> str:
        # plotly gives the SVG's clip paths fresh random ids on every export.
        return re.sub(r'src="data:image/svg\+xml;base64,[^"]*"', "src=CHART", html)

    assert [without_chart(html) for html in layouts] == [
        without_chart(html_file.read_text(encoding="utf-8"))
    ]
    assert pdf_file.read_bytes().startswith(b"%PDF-")


@pytest.mark.django_db(transaction=True)
def test_render_report_on_the_command_line_makes_the_pdf_the_app_makes(filled, tmp_path):
    """`manage.py render_report` draws the charts and lays the PDF out in processes forked
    before Django starts (boligsosial/pdf_layout.py): the same words, chart labels included,
    as the app's own PDF, and the same tags."""
    from tests.processes import environment
    from tests.test_pdf_layout import header_scopes

    out = tmp_path / "fauske.pdf"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "render_report", "--municipality", "1841"]
        + ["--round", "2026", "--output", str(out)],
        cwd=Path(__file__).resolve().parents[2],
        env=environment(DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    from_command, from_app = out.read_bytes(), services.render_report_pdf(filled)
    # A chart not drawn would leave its text alternative in the words instead of its labels.
    assert pdf_words(from_command) == pdf_words(from_app)
    assert header_scopes(from_command) == header_scopes(from_app) != []


def pdf_words(pdf: bytes) -> list[str]:
    """The PDF's words, the time of day it was made left out."""
    text = pdf_text(pdf)
    return re.sub(r"\b\d{1,2}[:.]\d{2}\b", "hh:mm", text).split()


def test_render_report_refuses_a_round_that_does_not_exist(filled, tmp_path):
    with pytest.raises(CommandError, match="Fant ingen foranalyse for kommune 1841 i runden 1999"):
        call_command("render_report", municipality="1841", round=1999, output=tmp_path / "x.pdf")


# The batches lay out Nordland's started municipalities with the stand-in (`fake_layouts`).


@pytest.fixture
def nordland(round_) -> int:
    """How many reports a Nordland batch makes: one per analysis of the round there."""
    from analysis.models import Analysis

    return Analysis.objects.filter(
        round=round_, municipality__county__region__name="Statsforvalteren i Nordland"
    ).count()


# Four Nordland municipalities have started; the others (`nordland` minus four) have not.
STARTED = {"1804": "Bodø", "1824": "Vefsn", "1841": "Fauske", "1865": "Vågan"}


@pytest.fixture
def started(round_):
    Analysis.objects.filter(round=round_, municipality__number__in=STARTED).update(
        status=AnalysisStatus.IN_PROGRESS
    )
    Analysis.objects.filter(round=round_, municipality__number="1824").update(
        status=AnalysisStatus.APPROVED
    )


def run_batch(output, **kwargs) -> str:
    out = StringIO()
    call_command(
        "render_region_reports", region="Nordland", round=2026, output=output, stdout=out, **kwargs
    )
    return out.getvalue()


def test_region_batch_zips_the_started_municipalities_as_number_and_name(
    started, rules, tmp_path, fake_layouts
):
    progress = run_batch(tmp_path / "n.zip")
    archive = zipfile.ZipFile(tmp_path / "n.zip")
    assert archive.namelist() == [
        "README.txt",
        "1804-Bodø.pdf",
        "1824-Vefsn.pdf",
        "1841-Fauske.pdf",
        "1865-Vågan.pdf",
    ]
    assert archive.read("1841-Fauske.pdf").startswith(b"%PDF-fake ")
    assert "[  1/4] 1804 Bodø" in progress and "[  4/4] 1865 Vågan" in progress
    assert "4 rapporter" in progress and "0 fra hurtiglageret" in progress


def test_the_readme_names_round_date_and_the_municipalities_left_out(
    started, nordland, rules, tmp_path, fake_layouts
):
    run_batch(tmp_path / "n.zip")
    readme = zipfile.ZipFile(tmp_path / "n.zip").read("README.txt").decode()
    assert "Statsforvalteren i Nordland" in readme
    assert "Runde: Foranalyse 2026" in readme
    assert f"Laget: {timezone.localdate().day}. " in readme
    assert "4 kommunene som har startet" in readme
    assert f"ikke er startet ({nordland - len(STARTED)} kommuner)" in readme
    left_out = re.findall(r"^  (\d{4}) ", readme, re.M)
    assert len(left_out) == nordland - len(STARTED) and "1833" in left_out
    assert not set(left_out) & set(STARTED)


def test_a_second_batch_takes_every_pdf_from_the_same_cache(started, rules, tmp_path, fake_layouts):
    run_batch(tmp_path / "first.zip")
    progress = run_batch(tmp_path / "second.zip")
    assert len(fake_layouts) == 4
    assert progress.count("fra hurtiglageret") == 5  # 4 lines and the summary
    first, second = (
        zipfile.ZipFile(tmp_path / "first.zip"),
        zipfile.ZipFile(tmp_path / "second.zip"),
    )
    assert all(first.read(name) == second.read(name) for name in first.namelist() if ".pdf" in name)


def test_the_batch_and_the_web_share_the_cache(started, rules, tmp_path, fake_layouts, client_for):
    from django.urls import reverse

    fauske = Analysis.objects.get(round__year=2026, municipality__number="1841")
    client_for("planner").get(reverse("reports:pdf", args=[fauske.pk]))
    progress = run_batch(tmp_path / "n")
    assert re.search(r"1841 Fauske\s+\d+\.\d s  fra hurtiglageret", progress)
    assert len(fake_layouts) == 4


def test_region_batch_writes_into_a_folder(started, nordland, rules, tmp_path, fake_layouts):
    run_batch(tmp_path / "n")
    assert (tmp_path / "n" / "1841-Fauske.pdf").read_bytes().startswith(b"%PDF-fake ")
    assert len(list((tmp_path / "n").glob("*.pdf"))) == 4
    readme = (tmp_path / "n" / "README.txt").read_text()
    assert f"ikke er startet ({nordland - len(STARTED)} kommuner)" in readme


def test_a_region_where_nobody_has_started_makes_no_batch(round_, tmp_path):
    with pytest.raises(CommandError, match="Ingen kommune i regionen har startet"):
        run_batch(tmp_path / "n.zip")


def test_a_failed_report_is_named_and_the_batch_ends_with_an_error(
    started, rules, tmp_path, monkeypatch
):
    def layout(html: str) -> bytes:
        if "Foranalyse for Fauske" in html:
            raise RuntimeError("layout failed")
        return b"%PDF-fake"

    monkeypatch.setattr(services, "html_to_pdf", layout)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "render_region_reports",
            region="Nordland",
            round=2026,
            output=tmp_path / "n.zip",
            stdout=out,
        )
    assert re.search(r"1841 Fauske\s+\d+\.\d s  FEILET", out.getvalue())
    names = zipfile.ZipFile(tmp_path / "n.zip").namelist()
    assert "1841-Fauske-mangler.txt" in names and len(names) == 5


def test_region_batch_asks_for_one_region_when_the_name_is_ambiguous(round_, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "render_region_reports", region="Statsforvalteren", round=2026, output=tmp_path
        )
