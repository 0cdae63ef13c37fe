"""The layout process manage.py forks for `render_report`: it lays out what it is sent, the
same way the app's own process does, and one nobody used goes away."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from boligsosial import pdf_layout

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")

HTML = '<html lang="nb"><head><title>Prøve</title></head><body><h1>Æøå</h1></body></html>'


def test_the_layout_process_makes_the_same_kind_of_pdf_as_the_app():
    process = pdf_layout.LayoutProcess()
    pdf = process.layout(HTML, str(Path.cwd()))
    with pikepdf.open(io.BytesIO(pdf)) as document:  # tagged PDF/UA, in bokmål
        assert "/StructTreeRoot" in document.Root and str(document.Root.Lang) == "nb"


def test_a_layout_process_nobody_used_is_ended():
    process = pdf_layout.LayoutProcess()
    process.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(process.pid, 0)


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
