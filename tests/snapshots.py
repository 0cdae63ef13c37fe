"""The database as it was, copied back in a fraction of a second.

Reference data (357 municipalities, the questionnaire, the factors, the catalogue) is loaded
once per test worker, row by row with every check (about 1.7 s). A transactional test (a live
server, a browser) commits what it does; when it ends, the database gets exactly the rows of
a snapshot taken right after the load back, one DELETE and one INSERT per table, instead of
Django's flush and a new load (tests/conftest.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction


@dataclass(frozen=True)
class Snapshot:
    # table → (column names, rows)
    tables: dict[str, tuple[list[str], list[tuple]]]
    # The database it was taken from: a snapshot is only ever put back into that one.
    database: str


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def capture() -> Snapshot:
    """Every row of every table of the installed apps."""
    quote = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (table names are Django's own)
            columns = [c[0] for c in cursor.description]
            tables[table] = (columns, cursor.fetchall())
    return Snapshot(tables, str(connection.settings_dict["NAME"]))


def restore(snapshot: Snapshot) -> None:
    """Make the database hold exactly the snapshot's rows. Foreign keys are checked when the
    transaction commits (Django creates them deferrable), so the order of tables is free."""
    if str(connection.settings_dict["NAME"]) != snapshot.database:
        raise RuntimeError(f"A snapshot of {snapshot.database} is never put into another database")
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
        for table, (columns, rows) in snapshot.tables.items():
            if not rows:
                continue
            names = ", ".join(quote(c) for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                rows,
            )
        # PostgreSQL's sequences must move past the ids copied back.
        models = apps.get_models(include_auto_created=True)
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        for sql in statements:
            cursor.execute(sql)
