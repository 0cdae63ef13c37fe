"""The filled report's PDF read back page by page, as a council member leafs through it: the
cover, the contents and where the chapters really start, the running header, and the texts
and table rows the municipality filled in. One PDF for the whole module (each costs ~1.5 s)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

from reference.models import SuccessFactor
from reports.services import render_report_pdf
from tests.reports.conftest import filled_fauske, rolled_back
from tests.reports.pdf_layout import Page, pdf_pages

# The tests read one PDF; the mark tells pytest-django to set up the database for the fixture.
pytestmark = pytest.mark.django_db

# The filled analysis's scores, factor 1 to 6 (tests/reports/conftest.py, fill).
SCORES = (2, 2, 3, 2, 3, 1)
DOCUMENT_TITLE = "Foranalyse for Fauske"
# The order issue 4 gives, after the main findings (issue 12): summary, key figures, profile,
# factors, who does what, cooperation, allocation, projects, the user organisation (when there
# is one), recommendations, the action plan (issue 12), appendix.
CHAPTERS = [
    "Hovedfunn",
    "Sammendrag",
    "Nøkkeltall",
    "Profilen på de seks suksessfaktorene",
    "Suksessfaktorene én for én",
    "Hvem gjør hva",
    "Samarbeid",
    "Tildeling",
    "Prosjekter og tiltak",
    "Brukerorganisasjonens syn",
    "Anbefalinger",
    "Tiltaksplan",
    "Forslag til vedtak",
    "Metode og bakgrunn",
    "Vedlegg: alle svar",
]
TOC_LINE = re.compile(r"^(?P<title>.+?) [. ]+ (?P<page>\d+)$")


@dataclass
class Report:
    pages: list[Page]
    factors: list[tuple[int, str]]  # (number, name) in order
    status: str
    generated_on: datetime.date

    def page(self, number: int) -> Page:
        return self.pages[number - 1]

    @property
    def body_pages(self) -> list[Page]:
        """Every page after the cover and the contents."""
        return self.pages[2:]

    def chapter_starts(self) -> list[tuple[str, int]]:
        """Each chapter heading found on the body pages, with its page, in reading order."""
        return [
            (row.text, page.number)
            for page in self.body_pages
            for row in page.body_rows
            if row.text in CHAPTERS
        ]

    def chapter_rows(self, title: str) -> list[str]:
        """The lines of one chapter, from its heading to the next chapter's heading."""
        rows = [row.text for page in self.body_pages for row in page.body_rows]
        start = rows.index(title)
        end = next((i for i in range(start + 1, len(rows)) if rows[i] in CHAPTERS), len(rows))
        return rows[start + 1 : end]


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker) -> Report:
    """Fauske's filled analysis with key figures, as one PDF; the data is rolled back after."""
    with rolled_back(django_db_blocker):
        analysis = filled_fauske(SCORES)
        pdf = render_report_pdf(analysis)
        factors = [(f.number, f.name_nb) for f in SuccessFactor.objects.order_by("number")]
        status = analysis.get_status_display()
    return Report(pdf_pages(pdf), factors, status, timezone.localdate())


def toc_entries(report: Report) -> list[tuple[str, int]]:
    (contents,) = [p for p in report.pages if any(r.text == "Innhold" for r in p.body_rows)]
    assert contents.number == 2
    entries = []
    for row in contents.body_rows:
        match = TOC_LINE.match(row.text)
        if match:
            entries.append((match["title"], int(match["page"])))
    return entries


def test_the_contents_list_every_chapter_in_the_order_of_issue_4(report):
    assert [title for title, _page in toc_entries(report)] == CHAPTERS


def test_the_chapters_come_in_the_order_of_issue_4(report):
    assert [title for title, _page in report.chapter_starts()] == CHAPTERS


def test_the_contents_give_the_page_each_chapter_starts_on(report):
    entries = toc_entries(report)
    # Not all on one page: the check below would pass trivially if they were.
    assert len({page for _title, page in entries}) >= 6
    assert entries == report.chapter_starts()
    assert ("Hovedfunn", 3) in entries


def test_the_cover_has_no_running_header(report):
    assert report.page(1).running_header == ""


def test_every_body_page_carries_the_title_and_its_chapter_in_the_running_header(report):
    assert report.page(2).running_header == DOCUMENT_TITLE  # the contents: no chapter
    current = None
    for page in report.body_pages:
        rows = [row.text for row in page.body_rows]
        if rows and rows[0] in CHAPTERS:
            current = rows[0]
        assert page.running_header == f"{DOCUMENT_TITLE} {current}", page.number
        current = next((text for text in reversed(rows) if text in CHAPTERS), current)
    assert current == CHAPTERS[-1]


def test_the_cover_shows_the_municipality_round_date_and_status(report):
    cover = {row.text for row in report.page(1).body_rows}
    with translation.override("nb"):
        generated_on = date_format(report.generated_on, "j. F Y")
    for label_and_value in [
        "Kommune Fauske – Fuossko",
        "Runde Foranalyse 2026",
        f"Rapportdato {generated_on}",
        f"Status {report.status}",
    ]:
        assert label_and_value in cover, label_and_value


def test_each_factor_shows_its_status_challenges_and_evidence_under_its_own_heading(report):
    rows = report.chapter_rows("Suksessfaktorene én for én")
    headings = [f"{number}. {name}" for number, name in report.factors]
    starts = [rows.index(heading) for heading in headings]
    assert starts == sorted(starts)
    for (number, name), start, end in zip(
        report.factors, starts, [*starts[1:], len(rows)], strict=True
    ):
        section = rows[start:end]
        expected = [
            "Hvor vi står",
            f"Status for {name}.",
            "Utfordringer",
            f"Utfordringer for {name}.",
            "Hva vurderingen bygger på",
            "Drøftet i arbeidsgruppen.",
        ]
        found = [line for line in section if line in expected]
        assert found == expected, (number, section)
        assert f"Vurdering: {SCORES[number - 1]} av 5" in " ".join(section)


def test_the_cooperation_tables_show_the_registered_body_and_actor(report):
    rows = report.chapter_rows("Samarbeid")
    assert "Boligforum – – – Nei" in rows  # name, no members, mandate or meetings; informal
    assert "Husbanken Husbanken – Nei" in rows


def test_the_allocation_table_shows_who_decides_and_on_what_criteria(report):
    rows = report.chapter_rows("Tildeling")
    assert "Startlån Tildelingsteamet Behov og økonomi. Ja" in rows
    assert "Bostøtte Ikke beskrevet" in rows


def test_the_three_biggest_gaps_are_the_lowest_scores_with_ties_by_factor_number(report):
    rows = report.chapter_rows("Sammendrag")
    start = rows.index("De tre største gapene") + 1
    gaps = [row for row in rows[start:] if re.match(r"^\d\. ", row)][:3]
    lowest = sorted(zip(SCORES, report.factors, strict=True), key=lambda p: (p[0], p[1][0]))[:3]
    # Three factors share score 2 (1, 2 and 4): the lower numbers (1 and 2) come first.
    assert [number for _score, (number, _name) in lowest] == [6, 1, 2]
    assert gaps == [
        f"{i}. {name} – {score} av 5. Utfordringer for {name}."
        for i, (score, (_number, name)) in enumerate(lowest, start=1)
    ]
