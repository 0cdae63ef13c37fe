"""The catalogue records what a fetch from SSB asks for, and says where it was not verified."""

import pytest

from keyfigures.models import Indicator

pytestmark = pytest.mark.django_db


def test_the_catalogue_records_the_verified_table_and_contents_code():
    indicator = Indicator.objects.get(code="kommunale-boliger-per-1000")
    assert (indicator.ssb_table_id, indicator.ssb_contents_code) == (
        "12008",
        "KOSboligSper10000000",
    )
    assert indicator.ssb_verified and indicator.can_be_fetched
    assert "KOSboligSper10000000" in indicator.ssb_note


def test_every_indicator_not_verified_says_why_and_cannot_be_fetched():
    unverified = Indicator.objects.filter(ssb_verified=False)
    assert unverified.count() == Indicator.objects.count() - 1
    for indicator in unverified:
        assert indicator.ssb_note, indicator.code
        assert not indicator.can_be_fetched


def test_the_pages_say_why_an_indicator_is_not_fetched_in_the_readers_language():
    """The catalogue's note is the keepers' record, in English; a page gives a reason in the
    reader's language: the publisher where the figure is not SSB's, else the missing check."""
    from django.utils import translation

    with translation.override("nn"):
        husbanken = Indicator.objects.get(code="startlan").why_not_fetched
        unverified = Indicator.objects.get(code="kommunale-boliger").why_not_fetched
    assert husbanken == "Publisert av Husbanken, ikkje i API-et til SSB: importer frå fil."
    assert "ikkje" in unverified and "SSB" in unverified
    assert Indicator.objects.get(code="kommunale-boliger-per-1000").why_not_fetched == ""
