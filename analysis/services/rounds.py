"""Rounds over the years. Opening a round gives every active municipality an analysis row
(status "not started"), so overviews list everyone without special cases. A municipality
starts its new analysis from a copy of the previous round's, so it updates rather than
rewrites (the evaluation of Husbanken's programme followed the same municipalities three
years in a row)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditAction
from analysis import parts, signals
from analysis.models import (
    Analysis,
    AnalysisStatus,
    Answer,
    Revision,
    Round,
)
from analysis.selectors.core import previous_analysis
from analysis.services.workflow import touch_analysis
from reference.models import Municipality, Question, Questionnaire


def _open_rounds_one_at_a_time() -> None:
    """Until the transaction ends, no other may open (or change) a round, so the checks below
    still hold when the round is written: two openings at once used to pass them both and
    then both write (two overlapping rounds, or an IntegrityError for the same year: issue
    11). On PostgreSQL a table lock that conflicts with itself and with any write to the
    table, while reads go on; on SQLite every transaction already begins with the database's
    write lock (settings: transaction_mode IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Round._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


def check_round_dates(
    opens_on: datetime.date, closes_on: datetime.date, *, other_than: Round | None = None
) -> None:
    """A round closes after it opens and overlaps no other round (one open at a time). Call
    it under _open_rounds_one_at_a_time, in the transaction that saves the dates."""
    if closes_on < opens_on:
        raise ValidationError(_("A round cannot close before it opens."))
    overlapping = Round.objects.filter(Q(opens_on__lte=closes_on) & Q(closes_on__gte=opens_on))
    if other_than is not None:
        overlapping = overlapping.exclude(pk=other_than.pk)
    if overlapping.exists():
        raise ValidationError(
            _("The dates overlap with %(round)s. Only one round can be open at a time.")
            % {"round": overlapping.first().title}
        )


@transaction.atomic
def change_round(round_: Round, *, title: str, opens_on: datetime.date, closes_on: datetime.date):
    """New title or dates for a round (the administration's change form), under the same
    lock and checks as opening one."""
    _open_rounds_one_at_a_time()
    check_round_dates(opens_on, closes_on, other_than=round_)
    round_.title, round_.opens_on, round_.closes_on = title, opens_on, closes_on
    round_.full_clean()
    round_.save(update_fields=["title", "opens_on", "closes_on"])


@transaction.atomic
def open_round(
    *,
    year: int,
    title: str,
    questionnaire: Questionnaire,
    opens_on: datetime.date,
    closes_on: datetime.date,
) -> Round:
    _open_rounds_one_at_a_time()
    if Round.objects.filter(year=year).exists():
        raise ValidationError(_("There is already a round for %(year)s.") % {"year": year})
    check_round_dates(opens_on, closes_on)
    round_ = Round(
        year=year, title=title, questionnaire=questionnaire, opens_on=opens_on, closes_on=closes_on
    )
    round_.full_clean()
    round_.save()
    # A municipality whose latest analysis is demo data gets a demo analysis again, so its
    # new round says the content is invented from the first page on (and a copy of the
    # previous round's answers stays marked).
    latest_is_demo = dict(
        Analysis.objects.filter(round__year__lt=year)
        .order_by("municipality_id", "round__year")
        .values_list("municipality_id", "is_demo")
    )
    Analysis.objects.bulk_create(
        [
            Analysis(municipality_id=pk, round=round_, is_demo=latest_is_demo.get(pk, False))
            for pk in Municipality.objects.current().values_list("pk", flat=True)
        ]
    )
    audit.record(AuditAction.ROUND_OPENED, target=round_.title, details={"year": year})
    signals.round_opened.send(sender=Round, round=round_)
    return round_


def next_round_suggestion(today: datetime.date | None = None) -> dict:
    """Values that fit after the newest round: next year, opening the day after it closes
    and running a year, so the administrator only checks them."""
    latest = Round.objects.order_by("-year").select_related("questionnaire").first()
    if latest is None:
        today = today or datetime.date.today()
        year, opens = today.year, datetime.date(today.year, 1, 1)
    else:
        year = latest.year + 1
        opens = max(latest.closes_on + datetime.timedelta(days=1), datetime.date(year, 1, 1))
    # A year less a day; 1 January gives 31 December.
    closes = opens.replace(year=opens.year + 1, day=min(opens.day, 28)) - datetime.timedelta(
        days=1 if opens.day <= 28 else 0
    )
    return {
        "year": year,
        "title": _("Pre-analysis %(year)s") % {"year": year},
        "opens_on": opens,
        "closes_on": closes,
        "questionnaire": Questionnaire.objects.filter(published_at__isnull=False)
        .order_by("-edition")
        .first(),
    }


@transaction.atomic
def start_from_previous_round(*, analysis: Analysis, by: User) -> Analysis:
    """Copy answers and every part's rows (assessments, the responsibility map, cooperation,
    allocation: analysis/parts.py) from the municipality's previous analysis. Every copy is a
    new row marked carried over; nothing is shared by reference, and each answer's history
    starts with a note of where it came from. Questions are matched by section and question
    key, so a new edition keeps what still fits. Projects belong to the municipality and carry
    over by themselves."""
    analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
    if analysis.status != AnalysisStatus.NOT_STARTED:
        raise ValidationError(_("Only an analysis that has not been started can be copied into."))
    source = previous_analysis(analysis)
    if source is None:
        raise ValidationError(_("There is no earlier round to start from."))
    note = _("Carried over from %(round)s") % {"round": source.round.title}
    questions = {
        (q.section.key, q.key): q
        for q in Question.objects.filter(
            section__questionnaire_id=analysis.round.questionnaire_id
        ).select_related("section")
    }
    for old in Answer.objects.filter(analysis=source).select_related("question__section"):
        question = questions.get((old.question.section.key, old.question.key))
        if question is None or not old.value:
            continue
        answer = Answer.objects.create(
            analysis=analysis,
            question=question,
            value=old.value,
            carried_over=True,
            updated_by=by,
        )
        Revision.objects.create(
            analysis=analysis,
            answer=answer,
            old_value=None,
            new_value=old.value,
            changed_by=by,
            note=note,
        )
    for part in parts.all_parts():
        part.carry_over(source=source, target=analysis, by=by, note=note)
    analysis.previous = source
    # Invented answers stay invented when copied into a new round.
    analysis.is_demo = analysis.is_demo or source.is_demo
    analysis.save(update_fields=["previous", "is_demo"])
    touch_analysis(analysis=analysis, by=by)
    return analysis
