"""An indicator's unit is said once: after the name, unless the name already says it
(issue 15: "… per 1000 innbyggere (per 1000 innbyggere)")."""

from keyfigures.models import Indicator


def test_a_name_that_says_its_unit_gets_no_unit_after_it():
    indicator = Indicator(name_nb="Kommunale boliger per 1000 innbyggere", unit="per_1000")
    assert indicator.unit_note == ""


def test_a_name_without_its_unit_gets_the_unit_after_it():
    indicator = Indicator(name_nb="Kommunale boliger", unit="per_1000")
    assert indicator.unit_note == "per 1000 innbyggere"
    assert Indicator(name_nb="Husstander i midlertidig botilbud", unit="count").unit_note == (
        "antall"
    )
