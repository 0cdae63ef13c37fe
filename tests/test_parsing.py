"""Numbers in query strings and forms are ASCII digits within the database's range
(boligsosial/parsing.py, issue 11)."""

import pytest

from boligsosial.parsing import MAX_BIG_INTEGER, parse_natural


@pytest.mark.parametrize(("text", "number"), [("0", 0), ("2026", 2026), ("007", 7)])
def test_ascii_digits_are_a_number(text, number):
    assert parse_natural(text) == number


@pytest.mark.parametrize(
    "text", [None, "", "²", "٣", "１２", "12a", " 12", "12 ", "-1", "+1", "1_000", "1.0", "\x00"]
)
def test_anything_else_is_no_number(text):
    assert parse_natural(text) is None


def test_a_number_beyond_the_database_or_the_maximum_is_no_number():
    assert parse_natural(str(MAX_BIG_INTEGER)) == MAX_BIG_INTEGER
    assert parse_natural(str(MAX_BIG_INTEGER + 1)) is None
    assert parse_natural("9" * 40) is None
    assert parse_natural("2101", maximum=2100) is None
