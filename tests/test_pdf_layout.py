"""The processes manage.py forks for `render_report`: the chart process draws and the layout
process lays out what they are sent, the same way the app's own process does, and those
nobody used go away."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from boligsosial import pdf_layout
from boligsosial.charts import figure, figure_to_svg
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")


@pytest.fixture(autouse=True)
def _no_process_left():
    """A test that fails before it uses the processes it started ends them all the same, or
    a later report on this worker would take the command's path."""
    yield
    pdf_layout.cancel_prestarted()


HTML = '<html lang="nb"><head><title>Prøve</title></head><body><h1>Æøå</h1></body></html>'


def test_the_layout_process_makes_the_same_kind_of_pdf_as_the_app():
    process = pdf_layout.LayoutProcess()
    pdf = process.layout(HTML, str(Path.cwd()))
    with pikepdf.open(io.BytesIO(pdf)) as document:  # tagged PDF/UA, in bokmål
        assert "/StructTreeRoot" in document.Root and str(document.Root.Lang) == "nb"


TABLE = (
    '<html lang="nb"><head><title>Tabell</title></head><body><table>'
    "<thead><tr><th>Faktor</th><th>Skår</th></tr></thead>"
    '<tbody><tr><th scope="row">Samarbeid</th><td>3</td></tr></tbody></table></body></html>'
)


def header_scopes(pdf: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        scopes = []

        def walk(element):
            if isinstance(element, pikepdf.Array):
                for child in element:
                    walk(child)
            elif isinstance(element, pikepdf.Dictionary):
                if element.get("/S") == pikepdf.Name("/TH"):
                    scopes.append(str(element.A.Scope))
                if "/K" in element:
                    walk(element.K)

        walk(document.Root.StructTreeRoot.K)
        return scopes


def test_the_layout_process_gives_every_table_header_its_scope():
    pdf = pdf_layout.LayoutProcess().layout(TABLE, str(Path.cwd()))
    assert header_scopes(pdf) == ["/Column", "/Column", "/Row"]


def same_ids(svg: str) -> str:
    """The SVG with plotly's random id of the drawing (defs-435ecf, clip435ecfx …) as one."""
    drawing = re.search(r'id="defs-(\w+)"', svg).group(1)
    return svg.replace(drawing, "ID")


def test_the_chart_process_draws_the_same_svg_as_the_app():
    chart = figure(
        [{"type": "bar", "orientation": "h", "x": [3, 4], "y": ["Samarbeid", "Kunnskap"]}],
        {"title": {"text": "Profil"}},
    )
    process = pdf_layout.ChartProcess()
    drawn = json.loads(process.run(json.dumps([[chart, "Profilen: 3 og 4"]])))
    assert [same_ids(svg) for svg in drawn] == [
        same_ids(figure_to_svg(chart, title="Profilen: 3 og 4"))
    ]
    assert "<title>Profilen: 3 og 4</title>" in drawn[0]


def test_a_layout_process_nobody_used_is_ended():
    process = pdf_layout.LayoutProcess()
    pid = process.pid
    process.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)


def test_render_report_starts_a_chart_and_a_layout_process_and_ends_those_it_did_not_use():
    pdf_layout.prestart_for(["manage.py", "render_report", "--municipality", "1841"])
    assert pdf_layout.is_prestarted()
    pids = [process.pid for process in pdf_layout._prestarted.values()]
    assert len(pids) == 2
    pdf_layout.cancel_prestarted()
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, 0)
    assert not pdf_layout.is_prestarted()


def test_a_report_without_charts_is_laid_out_and_its_chart_process_ended():
    pdf_layout.prestart_for(["manage.py", "render_report", "--municipality", "1841"])
    chart_pid = pdf_layout._prestarted["charts"].pid
    pdf = pdf_layout.lay_out_prestarted(TABLE, str(Path.cwd()), [])
    assert header_scopes(pdf) == ["/Column", "/Column", "/Row"]
    with pytest.raises(ChildProcessError):
        os.waitpid(chart_pid, 0)
    assert not pdf_layout.is_prestarted()


def test_the_layout_process_waits_for_the_charts_it_reaches():
    """The HTML goes first, the chart's SVG later: the layout process asks for it when it
    reaches the image, and the PDF holds the chart's words."""
    chart = figure([{"type": "bar", "x": [1], "y": ["Bostedsløse"], "orientation": "h"}], {})
    html = TABLE.replace("<table>", f'<img src="{pdf_layout.CHART_URL}c" alt="Profil"><table>')
    pdf_layout.prestart_for(["manage.py", "render_report", "--municipality", "1841"])
    pdf = pdf_layout.lay_out_prestarted(
        html, str(Path.cwd()), [(f"{pdf_layout.CHART_URL}c", chart, "Profil")]
    )
    assert "Bostedsløse" in pdf_text(pdf)


def test_a_chart_that_cannot_be_drawn_fails_the_command_and_leaves_no_process_behind():
    pdf_layout.prestart_for(["manage.py", "render_report", "--municipality", "1841"])
    pids = [process.pid for process in pdf_layout._prestarted.values()]
    html = TABLE.replace("<table>", f'<img src="{pdf_layout.CHART_URL}c" alt="Profil"><table>')
    not_a_figure = "no figure"  # plotly-print refuses it in the chart process
    with pytest.raises(RuntimeError, match="failed"):
        pdf_layout.lay_out_prestarted(
            html, str(Path.cwd()), [(f"{pdf_layout.CHART_URL}c", not_a_figure, "x")]
        )
    for pid in pids:  # both ended and reaped, the layout process too
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, 0)


def test_charts_the_layout_never_asks_for_are_taken_all_the_same():
    """The command sends the SVGs before it reads the PDF: a layout process that left them
    unread would end the exchange with an error (or, with both past a pipe's 64 KB, never)."""
    chart = figure([{"type": "bar", "x": [1], "y": ["a"]}], {})
    long_alt = "Ingen plass i malen. " * 10_000  # in the SVG's <title>: 200 KB
    pdf_layout.prestart_for(["manage.py", "render_report", "--municipality", "1841"])
    charts = [(f"{pdf_layout.CHART_URL}unused", chart, long_alt)]
    pdf = pdf_layout.lay_out_prestarted(TABLE, str(Path.cwd()), charts)
    assert header_scopes(pdf) == ["/Column", "/Column", "/Row"]


def test_html_output_starts_no_process():
    pdf_layout.prestart_for(["manage.py", "render_report", "--format", "html"])
    assert pdf_layout._prestarted == {}


@pytest.mark.django_db(transaction=True)
def test_render_report_from_the_command_line_leaves_no_process_behind(tmp_path):
    from tests.processes import environment

    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "render_report",
            "--municipality",
            "9999",
            "--round",
            "1999",
            "--output",
            str(tmp_path / "x.pdf"),
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment(DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1 and "Fant ingen foranalyse" in result.stderr
