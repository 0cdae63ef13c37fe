"""Key-figure import: a generated file of 357 municipalities × 30 indicators × 10 years
(107,100 values) in SSB's wide download format.

Prints, one `name: value unit` line each:
- the import time, and its peak memory (tracemalloc's peak over a first import run on its
  own: tracing slows the code it watches, so the timed run is not traced);
- a re-import of the same file, which must change nothing, and its time against the import;
- a bare baseline in the same run: pandas.read_csv of the same file plus a bulk_create of the
  same values into a fresh, empty table with the same columns as IndicatorValue (made for the
  run, before the import), and the import's time against it.
"""

from __future__ import annotations

import random
import time
import tracemalloc

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


def _bare_baseline(path, indicators, municipalities) -> float:
    """read_csv + bulk_create into an empty table made for this run: the least any import of
    this file into this database could cost."""
    import pandas as pd
    from django.db import connection, models

    class BareValue(models.Model):
        indicator_id = models.IntegerField()
        municipality_id = models.IntegerField()
        year = models.PositiveSmallIntegerField()
        value = models.DecimalField(max_digits=16, decimal_places=4, null=True)
        missing_reason = models.CharField(max_length=20, blank=True)
        imported_at = models.DateTimeField()
        source_file = models.CharField(max_length=200, blank=True)

        class Meta:
            app_label = "bench"
            db_table = "bench_bare_value"

    with connection.schema_editor() as editor:
        editor.create_model(BareValue)
    from django.utils import timezone

    now = timezone.now()
    ids = dict(municipalities)
    by_name = {name: pk for pk, name in indicators}
    t0 = time.perf_counter()
    frame = pd.read_csv(path, sep=";", dtype=str)
    rows = []
    for region, label, *cells in frame.itertuples(index=False, name=None):
        municipality = ids[region.split(" ", 1)[0]]
        indicator = by_name[label]
        for year, cell in zip(YEARS, cells, strict=True):
            rows.append(
                BareValue(
                    indicator_id=indicator,
                    municipality_id=municipality,
                    year=year,
                    value=cell.replace(",", "."),
                    missing_reason="",
                    imported_at=now,
                    source_file=path.name,
                )
            )
    BareValue.objects.bulk_create(rows, batch_size=5000)
    seconds = time.perf_counter() - t0
    assert BareValue.objects.count() == len(rows)
    return seconds


def main() -> None:
    tmp = setup_django()
    from keyfigures.models import Indicator, IndicatorValue
    from keyfigures.services.imports import import_indicator_file
    from reference.models import Municipality

    existing = Indicator.objects.count()
    for i in range(30 - existing):
        Indicator.objects.create(
            code=f"bench-{i}",
            theme="Bench",
            name_nb=f"Benchmark-indikator {i}",
            definition_nb="Generert for måling.",
            unit="per_1000",
            source_publisher="Bench",
            source_table="-",
        )
    indicators = list(Indicator.objects.values_list("pk", "name_nb"))
    municipalities = list(Municipality.objects.values_list("number", "name"))
    path = tmp / "generated.csv"
    _generate(path, municipalities, [name for _pk, name in indicators])
    data = path.read_bytes()
    values = len(municipalities) * len(indicators) * len(YEARS)

    baseline_seconds = _bare_baseline(
        path, indicators, list(Municipality.objects.values_list("number", "pk"))
    )

    t0 = time.perf_counter()
    report = import_indicator_file(data=data, filename=path.name)
    import_seconds = time.perf_counter() - t0
    assert report.created == values == IndicatorValue.objects.count(), report

    t0 = time.perf_counter()
    again = import_indicator_file(data=data, filename=path.name)
    reimport_seconds = time.perf_counter() - t0
    assert (again.created, again.updated, again.unchanged) == (0, 0, values), again

    # Peak memory of a first import, traced from start to end in a run of its own (not the
    # timed one): the values are deleted first so it creates all 107,100 again.
    IndicatorValue.objects.all().delete()
    tracemalloc.start()
    traced = import_indicator_file(data=data, filename=path.name)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert traced.created == values

    print(f"indicator_values: {values} values")
    print(f"file_size: {len(data) / 1e6:.1f} MB")
    print(f"import_time: {import_seconds:.2f} s")
    print(f"import_peak_memory: {peak / 1e6:.0f} MB")
    print(f"baseline_read_csv_plus_bulk_create: {baseline_seconds:.2f} s")
    print(f"import_to_baseline_ratio: {import_seconds / baseline_seconds:.2f} x")
    print(f"reimport_time: {reimport_seconds:.2f} s")
    print(f"reimport_changed: {again.created + again.updated} values")
    print(f"reimport_to_import_ratio: {reimport_seconds / import_seconds:.2f} x")
    # The promise, checked on every run (that it changes nothing is asserted above).
    if reimport_seconds > import_seconds:
        raise SystemExit("the re-import was slower than the first import")
