"""The migrations, run on an empty database, make exactly the tables the models describe (the
test database is made from the models: tests/conftest.py). A database made before the apps
took their present shape (issue 10) keeps every row when it is migrated, and the application
works on it.

The test takes the database back to the old layout (analysis 0007, factors 0001, reports
0001: reference data, memberships, key figures and invitations in `analysis`, the success
factors in `factors`, a revision pointing at its assessment by foreign key), fills it through
the models as they were then, and migrates it forward again.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

OLD_LAYOUT = [
    ("analysis", "0007_indicator_source_table_may_be_unknown"),
    ("factors", "0001_initial"),
    ("reports", "0001_initial"),
    # The apps the move created had no migration yet.
    ("reference", None),
    ("accounts", None),
    ("keyfigures", None),
]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    # The loader read the graph before migrating: read it again for what comes next.
    return MigrationExecutor(connection)


# Django's own auth app, on PostgreSQL: its migrations give the tables of its many-to-many
# fields a bigint id, its models an integer one (SQLite has one integer type). Ids in tests
# stay far below either limit; every other column of theirs is compared.
AUTH_MANY_TO_MANY = {"auth_group_permissions", "auth_user_groups", "auth_user_user_permissions"}


@contextmanager
def an_empty_database():
    """The default connection points at a new, empty database on the same server while the
    block runs (the migrations' data steps use the default connection, so they must too)."""
    original = connection.settings_dict["NAME"]
    quote = connection.ops.quote_name
    empty = f"{original}_empty"
    connection.close()
    if connection.vendor == "sqlite":
        Path(empty).unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(empty)}")
            cursor.execute(f"CREATE DATABASE {quote(empty)}")
        connection.close()
    connection.settings_dict["NAME"] = empty
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        if connection.vendor == "sqlite":
            Path(empty).unlink(missing_ok=True)
        else:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(empty)} WITH (FORCE)")


def schema() -> dict[str, list[str]]:
    """Every table's columns (name, type, size, null, default …), keys, checks and indexes
    with their names, as the database describes them."""
    if connection.vendor == "sqlite":
        return _sqlite_schema()
    introspection = connection.introspection
    tables = {}
    with connection.cursor() as cursor:
        for table in introspection.table_names(cursor):
            columns = [repr(tuple(c)) for c in introspection.get_table_description(cursor, table)]
            constraints = [
                repr((name, sorted(c.items())))
                for name, c in introspection.get_constraints(cursor, table).items()
            ]
            tables[table] = sorted(columns + constraints)
    return tables


