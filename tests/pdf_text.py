"""A PDF's text read back: poppler's `pdftotext` (CI installs poppler-utils), one string a
page. By default in the order the page was written (`-raw`: each table row's cells together,
as the report lays them out); `order="reading"` is pdftotext's own reading order (a table
column by column, each heading on a line of its own).

pypdf's `extract_text`, used before, reads the page in pure Python: about 1.3 s for the
report's ten-odd pages, as long as laying the PDF out. pdftotext reads the same pages in a
few hundredths of a second."""

from __future__ import annotations

import re
import subprocess

ORDERS = {"written": ["-raw"], "reading": []}


def pdf_text(pdf: bytes, *, order: str = "written") -> str:
    """The whole text as pdftotext writes it: each page ended by a form feed."""
    return subprocess.run(  # noqa: S603 – our own PDF, through poppler from CI's packages
        ["pdftotext", *ORDERS[order], "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=pdf,
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")


def page_texts(pdf: bytes, *, order: str = "written") -> list[str]:
    """Each page's text."""
    return pdf_text(pdf, order=order).split("\f")[:-1]


def squeeze(text: str) -> str:
    """Every run of white space as one space: a line break in the PDF is a space to a reader."""
    return re.sub(r"\s+", " ", text)
