"""The browser tests' demo data, seeded once per test worker and then copied back.

Every browser test commits what it does, and the database is put back to the reference data
when it ends; seeding the demo data again for the next one cost about 1.9 s a test
(`seed_demo` row by row), copying the rows back from a snapshot about 0.1 s. The snapshot is
only taken, and only put back, over a database that holds exactly the reference data;
anything else (a test that made its own users first) gets `seed_demo` itself. The command's
own tests (tests/demo) always run it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tests import snapshots

# The database right after seed_demo over the reference data, once per worker.
_demo_rows: snapshots.Snapshot | None = None


def _holds_exactly(snapshot: snapshots.Snapshot) -> bool:
    """Whether the database's rows are the snapshot's (in any order)."""
    now = snapshots.capture()
    return (
        now.database == snapshot.database
        and now.tables.keys() == snapshot.tables.keys()
        and all(
            now.tables[t][0] == columns
            and sorted(map(repr, now.tables[t][1])) == sorted(map(repr, rows))
            for t, (columns, rows) in snapshot.tables.items()
        )
    )


@pytest.fixture
def demo_data(reference_data, django_db_setup):
    global _demo_rows
    if not _holds_exactly(django_db_setup):
        call_command("seed_demo", stdout=StringIO())
    elif _demo_rows is not None:
        snapshots.restore(_demo_rows)
    else:
        call_command("seed_demo", stdout=StringIO())
        _demo_rows = snapshots.capture()
