"""Every service that writes more than one row writes all of them or none (issue 11, defect
12: a reply was saved and its thread resolved outside one transaction).

Two ways to find one that is not: the source of every service module, scanned for public
functions that write more than once outside a transaction; and the services themselves, run
with a failure injected at each of their writes after the first, the database compared with
what it was before.
"""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest
from django.db import connection, transaction

from accounts import services as people
from accounts.models import Role
from analysis.models import AnalysisStatus
from analysis.services import review, rounds, structures, workflow
from factors.services import invitations
from reference.models import Municipality, Questionnaire
from tests import snapshots
from tests.factories import FAUSKE, make_unit

ROOT = Path(__file__).resolve().parent.parent

# Calls that write a row (or send a signal whose receivers write one: the outbox, the audit
# log).
WRITES = {
    "save",
    "create",
    "delete",
    "update",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "record",
    "enqueue",
    "send",
    "send_robust",
}

# Public service functions that write more than once outside a transaction of their own, and
# why that is right.
NOT_ATOMIC_ON_PURPOSE = {
    # The background jobs' bookkeeping: each step is one conditional UPDATE that a second run
    # of the task finds done (README, Background work), and files in storage are no rows.
    "jobs/services.py": {"run_item", "run_finish", "prune", "complete"},
    # Runs inside load_reference_data's transaction (the reference loader's `loading` signal).
    "keyfigures/services/catalogue.py": {"load_indicator_catalogue"},
    # A file in storage and its replacement, no rows.
    "keyfigures/services/imports.py": {"keep_checked_file"},
    # Called by load_reference_data, inside its transaction: one create or one update.
    "reference/services/loading.py": {"upsert"},
}


def service_modules() -> list[Path]:
    found = [*ROOT.glob("*/services.py"), *ROOT.glob("*/services/*.py")]
    return sorted(p for p in found if ".venv" not in p.parts)


def _mentions_atomic(node: ast.AST) -> bool:
    return "atomic" in ast.unparse(node)


def writes_outside_a_transaction(function: ast.FunctionDef) -> list[str]:
    if any(_mentions_atomic(d) for d in function.decorator_list):
        return []
    writes = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.With) and any(_mentions_atomic(i.context_expr) for i in node.items):
            return  # what is written inside is one transaction's
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            writes.append(ast.unparse(node.func))
        for child in ast.iter_child_nodes(node):
            visit(child)

    for statement in function.body:
        visit(statement)
    return writes


def test_every_service_that_writes_more_than_once_does_it_in_one_transaction():
    offenders = []
    for path in service_modules():
        relative = path.relative_to(ROOT).as_posix()
        allowed = NOT_ATOMIC_ON_PURPOSE.get(relative, set())
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            writes = writes_outside_a_transaction(node)
            if len(writes) > 1 and node.name not in allowed:
                offenders.append(f"{relative}: {node.name} writes {writes}")
    assert offenders == []


def test_the_scan_finds_a_service_that_is_not_atomic():
    source = """
def add_reply(*, comment, body):
    reply = comment.replies.create(body=body)
    comment.save(update_fields=["resolved_at"])
"""
    [function] = ast.parse(source).body
    assert len(writes_outside_a_transaction(function)) == 2
    atomic = "@transaction.atomic\n" + source.lstrip()
    assert writes_outside_a_transaction(ast.parse(atomic).body[0]) == []


# --- The services run, with a failure at each write after the first ----------------------------


class InjectedFailure(Exception):
    pass


class FailAtWrite:
    """A database wrapper (connection.execute_wrapper) that counts INSERT, UPDATE and DELETE
    statements and raises at the n-th (never, for n=0)."""

    def __init__(self, n: int = 0):
        self.n, self.writes = n, 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            self.writes += 1
            if self.writes == self.n:
                raise InjectedFailure(sql)
        return execute(sql, params, many, context)


# Each sets up what the service needs (from the test's fixtures) and returns the call.


def reply_that_resolves(f):
    analysis, adviser, planner = f("analysis"), f("adviser"), f("planner")
    section = analysis.round.questionnaire.sections.first()
    comment = review.add_comment(analysis=analysis, author=adviser, body="Hei", section=section)
    return lambda: review.add_comment(
        analysis=analysis, author=planner, body="Løst.", parent=comment, resolve=True
    )


def submitted(f):
    analysis = f("analysis")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    return analysis, f("adviser")


def send_back(f):
    analysis, adviser = submitted(f)
    return lambda: workflow.send_back_analysis(analysis=analysis, by=adviser, message="Se her.")


def approve(f):
    analysis, adviser = submitted(f)
    return lambda: workflow.approve_analysis(analysis=analysis, by=adviser)


def open_next_round(f):
    year = f("round_").year + 1
    questionnaire = Questionnaire.objects.get(edition=1)
    return lambda: rounds.open_round(
        year=year,
        title=f"Foranalyse {year}",
        questionnaire=questionnaire,
        opens_on=datetime.date(year, 1, 1),
        closes_on=datetime.date(year, 12, 31),
    )


def add_unit(f):
    analysis, planner = f("analysis"), f("planner")
    return lambda: structures.add_unit(analysis=analysis, name="Helse", by=planner)


def rename_unit(f):
    analysis, planner = f("analysis"), f("planner")
    unit = make_unit(analysis)
    return lambda: structures.rename_unit(
        analysis=analysis, unit=unit, name="Eiendomsforvaltning", by=planner
    )


def invite_an_organisation(f):
    analysis, planner = f("analysis"), f("planner")
    return lambda: invitations.create_invitation(
        analysis=analysis,
        organisation_name="Leieboerforeningen",
        by=planner,
        email="post@leieboer.example",
    )


def invite_a_colleague(f):
    administrator = f("administrator")
    fauske = Municipality.objects.get(number=FAUSKE)
    return lambda: people.invite(
        by=administrator, email="ny@kommune.example", role=Role.EDITOR, municipality=fauske
    )


SERVICES = {
    "add_comment, a reply that resolves": reply_that_resolves,
    "send_back_analysis": send_back,
    "approve_analysis": approve,
    "open_round": open_next_round,
    "add_unit": add_unit,
    "rename_unit": rename_unit,
    "create_invitation, by e-mail": invite_an_organisation,
    "invite": invite_a_colleague,
}


@pytest.mark.django_db
@pytest.mark.parametrize("service", SERVICES)
def test_a_failure_at_any_write_after_the_first_leaves_nothing_written(request, service):
    call = SERVICES[service](request.getfixturevalue)
    before = snapshots.capture()
    # How many writes the service makes: run it once, counted, and undo it.
    counter = FailAtWrite()
    # The whole run in a savepoint that the raise at the end rolls back.
    with (
        pytest.raises(InjectedFailure),
        connection.execute_wrapper(counter),
        transaction.atomic(),
    ):
        call()
        raise InjectedFailure("undo")
    assert counter.writes > 1, "writes one row: nothing to make atomic"
    assert snapshots.capture().tables == before.tables
    for n in range(2, counter.writes + 1):
        with pytest.raises(InjectedFailure), connection.execute_wrapper(FailAtWrite(n)):
            call()
        changed = [
            table
            for table, rows in snapshots.capture().tables.items()
            if rows != before.tables[table]
        ]
        assert changed == [], f"a failure at write {n} of {counter.writes} left {changed}"
