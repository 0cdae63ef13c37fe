"""The commands: one report to a file, a region's reports to a folder or zip, the rules."""

import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports import services

pytestmark = pytest.mark.django_db


def test_render_report_writes_a_pdf(filled, tmp_path):
    out = tmp_path / "fauske.pdf"
    call_command("render_report", municipality="1841", round=2026, output=out, stdout=StringIO())
    assert out.read_bytes().startswith(b"%PDF")


def test_render_report_writes_html_on_request(filled, tmp_path):
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


def test_render_report_refuses_a_round_that_does_not_exist(filled, tmp_path):
    with pytest.raises(CommandError):
        call_command("render_report", municipality="1841", round=1999, output=tmp_path / "x.pdf")


@pytest.fixture
def fast_pdf(monkeypatch):
    # The PDF itself is tested in test_pdf.py; here only the batch's files and progress.
    monkeypatch.setattr(
        services,
        "render_report_pdf",
        lambda analysis: b"%PDF " + analysis.municipality.number.encode(),
    )


def test_region_batch_writes_one_pdf_per_municipality_into_a_zip(round_, rules, tmp_path, fast_pdf):
    out = StringIO()
    call_command(
        "render_region_reports",
        region="Nordland",
        round=2026,
        output=tmp_path / "n.zip",
        stdout=out,
    )
    names = zipfile.ZipFile(tmp_path / "n.zip").namelist()
    assert len(names) == 41
    assert "foranalyse-1841-2026.pdf" in names
    assert "[ 41/41]" in out.getvalue()


def test_region_batch_writes_into_a_folder(round_, rules, tmp_path, fast_pdf):
    call_command(
        "render_region_reports",
        region="Nordland",
        round=2026,
        output=tmp_path / "n",
        stdout=StringIO(),
    )
    assert (tmp_path / "n" / "foranalyse-1841-2026.pdf").read_bytes() == b"%PDF 1841"


def test_region_batch_asks_for_one_region_when_the_name_is_ambiguous(round_, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "render_region_reports", region="Statsforvalteren", round=2026, output=tmp_path
        )