def _sqlite_schema() -> dict[str, list[str]]:
    """SQLite keeps each table as its CREATE statement (Django's introspection cannot read a
    check such as `IN (1, 2, 3)` back): the statement's columns and constraints, in any order,
    and the statements of the table's indexes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL"
            " AND name NOT LIKE 'sqlite_%'"
        )
        rows = cursor.fetchall()
    tables = {name: _top_level_parts(sql) for kind, name, _, sql in rows if kind == "table"}
    for kind, _, table, sql in rows:
        if kind == "index":
            tables[table].append(sql)
    return {table: sorted(parts) for table, parts in tables.items()}


def _top_level_parts(create_table: str) -> list[str]:
    """The comma-separated parts between the outer parentheses of a CREATE TABLE."""
    body = create_table[create_table.index("(") + 1 : create_table.rindex(")")]
    parts, depth, quoted, start = [], 0, None, 0
    for i, char in enumerate(body):
        if quoted:
            quoted = None if char == quoted else quoted
        elif char in "'\"":
            quoted = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(body[start:i].strip())
            start = i + 1
    return [*parts, body[start:].strip()]


def test_the_migrations_make_the_tables_the_models_describe():
    from_models = schema()

    with an_empty_database():
        executor = MigrationExecutor(connection)
        assert executor.migration_plan(executor.loader.graph.leaf_nodes())
        migrate(executor.loader.graph.leaf_nodes())
        migrated = schema()

    assert migrated.keys() == from_models.keys()
    for table, described in from_models.items():
        made = migrated[table]
        if table in AUTH_MANY_TO_MANY:
            described, made = (
                [part for part in parts if not part.startswith("('id', ")]
                for parts in (described, made)
            )
        assert made == described, table


def table_rows() -> dict[str, list[tuple]]:
    tables = connection.introspection.table_names()
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            if table in {"django_migrations", "sqlite_sequence"}:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [c[0] for c in cursor.description]
            rows[table] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return rows


def fill_old_layout(apps) -> dict:
    """One of everything the move touched, through the models of the old layout."""
    User = apps.get_model("auth", "User")
    Municipality = apps.get_model("analysis", "Municipality")
    Membership = apps.get_model("analysis", "Membership")
    Questionnaire = apps.get_model("analysis", "Questionnaire")
    Round = apps.get_model("analysis", "Round")
    Analysis = apps.get_model("analysis", "Analysis")
    Question = apps.get_model("analysis", "Question")
    Answer = apps.get_model("analysis", "Answer")
    Revision = apps.get_model("analysis", "Revision")
    Indicator = apps.get_model("analysis", "Indicator")
    IndicatorValue = apps.get_model("analysis", "IndicatorValue")
    Invitation = apps.get_model("analysis", "Invitation")
    Project = apps.get_model("analysis", "Project")
    TargetGroup = apps.get_model("analysis", "TargetGroup")
    SuccessFactor = apps.get_model("factors", "SuccessFactor")
    FactorAssessment = apps.get_model("factors", "FactorAssessment")
    UserOrganisationInput = apps.get_model("factors", "UserOrganisationInput")

    fauske = Municipality.objects.get(number="1841")
    planner = User.objects.create(username="gammel-planlegger")
    Membership.objects.create(user=planner, role="editor", municipality=fauske)
    round_ = Round.objects.create(
        year=2025,
        title="Foranalyse 2025",
        questionnaire=Questionnaire.objects.get(edition=1),
        opens_on=datetime.date(2025, 1, 1),
        closes_on=datetime.date(2025, 12, 31),
    )
    analysis = Analysis.objects.create(municipality=fauske, round=round_, status="in_progress")
    question = Question.objects.filter(section__questionnaire=round_.questionnaire).first()
    answer = Answer.objects.create(analysis=analysis, question=question, value="Før flyttingen")
    Revision.objects.create(analysis=analysis, answer=answer, new_value="Før flyttingen")
    factor = SuccessFactor.objects.get(number=1)
    assessment = FactorAssessment.objects.create(
        analysis=analysis, factor=factor, score=3, status="Der vi står"
    )
    Revision.objects.create(
        analysis=analysis,
        kind="assessment",
        assessment=assessment,
        new_value={"score": 3, "status": "Der vi står", "challenges": "", "evidence": ""},
        changed_by=planner,
    )
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code="kommunale-boliger-per-1000"),
        municipality=fauske,
        year=2024,
        value=21,
    )
    invitation = Invitation.objects.create(
        analysis=analysis,
        organisation_name="Leieboerforeningen",
        token="gammel-lenke",
        expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
    )
    UserOrganisationInput.objects.create(invitation=invitation, comment="Innspill")
    project = Project.objects.create(municipality=fauske, name="Bo trygt")
    project.target_groups.set(TargetGroup.objects.all()[:2])
    project.factors.set([factor])
    return {"analysis": analysis.pk, "assessment": assessment.pk, "planner": planner.pk}


def test_a_database_of_the_old_layout_keeps_every_row_and_works(client):
    executor = migrate(OLD_LAYOUT)
    state = executor.loader.project_state([t for t in OLD_LAYOUT if t[1] is not None])
    made = fill_old_layout(state.apps)
    before = table_rows()

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    after = table_rows()

    # Every table is still there under its name, with the same rows, but for two deliberate
    # changes: a revision names its assessment by object_id now, and the moved models' content
    # types (what permissions and the admin's history point at) follow them to their apps.
    # Tables of migrations newer than the layout come back empty; none of the old is lost.
    assert set(before) <= set(after)
    assert all(not after[table] for table in set(after) - set(before))
    for table in before:
        if table in {"analysis_revision", "django_content_type"}:
            continue
        # Columns added by migrations newer than the layout are left out of the comparison.
        kept = (
            [{k: row[k] for k in before[table][0]} for row in after[table]]
            if before[table]
            else after[table]
        )
        assert kept == before[table], table
    moved = {(row["app_label"], row["model"]): row["id"] for row in before["django_content_type"]}
    now = {(row["app_label"], row["model"]): row["id"] for row in after["django_content_type"]}
    assert now[("reference", "municipality")] == moved[("analysis", "municipality")]
    assert now[("reference", "successfactor")] == moved[("factors", "successfactor")]
    assert now[("accounts", "membership")] == moved[("analysis", "membership")]
    assert now[("keyfigures", "indicatorvalue")] == moved[("analysis", "indicatorvalue")]
    assert now[("factors", "invitation")] == moved[("analysis", "invitation")]
    assert set(moved.values()) <= set(now.values())
    old_revisions = {row["id"]: row for row in before["analysis_revision"]}
    for row in after["analysis_revision"]:
        old = old_revisions.pop(row["id"])
        expected_object = old["assessment_id"] if old["kind"] == "assessment" else old["object_id"]
        assert row["object_id"] == expected_object
        assert {k: v for k, v in row.items() if k != "object_id"} == {
            k: v for k, v in old.items() if k not in {"object_id", "assessment_id"}
        }
    assert not old_revisions

    # The application reads the migrated rows through today's models.
    from factors.models import FactorAssessment

    assessment = FactorAssessment.objects.get(pk=made["assessment"])
    assert assessment.revisions.get().new_value["status"] == "Der vi står"
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(pk=made["planner"]))
    history = client.get(
        reverse("factors:assessment_history", args=[made["analysis"], 1]),
    )
    assert history.status_code == 200
    assert "Der vi står" in history.text
    assert client.get(reverse("analysis:detail", args=[made["analysis"]])).status_code == 200
