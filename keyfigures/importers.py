"""Reading statistics files as official statistics publish them: pure functions from bytes to
a tidy table, with every problem reported in Norwegian with its row and column. No database.

What is read:
- CSV with `;`, `,` or tab separators, `,` or `.` decimals, UTF-8 (with or without BOM) or
  Latin-1/cp1252; lines starting with `#` are comments. SSB's download "with heading" puts a
  title line and a blank line above the header: the header is found as the first row with
  at least two columns, and every row below it must have as many fields as the header (a
  comma-separated file with unquoted decimal commas is refused, not guessed).
- Excel .xlsx with one sheet; title rows above the header are skipped the same way. An
  .xlsx is a zip archive: its table of contents is checked before anything is unpacked, and
  one that would unpack to far more than its own size (a zip bomb) or holds more parts than
  any workbook of figures needs is refused unread.
- Regions as labels (`1841 Fauske - Fuossko`, `K-1841 Fauske`) or a code column of their own
  (`kommunenummer`, `region`, `kode`).
- Years as columns (wide: `2022`, `Kommunalt disponerte boliger 2023`) or as rows (long: a
  column `år`/`tid`/`year` and a value column `verdi`/`value`, or the one column left over).
- The indicator from a column (`statistikkvariabel`, `indikator`, `contents`), from the text
  around the year in a wide header, or given by the caller.

Numbers: an optional sign, digits, optionally grouped in threes by spaces (`12 345`), and an
optional decimal part after `,` or `.`. One file uses one decimal mark: a file with both
`2,5` and `3.5` is refused, wherever the two occur. Points or commas as thousands separators
(`1.234`), exponents (`1e5`), `nan`, `inf` and underscores are refused, and so is a number
whose size is 10^12 or more (the database keeps 12 digits before the decimal mark).

Missing cells are kept as missing with their reason, never as zero (SSB's standard symbols):
`.` not applicable, `..` not available, `...` not yet available, `:` suppressed (too few to
publish), an empty cell not available, and `-` nil. SSB writes `-` where the true figure is
nothing at all; it is still kept as missing (reason "nil"), because a key figure that says 0
would claim a measurement the file does not give and would take part in sums and averages.

Regions: a four-digit number is a municipality. A three-digit number (`301`) is a
four-digit number whose leading zero was lost, typically by Excel; it is padded (`0301`)
and the report says so. Two digits (`18 Nordland`) are a county and `0 Hele landet` (or a
label such as `Hele landet`) the whole country: these official totals are kept apart, so the
county and country comparisons can use them. KOSTRA's own aggregates are recognised:
`EAK Landet` (the country), `EKA18 Nordland` (a county) and the KOSTRA groups of comparable
municipalities (`EKG13 Kostragruppe 13`), kept like the county's and the country's figures;
other aggregates (`EAKUO Landet uten Oslo`) and Oslo's six-digit city districts (`030101
Gamle Oslo`) are not municipalities: those rows are skipped and counted in the report.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd
from django.utils.translation import gettext as _

# SSB's standard symbols for a cell without a figure → MissingReason values.
MISSING = {
    "": "not_available",
    ".": "not_applicable",
    "..": "not_available",
    "...": "not_yet_available",
    ":": "suppressed",
    "-": "nil",
    "\u2013": "nil",  # an en dash, as a spreadsheet may turn "-" into
}
YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")
CODE_COLUMNS = {"kommunenummer", "kommunenr", "knr", "region", "kode", "regionkode", "code"}
YEAR_COLUMNS = {"år", "aar", "tid", "year", "årgang"}
VALUE_COLUMNS = {"verdi", "value", "tall", "antall"}
LABEL_COLUMNS = {"statistikkvariabel", "indikator", "contents", "variabel", "indicator"}
XLSX_MAGIC = b"PK\x03\x04"
SEPARATORS = (";", "\t", ",")
HEADER_SEARCH_ROWS = 20
# The lines a CSV file's separator is decided on, before the whole file is read under it.
SEPARATOR_SAMPLE_LINES = 200
# An .xlsx of key figures has about ten parts and unpacks to a few times its size (the XML
# compresses 3-20 times). Python's zipfile stops each part at the size its table of contents
# declares, so checking those sizes bounds what pandas/openpyxl would unpack.
XLSX_MAX_ENTRIES = 500
XLSX_MAX_RATIO = 100
XLSX_RATIO_FLOOR = 1024 * 1024  # below this, any ratio is harmless
XLSX_MAX_UNPACKED = 200 * 1024 * 1024
# The database keeps decimal(16, 4): twelve digits before the decimal mark.
LIMIT = Decimal(10) ** 12
PLACES = Decimal("0.0001")

_GROUPED = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+"
NUMBER = re.compile(
    rf"^(?P<sign>[-+\u2212]?)(?P<int>{_GROUPED}|\d+)(?:(?P<mark>[.,])(?P<dec>\d+))?$"
)
COUNTRY_LABELS = {"hele landet", "landet", "norge", "i alt", "eak landet"}

# Region kinds in the tidy table.
MUNICIPALITY, COUNTY, COUNTRY = "municipality", "county", "country"
# SSB's KOSTRA groups of comparable municipalities (`EKG13`), kept as official figures.
KOSTRA_GROUP = "kostra_group"


class ImportError_(Exception):
    """The file cannot be imported; `errors` says why, row by row."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class RawTable:
    """Text cells under a header, with the file's own line (or Excel row) of each row."""

    frame: pd.DataFrame
    lines: list[int]


