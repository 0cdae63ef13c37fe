import pytest

from analysis.privacy import (
    _W1,
    _W2,
    find_identity_numbers,
    find_named_cases,
    privacy_warnings,
)


def _with_check_digits(first_nine: str) -> str | None:
    """A synthetic number (not a real person) with correct check digits, if one exists."""
    n = [int(d) for d in first_nine]
    for weights in (_W1, _W2):
        k = (11 - sum(w * x for w, x in zip(weights, n, strict=True)) % 11) % 11
        if k == 10:
            return None
        n.append(k)
    return "".join(map(str, n))


@pytest.fixture
def fnr():
    return next(
        number
        for tail in range(100, 1000)
        if (number := _with_check_digits(f"010190{tail}")) is not None
    )


def test_a_number_passing_both_check_digits_is_found(fnr):
    assert find_identity_numbers(f"Gjelder {fnr} i saken") == [fnr]


def test_a_number_with_a_space_after_the_date_is_found(fnr):
    spaced = f"{fnr[:6]} {fnr[6:]}"
    assert find_identity_numbers(f"nr. {spaced}.") == [spaced]


def test_eleven_digits_with_a_wrong_check_digit_are_not_flagged(fnr):
    wrong = fnr[:10] + str((int(fnr[10]) + 1) % 10)
    assert find_identity_numbers(wrong) == []


def test_longer_digit_runs_such_as_account_numbers_are_not_flagged(fnr):
    assert find_identity_numbers(fnr + "7") == []


def test_a_full_name_with_a_case_detail_is_flagged():
    text = "Kari Nordmann har fått begjæring om utkastelse. Andre saker går fint."
    assert find_named_cases(text) == ["Kari Nordmann"]


def test_a_name_without_a_case_detail_is_not_flagged():
    assert find_named_cases("Møtet ledes av Per Hansen fra eiendom.") == []


def test_units_and_agencies_are_not_taken_for_people():
    assert find_named_cases("NAV Fauske og Husbanken Bodø gir startlån etter vedtak.") == []


def test_plain_service_facts_give_no_warning():
    text = "Kommunen har 120 kommunale boliger og 14 husstander i midlertidig bolig."
    assert privacy_warnings(text) == []
