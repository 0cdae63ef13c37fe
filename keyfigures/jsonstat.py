"""Reading SSB's PxWebApi 2 answers (JSON-stat 2.0) as the file import reads a file: pure
functions from bytes to the same tidy table, no database, no network.

A JSON-stat 2.0 dataset (https://json-stat.org/full/) lists its dimensions in `id` with their
sizes in `size`; each dimension's `category.index` gives its codes in order (an array, or an
object from code to position). `value` holds the cells in row-major order, the last dimension
varying fastest (an array, or an object from position to value for a sparse answer), and
`status` the symbol of a cell (an array, one string for all, or an object from position to
symbol). `role` names the region (`geo`), year (`time`) and contents (`metric`) dimensions,
and `updated` when SSB last changed the table.

Every cell is read exactly as the file import reads a cell (`importers.parse_cells`): a
missing value keeps SSB's symbol as its reason (`.`, `..`, `...`, `:`, `-`), never a zero;
a region code is a municipality (`1841`), a county (`EKA18`, `18`), the country (`EAK`,
`0`) or an aggregate that is skipped and counted.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from keyfigures.importers import (
    KEYS,
    TIDY_COLUMNS,
    YEAR,
    Cell,
    ImportError_,
    classify_region,
    parse_cells,
)


@dataclass(frozen=True)
class TableMetadata:
    """What a table's metadata says the fetch needs: its dimensions and codes, and which of
    them are the regions and the years."""

    table: str
    label: str
    region_dimension: str
    time_dimension: str
    contents_dimension: str
    codes: dict[str, list[str]]
    updated: datetime.datetime | None

    def cells(self, selection: dict[str, list[str]]) -> int:
        """How many cells a query selecting these codes (all codes where not selected)
        would return."""
        count = 1
        for dimension, codes in self.codes.items():
            count *= len(selection.get(dimension, codes))
        return count


@dataclass
class FetchedTable:
    """One answer read: the tidy rows (as `importers.TIDY_COLUMNS`) and what was skipped."""

    frame: pd.DataFrame
    updated: datetime.datetime | None
    skipped: dict[str, int] = field(default_factory=dict)
    cells: int = 0


def _load(data: bytes | str | dict, table: str) -> dict:
    if isinstance(data, dict):
        return data
    try:
        document = json.loads(data, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportError_(
            [
                _("SSB's answer for table %(table)s is not JSON: %(error)s")
                % {"table": table, "error": str(error)[:200]}
            ]
        ) from None
    if not isinstance(document, dict):
        raise ImportError_([_malformed(table, _("it is not a JSON-stat dataset"))])
    return document


def _malformed(table: str, why: str) -> str:
    return _("SSB's answer for table %(table)s could not be read: %(why)s.") % {
        "table": table,
        "why": why,
    }


def _updated(document: dict) -> datetime.datetime | None:
    text = document.get("updated")
    if not isinstance(text, str) or not text:
        return None
    moment = parse_datetime(text)
    if moment is None:
        try:
            moment = datetime.datetime.combine(datetime.date.fromisoformat(text), datetime.time())
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _codes(document: dict, table: str) -> dict[str, list[str]]:
    ids, sizes, dimensions = document.get("id"), document.get("size"), document.get("dimension")
    if (
        not isinstance(ids, list)
        or not isinstance(sizes, list)
        or not isinstance(dimensions, dict)
        or len(ids) != len(sizes)
    ):
        raise ImportError_([_malformed(table, _("“id”, “size” or “dimension” is missing"))])
    codes = {}
    for name, size in zip(ids, sizes, strict=True):
        category = (dimensions.get(name) or {}).get("category") or {}
        index = category.get("index")
        if index is None and isinstance(category.get("label"), dict) and size == 1:
            index = list(category["label"])  # a single category may leave out its index
        if isinstance(index, dict):
            ordered = [code for code, _position in sorted(index.items(), key=lambda kv: kv[1])]
        elif isinstance(index, list):
            ordered = [str(code) for code in index]
        else:
            raise ImportError_(
                [_malformed(table, _("dimension %(name)s has no codes") % {"name": name})]
            )
        if len(ordered) != size:
            raise ImportError_(
                [
                    _malformed(
                        table,
                        _("dimension %(name)s has %(n)s codes but size %(size)s")
                        % {"name": name, "n": len(ordered), "size": size},
                    )
                ]
            )
        codes[name] = ordered
    return codes


def _role(document: dict, role: str, codes: dict[str, list[str]], fallback: tuple[str, ...]):
    named = (document.get("role") or {}).get(role) or []
    for name in named:
        if name in codes:
            return name
    return next((name for name in codes if name.lower() in fallback), None)


def read_metadata(data: bytes | str | dict, *, table: str) -> TableMetadata:
    """A table's metadata (`/tables/{id}/metadata?outputFormat=json-stat2`)."""
    document = _load(data, table)
    codes = _codes(document, table)
    region = _role(document, "geo", codes, ("region",))
    time = _role(document, "time", codes, ("tid", "time", "år"))
    contents = _role(document, "metric", codes, ("contentscode",))
    if not region or not time or not contents:
        raise ImportError_(
            [_malformed(table, _("the region, year or contents dimension is not named"))]
        )
    return TableMetadata(
        table=table,
        label=str(document.get("label") or ""),
        region_dimension=region,
        time_dimension=time,
        contents_dimension=contents,
        codes=codes,
        updated=_updated(document),
    )