@dataclass
class ParsedFile:
    # row, column, kind (municipality/county/country), region (number), year, label,
    # value (Decimal or None), missing_reason
    frame: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    rows_read: int = 0
    decimal_mark: str = ","


def read_table(data: bytes, filename: str) -> RawTable:
    """Bytes → text cells under their header, refusing a file that is not what its name says."""
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
    if b"\x00" in data[:4096]:
        raise ImportError_([_("The file is not a text file (CSV); it may be a PDF or an image.")])
    return _read_csv(data)


def _header_index(rows: list[list[str]]) -> int | None:
    """The first row with at least two filled cells: titles and blank lines come before it."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in row if str(cell).strip()) >= 2:
            return i
    return None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def check_xlsx_archive(data: bytes) -> None:
    """Refuse a workbook whose zip archive is a bomb, from its table of contents alone."""
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportError_(
            [_("The Excel file could not be read: %(error)s") % {"error": error}]
        ) from None
    if len(entries) > XLSX_MAX_ENTRIES:
        raise ImportError_(
            [
                _(
                    "The Excel file holds %(n)s parts; a workbook with figures needs far fewer "
                    "(at most %(max)s are accepted). It was not opened. Save the sheet as a "
                    "new .xlsx file or as CSV and import that."
                )
                % {"n": len(entries), "max": XLSX_MAX_ENTRIES}
            ]
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > XLSX_MAX_UNPACKED or (
        unpacked > XLSX_RATIO_FLOOR and unpacked > XLSX_MAX_RATIO * len(data)
    ):
        raise ImportError_(
            [
                _(
                    "The Excel file would unpack to %(unpacked)s MB from %(size)s kB, far more "
                    "than a workbook with figures (a zip bomb can look like this). It was not "
                    "opened. Save the sheet as a new .xlsx file or as CSV and import that."
                )
                % {"unpacked": _megabytes(unpacked), "size": f"{len(data) / 1024:.0f}"}
            ]
        )


def _read_xlsx(data: bytes) -> RawTable:
    check_xlsx_archive(data)
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, header=None)
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as error:
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
                % {"n": len(sheets), "names": ", ".join(sheets) or "–"}
            ]
        )
    (sheet,) = sheets.values()
    rows = sheet.fillna("").astype(str).values.tolist()
    header_at = _header_index(rows)
    if header_at is None:
        raise ImportError_([_("No header row with at least two columns was found.")])
    header = [str(cell).strip() for cell in rows[header_at]]
    while header and not header[-1]:
        header.pop()
    body, lines = [], []
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(str(cell).strip() for cell in row):
            continue
        body.append([str(cell) for cell in row[: len(header)]])
        lines.append(offset)
    return RawTable(pd.DataFrame(body, columns=_unique(header), dtype=str), lines)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _records(text: str, separator: str) -> list[tuple[int, list[str]]]:
    """(line number, fields) for every non-blank, non-comment record."""
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    records = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                continue
            records.append((reader.line_num, row))
    except csv.Error as error:
        raise ImportError_(
            [
                _("Line %(line)s could not be read: %(error)s")
                % {"line": reader.line_num, "error": error}
            ]
        ) from None
    return records


def _choose_separator(text: str) -> str:
    """The separator under which the header has at least two columns and the most rows below
    it have exactly as many fields; ties go to `;`, SSB's own choice. Decided on the first
    lines only, so the file itself is parsed once, under the separator chosen."""
    sample = "\n".join(text.splitlines()[:SEPARATOR_SAMPLE_LINES])
    best = None
    for separator in SEPARATORS:
        records = _records(sample, separator)
        header_at = _header_index([row for _line, row in records])
        if header_at is None:
            continue
        width = len(records[header_at][1])
        fitting = sum(1 for _line, row in records[header_at + 1 :] if len(row) == width)
        if best is None or fitting > best[0]:
            best = (fitting, separator)
    if best is None:
        raise ImportError_(
            [_("Could not find the columns: the separator should be a semicolon, comma or tab.")]
        )
    return best[1]


def _read_csv(data: bytes) -> RawTable:
    text = _decode(data)
    if not text.strip():
        raise ImportError_([_("The file is empty.")])
    separator = _choose_separator(text)
    records = _records(text, separator)
    header_at = _header_index([row for _line, row in records])
    if header_at is None:
        raise ImportError_(
            [_("Could not find the columns: the separator should be a semicolon, comma or tab.")]
        )
    header_line, header = records[header_at]
    header = [cell.strip() for cell in header]
    body = records[header_at + 1 :]
    errors = []
    for line, row in body:
        if len(row) != len(header):
            errors.append(
                _(
                    "Row %(row)s has %(fields)s fields, but the header (row %(header)s) has "
                    "%(columns)s. Check the separator: in a comma-separated file, decimal "
                    "commas must be inside quotes."
                )
                % {
                    "row": line,
                    "fields": len(row),
                    "header": header_line,
                    "columns": len(header),
                }
            )
            if len(errors) >= 20:
                break
    if errors:
        raise ImportError_(errors)
    # Every row has as many fields as the header: the parsed rows are the table.
    frame = pd.DataFrame([row for _line, row in body], columns=_unique(header), dtype=str)
    return RawTable(frame, [line for line, _row in body])


def _unique(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for name in header:
        name = name or "–"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        names.append(name)
    return names


def _norm(header: str) -> str:
    return str(header).strip().strip('"').lower()


def _find(columns, names: set[str]) -> str | None:
    return next((c for c in columns if _norm(c) in names), None)


def parse_number(text: str) -> tuple[Decimal, str] | None:
    """A cell → (value, decimal mark used or ""), or None when it is not a plain number."""
    match = NUMBER.match(text.strip())
    if not match:
        return None
    integer = re.sub(r"[ \u00a0\u202f]", "", match.group("int"))
    sign = "-" if match.group("sign") in {"-", "\u2212"} else ""
    decimals = match.group("dec")
    try:
        value = Decimal(f"{sign}{integer}.{decimals}" if decimals else f"{sign}{integer}")
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    return value, (match.group("mark") or "")


def _digits(label: str) -> int:
    match = re.match(r"^\s*(?:[KF]-)?(\d+)", str(label))
    return len(match.group(1)) if match else 0


def classify_region(label: str) -> tuple[str, str] | tuple[None, str] | None:
    """A region label → (kind, number), (None, why it is skipped), or None if unreadable."""
    text = str(label).strip()
    lowered = text.lower()
    if lowered in COUNTRY_LABELS:
        return COUNTRY, ""
    kostra = re.match(r"^(E[A-Z]+)(\d*)\b", text)
    if kostra:
        prefix, digits = kostra.groups()
        if prefix == "EAK" and not digits:
            return COUNTRY, ""
        if prefix == "EKA" and len(digits) == 2:
            return COUNTY, digits
        if prefix == "EKG" and digits:
            return KOSTRA_GROUP, f"EKG{int(digits):02d}"
        return None, _("aggregates that are neither municipalities nor KOSTRA groups")
    match = re.match(r"^(?:[KF]-)?(\d+)(?=\D|$)", text)
    if not match:
        return None
    number = match.group(1)
    if len(number) == 4:
        return MUNICIPALITY, number
    if len(number) == 3:
        return MUNICIPALITY, number.zfill(4)
    if number in {"0", "00"}:
        return COUNTRY, ""
    if len(number) == 2:
        return COUNTY, number
    if len(number) == 6:
        return None, _("city districts (bydeler), which are not municipalities")
    return None


@dataclass(frozen=True)
class Columns:
    """Where a table keeps what the import needs; `year` and `value` only in a long file."""

    region: str
    year: str | None
    value: str | None
    label: str | None


@dataclass(frozen=True)
class Cell:
    """One figure as the file writes it, with where it stands."""

    row: int
    column: str
    region: str
    year: int
    label: str
    text: str


def locate_columns(frame: pd.DataFrame) -> Columns:
    """The region, year, value and label columns, by name or (regions) by what they hold."""
    columns = list(frame.columns)
    code_col = _find(columns, CODE_COLUMNS)
    year_col = _find(columns, YEAR_COLUMNS)
    value_col = _find(columns, VALUE_COLUMNS)
    label_col = _find(columns, LABEL_COLUMNS)
    region_col = code_col or next(
        (c for c in columns if frame[c].map(lambda v: classify_region(v) is not None).mean() > 0.8),
        None,
    )
    if region_col is None:
        raise ImportError_(
            [_("No column with municipality numbers or labels such as “1841 Fauske” was found.")]
        )
    if year_col and not value_col:
        # SSB's long download names the value column after the table: the one column left.
        rest = [c for c in columns if c not in {region_col, year_col, label_col}]
        rest = [c for c in rest if not re.search(r"navn|name", _norm(c))]
        if len(rest) == 1:
            value_col = rest[0]
    return Columns(region_col, year_col, value_col, label_col)


def long_cells(raw: RawTable, columns: Columns, indicator_label: str | None):
    """A long file: one figure per row, its year in a column of its own."""
    cells: list[Cell] = []
    errors: list[str] = []
    for line, record in zip(raw.lines, raw.frame.to_dict("records"), strict=True):
        year_text = str(record[columns.year]).strip()
        match = YEAR.search(year_text)
        if not match:
            errors.append(
                _("Row %(row)s, column “%(column)s”: “%(value)s” is not a year.")
                % {"row": line, "column": columns.year, "value": year_text}
            )
            continue
        label = str(record[columns.label]).strip() if columns.label else (indicator_label or "")
        cells.append(
            Cell(
                line,
                columns.value,
                str(record[columns.region]),
                int(match.group(1)),
                label,
                str(record[columns.value]).strip(),
            )
        )
    return cells, errors


def wide_cells(raw: RawTable, columns: Columns, indicator_label: str | None) -> list[Cell]:
    """A wide file: a column per year (`2023`, `Kommunalt disponerte boliger 2023`), melted
    to one figure per row and year, in the file's reading order (row by row)."""
    frame = raw.frame
    year_columns = {
        c: m
        for c in frame.columns
        if c not in {columns.region, columns.label} and (m := YEAR.search(str(c)))
    }
    if not year_columns:
        raise ImportError_(
            [_("No years were found: neither a year column nor columns named by year.")]
        )
    header_labels = {
        c: re.sub(r"\s+", " ", YEAR.sub("", str(c))).strip(" ,:;-") for c in year_columns
    }
    ids = [columns.region] + ([columns.label] if columns.label else [])
    melted = (
        frame.assign(_row=raw.lines, _order=range(len(frame)))
        .melt(id_vars=["_row", "_order", *ids], value_vars=list(year_columns), var_name="column")
        .assign(_position=lambda f: f["column"].map({c: n for n, c in enumerate(year_columns)}))
        .sort_values(["_order", "_position"], kind="stable")
    )
    cells = []
    for record in melted.to_dict("records"):
        column = record["column"]
        label = (
            str(record[columns.label]).strip()
            if columns.label
            else (header_labels[column] or indicator_label or "")
        )
        cells.append(
            Cell(
                record["_row"],
                str(column),
                str(record[columns.region]),
                int(year_columns[column].group(1)),
                label,
                str(record["value"]).strip(),
            )
        )
    return cells


