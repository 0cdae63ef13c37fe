"""Spreadsheets a person downloads (CSV and Excel): safe to open, whatever text they hold.

Pure functions from pandas frames to bytes; the tables themselves are built where their data
lives (overview/exports.py, reports/exports.py).
"""

from __future__ import annotations

import io
import re

import pandas as pd

from boligsosial.text import clean_text

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# What Excel, LibreOffice and Google Sheets treat as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """The value as a spreadsheet should show it: text without control characters (forms
    drop them, but text stored before may hold one, and openpyxl refuses the workbook), and
    text that starts like a formula gets a leading apostrophe; anything else (numbers, dates,
    gaps) is returned unchanged."""
    if not isinstance(value, str):
        return value
    value = clean_text(value, multiline=True)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table safe to open in a spreadsheet: only text columns change, so a
    numeric column keeps its type."""
    frame = frame.copy()
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            frame.isetitem(position, column.map(neutralise_formula))
    frame.columns = [neutralise_formula(c) for c in frame.columns]
    return frame


def sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", clean_text(title, multiline=False))[:31] or "Ark"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Semicolons, decimal commas and UTF-8 with a byte-order mark: what Norwegian Excel
    opens correctly."""
    return neutralise_formulas(frame).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def xlsx_bytes(sheets: list[tuple[str, pd.DataFrame]]) -> bytes:
    """A workbook with one sheet per (name, table)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets:
            neutralise_formulas(frame).to_excel(writer, index=False, sheet_name=name)
    return buffer.getvalue()
