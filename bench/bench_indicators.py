"""Key-figure import: a generated file of 357 municipalities × 30 indicators × 10 years
(107,100 values) in SSB's wide download format. Prints the import time, its peak memory, the
ratio to a bare baseline measured in the same run (pandas.read_csv of the same file plus a
bare bulk_create of the same values), and the time of a re-import, which must change nothing.
"""

from __future__ import annotations

import random
import resource
import time

from bench._setup import setup_django

YEARS = list(range(2014, 2024))


def _generate(path, municipalities, labels) -> None:
    rng = random.Random(357)
    with path.open("w", encoding="utf-8") as f:
        f.write('"region";"statistikkvariabel";' + ";".join(f'"{y}"' for y in YEARS) + "\n")
        for number, name in municipalities:
            for label in labels:
                cells = ";".join(f'"{rng.uniform(0, 100):.1f}"'.replace(".", ",") for _ in YEARS)
                f.write(f'"{number} {name}";"{label}";{cells}\n')


def main() -> None:
    tmp = setup_django()
    import pandas as pd

    from analysis.models import Indicator, IndicatorValue, Municipality
    from analysis.services.indicators import import_indicator_file

    existing = list(Indicator.objects.all())
    for i in range(30 - len(existing)):
        Indicator.objects.create(
            code=f"bench-{i}",
            theme="Bench",
            name_nb=f"Benchmark-indikator {i}",
            definition_nb="Generert for måling.",
            unit="per_1000",
            source_publisher="Bench",
            source_table="-",
        )
    indicators = list(Indicator.objects.all())
    municipalities = list(Municipality.objects.values_list("number", "name"))
    path = tmp / "generated.csv"
    _generate(path, municipalities, [i.name_nb for i in indicators])
    data = path.read_bytes()
    values = len(municipalities) * len(indicators) * len(YEARS)

    # Peak memory from the process's peak resident size (tracemalloc would slow the import
    # itself several times over): the growth of the peak across the import.
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    report = import_indicator_file(data=data, filename=path.name)
    import_seconds = time.perf_counter() - t0
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    assert report.created == values, report

    t0 = time.perf_counter()
    again = import_indicator_file(data=data, filename=path.name)
    reimport_seconds = time.perf_counter() - t0
    assert (again.created, again.updated) == (0, 0), again

    # Baseline: read the same file with pandas and bulk_create the same number of rows.
    IndicatorValue.objects.all().delete()
    ids = dict(Municipality.objects.values_list("number", "pk"))
    t0 = time.perf_counter()
    frame = pd.read_csv(path, sep=";", dtype=str, decimal=",")
    rows = []
    by_name = {i.name_nb: i.pk for i in indicators}
    for record in frame.itertuples(index=False, name=None):
        region, label, *cells = record
        municipality = ids[region.split(" ", 1)[0]]
        for year, cell in zip(YEARS, cells, strict=True):
            rows.append(
                IndicatorValue(
                    indicator_id=by_name[label],
                    municipality_id=municipality,
                    year=year,
                    value=float(cell.replace(",", ".")),
                )
            )
    IndicatorValue.objects.bulk_create(rows, batch_size=5000)
    baseline_seconds = time.perf_counter() - t0

    print(f"indicator_values: {values} values")
    print(f"import_time: {import_seconds:.2f} s")
    print(f"import_peak_memory_growth: {peak / 1e6:.0f} MB")
    print(f"baseline_read_csv_plus_bulk_create: {baseline_seconds:.2f} s")
    print(f"import_to_baseline_ratio: {import_seconds / baseline_seconds:.2f} x")
    print(f"reimport_time: {reimport_seconds:.2f} s (changed nothing)")
    print(f"reimport_to_import_ratio: {reimport_seconds / import_seconds:.2f} x")