@dataclass
class ParsedCells:
    rows: list[tuple] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    # decimal mark → its first (row, column, text)
    marks: dict[str, tuple[int, str, str]] = field(default_factory=dict)


def parse_cells(cells: list[Cell]) -> ParsedCells:
    """Each figure's region and number read: a value, or the reason it is missing."""
    parsed = ParsedCells()
    padded: set[str] = set()
    for cell in cells:
        region_kind = classify_region(cell.region)
        if region_kind is None:
            parsed.errors.append(
                _("Row %(row)s: “%(value)s” is not a municipality number or label.")
                % {"row": cell.row, "value": cell.region.strip()}
            )
            continue
        kind, number = region_kind
        if kind is None:
            parsed.skipped[number] = parsed.skipped.get(number, 0) + 1
            continue
        if kind == MUNICIPALITY and _digits(cell.region) == 3 and number not in padded:
            parsed.warnings.append(
                _("Row %(row)s: municipality number %(number)s read as %(padded)s.")
                % {"row": cell.row, "number": number.lstrip("0"), "padded": number}
            )
            padded.add(number)
        value, reason = None, ""
        if cell.text in MISSING:
            reason = MISSING[cell.text]
        else:
            number_value = parse_number(cell.text)
            where = {"row": cell.row, "column": cell.column, "value": cell.text}
            if number_value is None:
                parsed.errors.append(
                    _("Row %(row)s, column “%(column)s”: “%(value)s” is not a number.") % where
                )
                continue
            value, mark = number_value
            if mark:
                parsed.marks.setdefault(mark, (cell.row, cell.column, cell.text))
            if abs(value) >= LIMIT:
                parsed.errors.append(
                    _(
                        "Row %(row)s, column “%(column)s”: “%(value)s” is too large (the limit "
                        "is 1 000 000 000 000)."
                    )
                    % where
                )
                continue
            value = value.quantize(PLACES)
        parsed.rows.append(
            (cell.row, cell.column, kind, number, cell.year, cell.label, value, reason)
        )
    return parsed


