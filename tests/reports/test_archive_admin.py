"""The archive is the record of what political leadership received: not even a superuser
can change or delete an archived PDF through the admin, one by one or in bulk."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports.models import ArchivedReport
from reports.services import archived_file_is_intact

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 as sent to the municipal council"


@pytest.fixture
def archived(analysis, planner):
    report = ArchivedReport(
        analysis=analysis,
        sha256=hashlib.sha256(PDF).hexdigest(),
        size=len(PDF),
        analysis_version=analysis.version,
        purpose="Til formannskapet",
        created_by=planner,
    )
    report.file.save("foranalyse-1841-2026-nb.pdf", ContentFile(PDF), save=False)
    report.save()
    return report


def assert_untouched(archived):
    kept = ArchivedReport.objects.get(pk=archived.pk)
    assert kept.purpose == "Til formannskapet"
    assert kept.file.name == archived.file.name
    assert archived_file_is_intact(kept)


def test_a_superuser_can_read_an_archived_report_in_the_admin(client_for, archived):
    url = reverse("admin:reports_archivedreport_change", args=[archived.pk])
    response = client_for("administrator").get(url)
    assert response.status_code == 200
    assert archived.sha256 in response.text
    assert reverse("admin:reports_archivedreport_delete", args=[archived.pk]) not in response.text


def test_a_superuser_cannot_delete_an_archived_report_in_the_admin(client_for, archived):
    url = reverse("admin:reports_archivedreport_delete", args=[archived.pk])
    client = client_for("administrator")
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert_untouched(archived)


def test_the_archive_list_offers_no_bulk_delete(client_for, archived):
    url = reverse("admin:reports_archivedreport_changelist")
    client = client_for("administrator")
    response = client.get(url)
    assert response.status_code == 200
    assert "delete_selected" not in response.text
    client.post(
        url, {"action": "delete_selected", "_selected_action": [archived.pk], "post": "yes"}
    )
    assert_untouched(archived)


def test_a_superuser_cannot_change_an_archived_report_in_the_admin(client_for, archived):
    url = reverse("admin:reports_archivedreport_change", args=[archived.pk])
    response = client_for("administrator").post(
        url, {"purpose": "Endret i ettertid", "sha256": "0" * 64}
    )
    assert response.status_code == 403
    assert_untouched(archived)
