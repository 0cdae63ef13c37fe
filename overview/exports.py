"""The adviser's overview as a table to download (CSV or Excel): a pure function from the
overview's rows to a pandas frame; boligsosial/spreadsheets.py turns it into bytes. Column
names are Norwegian (through gettext); numbers stay numbers; times are local (Europe/Oslo), as
on the page."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from django.utils.translation import gettext as _

from boligsosial.spreadsheets import CSV, XLSX, csv_bytes, xlsx_bytes
from keyfigures.models import Indicator, IndicatorUnit
from overview.selectors.table import OverviewRow
from reference.models import SuccessFactor

OVERVIEW_FORMATS = {"csv": CSV, "xlsx": XLSX}


def change_column(factor: SuccessFactor) -> str:
    return _("Change: %(factor)s") % {"factor": factor.name}


def year_column(indicator: Indicator) -> str:
    return _("%(indicator)s, year") % {"indicator": indicator.name}


def overview_columns(
    factors: Sequence[SuccessFactor], indicators: Sequence[Indicator] = ()
) -> list[str]:
    columns = [
        _("Municipality number"),
        _("Municipality"),
        _("County"),
        _("Language form"),
        _("Status"),
        _("Progress (%)"),
        _("Last activity"),
        _("Last activity by"),
    ]
    for f in factors:
        columns += [f.name, change_column(f)]
    for i in indicators:
        columns += [i.name, year_column(i)]
    return columns


def overview_frame(
    rows: list[OverviewRow],
    *,
    factors: Sequence[SuccessFactor],
    indicators: Sequence[Indicator] = (),
) -> pd.DataFrame:
    """The table as the page shows it. The columns are fixed up front, so an empty filter
    result is an empty table with headings, not an error."""
    records = []
    for r in rows:
        a = r.analysis
        moment = r.last_activity_local
        record = [
            r.municipality.number,
            r.municipality.name,
            r.municipality.county_name,
            r.municipality.get_language_form_display(),
            a.get_status_display() if a else "",
            r.progress,
            moment.replace(tzinfo=None) if moment else None,
            a.last_activity_by if a else "",
        ]
        changes = r.changes
        for f in factors:
            record += [r.scores.get(f.number), changes.get(f.number)]
        for cell in r.figures:
            record += [cell.export_value, cell.year]
        records.append(record)
    frame = pd.DataFrame(records, columns=overview_columns(factors, indicators))
    frame[_("Progress (%)")] = frame[_("Progress (%)")].astype("int64")
    frame[_("Last activity")] = pd.to_datetime(frame[_("Last activity")])
    for f in factors:
        frame[f.name] = frame[f.name].astype("Int64")
        frame[change_column(f)] = frame[change_column(f)].astype("Int64")
    for i in indicators:
        # Counts may hold the text "under 3" (small numbers could identify people); rates
        # are plain numbers.
        if i.unit != IndicatorUnit.COUNT:
            frame[i.name] = frame[i.name].astype("float64")
        frame[year_column(i)] = frame[year_column(i)].astype("Int64")
    return frame


def overview_file(
    rows: list[OverviewRow],
    fmt: str,
    *,
    factors: Sequence[SuccessFactor],
    indicators: Sequence[Indicator] = (),
) -> tuple[bytes, str]:
    """The export in the asked format (one of OVERVIEW_FORMATS) and its content type."""
    frame = overview_frame(rows, factors=factors, indicators=indicators)
    if fmt == "csv":
        return csv_bytes(frame), CSV
    return xlsx_bytes([(_("Overview")[:31], frame)]), XLSX
