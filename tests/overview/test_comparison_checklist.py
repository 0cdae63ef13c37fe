"""The municipalities to compare are listed by name, in Norwegian alphabetical order, not by
number (issue 15)."""

from overview.forms import ProfileComparisonForm
from reference.models import Municipality


def test_the_checklist_is_ordered_by_name_the_norwegian_way():
    municipalities = [
        Municipality(number="1804", name="Bodø"),
        Municipality(number="1841", name="Fauske"),
        Municipality(number="1815", name="Vega"),
        Municipality(number="1820", name="Alstahaug"),
        Municipality(number="1870", name="Åfjord"),
    ]
    form = ProfileComparisonForm(municipalities=municipalities)
    assert [name for _number, name in form.fields["kommune"].choices] == [
        "Alstahaug",
        "Bodø",
        "Fauske",
        "Vega",
        "Åfjord",
    ]
