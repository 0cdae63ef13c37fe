"""A write replaces the content token of its municipality's analyses inside its transaction,
but never waits there for a row another writer holds: two people saving two analyses of one
municipality (last round's, sent back, and this round's) would each wait for the other's
analysis and deadlock. The row held elsewhere gets its new token right after the commit
(analysis/versions.py). Against PostgreSQL, whose row locks these are; SQLite locks the
whole database instead."""

import threading

import pytest
from django.db import connection, transaction

from analysis.models import Analysis, AnalysisStatus, Unit
from tests.factories import FAUSKE, analysis_of, open_year

pytestmark = pytest.mark.django_db(transaction=True)


def token(analysis) -> str:
    return Analysis.objects.values_list("content_token", flat=True).get(pk=analysis.pk)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_a_write_skips_the_analysis_another_writer_holds_and_replaces_its_token_after_commit(
    analysis,
):
    sent_back = analysis_of(open_year(analysis.round.year - 1), FAUSKE)
    sent_back.status = AnalysisStatus.SENT_BACK
    sent_back.save()
    locked, release = threading.Event(), threading.Event()

    def hold_the_other_analysis():
        try:
            with transaction.atomic():
                Analysis.objects.select_for_update().get(pk=sent_back.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_other_analysis)
    holder.start()
    assert locked.wait(timeout=10)
    before = {a.pk: token(a) for a in (analysis, sent_back)}
    with transaction.atomic():
        # A unit belongs to the municipality: both analyses' pages show it.
        Unit.objects.create(municipality=analysis.municipality, name="Eiendom")
        # Did not wait for the held row: this analysis has its new token already.
        assert token(analysis) != before[analysis.pk]
        assert token(sent_back) == before[sent_back.pk]
        release.set()
    holder.join(timeout=10)
    # After the commit, the held row got its new token too.
    assert token(sent_back) != before[sent_back.pk]


class RolledBack(Exception):
    pass


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_a_write_outside_a_transaction_waits_for_the_held_analysis_and_replaces_its_token(
    analysis,
):
    """With no transaction of its own there is no commit to replace a skipped row's token
    after; and a writer holding nothing cannot deadlock, so it waits instead. The holder
    rolls back, as a refused save does: its own token change is undone, the write's stays."""
    sent_back = analysis_of(open_year(analysis.round.year - 1), FAUSKE)
    locked = threading.Event()

    def hold_then_roll_back():
        try:
            with transaction.atomic():
                Analysis.objects.select_for_update().get(pk=sent_back.pk)
                locked.set()
                threading.Event().wait(0.5)
                raise RolledBack
        except RolledBack:
            pass
        finally:
            connection.close()

    holder = threading.Thread(target=hold_then_roll_back)
    holder.start()
    assert locked.wait(timeout=10)
    before = token(sent_back)
    assert not connection.in_atomic_block
    Unit.objects.create(municipality=analysis.municipality, name="Eiendom")
    holder.join(timeout=10)
    assert token(sent_back) != before
