"""`manage.py fetch_indicators` against a local PxWebApi 2 on loopback: values land cell by
cell with their provenance, SSB's troubles are survived or reported, and nothing is ever
written in part."""

import time
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from keyfigures.models import (
    FetchOutcome,
    FetchRun,
    Indicator,
    IndicatorAggregateValue,
    IndicatorValue,
)
from tests.keyfigures.ssb.answers import PER_1000
from tests.keyfigures.ssb.server import API, Table, Trouble

pytestmark = pytest.mark.django_db

CODE = "kommunale-boliger-per-1000"
COUNT_CODE = "KOSbolig0000000000"  # a second contents code of the local table's own
DATA = f"{API}/tables/12008/data"

REGIONS = {
    "1841": "Fauske - Fuossko",
    "1804": "Bodø",
    "1824": "Vefsn",
    "1850": "Tysfjord (-2019)",  # a municipality number that does not exist now
    "EKA18": "Nordland - Nordlánnda",
    "EAK": "Landet",
    "EKG13": "Kostragruppe 13",
    "XZ99": "A code the app does not know",
}
CELLS = {
    ("1841", "2022"): 20.5,
    ("1841", "2023"): 21.1,
    ("1804", "2022"): 18.2,
    ("1804", "2023"): ":",
    ("1824", "2022"): "-",
    ("1824", "2023"): 0,
    ("1850", "2022"): 30,
    ("EKA18", "2022"): 19,
    ("EKA18", "2023"): "..",
    ("EAK", "2022"): 20,
    ("EAK", "2023"): 21,
    ("EKG13", "2022"): 17,
    ("XZ99", "2022"): 5,
}


def table(**changes) -> Table:
    return Table(**{"regions": REGIONS, "years": ["2022", "2023"], "cells": dict(CELLS), **changes})


@pytest.fixture
def ssb(ssb_server):
    ssb_server.tables["12008"] = table()
    return ssb_server


def fetch(*args) -> str:
    out = StringIO()
    call_command("fetch_indicators", *args, stdout=out)
    return out.getvalue()


def municipal_values() -> dict:
    return {
        (v.municipality.number, v.year): (v.value, v.missing_reason)
        for v in IndicatorValue.objects.filter(indicator__code=CODE).select_related("municipality")
    }


def official_values() -> dict:
    return {
        (
            v.county.number if v.county else (v.kostra_group.code if v.kostra_group else ""),
            v.year,
        ): (v.value, v.missing_reason)
        for v in IndicatorAggregateValue.objects.filter(indicator__code=CODE).select_related(
            "county", "kostra_group"
        )
    }


EXPECTED_MUNICIPAL = {
    ("1841", 2022): (Decimal("20.5"), ""),
    ("1841", 2023): (Decimal("21.1"), ""),
    ("1804", 2022): (Decimal("18.2"), ""),
    ("1804", 2023): (None, "suppressed"),
    ("1824", 2022): (None, "nil"),
    ("1824", 2023): (Decimal("0"), ""),
}
EXPECTED_OFFICIAL = {
    ("18", 2022): (Decimal("19"), ""),
    ("18", 2023): (None, "not_available"),
    ("", 2022): (Decimal("20"), ""),
    ("", 2023): (Decimal("21"), ""),
    ("EKG13", 2022): (Decimal("17"), ""),
    ("EKG13", 2023): (None, "not_available"),
}


def test_fetch_stores_every_cell_with_its_table_update_time_and_fetch_time(ssb):
    output = fetch()

    assert municipal_values() == EXPECTED_MUNICIPAL
    assert official_values() == EXPECTED_OFFICIAL
    for value in IndicatorValue.objects.filter(indicator__code=CODE):
        assert value.source_table == "12008"
        assert value.source_updated.isoformat() == "2025-06-16T06:00:00+00:00"
        assert value.fetched_at is not None
    indicator = Indicator.objects.get(code=CODE)
    assert indicator.ssb_updated.isoformat() == "2025-06-16T06:00:00+00:00"
    assert indicator.ssb_fetched_at is not None
    run = FetchRun.objects.get()
    assert run.outcome == FetchOutcome.CHANGED and run.via == "command"
    assert run.counts["created"] == 6 and run.counts["aggregates_created"] == 6
    # The gone municipality and the unknown code are reported, not stored.
    assert "1850" in output and "XZ99" in output
    # Indicators whose table is not verified are skipped with a message.
    assert "kommunale-boliger)" in output


