"""Fetching key figures from SSB against importing the same values from a file: 357
municipalities × 30 indicators × 10 years (107,100 values), in one run on this machine.

The fetch runs against the local PxWebApi 2 stand-in the tests use (tests/keyfigures/ssb/
server.py, on loopback), with SSB's pace of 30 queries a minute turned off: against the real
API the 31 queries (one metadata, thirty data) take at least a minute by SSB's rule, which
says nothing about the application. Both runs start from an empty value table and store
through the same all-or-nothing step.

Prints `name: value unit` lines; fails when the fetch takes more than 1.5 times the import.
"""

from __future__ import annotations

import random
import time

from bench._setup import setup_django

YEARS = [str(y) for y in range(2014, 2024)]
INDICATORS = 30
TABLE = "99999"
LIMIT = 1.5


def main() -> None:
    tmp = setup_django()
    from django.conf import settings

    from keyfigures.models import Indicator, IndicatorValue
    from keyfigures.services.fetching import fetch_indicators
    from keyfigures.services.imports import import_indicator_file
    from reference.models import Municipality
    from tests.keyfigures.ssb.server import API, SSBServer, Table

    Indicator.objects.update(ssb_verified=False)
    contents = {}
    for i in range(INDICATORS):
        code = f"KOSbench{i:02d}"
        Indicator.objects.create(
            code=f"bench-{i}",
            theme="Bench",
            name_nb=f"Benchmark-indikator {i}",
            definition_nb="Generert for måling.",
            unit="per_1000",
            source_publisher="Bench",
            ssb_table_id=TABLE,
            ssb_contents_code=code,
            ssb_verified=True,
        )
        contents[code] = f"Benchmark-indikator {i}"
    municipalities = dict(Municipality.objects.values_list("number", "name"))
    rng = random.Random(357)
    cells = {
        (number, code, year): round(rng.uniform(0, 100), 1)
        for number in municipalities
        for code in contents
        for year in YEARS
    }
    values = len(cells)

    path = tmp / "generated.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write('"region";"statistikkvariabel";' + ";".join(f'"{y}"' for y in YEARS) + "\n")
        for number, name in municipalities.items():
            for code, label in contents.items():
                row = ";".join(f'"{cells[(number, code, y)]}"'.replace(".", ",") for y in YEARS)
                f.write(f'"{number} {name}";"{label}";{row}\n')
    data = path.read_bytes()

    t0 = time.perf_counter()
    report = import_indicator_file(data=data, filename=path.name)
    import_seconds = time.perf_counter() - t0
    assert report.created == values, report
    IndicatorValue.objects.all().delete()

    with SSBServer() as server:
        server.tables[TABLE] = Table(
            regions={n: n for n in municipalities},
            years=YEARS,
            cells=cells,
            contents=contents,
        )
        settings.SSB_API_URL = server.url + API
        settings.SSB_QUERIES_PER_MINUTE = 0
        t0 = time.perf_counter()
        result = fetch_indicators(via="bench")
        fetch_seconds = time.perf_counter() - t0
        queries = len(server.requests)
    assert result.report.created == values == IndicatorValue.objects.count(), result.report

    ratio = fetch_seconds / import_seconds
    print(f"fetch_values: {values} values")
    print(f"fetch_queries: {queries} queries")
    print(f"file_import_time: {import_seconds:.2f} s")
    print(f"fetch_time: {fetch_seconds:.2f} s")
    print(f"fetch_to_import_ratio: {ratio:.2f} x")
    if ratio > LIMIT:
        raise SystemExit(f"the fetch took {ratio:.2f} times the file import (limit {LIMIT})")
