"""Where the words landed on the PDF's pages, read back with poppler's `pdftotext -bbox-layout`:
each page's size and its lines of text with their boxes (in points, origin top left)."""

from __future__ import annotations

import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

NS = {"x": "http://www.w3.org/1999/xhtml"}
MM = 72 / 25.4  # points per millimetre
# report-print.css: @page margin 22mm 18mm 20mm 18mm.
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 22 * MM, 18 * MM, 20 * MM


@dataclass
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass
class Line:
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def y_min(self) -> float:
        return min(w.y_min for w in self.words)


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]

    @property
    def rows(self) -> list[Line]:
        """The page's visual lines, top to bottom: words at the same height, whatever block
        poppler put them in (each table cell is a block of its own)."""
        rows: list[Line] = []
        for word in sorted(self.words, key=lambda w: (round(w.y_min, 1), w.x_min)):
            if rows and abs(rows[-1].y_min - word.y_min) < 1.5:
                rows[-1].words.append(word)
            else:
                rows.append(Line([word]))
        for row in rows:
            row.words.sort(key=lambda w: w.x_min)
        return rows

    @property
    def body_rows(self) -> list[Line]:
        """The visual lines inside the page area: no running header, no footer."""
        return [
            row for row in self.rows if MARGIN_TOP - 2 < row.y_min < self.height - MARGIN_BOTTOM
        ]

    @property
    def running_header(self) -> str:
        return " ".join(row.text for row in self.rows if row.y_min < MARGIN_TOP - 2)


def pdf_pages(pdf: bytes) -> list[Page]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        path.write_bytes(pdf)
        # poppler-utils from CI's packages, on a file this test wrote.
        out = subprocess.run(  # noqa: S603
            ["pdftotext", "-bbox-layout", str(path), "-"],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    root = ET.fromstring(out)  # noqa: S314 – poppler's output for our own PDF
    pages = []
    for number, page_el in enumerate(root.iter(f"{{{NS['x']}}}page"), start=1):
        page = Page(number, float(page_el.get("width")), float(page_el.get("height")))
        for line_el in page_el.iter(f"{{{NS['x']}}}line"):
            words = [
                Word(
                    w.text or "",
                    float(w.get("xMin")),
                    float(w.get("yMin")),
                    float(w.get("xMax")),
                    float(w.get("yMax")),
                )
                for w in line_el.findall("x:word", NS)
            ]
            if words:
                page.lines.append(Line(words))
        pages.append(page)
    return pages
