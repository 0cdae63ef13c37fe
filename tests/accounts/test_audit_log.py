"""The audit log: who did what, when, from where; administrators search all of it, an
office's advisers their region's; kept for a configurable time."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import AuditAction, AuditEvent
from analysis.models import AnalysisStatus
from analysis.services import workflow
from reference.models import Municipality
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


def test_logins_and_failed_logins_are_recorded_with_the_address(client, planner, settings):
    client.post(
        reverse("login"), {"username": "planner", "password": "feil"}, REMOTE_ADDR="198.51.100.7"
    )
    client.post(
        reverse("login"), {"username": "planner", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (failed.actor_name, failed.address, failed.actor) == ("planner", "198.51.100.7", None)
    login = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert (login.actor, login.address, login.municipality.number) == (
        planner,
        "198.51.100.7",
        "1841",
    )
    assert login.region.name == "Statsforvalteren i Nordland"


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, planner, settings):
    settings.NUM_PROXIES = 1
    client.post(
        reverse("login"),
        {"username": "planner", "password": "feil"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.8",
    )
    assert AuditEvent.objects.get().address == "198.51.100.8"


def test_an_adviser_opening_an_analysis_is_recorded_and_a_planner_opening_their_own_is_not(
    client_for, analysis
):
    client_for("planner").get(analysis.get_absolute_url())
    assert not AuditEvent.objects.filter(action=AuditAction.ANALYSIS_OPENED).exists()
    client_for("adviser").get(analysis.get_absolute_url())
    client_for("adviser").get(reverse("analysis:review", args=[analysis.pk]))
    opened = AuditEvent.objects.filter(action=AuditAction.ANALYSIS_OPENED)
    assert [e.details["page"] for e in opened.order_by("pk")] == ["analysis", "review"]
    assert opened.first().actor_name == "adviser"


def test_status_changes_exports_and_downloads_are_recorded(
    client_for, analysis, adviser, administrator
):
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    workflow.approve_analysis(analysis=analysis, by=adviser)
    change = AuditEvent.objects.get(action=AuditAction.STATUS_CHANGED)
    assert change.details == {"analysis": analysis.pk, "from": "submitted", "to": "approved"}
    client_for("adviser").get(reverse("reports:answers_export", args=[analysis.pk]))
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.actor == adviser and export.target.endswith(".xlsx")


def test_administrators_see_everything_and_an_office_its_own_region(
    client_for, analysis, adviser, outside_adviser, administrator
):
    tromso = Municipality.objects.get(number="5501")
    audit.record(
        AuditAction.EXPORT, actor=outside_adviser, municipality=tromso, target="tromso.xlsx"
    )
    audit.record(
        AuditAction.EXPORT, actor=adviser, municipality=analysis.municipality, target="fauske.xlsx"
    )
    url = reverse("accounts:audit_log")
    assert "tromso.xlsx" in client_for("administrator").get(url).text
    own = client_for("adviser").get(url).text
    assert "fauske.xlsx" in own and "tromso.xlsx" not in own
    assert "fauske.xlsx" not in client_for("outside_adviser").get(url).text
    assert client_for("planner").get(url).status_code == 404
    found = client_for("administrator").get(url, {"q": "trom"}).context["page"].object_list
    assert [e.target for e in found] == ["tromso.xlsx"]


def test_the_log_page_runs_the_same_queries_for_few_and_many_events(
    client_for, administrator, analysis, django_assert_num_queries
):
    client = client_for("administrator")
    url = reverse("accounts:audit_log")
    audit.record(AuditAction.EXPORT, actor=administrator, municipality=analysis.municipality)
    client.get(url)
    # session, user, memberships (menu), the regions for the heading, the count, the page of
    # events with their municipality and region
    with django_assert_num_queries(6):
        client.get(url)
    for n in range(60):
        audit.record(
            AuditAction.EXPORT,
            actor=administrator,
            municipality=analysis.municipality,
            target=str(n),
        )
    with django_assert_num_queries(6):
        client.get(url)


def test_events_older_than_the_keeping_time_are_pruned(settings, planner):
    settings.AUDIT_LOG_KEEP_DAYS = 30
    old = audit.record(AuditAction.LOGIN, actor=planner)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=31))
    audit.record(AuditAction.LOGIN, actor=planner)
    out = StringIO()
    call_command("prune_audit_log", stdout=out)
    assert AuditEvent.objects.count() == 1
    assert "1" in out.getvalue()
