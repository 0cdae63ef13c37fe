"""A save that writes many rows against one that writes a single row: the first save of a
responsibility map with one cell and with every task area for three units, each cell a row
and a revision. Both go through the service, timed in turns (one cell, many cells, one cell
…) on fresh units each time, so a busy machine slows both alike and the ratio holds; the
query counts are printed beside them.

The pages' token (analysis/versions.py) is replaced once for a save however many rows it
writes. Measured here on SQLite (2026-12-06): the map of 27 cells ran 73 queries and took
2.06 times the map of one cell (21 queries); while the token was replaced once a row, 99
queries and 3.69 times.
"""

from __future__ import annotations

import statistics
import time

from bench._setup import setup_django

ROUNDS = 15
UNITS = 3


def main() -> None:
    setup_django()
    import datetime

    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from analysis import merge
    from analysis.models import Analysis
    from analysis.services import structures
    from analysis.services.rounds import open_round
    from reference.models import Questionnaire, TaskArea

    round_ = open_round(
        year=2026,
        title="Foranalyse 2026",
        questionnaire=Questionnaire.objects.get(edition=1),
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 12, 31),
    )
    analysis = Analysis.objects.get(round=round_, municipality__number="1841")
    planner = User.objects.create(username="planner")
    areas = list(TaskArea.objects.all())

    def first_save(turn: int, label: str, areas_used, unit_count: int) -> tuple[float, int]:
        units = [
            structures.add_unit(analysis=analysis, name=f"{label} {turn}.{i}", by=planner)
            for i in range(unit_count)
        ]
        cells = {(a.pk, u.pk): "responsible" for a in areas_used for u in units}
        base = {structures.cell_key(a, u): merge.fingerprint("") for a, u in cells}
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            structures.save_responsibility_map(
                analysis=analysis, cells=cells, base=base, by=planner
            )
            elapsed = (time.perf_counter() - t0) * 1000
        return elapsed, len(queries)

    many_cells = len(areas) * UNITS
    first_save(0, "warm", areas[:1], 1)
    one, many = [], []
    for turn in range(ROUNDS):
        one.append(first_save(turn, "one", areas[:1], 1))
        many.append(first_save(turn, "many", areas, UNITS))
    one_ms = statistics.median(t for t, _q in one)
    many_ms = statistics.median(t for t, _q in many)
    print(f"saves.map_1_cell: {one_ms:.1f} ms, {one[-1][1]} queries")
    print(f"saves.map_{many_cells}_cells: {many_ms:.1f} ms, {many[-1][1]} queries")
    print(f"saves.map_{many_cells}_cells_vs_1: {many_ms / one_ms:.2f} ratio")
