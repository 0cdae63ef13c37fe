"""The scheduler (manage.py run_schedule, compose's `scheduler`): the commands a server runs
on a schedule, in one process that survives a failing command and stops cleanly."""

from __future__ import annotations

import datetime
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command, get_commands
from django.utils import timezone

from accounts import audit
from accounts.models import AuditAction, AuditEvent
from tests.factories import make_user
from tests.module_data import SSB_NEVER_REACHED
from tests.processes import ROOT, environment, wait_for


def an_old_and_a_new_event() -> AuditEvent:
    user = make_user("planlegger.skjema")
    old = audit.record(AuditAction.LOGIN, actor=user)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=400))
    return audit.record(AuditAction.LOGIN, actor=user)


def test_every_scheduled_command_exists_and_the_email_sender_runs_most_often():
    names = [name for name, _every in django_settings.SCHEDULED_COMMANDS]
    assert set(names) <= set(get_commands())
    assert {"send_outbox", "send_reminders", "prune_audit_log", "fetch_indicators"} <= set(names)
    every = dict(django_settings.SCHEDULED_COMMANDS)
    assert every["send_outbox"] <= 60 and every["send_reminders"] <= 3600


@pytest.mark.django_db
def test_once_runs_each_command_and_a_failing_one_does_not_stop_the_others(settings, caplog):
    settings.SCHEDULED_COMMANDS = [("no_such_command", 1), ("prune_audit_log", 1)]
    kept = an_old_and_a_new_event()
    call_command("run_schedule", "--once", verbosity=0)
    assert list(AuditEvent.objects.all()) == [kept]
    failed = [r for r in caplog.records if r.name == "boligsosial.schedule" and r.exc_info]
    assert [r.getMessage() for r in failed] == ["scheduled command no_such_command failed"]


@pytest.mark.multiprocess
@pytest.mark.django_db(transaction=True)
def test_the_scheduler_keeps_running_and_stops_on_sigterm(tmp_path):
    kept = an_old_and_a_new_event()
    log = tmp_path / "scheduler.log"
    scheduler = subprocess.Popen(  # noqa: S603 – the project's own command
        [sys.executable, "manage.py", "run_schedule"],
        cwd=ROOT,
        # SSB is never reached from a test: a closed port, no retries, no pace.
        env=environment(**{name: str(value) for name, value in SSB_NEVER_REACHED.items()}),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    try:
        # Its first round prunes the old event; it then waits for the next command's time.
        wait_for(
            lambda: list(AuditEvent.objects.all()) == [kept],
            timeout=60,
            what="the first round",
            logs=[log],
        )
        time.sleep(0.5)
        assert scheduler.poll() is None
        scheduler.send_signal(signal.SIGTERM)
        assert scheduler.wait(timeout=20) == 0
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
            scheduler.wait()
    assert "scheduled command prune_audit_log done" in log.read_text()
