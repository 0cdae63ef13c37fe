"""Reading PxWebApi 2's JSON-stat 2.0 answers: no database, no network."""

import json
from decimal import Decimal

import pytest

from keyfigures.importers import ImportError_
from keyfigures.jsonstat import read_dataset, read_metadata
from tests.keyfigures.ssb.answers import PER_1000, REGION, dataset, metadata

REGIONS = {
    "1841": "Fauske - Fuossko",
    "1804": "Bodø",
    "EKA18": "Nordland - Nordlánnda",
    "EAK": "Landet",
    "EKG13": "Kostragruppe 13",
}


def rows(table):
    return {
        (kind, region, year): (value, reason)
        for kind, region, year, value, reason in table.frame[
            ["kind", "region", "year", "value", "missing_reason"]
        ].itertuples(index=False, name=None)
    }


def test_every_cell_is_read_with_its_region_kind_and_year():
    answer = dataset(
        regions=REGIONS,
        years=["2022", "2023"],
        cells={
            ("1841", "2022"): 20.5,
            ("1841", "2023"): 21,
            ("1804", "2022"): 18.2,
            ("1804", "2023"): ":",
            ("EKA18", "2022"): 19,
            ("EKA18", "2023"): 19.4,
            ("EAK", "2022"): 20,
            ("EAK", "2023"): 21,
            ("EKG13", "2022"): 17,
            ("EKG13", "2023"): 17.5,
        },
    )
    table = read_dataset(json.dumps(answer).encode(), table="12008", label="k")

    assert rows(table) == {
        ("municipality", "1841", 2022): (Decimal("20.5000"), ""),
        ("municipality", "1841", 2023): (Decimal("21.0000"), ""),
        ("municipality", "1804", 2022): (Decimal("18.2000"), ""),
        ("municipality", "1804", 2023): (None, "suppressed"),
        ("county", "18", 2022): (Decimal("19.0000"), ""),
        ("county", "18", 2023): (Decimal("19.4000"), ""),
        ("country", "", 2022): (Decimal("20.0000"), ""),
        ("country", "", 2023): (Decimal("21.0000"), ""),
        ("kostra_group", "EKG13", 2022): (Decimal("17.0000"), ""),
        ("kostra_group", "EKG13", 2023): (Decimal("17.5000"), ""),
    }
    assert set(table.frame["label"]) == {"k"}
    assert table.updated.isoformat() == "2025-06-16T06:00:00+00:00"
    assert not table.skipped


@pytest.mark.parametrize(
    ("symbol", "reason"),
    [
        (".", "not_applicable"),
        ("..", "not_available"),
        ("...", "not_yet_available"),
        (":", "suppressed"),
        ("-", "nil"),
    ],
)
def test_a_status_symbol_is_kept_as_the_reason_and_never_as_zero(symbol, reason):
    answer = dataset(regions={"1841": "Fauske"}, years=["2023"], cells={("1841", "2023"): symbol})
    assert rows(read_dataset(answer, table="12008", label="k")) == {
        ("municipality", "1841", 2023): (None, reason)
    }


def test_status_as_a_list_reads_like_status_by_position():
    answer = dataset(
        regions={"1841": "Fauske", "1804": "Bodø"},
        years=["2023"],
        cells={("1841", "2023"): "..", ("1804", "2023"): 0},
        sparse_status=False,
    )
    assert rows(read_dataset(answer, table="12008", label="k")) == {
        ("municipality", "1841", 2023): (None, "not_available"),
        ("municipality", "1804", 2023): (Decimal("0.0000"), ""),
    }


def test_a_cell_without_value_or_status_is_not_available():
    answer = dataset(regions={"1841": "Fauske"}, years=["2023"])
    assert rows(read_dataset(answer, table="12008", label="k")) == {
        ("municipality", "1841", 2023): (None, "not_available")
    }


def test_only_the_contents_asked_for_are_kept():
    answer = dataset(
        regions={"1841": "Fauske"},
        years=["2023"],
        contents={PER_1000: "per 1000", "KOSandre": "annet"},
        cells={("1841", PER_1000, "2023"): 20.5, ("1841", "KOSandre", "2023"): 99},
    )
    table = read_dataset(answer, table="12008", label="k", contents=PER_1000)
    assert rows(table) == {("municipality", "1841", 2023): (Decimal("20.5000"), "")}


def test_a_sparse_value_object_is_read_by_position():
    answer = dataset(regions={"1841": "Fauske", "1804": "Bodø"}, years=["2023"])
    answer["value"] = {"1": 18.2}
    assert rows(read_dataset(answer, table="12008", label="k")) == {
        ("municipality", "1841", 2023): (None, "not_available"),
        ("municipality", "1804", 2023): (Decimal("18.2000"), ""),
    }


def test_an_unknown_region_code_is_left_out_and_named():
    answer = dataset(
        regions={"1841": "Fauske", "XZ99": "Ukjent"},
        years=["2023"],
        cells={("1841", "2023"): 20.5, ("XZ99", "2023"): 3},
    )
    table = read_dataset(answer, table="12008", label="k")
    assert rows(table) == {("municipality", "1841", 2023): (Decimal("20.5000"), "")}
    [(reason, count)] = table.skipped.items()
    assert "XZ99" in reason and count == 1


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Service Unavailable</html>",
        b'{"version": "2.0", "class": "dataset"}',
        b"[1, 2]",
        json.dumps(
            {**dataset(regions={"1841": "Fauske"}, years=["2023"]), "value": [1, 2]}
        ).encode(),
    ],
)
def test_a_malformed_answer_is_refused_with_the_table_named(body):
    with pytest.raises(ImportError_) as refused:
        read_dataset(body, table="12008", label="k")
    assert "12008" in refused.value.errors[0]


def test_a_status_that_is_no_ssb_symbol_is_refused_with_the_cell():
    answer = dataset(regions={"1841": "Fauske"}, years=["2023"], cells={("1841", "2023"): "abc"})
    with pytest.raises(ImportError_, match="«abc»"):
        read_dataset(answer, table="12008", label="k")


def test_metadata_names_the_region_and_year_dimensions_and_counts_cells():
    meta = read_metadata(
        metadata(regions=REGIONS, years=["2021", "2022", "2023"], updated="2025-06-16T06:00:00Z"),
        table="12008",
    )
    assert (meta.region_dimension, meta.time_dimension, meta.contents_dimension) == (
        REGION,
        "Tid",
        "ContentsCode",
    )
    assert meta.codes["Tid"] == ["2021", "2022", "2023"]
    assert meta.cells({"ContentsCode": [PER_1000], "Tid": ["2023"]}) == 5
    assert meta.updated.year == 2025
