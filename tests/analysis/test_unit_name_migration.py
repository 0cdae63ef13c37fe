"""Units whose names differ only in case, saved before the database refused them (issue 11,
defect 9), are all kept when the constraint arrives: the oldest keeps its name."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import FAUSKE, VEFSN

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("analysis", "0009_name_assessment_revisions_by_object_id")]
AFTER = [("analysis", "0010_unit_names_unique_whatever_the_case")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    """The tests after this one on the same worker need every migration, the later ones
    included (a migration after AFTER once left a table missing for them)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_case_duplicates_are_renamed_and_kept(reference_data):
    apps = migrate(BEFORE)
    Unit = apps.get_model("analysis", "Unit")
    Municipality = apps.get_model("reference", "Municipality")
    fauske = Municipality.objects.get(number=FAUSKE)
    vefsn = Municipality.objects.get(number=VEFSN)
    for municipality, name in [
        (fauske, "race-x"),
        (fauske, "RACE-X"),
        (fauske, "Race-X"),
        (fauske, "race-x (2)"),
        (vefsn, "RACE-X"),
        (fauske, "Helse"),
    ]:
        Unit.objects.create(municipality=municipality, name=name)

    apps = migrate(AFTER)

    Unit = apps.get_model("analysis", "Unit")
    assert list(Unit.objects.order_by("pk").values_list("municipality__number", "name")) == [
        (FAUSKE, "race-x"),
        (FAUSKE, "RACE-X (3)"),
        (FAUSKE, "Race-X (4)"),
        (FAUSKE, "race-x (2)"),
        (VEFSN, "RACE-X"),
        (FAUSKE, "Helse"),
    ]
