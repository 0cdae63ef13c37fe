"""Reading statistics files as official statistics publish them: pure functions from bytes to
a tidy table, with every problem reported in Norwegian with its row and column. No database.

What is read:
- CSV with `;`, `,` or tab separators, `,` or `.` decimals, UTF-8 (with or without BOM) or
  Latin-1/cp1252; lines starting with `#` are comments. Excel .xlsx with one sheet.
- Regions as labels (`1841 Fauske - Fuossko`, `K-1841 Fauske`) or a code column of their own
  (`kommunenummer`, `region`, `kode`).
- Years as columns (wide: `2022`, `Kommunalt disponerte boliger 2023`) or as rows (long: a
  column `år`/`tid`/`year` and a value column `verdi`/`value`).
- The indicator from a column (`statistikkvariabel`, `indikator`, `contents`), from the text
  around the year in a wide header, or given by the caller.

Missing cells are kept as missing with their reason, never as zero (SSB's symbols):
`:` suppressed (too few to publish), `.` not applicable, `..` and `-` and an empty cell not
available.

Municipality numbers: a number with three digits (`301`) is a four-digit number whose
leading zero was lost, typically by Excel; it is padded (`0301`) and the import report says
so for each one. Two-digit numbers (counties) and `0` (the whole country) are regional
totals, not municipalities: those rows are skipped and counted in the report.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

MISSING = {":": "suppressed", ".": "not_applicable", "..": "not_available", "-": "not_available"}
YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")
REGION = re.compile(r"^\s*(?:K-)?(\d{1,4})(?=\D|$)")
CODE_COLUMNS = {"kommunenummer", "kommunenr", "knr", "region", "kode", "regionkode", "code"}
YEAR_COLUMNS = {"år", "aar", "tid", "year", "årgang"}
VALUE_COLUMNS = {"verdi", "value", "tall", "antall"}
LABEL_COLUMNS = {"statistikkvariabel", "indikator", "contents", "variabel", "indicator"}
XLSX_MAGIC = b"PK\x03\x04"


class ImportError_(Exception):
    """The file cannot be imported; `errors` says why, row by row."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class ParsedFile:
    frame: pd.DataFrame  # row, column, municipality, year, label, value, missing_reason
    warnings: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    rows_read: int = 0


def read_table(data: bytes, filename: str) -> pd.DataFrame:
    """Bytes → a DataFrame of text cells, refusing a file that is not what its name says."""
    if not data.strip():
        raise ImportError_([_("The file is empty.")])
    is_zip = data[:4] == XLSX_MAGIC
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not is_zip:
            raise ImportError_([_("The file is called .xlsx but is not an Excel workbook.")])
        return _read_xlsx(data)
    if is_zip:
        raise ImportError_(
            [_("The file looks like an Excel workbook or a zip archive, not a CSV file.")]
        )
    if name.endswith(".xls"):
        raise ImportError_([_("Old Excel files (.xls) are not supported; save as .xlsx or CSV.")])
    return _read_csv(data)


def _read_xlsx(data: bytes) -> pd.DataFrame:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, header=0)
    except (zipfile.BadZipFile, ValueError, KeyError) as error:
        raise ImportError_(
            [_("The Excel file could not be read: %(error)s") % {"error": error}]
        ) from None
    sheets = {k: v for k, v in sheets.items() if not v.dropna(how="all").empty}
    if len(sheets) != 1:
        raise ImportError_(
            [
                _(
                    "The workbook has %(n)s sheets with data (%(names)s). Keep only the sheet "
                    "with the figures and import again."
                )
                % {"n": len(sheets), "names": ", ".join(sheets)}
            ]
        )
    (frame,) = sheets.values()
    return frame.fillna("")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes) -> pd.DataFrame:
    text = _decode(data)
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        raise ImportError_([_("The file is empty.")])
    sample = "\n".join(lines[:20])
    try:
        separator = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        separator = max(";,\t", key=lines[0].count)
    header = next(csv.reader([lines[0]], delimiter=separator))
    if len(header) < 2:
        raise ImportError_(
            [_("Could not find the columns: the separator should be a semicolon, comma or tab.")]
        )
    frame = pd.read_csv(
        io.StringIO("\n".join(lines)),
        sep=separator,
        dtype=str,
        keep_default_na=False,
        skipinitialspace=True,
    )
    return frame


def _norm(header: str) -> str:
    return str(header).strip().strip('"').lower()


def _find(columns, names: set[str]) -> str | None:
    return next((c for c in columns if _norm(c) in names), None)


def parse_number(text: str, decimal: str) -> float:
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if decimal == ",":
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    return float(cleaned)


def _decimal_of(values: list[tuple[str, int]], column: str) -> tuple[str, list[str]]:
    """Which decimal mark a column uses; mixing both in one column is an error."""
    comma = [(v, r) for v, r in values if re.fullmatch(r"-?[\d\s\u00a0]*\d,\d+", v)]
    point = [(v, r) for v, r in values if re.fullmatch(r"-?\d+\.\d+", v)]
    if comma and point:
        value, row = point[0] if len(point) <= len(comma) else comma[0]
        return ",", [
            _(
                "Row %(row)s, column “%(column)s”: “%(value)s” mixes decimal points and "
                "decimal commas in the same column."
            )
            % {"row": row, "column": column, "value": value}
        ]
    return ("," if comma or not point else "."), []


