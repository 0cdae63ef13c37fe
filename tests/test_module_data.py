"""Data a module makes once (tests/module_data.py) has its foreign keys checked when it is
made, on PostgreSQL, which defers them: not again at the end of every test, and a broken
reference fails where it is made (conftest.py's pytest_fixture_setup)."""

import pytest
from django.db import IntegrityError, connection, transaction

from analysis.models import Analysis
from tests.module_data import check_deferred_constraints

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="deferred foreign keys: PostgreSQL (SQLite checks them with a pragma instead)",
    ),
]


def break_a_reference() -> None:
    """An analysis pointing at a round that does not exist, which PostgreSQL lets pass until
    the deferred checks run."""
    analysis = Analysis.objects.order_by("pk").first()
    Analysis.objects.filter(pk=analysis.pk).update(round_id=analysis.round_id + 1000)


@pytest.fixture(scope="module")
def a_broken_reference_made_once(django_db_blocker):
    with django_db_blocker.unblock():
        break_a_reference()


def test_a_broken_reference_in_a_modules_data_fails_where_the_data_is_made(round_, request):
    with pytest.raises(IntegrityError), transaction.atomic():
        request.getfixturevalue("a_broken_reference_made_once")


def test_the_deferred_checks_of_an_open_transaction_are_run(round_, pytestconfig):
    with pytest.raises(IntegrityError), transaction.atomic():
        break_a_reference()
        check_deferred_constraints(pytestconfig)
