"""The apps depend on each other one way (DESIGN.md, Layout): outbox (e-mail, importing none
of ours) at the bottom, then reference, accounts, keyfigures, analysis, factors,
notifications, overview, reports, demo. A module that imports from
an app above its own fails here, as does a new migration that depends on one."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest
from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from importlinter.cli import lint_imports

# Lowest first, as INSTALLED_APPS lists them (boligsosial/settings.py).
LAYERS = [
    "jobs",
    "outbox",
    "reference",
    "accounts",
    "keyfigures",
    "analysis",
    "factors",
    "plans",
    "notifications",
    "overview",
    "reports",
]

# Migrations written before the apps took their present shape (issue 10): they moved models
# between apps with state-only operations, which needs dependencies both ways, once.
HISTORY = {
    ("analysis", "0001_initial"),
    ("analysis", "0002_link_projects_and_history_to_factors"),
    ("analysis", "0003_record_indicator_source_file"),
    ("analysis", "0004_check_choice_values_in_the_database"),
    ("analysis", "0005_record_history_of_structures_and_projects"),
    ("analysis", "0006_keep_classifications_and_official_aggregates"),
    ("analysis", "0007_indicator_source_table_may_be_unknown"),
    ("analysis", "0008_hand_over_reference_people_and_key_figures"),
    ("factors", "0001_initial"),
    ("reference", "0001_adopt_reference_tables"),
    ("accounts", "0001_adopt_memberships"),
    ("keyfigures", "0001_adopt_key_figure_tables"),
}


def test_the_apps_are_installed_lowest_first():
    installed = [app for app in settings.INSTALLED_APPS if app in LAYERS]
    assert installed == LAYERS


def test_no_module_imports_an_app_above_its_own():
    output = io.StringIO()
    with redirect_stdout(output):
        result = lint_imports(no_cache=True, no_logo=True)
    assert result == 0, output.getvalue()


@pytest.mark.django_db
def test_no_migration_since_the_layout_depends_on_an_app_above_its_own():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    wrong = []
    for (app, name), migration in loader.disk_migrations.items():
        if app not in LAYERS or (app, name) in HISTORY:
            continue
        for dependency_app, _dependency in migration.dependencies:
            if dependency_app in LAYERS and LAYERS.index(dependency_app) > LAYERS.index(app):
                wrong.append(f"{app}.{name} → {dependency_app}")
    assert not wrong, wrong