def consistency_errors(table: pd.DataFrame, marks: dict[str, tuple[int, str, str]]) -> list[str]:
    """One decimal mark in the whole file, and one value per region, year and indicator."""
    errors = []
    if len(marks) > 1:
        (comma_row, comma_col, comma_text), (point_row, point_col, point_text) = (
            marks[","],
            marks["."],
        )
        errors.append(
            _(
                "The file mixes decimal points and decimal commas: row %(point_row)s, column "
                "“%(point_col)s” has “%(point_text)s”, row %(comma_row)s, column "
                "“%(comma_col)s” has “%(comma_text)s”. Use one decimal mark in the whole file."
            )
            % {
                "point_row": point_row,
                "point_col": point_col,
                "point_text": point_text,
                "comma_row": comma_row,
                "comma_col": comma_col,
                "comma_text": comma_text,
            }
        )
    duplicates = table[table.duplicated(KEYS, keep=False)]
    for (_kind, region, year, label), group in duplicates.groupby(KEYS):
        if group["value"].nunique(dropna=False) > 1 or group["missing_reason"].nunique() > 1:
            errors.append(
                _(
                    "Rows %(rows)s: municipality %(number)s has different values for %(year)s "
                    "(%(label)s)."
                )
                % {
                    "rows": ", ".join(str(r) for r in group["row"]),
                    "number": region or _("the whole country"),
                    "year": year,
                    "label": label or "–",
                }
            )
    return errors


