"""The PDF's page flow with long, realistic answers, read back word by word with poppler:
nothing runs off the page, no heading is left at the foot of a page, and a table that runs
onto the next page brings its column headings along."""

import re
from html.parser import HTMLParser

import pytest

from reports.services import html_to_pdf, render_report_html
from tests.reports.conftest import LONG_PROJECT_NAME, answer, fill_long, filled_fauske, rolled_back
from tests.reports.pdf_layout import MARGIN_SIDE, pdf_pages

pytestmark = pytest.mark.django_db

ENDLESS_WORD = "boligsosialt" * 60


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.current: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"h1", "h2", "h3"}:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in {"h1", "h2", "h3"} and self.depth:
            self.depth -= 1
            self.found.append(re.sub(r"\s+", " ", "".join(self.current)).strip())
            self.current = []

    def handle_data(self, data):
        if self.depth:
            self.current.append(data)


def headings_of(html: str) -> list[str]:
    parser = _Headings()
    parser.feed(html)
    return [h for h in parser.found if h]


@pytest.fixture(scope="module")
def long_report(django_db_setup, django_db_blocker):
    """A long report, laid out once for the tests that read it."""
    with rolled_back(django_db_blocker):
        analysis = filled_fauske()
        fill_long(analysis)
        answer(analysis, "eksisterende-planer", ("Et langt svar. " * 300) + ENDLESS_WORD)
        html = render_report_html(analysis, for_pdf=True)
        return html, pdf_pages(html_to_pdf(html))


def test_every_word_stays_inside_the_page_margins(long_report):
    html, pages = long_report
    assert len(pages) > 12  # the long answers did make a long report
    outside = [
        (page.number, word.text, round(word.x_min), round(word.x_max))
        for page in pages
        for word in page.words
        # 1 pt of slack for rounding in poppler's boxes
        if word.x_min < MARGIN_SIDE - 1 or word.x_max > page.width - MARGIN_SIDE + 1
    ]
    assert outside == []
    text = "".join(w.text for page in pages for w in page.words)
    # The endless word and the long project name are there, wrapped, not cut off.
    assert ENDLESS_WORD in text
    assert LONG_PROJECT_NAME.split()[-1] in text


def test_no_heading_is_left_alone_at_the_foot_of_a_page(long_report):
    html, pages = long_report
    headings = headings_of(html)
    assert "Samarbeidsorganer" in headings and LONG_PROJECT_NAME in headings
    stranded = []
    for page in pages[:-1]:
        rows = page.body_rows
        last = rows[-1].text if rows else ""
        # The last line is a heading, or the end of one that wrapped.
        if any(last == h or (len(last) >= 12 and h.endswith(last)) for h in headings):
            stranded.append((page.number, last))
    assert stranded == []


def test_a_table_running_onto_the_next_page_repeats_its_column_headings(long_report):
    html, pages = long_report
    column_headings = ("Navn Medlemmer Mandat", "Aktør Type", "Virkemiddel Hvem")
    headings = headings_of(html)
    continued = [
        page
        for page in pages
        if page.running_header.endswith(("Samarbeid", "Tildeling"))
        and page.body_rows
        and not any(page.body_rows[0].text in h for h in headings)
    ]
    # 900 characters in each free-text cell: the tables do run over several pages.
    assert len(continued) >= 3
    for page in continued:
        assert page.body_rows[0].text.startswith(column_headings), (
            page.number,
            page.body_rows[0].text,
        )


def test_rows_with_long_free_text_break_instead_of_leaving_half_pages_empty(long_report):
    _html, pages = long_report
    cooperation = [p for p in pages if p.running_header.endswith("Samarbeid")]
    # A page the cooperation table runs onto is filled to the bottom, not cut short because
    # a whole row was pushed to the next page.
    for page in cooperation[:-1]:
        lowest = max(line.y_min for line in page.body_rows)
        assert lowest > page.height * 0.7, (page.number, lowest)
