"""A measure past its deadline: its owner is told once per deadline (the municipality's
editors when no user owns it), in their language, through the outbox and a real SMTP server."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import Profile
from notifications.models import Kind, OptOut, OverdueNotice
from notifications.services import send_overdue_measures
from outbox.models import OutgoingMessage
from outbox.sender import send_due_messages
from plans.models import Measure, MeasureStatus
from tests.plans.test_measures import new_measure

pytestmark = pytest.mark.django_db


def overdue(analysis, planner, *, days: int = 3, **values) -> tuple[Measure, datetime.date]:
    deadline = analysis.round.opens_on + datetime.timedelta(days=10)
    measure = new_measure(analysis, planner, deadline=deadline, **values)
    return measure, deadline + datetime.timedelta(days=days)


def test_the_owner_is_told_once_however_often_the_reminders_run(
    smtp_server, analysis, planner, reader, with_emails
):
    measure, today = overdue(analysis, planner, owner_user=planner)
    for _hour in range(3):
        send_overdue_measures(today=today)
        send_due_messages()
    (mail,) = smtp_server.received
    assert mail.to == ["planner@example.test"]  # the owner only, not the reader
    assert mail.subject == "Tiltaket «Boligsosial handlingsplan» (Fauske) har passert fristen"
    assert "for 3 dager siden" in mail.text and "planlagt" in mail.text
    assert f"/tiltak/{measure.pk}/" in mail.text
    assert OverdueNotice.objects.get().deadline == measure.deadline


def test_without_a_user_as_owner_the_municipalitys_editors_are_told(
    analysis, planner, reader, other_planner, with_emails
):
    overdue(analysis, planner, owner_name="Kari Nordmann", owner_role="Boligkonsulent")
    assert send_overdue_measures(today=analysis.round.opens_on + datetime.timedelta(days=20)) == 1
    # Fauske's editor: not its reader, not Vefsn's editor.
    assert list(OutgoingMessage.objects.values_list("to", flat=True)) == ["planner@example.test"]


def test_the_message_is_in_the_owners_language(analysis, planner, with_emails):
    Profile.objects.create(user=planner, language="nn")
    _measure, today = overdue(analysis, planner, owner_user=planner)
    send_overdue_measures(today=today)
    assert OutgoingMessage.objects.get().subject.startswith("Tiltaket «Boligsosial handlingsplan»")
    assert "har gått over fristen" in OutgoingMessage.objects.get().subject


@pytest.mark.parametrize("status", [MeasureStatus.DONE, MeasureStatus.STOPPED])
def test_a_measure_that_is_done_or_stopped_is_never_overdue(analysis, planner, with_emails, status):
    measure, today = overdue(analysis, planner, owner_user=planner)
    Measure.objects.filter(pk=measure.pk).update(status=status, stop_reason="Lagt inn i budsjettet")
    assert send_overdue_measures(today=today) == 0


def test_a_deadline_not_yet_passed_tells_nobody(analysis, planner, with_emails):
    measure, _today = overdue(analysis, planner, owner_user=planner)
    assert send_overdue_measures(today=measure.deadline) == 0
    assert not OverdueNotice.objects.exists()


def test_a_new_deadline_that_passes_is_told_again(analysis, planner, with_emails):
    measure, today = overdue(analysis, planner, owner_user=planner)
    assert send_overdue_measures(today=today) == 1
    Measure.objects.filter(pk=measure.pk).update(deadline=today + datetime.timedelta(days=5))
    assert send_overdue_measures(today=today + datetime.timedelta(days=1)) == 0
    assert send_overdue_measures(today=today + datetime.timedelta(days=7)) == 1


def test_an_owner_who_turned_these_messages_off_gets_none(analysis, planner, with_emails):
    OptOut.objects.create(user=planner, kind=Kind.MEASURE_OVERDUE)
    _measure, today = overdue(analysis, planner, owner_user=planner)
    assert send_overdue_measures(today=today) == 0