def tidy(frame: pd.DataFrame, *, indicator_label: str | None = None) -> ParsedFile:
    """A raw table (wide or long) → one row per municipality, year and indicator."""
    columns = list(frame.columns)
    code_col = _find(columns, CODE_COLUMNS)
    year_col = _find(columns, YEAR_COLUMNS)
    value_col = _find(columns, VALUE_COLUMNS)
    label_col = _find(columns, LABEL_COLUMNS)
    region_col = code_col or next(
        (c for c in columns if frame[c].astype(str).str.match(REGION).mean() > 0.8), None
    )
    if region_col is None:
        raise ImportError_(
            [_("No column with municipality numbers or labels such as “1841 Fauske” was found.")]
        )
    cells: list[tuple[int, str, str, int, str, str]] = []  # row, column, region, year, label, raw
    errors: list[str] = []
    if year_col and value_col:
        for i, record in enumerate(frame.to_dict("records"), start=2):
            year_text = str(record[year_col]).strip()
            match = YEAR.search(year_text)
            if not match:
                errors.append(
                    _("Row %(row)s, column “%(column)s”: “%(value)s” is not a year.")
                    % {"row": i, "column": year_col, "value": year_text}
                )
                continue
            label = str(record[label_col]).strip() if label_col else (indicator_label or "")
            cells.append(
                (
                    i,
                    value_col,
                    str(record[region_col]),
                    int(match.group(1)),
                    label,
                    str(record[value_col]).strip(),
                )
            )
    else:
        year_columns = {c: YEAR.search(str(c)) for c in columns if c not in {region_col, label_col}}
        year_columns = {c: m for c, m in year_columns.items() if m}
        if not year_columns:
            raise ImportError_(
                [_("No years were found: neither a year column nor columns named by year.")]
            )
        for i, record in enumerate(frame.to_dict("records"), start=2):
            for column, match in year_columns.items():
                header_label = re.sub(r"\s+", " ", YEAR.sub("", str(column))).strip(" ,:;-")
                label = (
                    str(record[label_col]).strip()
                    if label_col
                    else (header_label or indicator_label or "")
                )
                cells.append(
                    (
                        i,
                        str(column),
                        str(record[region_col]),
                        int(match.group(1)),
                        label,
                        str(record[column]).strip(),
                    )
                )
    if not cells:
        raise ImportError_([_("The file has a header but no rows of figures.")])

    by_column: dict[str, list[tuple[str, int]]] = {}
    for row, column, _region, _year, _label, raw in cells:
        if raw and raw not in MISSING:
            by_column.setdefault(column, []).append((raw, row))
    decimals = {}
    for column, values in by_column.items():
        decimals[column], problems = _decimal_of(values, column)
        errors += problems

    parsed, warnings, skipped = [], [], {}
    padded: set[str] = set()
    for row, column, region, year, label, raw in cells:
        match = REGION.match(region)
        if not match:
            errors.append(
                _("Row %(row)s: “%(value)s” is not a municipality number or label.")
                % {"row": row, "value": region}
            )
            continue
        number = match.group(1)
        if len(number) <= 2:
            key = _("regional totals (counties and the whole country)")
            skipped[key] = skipped.get(key, 0) + 1
            continue
        if len(number) == 3:
            if number not in padded:
                warnings.append(
                    _("Row %(row)s: municipality number %(number)s read as %(padded)s.")
                    % {"row": row, "number": number, "padded": number.zfill(4)}
                )
                padded.add(number)
            number = number.zfill(4)
        value, reason = None, ""
        if raw == "" or raw in MISSING:
            reason = MISSING.get(raw, "not_available")
        else:
            try:
                value = parse_number(raw, decimals[column])
            except ValueError:
                errors.append(
                    _("Row %(row)s, column “%(column)s”: “%(value)s” is not a number.")
                    % {"row": row, "column": column, "value": raw}
                )
                continue
        parsed.append((row, column, number, year, label, value, reason))
    result = pd.DataFrame(
        parsed,
        columns=["row", "column", "municipality", "year", "label", "value", "missing_reason"],
    )
    duplicates = result[result.duplicated(["municipality", "year", "label"], keep=False)]
    for (municipality, year, label), group in duplicates.groupby(["municipality", "year", "label"]):
        if group["value"].nunique(dropna=False) > 1 or group["missing_reason"].nunique() > 1:
            errors.append(
                _(
                    "Rows %(rows)s: municipality %(number)s has different values for %(year)s "
                    "(%(label)s)."
                )
                % {
                    "rows": ", ".join(str(r) for r in group["row"]),
                    "number": municipality,
                    "year": year,
                    "label": label or "–",
                }
            )
    if errors:
        raise ImportError_(errors)
    result = result.drop_duplicates(["municipality", "year", "label"])
    return ParsedFile(frame=result, warnings=warnings, skipped=skipped, rows_read=len(frame))


def read_indicator_file(
    data: bytes, filename: str, *, indicator_label: str | None = None
) -> ParsedFile:
    return tidy(read_table(data, filename), indicator_label=indicator_label)