def _positional(container, count: int, table: str, what: str) -> list:
    """`value` or `status` as a list of `count` entries (None where absent)."""
    if container is None:
        return [None] * count
    if isinstance(container, str):  # one status for every cell
        return [container] * count
    if isinstance(container, list):
        if len(container) != count:
            raise ImportError_(
                [
                    _malformed(
                        table,
                        _("“%(what)s” has %(n)s entries for %(count)s cells")
                        % {"what": what, "n": len(container), "count": count},
                    )
                ]
            )
        return container
    if isinstance(container, dict):
        entries = [None] * count
        for key, entry in container.items():
            try:
                position = int(key)
            except ValueError:
                position = -1
            if not 0 <= position < count:
                raise ImportError_(
                    [
                        _malformed(
                            table, _("“%(what)s” names a cell that does not exist") % {"what": what}
                        )
                    ]
                )
            entries[position] = entry
        return entries
    raise ImportError_([_malformed(table, _("“%(what)s” is not a list") % {"what": what})])


def _text(value, status) -> str:
    """A cell as the file would write it: the number, or SSB's symbol where there is none."""
    if value is None or (isinstance(value, float) and value != value):
        return str(status or "").strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def read_dataset(
    data: bytes | str | dict, *, table: str, label: str, contents: str | None = None
) -> FetchedTable:
    """A data answer (`/tables/{id}/data?outputFormat=json-stat2`) → tidy rows for the
    indicator `label`: one per region and year of the contents code asked for."""
    document = _load(data, table)
    codes = _codes(document, table)
    count = 1
    for dimension_codes in codes.values():
        count *= len(dimension_codes)
    values = _positional(document.get("value"), count, table, "value")
    statuses = _positional(document.get("status"), count, table, "status")
    region = _role(document, "geo", codes, ("region",))
    time = _role(document, "time", codes, ("tid", "time", "år"))
    metric = _role(document, "metric", codes, ("contentscode",))
    if not region or not time:
        raise ImportError_([_malformed(table, _("the region or year dimension is not named"))])
    index = pd.MultiIndex.from_product(list(codes.values()), names=list(codes))
    frame = index.to_frame(index=False)
    # Object columns: a missing value stays None (pandas would make it NaN beside numbers).
    frame["_value"] = pd.Series(values, dtype=object)
    frame["_status"] = pd.Series(statuses, dtype=object)
    frame["_row"] = range(1, count + 1)
    if metric and contents is not None:
        frame = frame[frame[metric] == contents]
    skipped: dict[str, int] = {}
    kinds = {code: classify_region(code) for code in codes[region]}
    unknown = sorted(code for code, kind in kinds.items() if kind is None)
    if unknown:
        # An answer is not a file a person can correct: codes the app cannot place are
        # reported and left out, as merged municipalities are in the file import.
        key = _("region codes the application does not know: %(codes)s") % {
            "codes": ", ".join(unknown[:20])
        }
        skipped[key] = int(frame[region].isin(unknown).sum())
        frame = frame[~frame[region].isin(unknown)]
    cells = []
    errors = []
    for row, region_code, year_code, value, status in frame[
        ["_row", region, time, "_value", "_status"]
    ].itertuples(index=False, name=None):
        match = YEAR.search(str(year_code))
        if not match:
            errors.append(_malformed(table, _("“%(code)s” is not a year") % {"code": year_code}))
            break
        cells.append(
            Cell(row, table, region_code, int(match.group(1)), label, _text(value, status))
        )
    parsed = parse_cells(cells)
    errors += parsed.errors
    if errors:
        raise ImportError_(errors[:50])
    for reason, n in parsed.skipped.items():
        skipped[reason] = skipped.get(reason, 0) + n
    tidy = pd.DataFrame(parsed.rows, columns=TIDY_COLUMNS)
    return FetchedTable(
        frame=tidy.drop_duplicates(KEYS),
        updated=_updated(document),
        skipped=skipped,
        cells=count,
    )
