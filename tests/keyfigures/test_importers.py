"""The importer as pure functions on small files in every format and bad case
(fixtures/imports/). No database."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from keyfigures.importers import (
    XLSX_MAX_ENTRIES,
    ImportError_,
    classify_region,
    parse_number,
    read_indicator_file,
)

FILES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


def read(name, **kwargs):
    return read_indicator_file((FILES / name).read_bytes(), name, **kwargs)


def errors_of(name, **kwargs):
    with pytest.raises(ImportError_) as error:
        read(name, **kwargs)
    return error.value.errors


def cell(parsed, region, year, kind="municipality"):
    frame = parsed.frame
    rows = frame[(frame.kind == kind) & (frame.region == region) & (frame.year == year)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_ssb_wide_semicolon_file_with_region_labels_and_a_suppressed_cell():
    parsed = read("ssb-wide-semicolon.csv")
    assert cell(parsed, "1841", 2023)["value"] == Decimal("21.1")
    assert cell(parsed, "1841", 2022)["label"] == "Kommunalt disponerte boliger per 1000 innbyggere"
    bodo = cell(parsed, "1804", 2023)
    assert (bodo["value"], bodo["missing_reason"]) == (None, "suppressed")
    # The county row is kept as an official figure, not thrown away.
    assert cell(parsed, "18", 2023, kind="county")["value"] == Decimal("19.4")


def test_long_file_with_code_column_and_decimal_points():
    parsed = read("long-comma-point.csv", indicator_label="x")
    assert cell(parsed, "1841", 2022)["value"] == Decimal("12.5")
    assert cell(parsed, "1841", 2023)["missing_reason"] == "not_available"
    assert cell(parsed, "0301", 2023)["value"] == Decimal("8.25")


def test_latin1_file_with_the_indicator_in_the_year_headers_and_a_dash_kept_as_nil():
    parsed = read("latin1-wide-header-label.csv")
    assert set(parsed.frame["label"]) == {"Startlån per 1000 innbyggere"}
    sortland = cell(parsed, "1870", 2023)
    # SSB's "-" is nil: kept as missing with its own reason, never read as zero.
    assert (sortland["value"], sortland["missing_reason"]) == (None, "nil")


def test_cp1252_file_with_comma_separators_and_quoted_decimal_commas():
    parsed = read("cp1252-comma.csv")
    assert set(parsed.frame["label"]) == {"Startlån per 1000 innbyggere"}
    assert cell(parsed, "1841", 2023)["value"] == Decimal("2.5")
    assert cell(parsed, "1866", 2023)["value"] == Decimal("3.0")


def test_utf8_file_with_a_byte_order_mark_comma_separators_and_years_as_rows():
    parsed = read("utf8-bom-comma-long.csv")
    assert list(parsed.frame.columns[:2]) == ["row", "column"]
    assert cell(parsed, "1866", 2022)["value"] == Decimal("3.25")
    assert set(parsed.frame["label"]) == {"Startlån per 1000 innbyggere"}


def test_ssb_download_with_heading_and_kostra_aggregates():
    parsed = read("ssb-with-heading-kostra.csv")
    # The title line and the blank line above the header are skipped; rows keep file lines.
    assert cell(parsed, "1804", 2023)["row"] == 9
    assert cell(parsed, "", 2023, kind="country")["value"] == Decimal("115583")
    nordland = cell(parsed, "18", 2023, kind="county")
    assert (nordland["value"], nordland["missing_reason"]) == (None, "not_yet_available")
    fauske_2022, fauske_2023 = cell(parsed, "1841", 2022), cell(parsed, "1841", 2023)
    assert fauske_2022["missing_reason"] == "nil" and fauske_2022["value"] is None
    assert fauske_2023["missing_reason"] == "not_yet_available"
    # The KOSTRA group is kept like the county and the country.
    group = cell(parsed, "EKG13", 2023, kind="kostra_group")
    assert group["value"] == Decimal("41000")
    # EAKUO (two years) and the Oslo city district: skipped and counted.
    assert parsed.skipped == {
        "aggregater som verken er kommuner eller KOSTRA-grupper": 2,
        "bydeler, som ikke er kommuner": 2,
    }


def test_excel_with_one_sheet():
    parsed = read("one-sheet.xlsx", indicator_label="x")
    assert cell(parsed, "1870", 2022)["value"] == Decimal("18.25")
    assert cell(parsed, "1870", 2023)["missing_reason"] == "not_available"


def test_excel_with_a_title_row_above_the_header():
    parsed = read("xlsx-with-title.xlsx")
    assert cell(parsed, "1841", 2023)["value"] == Decimal("21.1")
    assert cell(parsed, "1841", 2023)["row"] == 4  # Excel's own row number
    assert cell(parsed, "18", 2023, kind="county")["missing_reason"] == "suppressed"
    assert cell(parsed, "", 2022, kind="country")["value"] == Decimal("20")


def test_excel_in_long_format_with_a_name_column():
    parsed = read("xlsx-long.xlsx")
    assert cell(parsed, "1841", 2022)["value"] == Decimal("7")
    assert cell(parsed, "1841", 2023)["missing_reason"] == "not_available"
    assert cell(parsed, "0301", 2023)["value"] == Decimal("812")
    assert set(parsed.frame["label"]) == {"Husstander i midlertidige botilbud, i alt"}


def test_a_lost_leading_zero_is_padded_and_reported():
    parsed = read("lost-leading-zero.csv", indicator_label="x")
    assert cell(parsed, "0301", 2023)["value"] == Decimal("8.1")
    assert parsed.warnings == ["Rad 2: kommunenummer 301 er lest som 0301."]


def test_grouped_thousands_negative_numbers_and_zero_are_numbers():
    parsed = read("grouped-and-negative.csv", indicator_label="x")
    assert cell(parsed, "1841", 2023)["value"] == Decimal("1234.5")
    assert cell(parsed, "1804", 2023)["value"] == Decimal("-12.25")
    assert cell(parsed, "1866", 2023)["value"] == Decimal("0")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("text-in-number.csv", "Rad 2, kolonne «2023»: «mange» er ikke et tall."),
        ("duplicate-rows.csv", "Rad 2, 3: kommune 1841 har ulike verdier for 2023"),
        ("empty.csv", "Filen er tom."),
        ("wrong-separator.csv", "skilletegnet skal være semikolon, komma eller tabulator"),
        ("several-sheets.xlsx", "Arbeidsboken har 2 ark med data"),
        ("not-excel.xlsx", "Filen heter .xlsx, men er ikke en Excel-arbeidsbok."),
        ("not-text.csv", "Filen er ikke en tekstfil (CSV)"),
    ],
)
def test_bad_files_are_refused_with_a_norwegian_reason(name, message):
    assert message in " ".join(errors_of(name, indicator_label="x"))


def test_a_comma_file_with_bare_decimal_commas_is_refused_row_by_row():
    # `1841 Fauske,2,5,3,1` has five fields under a header of three: pandas used to take the
    # extra fields as an index, skip every row and report success.
    errors = errors_of("comma-unquoted-decimals.csv", indicator_label="x")
    assert errors[0] == (
        "Rad 2 har 5 felt, men overskriften (rad 1) har 3. Kontroller skilletegnet: i en "
        "kommaseparert fil må desimalkomma stå i anførselstegn."
    )
    assert errors[1].startswith("Rad 3 har 5 felt")


@pytest.mark.parametrize("name", ["mixed-decimals.csv", "mixed-decimals-across-columns.csv"])
def test_decimal_points_and_commas_in_one_file_are_refused(name):
    (error,) = errors_of(name, indicator_label="x")
    assert error.startswith("Filen blander desimalpunktum og desimalkomma")
    assert "«2.5»" in error or "«3.5»" in error


def test_nan_infinity_exponents_underscores_overflow_and_point_thousands_are_refused():
    errors = errors_of("nan-inf-overflow.csv", indicator_label="x")
    assert errors == [
        "Rad 2, kolonne «2023»: «nan» er ikke et tall.",
        "Rad 3, kolonne «2023»: «inf» er ikke et tall.",
        "Rad 4, kolonne «2023»: «1e20» er ikke et tall.",
        "Rad 5, kolonne «2023»: «1_000» er ikke et tall.",
        "Rad 6, kolonne «2023»: «99999999999999» er for stort (grensen er 1 000 000 000 000).",
        "Rad 7, kolonne «2023»: «1.234.567» er ikke et tall.",
    ]


def test_a_zip_named_csv_is_refused():
    data = (FILES / "one-sheet.xlsx").read_bytes()
    with pytest.raises(ImportError_) as error:
        read_indicator_file(data, "figures.csv")
    assert "ikke en CSV-fil" in error.value.errors[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", (Decimal("12"), "")),
        ("12,5", (Decimal("12.5"), ",")),
        ("12.5", (Decimal("12.5"), ".")),
        ("1 234 567,25", (Decimal("1234567.25"), ",")),
        ("1\u00a0234", (Decimal("1234"), "")),
        ("\u22123,5", (Decimal("-3.5"), ",")),
        ("NaN", None),
        ("-inf", None),
        ("1e3", None),
        ("1_000", None),
        ("12 34", None),
        ("1,234.5", None),
        ("", None),
    ],
)
def test_only_plain_numbers_are_numbers(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("1841 Fauske - Fuossko", ("municipality", "1841")),
        ("K-1841 Fauske", ("municipality", "1841")),
        ("301 Oslo", ("municipality", "0301")),
        ("18 Nordland - Nordlánnda", ("county", "18")),
        ("EKA18 Nordland", ("county", "18")),
        ("0 Hele landet", ("country", "")),
        ("EAK Landet", ("country", "")),
        ("Hele landet", ("country", "")),
        ("Fauske", None),
    ],
)
def test_region_labels_are_read_by_their_codes(label, expected):
    assert classify_region(label) == expected


@pytest.mark.parametrize("label", ["EAKUO Landet uten Oslo", "030101 Gamle Oslo"])
def test_other_aggregates_and_city_districts_are_skipped_not_refused(label):
    kind, _reason = classify_region(label)
    assert kind is None


@pytest.mark.parametrize(
    ("label", "code"), [("EKG13 Kostragruppe 13", "EKG13"), ("EKG1", "EKG01"), ("EKG05", "EKG05")]
)
def test_kostra_groups_are_read_by_their_code(label, code):
    assert classify_region(label) == ("kostra_group", code)


def workbook_with(extra: dict[str, bytes]) -> bytes:
    """one-sheet.xlsx, which reads fine, with more parts added to its archive."""
    buffer = io.BytesIO((FILES / "one-sheet.xlsx").read_bytes())
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in extra.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    # 64 MB of zeros deflate to about 64 kB: a thousand times the file's size.
    return workbook_with({"xl/media/padding.bin": bytes(64 * 1024 * 1024)})


def test_the_workbook_used_for_the_bombs_reads_fine_without_them():
    assert len(read_indicator_file(workbook_with({}), "tall.xlsx", indicator_label="x").frame)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    data = zip_bomb()
    assert len(data) < 200 * 1024
    with pytest.raises(ImportError_) as error:
        read_indicator_file(data, "tall.xlsx", indicator_label="x")
    (message,) = error.value.errors
    assert message.startswith("Excel-filen ville pakket seg ut til 64 MB fra")
    assert "zip-bombe" in message


def test_a_workbook_with_too_many_parts_is_refused():
    data = workbook_with({f"xl/extra/{n}.xml": b"<x/>" for n in range(XLSX_MAX_ENTRIES)})
    with pytest.raises(ImportError_) as error:
        read_indicator_file(data, "tall.xlsx", indicator_label="x")
    (message,) = error.value.errors
    assert message.startswith(f"Excel-filen har {XLSX_MAX_ENTRIES + 9} deler")