TIDY_COLUMNS = ["row", "column", "kind", "region", "year", "label", "value", "missing_reason"]
KEYS = ["kind", "region", "year", "label"]


def tidy(raw: RawTable, *, indicator_label: str | None = None) -> ParsedFile:
    """Text cells (wide or long) → one row per region, year and indicator: find the columns,
    melt a wide file, read each cell, check the whole. Every problem found on the way is
    reported at once, with its row and column."""
    columns = locate_columns(raw.frame)
    if columns.year and columns.value:
        cells, errors = long_cells(raw, columns, indicator_label)
    else:
        cells, errors = wide_cells(raw, columns, indicator_label), []
    if not cells and not errors:
        raise ImportError_([_("The file has a header but no rows of figures.")])
    parsed = parse_cells(cells)
    table = pd.DataFrame(parsed.rows, columns=TIDY_COLUMNS)
    errors += parsed.errors + consistency_errors(table, parsed.marks)
    if errors:
        raise ImportError_(errors)
    return ParsedFile(
        frame=table.drop_duplicates(KEYS),
        warnings=parsed.warnings,
        skipped=parsed.skipped,
        rows_read=len(raw.frame),
        decimal_mark=next(iter(parsed.marks), ","),
    )


def read_indicator_file(
    data: bytes, filename: str, *, indicator_label: str | None = None
) -> ParsedFile:
    return tidy(read_table(data, filename), indicator_label=indicator_label)
