"""The importer as pure functions on small files in every format and bad case."""

from pathlib import Path

import pytest

from analysis.importers import ImportError_, read_indicator_file

FILES = Path(__file__).resolve().parents[3] / "fixtures" / "imports"


def read(name, **kwargs):
    return read_indicator_file((FILES / name).read_bytes(), name, **kwargs)


def errors_of(name, **kwargs):
    with pytest.raises(ImportError_) as error:
        read(name, **kwargs)
    return " ".join(error.value.errors)


def test_ssb_wide_semicolon_file_with_region_labels_and_a_suppressed_cell():
    parsed = read("ssb-wide-semicolon.csv")
    frame = parsed.frame.set_index(["municipality", "year"])
    assert frame.loc[("1841", 2023), "value"] == pytest.approx(21.1)
    assert frame.loc[("1841", 2022), "label"] == "Kommunalt disponerte boliger per 1000 innbyggere"
    bodo = frame.loc[("1804", 2023)]
    assert bodo["value"] is None or bodo["value"] != bodo["value"]
    assert bodo["missing_reason"] == "suppressed"
    # the county row is a regional total, skipped and counted
    assert sum(parsed.skipped.values()) == 2


def test_long_file_with_code_column_and_decimal_points():
    frame = read("long-comma-point.csv", indicator_label="x").frame.set_index(
        ["municipality", "year"]
    )
    assert frame.loc[("1841", 2022), "value"] == pytest.approx(12.5)
    assert frame.loc[("1841", 2023), "missing_reason"] == "not_available"
    assert frame.loc[("0301", 2023), "value"] == pytest.approx(8.25)


def test_latin1_file_with_the_indicator_in_the_year_headers():
    frame = read("latin1-wide-header-label.csv").frame
    assert set(frame["label"]) == {"Startlån per 1000 innbyggere"}
    sortland = frame[(frame.municipality == "1870") & (frame.year == 2023)].iloc[0]
    assert sortland["missing_reason"] == "not_available"  # "-" is never read as zero


def test_a_lost_leading_zero_is_padded_and_reported():
    parsed = read("lost-leading-zero.csv", indicator_label="x")
    assert "0301" in set(parsed.frame["municipality"])
    assert parsed.warnings == ["Rad 2: kommunenummer 301 er lest som 0301."]


def test_excel_with_one_sheet():
    frame = read("one-sheet.xlsx", indicator_label="x").frame.set_index(["municipality", "year"])
    assert frame.loc[("1870", 2022), "value"] == pytest.approx(18.25)
    assert frame.loc[("1870", 2023), "missing_reason"] == "not_available"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("mixed-decimals.csv", "blander desimalpunktum og desimalkomma"),
        ("text-in-number.csv", "Rad 2, kolonne «2023»: «mange» er ikke et tall."),
        ("duplicate-rows.csv", "Rad 2, 3: kommune 1841 har ulike verdier for 2023"),
        ("empty.csv", "Filen er tom."),
        ("wrong-separator.csv", "skilletegnet skal være semikolon, komma eller tabulator"),
        ("several-sheets.xlsx", "Arbeidsboken har 2 ark med data"),
        ("not-excel.xlsx", "Filen heter .xlsx, men er ikke en Excel-arbeidsbok."),
    ],
)
def test_bad_files_are_refused_with_a_norwegian_reason(name, message):
    assert message in errors_of(name, indicator_label="x")


def test_a_zip_named_csv_is_refused():
    data = (FILES / "one-sheet.xlsx").read_bytes()
    with pytest.raises(ImportError_) as error:
        read_indicator_file(data, "figures.csv")
    assert "ikke en CSV-fil" in error.value.errors[0]
