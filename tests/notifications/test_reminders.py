"""Reminders before a round closes: to the editors of municipalities that have not submitted,
and to their advisers with the list; each once, however often the command runs."""

from __future__ import annotations

import datetime
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from analysis.models import AnalysisStatus
from factors.services import invitations
from notifications.models import Kind, OptOut, Reminder
from notifications.services import reminder_stage, send_reminders
from outbox.models import OutgoingMessage
from outbox.sender import send_due_messages

pytestmark = pytest.mark.django_db


def days_before_close(round_, days: int) -> datetime.date:
    return round_.closes_on - datetime.timedelta(days=days)


def test_the_stage_is_the_nearest_reminder_day_reached(round_, settings):
    settings.REMINDER_DAYS_BEFORE_CLOSE = [14, 3]
    assert reminder_stage(round_, days_before_close(round_, 20)) is None
    assert reminder_stage(round_, days_before_close(round_, 14)) == 14
    assert reminder_stage(round_, days_before_close(round_, 4)) == 14
    assert reminder_stage(round_, days_before_close(round_, 3)) == 3
    assert reminder_stage(round_, days_before_close(round_, 0)) == 3
    assert reminder_stage(round_, round_.closes_on + datetime.timedelta(days=1)) is None


def test_reminders_go_out_once_over_repeated_runs_and_once_more_at_the_next_stage(
    smtp_server, round_, other_analysis, with_emails, settings
):
    settings.REMINDER_DAYS_BEFORE_CLOSE = [14, 3]
    other_analysis.status = AnalysisStatus.SUBMITTED  # Vefsn has submitted
    other_analysis.save()
    for _hour in range(3):
        send_reminders(today=days_before_close(round_, 10))
        send_due_messages()
    assert sorted(r.to[0] for r in smtp_server.received) == [
        "adviser@example.test",
        "outside_adviser@example.test",  # Troms og Finnmark has municipalities left too
        "planner@example.test",
    ]  # not Vefsn's editor (Vefsn submitted), not the reader
    planner_mail = smtp_server.to("planner@example.test")[0]
    assert planner_mail.subject == "Påminnelse: Foranalyse 2026 stenger om 10 dager"
    adviser_mail = smtp_server.to("adviser@example.test")[0]
    assert "Fauske" in adviser_mail.text and "Vefsn" not in adviser_mail.text
    for _hour in range(3):
        send_reminders(today=days_before_close(round_, 2))
        send_due_messages()
    assert len(smtp_server.received) == 6
    assert Reminder.objects.filter(days_before=3).count() == 3


def test_a_person_who_turned_reminders_off_gets_none(round_, planner, with_emails, settings):
    settings.REMINDER_DAYS_BEFORE_CLOSE = [7]
    OptOut.objects.create(user=planner, kind=Kind.REMINDER)
    send_reminders(today=days_before_close(round_, 5))
    assert not OutgoingMessage.objects.filter(to="planner@example.test").exists()
    assert OutgoingMessage.objects.filter(to="adviser@example.test").exists()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_remind_each_person_once(reference_data, settings):
    from accounts.models import Role
    from tests.factories import FAUSKE, make_user, open_year

    round_ = open_year(2026)
    make_user("p", role=Role.EDITOR, municipality=FAUSKE, email="p@example.test")
    make_user("r", role=Role.ADVISER, region="Statsforvalteren i Nordland", email="r@example.test")
    settings.REMINDER_DAYS_BEFORE_CLOSE = [7]
    start = threading.Barrier(2)

    def run():
        try:
            start.wait()
            send_reminders(today=days_before_close(round_, 5))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(OutgoingMessage.objects.values_list("to", flat=True)) == [
        "p@example.test",
        "r@example.test",
    ]


def test_a_user_organisation_is_reminded_once_before_its_link_expires(
    analysis, planner, settings, mailoutbox
):
    settings.ORGANISATION_INVITATION_REMINDER_DAYS = 3
    invitation = invitations.create_invitation(
        analysis=analysis,
        organisation_name="Leieboerforeningen",
        by=planner,
        valid_for=datetime.timedelta(days=10),
        email="post@leieboer.example.test",
    )
    assert invitations.remind_unanswered() == 0  # ten days left
    later = timezone.now() + datetime.timedelta(days=8)
    assert invitations.remind_unanswered(now=later) == 1
    assert invitations.remind_unanswered(now=later) == 0
    send_due_messages()
    subjects = [m.subject for m in mailoutbox]
    assert subjects[0] == "Fauske ber om deres syn på det boligsosiale arbeidet"
    assert subjects[1].startswith("Påminnelse: Fauske vil gjerne ha deres syn innen")
    link = f"/faktorer/innspill/{invitation.token}/"
    assert all(link in m.body for m in mailoutbox)
    assert invitation.expires_at.strftime("%Y") in mailoutbox[0].body


def test_the_command_reports_what_it_recorded(round_, with_emails, settings):
    settings.REMINDER_DAYS_BEFORE_CLOSE = [400]
    out = StringIO()
    call_command("send_reminders", stdout=out)
    # Fauske's and Vefsn's editors, the two regions' advisers.
    assert (
        "Reminders: 4 before rounds close, 0 to user organisations,"
        " 0 about measures past their deadline."
    ) in out.getvalue()
