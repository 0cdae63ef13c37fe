"""The main findings in words: numbers up to twelve as words, what changed since last round."""

from __future__ import annotations

import pytest
from django.utils import translation

from reports.findings import main_findings, number_word
from reports.selectors import report_context
from tests.factories import analysis_of, open_year, score
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db


def test_numbers_up_to_twelve_are_words_in_bokmal_and_nynorsk():
    with translation.override("nb"):
        assert [number_word(n) for n in (2, 4, 7, 12, 13)] == ["to", "fire", "sju", "tolv", "13"]
    with translation.override("nn"):
        assert number_word(4) == "fire"


def test_the_findings_say_what_changed_since_the_last_round(analysis, rules):
    previous = analysis_of(open_year(2025), "1841")
    score(previous, [1, 2, 3, 2, 3, 2])
    fill(analysis, scores=(2, 2, 3, 3, 4, 1), with_users=False)
    with translation.override("nb"):
        text = " ".join(main_findings(report_context(analysis)))
    assert "Siden Foranalyse 2025 har tre faktorer gått opp, og én har gått ned." in text


def test_an_empty_analysis_says_it_has_not_scored_yet(analysis, rules):
    with translation.override("nn"):
        text = " ".join(main_findings(report_context(analysis)))
    assert "Kommunen har ikkje vurdert suksessfaktorane enno." in text


def test_names_are_joined_as_a_person_writes_them():
    from boligsosial.prose import join_names

    with translation.override("nb"):
        assert join_names([]) == ""
        assert join_names(["A"]) == "A"
        assert join_names(["A", "B"]) == "A og B"
        assert join_names(["A", "B", "C"]) == "A, B og C"
    with translation.override("en"):
        assert join_names(["A", "B", "C"]) == "A, B and C"


@pytest.mark.parametrize(
    "scores, sentence",
    [
        (
            [5, 5, 5, 5, 5, 4],
            "De største gapene opp til toppen av skalaen er i «Brukermedvirkning».",
        ),
        (
            [5, 5, 5, 5, 4, 4],
            "De største gapene opp til toppen av skalaen er i «Kompetanse» og «Brukermedvirkning».",
        ),
        (
            [2, 5, 5, 5, 4, 1],
            "De største gapene opp til toppen av skalaen er i «Brukermedvirkning», "
            "«Forankring og eierskap» og «Kompetanse».",
        ),
    ],
)
def test_the_gaps_read_as_one_two_or_three_names_each_in_quotation_marks(
    analysis, rules, scores, sentence
):
    """A factor's own "og" ("Forankring og eierskap") once made the list unreadable:
    "Brukermedvirkning, Forankring og eierskap og Overordnet strategi"."""
    score(analysis, scores)
    with translation.override("nb"):
        text = " ".join(main_findings(report_context(analysis)))
    assert sentence in text
