"""A PDF's text read back: poppler's `pdftotext` (CI installs poppler-utils), one string a
page, in the order the page was written (`-raw`: each table row's cells together, as the
report lays them out; pdftotext's own reading order reads a table column by column).

pypdf's `extract_text`, used before, reads the page in pure Python: about 1.3 s for the
report's ten-odd pages, as long as laying the PDF out. pdftotext reads the same pages in a
few hundredths of a second."""

from __future__ import annotations

import re
import subprocess


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text; pdftotext ends every page with a form feed."""
    out = subprocess.run(  # noqa: S603 – our own PDF, through poppler from CI's packages
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=pdf,
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")
    return out.split("\f")[:-1]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def squeeze(text: str) -> str:
    """Every run of white space as one space: a line break in the PDF is a space to a reader."""
    return re.sub(r"\s+", " ", text)