def test_the_query_asks_for_the_contents_and_years_and_every_region(ssb):
    fetch("--from-year", "2023")

    [query] = ssb.data_requests()
    assert "outputFormat=json-stat2" in query and "lang=no" in query
    assert f"valueCodes[ContentsCode]={PER_1000}" in query
    assert "valueCodes[Tid]=2023" in query
    assert "valueCodes[KOKkommuneregion0000]=*" in query
    assert set(municipal_values()) == {("1841", 2023), ("1804", 2023), ("1824", 2023)}


def test_a_second_fetch_with_nothing_new_changes_nothing_and_says_so(ssb):
    fetch()
    before = {v.pk: (v.value, v.fetched_at, v.imported_at) for v in IndicatorValue.objects.all()}

    output = fetch()

    assert {
        v.pk: (v.value, v.fetched_at, v.imported_at) for v in IndicatorValue.objects.all()
    } == before
    assert "Ingenting nytt fra SSB" in output
    assert FetchRun.objects.first().outcome == FetchOutcome.NOTHING_NEW


def test_a_table_updated_since_the_last_fetch_brings_its_new_values_and_update_time(ssb):
    fetch()
    ssb.tables["12008"] = table(
        updated="2026-06-15T06:00:00Z", cells={**CELLS, ("1804", "2023"): 19.0}
    )

    fetch()

    assert municipal_values()[("1804", 2023)] == (Decimal("19"), "")
    assert municipal_values()[("1841", 2022)] == (Decimal("20.5"), "")
    assert {v.source_updated.year for v in IndicatorValue.objects.filter(indicator__code=CODE)} == {
        2026
    }
    assert FetchRun.objects.first().outcome == FetchOutcome.CHANGED


def test_a_dry_run_fetches_and_counts_but_writes_nothing(ssb):
    output = fetch("--dry-run")

    assert not IndicatorValue.objects.exists()
    assert "Opprettet: 6" in output
    assert FetchRun.objects.get().outcome == FetchOutcome.DRY_RUN


def test_a_429_is_answered_by_waiting_as_long_as_ssb_asks_then_the_fetch_succeeds(ssb):
    ssb.trouble(DATA, Trouble(status=429, headers={"Retry-After": "1"}))

    fetch()

    first, second = [t for t, path in ssb.requests if "/data?" in path]
    assert second - first >= 1.0
    assert municipal_values() == EXPECTED_MUNICIPAL


def test_a_503_and_a_timeout_are_retried(ssb, settings):
    settings.SSB_TIMEOUT_SECONDS = 0.3
    ssb.trouble(DATA, Trouble(status=503), Trouble(delay=1.0, body=b"{}"))

    fetch()

    assert len(ssb.data_requests()) == 3
    assert municipal_values() == EXPECTED_MUNICIPAL


def test_ssb_failing_every_attempt_writes_nothing_and_says_what_failed(ssb, settings):
    settings.SSB_RETRIES = 2
    ssb.trouble(DATA, *[Trouble(status=503)] * 3)

    with pytest.raises(CommandError) as failed:
        fetch()

    assert "12008" in str(failed.value) and "503" in str(failed.value)
    assert "3 forsøk" in str(failed.value)
    assert not IndicatorValue.objects.exists()
    run = FetchRun.objects.get()
    assert run.outcome == FetchOutcome.FAILED and "503" in run.error


def test_a_timeout_on_every_attempt_says_ssb_did_not_answer(ssb, settings):
    settings.SSB_RETRIES = 1
    settings.SSB_TIMEOUT_SECONDS = 0.2
    ssb.trouble(DATA, *[Trouble(delay=0.6, body=b"{}")] * 2)

    with pytest.raises(CommandError, match="svarte ikke innen 0.2 sekunder"):
        fetch()
    assert not IndicatorValue.objects.exists()


