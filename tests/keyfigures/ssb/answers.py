"""Answers written from SSB's documented PxWebApi 2 format (JSON-stat 2.0, https://json-stat.org
/full/ and SSB's API user guide), for the parser tests and the local PxWebApi server."""

from __future__ import annotations

import itertools

REGION = "KOKkommuneregion0000"
TABLE = "12008"
PER_1000 = "KOSboligSper10000000"


def dataset(
    *,
    regions: dict[str, str],
    years: list[str],
    contents: dict[str, str] | None = None,
    cells: dict[tuple, object] | None = None,
    updated: str = "2025-06-16T06:00:00Z",
    sparse_status: bool = True,
    table: str = TABLE,
) -> dict:
    """A JSON-stat 2.0 dataset with dimensions region × contents × year (year fastest).
    `cells` maps (region, contents, year) to a number, or to a status symbol as a string."""
    contents = contents or {PER_1000: "Kommunalt disponerte boliger per 1000 innbyggere"}
    cells = cells or {}
    values, status = [], {}
    for position, key in enumerate(itertools.product(regions, contents, years)):
        cell = cells.get(key, cells.get(key[::2]))
        if isinstance(cell, str):
            values.append(None)
            status[str(position)] = cell
        else:
            values.append(cell)
    return {
        "version": "2.0",
        "class": "dataset",
        "label": f"{table}: Kommunalt disponerte boliger (K), etter region og år",
        "source": "Statistisk sentralbyrå",
        "updated": updated,
        "id": [REGION, "ContentsCode", "Tid"],
        "size": [len(regions), len(contents), len(years)],
        "dimension": {
            REGION: {
                "label": "region",
                "category": {
                    "index": {code: n for n, code in enumerate(regions)},
                    "label": regions,
                },
            },
            "ContentsCode": {
                "label": "statistikkvariabel",
                "category": {
                    "index": {code: n for n, code in enumerate(contents)},
                    "label": contents,
                    "unit": {code: {"base": "antall", "decimals": 0} for code in contents},
                },
            },
            "Tid": {
                "label": "år",
                "category": {
                    "index": {year: n for n, year in enumerate(years)},
                    "label": {year: year for year in years},
                },
            },
        },
        "value": values,
        "status": status if sparse_status else [status.get(str(i)) for i in range(len(values))],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": [REGION]},
        "extension": {"px": {"tableid": table, "language": "no"}},
    }


def metadata(*, regions: dict[str, str], years: list[str], updated: str, table: str = TABLE):
    """A table's metadata as `/tables/{id}/metadata?outputFormat=json-stat2` gives it: the
    dimensions and their codes, no values."""
    document = dataset(regions=regions, years=years, updated=updated, table=table)
    document.pop("value")
    document.pop("status")
    return document