def test_an_unreachable_ssb_is_named_in_norwegian(settings, db):
    settings.SSB_API_URL = "http://127.0.0.1:9/api/pxwebapi/v2"  # discard port: nobody listens
    settings.SSB_RETRIES = 0

    with pytest.raises(CommandError, match="kunne ikke koble til 127.0.0.1:9"):
        fetch()
    assert FetchRun.objects.get().outcome == FetchOutcome.FAILED


def test_a_malformed_answer_for_one_indicator_writes_none_of_the_others(ssb):
    # A second verified indicator from the same table: the fetch's two indicators land
    # together or not at all.
    Indicator.objects.filter(code="kommunale-boliger").update(
        ssb_contents_code=COUNT_CODE, ssb_verified=True
    )
    ssb.tables["12008"] = table(contents={PER_1000: "per 1000", COUNT_CODE: "i alt"})
    ssb.trouble(DATA, Trouble(), Trouble(body=b'{"version": "2.0", "value": [1'))

    with pytest.raises(CommandError, match="12008"):
        fetch()

    # The first indicator's answer was read and good; nothing of it was written.
    assert len(ssb.data_requests()) == 2
    assert not IndicatorValue.objects.exists()
    assert not IndicatorAggregateValue.objects.exists()


def test_a_contents_code_the_table_does_not_have_stops_the_fetch(ssb):
    Indicator.objects.filter(code=CODE).update(ssb_contents_code="KOSfinnesikke")

    with pytest.raises(CommandError, match="KOSfinnesikke"):
        fetch()
    assert not ssb.data_requests()


def test_an_unverified_indicator_asked_for_by_name_is_refused_with_the_reason(ssb):
    with pytest.raises(CommandError, match="ikke verifisert"):
        fetch("--indicator", "kommunale-boliger")
    assert not ssb.requests


def test_large_queries_are_split_by_region_under_the_cell_limit(ssb, settings):
    settings.SSB_MAX_CELLS = 4  # two years: two regions a query

    fetch()

    assert len(ssb.data_requests()) == 4  # eight regions
    assert municipal_values() == EXPECTED_MUNICIPAL
    assert official_values() == EXPECTED_OFFICIAL


def test_queries_are_paced_to_the_limit_per_minute(ssb, settings):
    settings.SSB_QUERIES_PER_MINUTE = 600  # one every 0.1 s
    settings.SSB_MAX_CELLS = 4

    started = time.monotonic()
    fetch()

    assert len(ssb.requests) == 5  # the metadata and four data queries
    # Four waits of 0.1 s between five queries, whatever else the machine is doing.
    assert time.monotonic() - started >= 0.4


def test_a_file_import_after_a_fetch_keeps_the_fetched_values_it_does_not_change(ssb, tmp_path):
    fetch()
    path = tmp_path / "12008.csv"
    path.write_text(
        '"region";"statistikkvariabel";"2022"\n'
        '"1841 Fauske";"Kommunalt disponerte boliger per 1000 innbyggere";"20,5"\n'
        '"1804 Bodø";"Kommunalt disponerte boliger per 1000 innbyggere";"18,9"\n',
        encoding="utf-8",
    )
    call_command("import_indicators", str(path), stdout=StringIO())

    fauske = IndicatorValue.objects.get(
        indicator__code=CODE, municipality__number="1841", year=2022
    )
    bodo = IndicatorValue.objects.get(indicator__code=CODE, municipality__number="1804", year=2022)
    assert fauske.source_table == "12008"
    assert (bodo.value, bodo.source_table, bodo.source_file) == (Decimal("18.9"), "", "12008.csv")


def test_the_pace_is_shared_by_every_process_through_the_cache(monkeypatch):
    # Four clients that share nothing but the cache (as a web server and a worker share
    # Redis): with one query per half-second window, four queries span three more windows.
    from django.core.cache import cache

    from keyfigures import ssb as client

    cache.clear()
    monkeypatch.setattr(client, "PACE_WINDOW_SECONDS", 0.5)
    started = time.monotonic()
    for _process in range(4):
        client._Pace().wait("data.ssb.no", per_minute=120)  # one a window of 0.5 s
    assert time.monotonic() - started >= 1.0
