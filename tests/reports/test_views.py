"""Who may read the report, download its PDF, archive it and fetch archived files."""

import hashlib

import pytest
from django.urls import reverse

from factors.models import FactorAssessment
from reports.models import ArchivedReport
from reports.services import archive_report, archived_file_is_intact

pytestmark = pytest.mark.django_db

READ = {
    "planner": 200,
    "reader": 200,
    "adviser": 200,
    "administrator": 200,
    "outside_adviser": 404,
    "other_planner": 404,
}
ARCHIVE = {
    "planner": 302,
    "reader": 403,
    "adviser": 403,
    "administrator": 403,
    "outside_adviser": 404,
    "other_planner": 404,
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(("persona", "status"), READ.items())
def test_report_page_answers_each_persona_as_designed(client_for, filled, persona, status):
    response = client_for(persona).get(reverse("reports:report", args=[filled.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Foranalyse for Fauske" in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), READ.items())
def test_pdf_download_answers_each_persona_as_designed(client_for, filled, persona, status):
    response = client_for(persona).get(reverse("reports:pdf", args=[filled.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert "foranalyse-1841-2026.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize(("persona", "status"), ARCHIVE.items())
def test_only_the_municipalitys_editors_can_archive(client_for, filled, persona, status):
    response = client_for(persona).post(reverse("reports:archive", args=[filled.pk]))
    assert response.status_code == status
    assert ArchivedReport.objects.count() == (1 if status == 302 else 0)


@pytest.mark.parametrize(("persona", "status"), READ.items())
def test_archive_list_and_archived_file_answer_each_persona_as_designed(
    client_for, filled, planner, persona, status
):
    archived = archive_report(analysis=filled, by=planner)
    client = client_for(persona)
    assert client.get(reverse("reports:archive_list", args=[filled.pk])).status_code == status
    response = client.get(reverse("reports:archived_download", args=[archived.pk]))
    assert response.status_code == status
    if status == 200:
        assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == archived.sha256


@pytest.mark.parametrize("name", ["report", "pdf", "archive_list"])
def test_anonymous_visitor_is_sent_to_login(client_for, analysis, name):
    response = client_for("anonymous").get(reverse(f"reports:{name}", args=[analysis.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_analysis_and_unknown_archived_file_are_404(client_for, analysis):
    client = client_for("planner")
    assert client.get(reverse("reports:report", args=[999999])).status_code == 404
    assert client.get(reverse("reports:pdf", args=[999999])).status_code == 404
    assert client.get(reverse("reports:archived_download", args=[999999])).status_code == 404


def test_the_readable_address_leads_to_the_rounds_report(client_for, analysis):
    response = client_for("planner").get(reverse("reports:for_round", args=["1841", 2026]))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report", args=[analysis.pk])


def test_a_round_that_does_not_exist_is_404(client_for, analysis):
    client = client_for("planner")
    assert client.get(reverse("reports:for_round", args=["1841", 1999])).status_code == 404
    assert client.get(reverse("reports:for_round", args=["1824", 2026])).status_code == 404


def test_archive_keeps_who_when_checksum_and_version(client_for, filled, planner):
    filled.version = 7
    filled.save()
    client_for("planner").post(reverse("reports:archive", args=[filled.pk]))
    archived = ArchivedReport.objects.get()
    assert archived.created_by == planner
    assert archived.analysis_version == 7
    assert archived.size == archived.file.size
    assert archived_file_is_intact(archived)


def test_archived_pdf_stays_the_same_when_the_analysis_changes_afterwards(filled, planner):
    archived = archive_report(analysis=filled, by=planner)
    with archived.file.open("rb") as handle:
        before = handle.read()
    FactorAssessment.objects.filter(analysis=filled).update(score=5)
    archive_report(analysis=filled, by=planner)
    archived.refresh_from_db()
    with archived.file.open("rb") as handle:
        assert handle.read() == before
    assert archived_file_is_intact(archived)
    assert ArchivedReport.objects.count() == 2


def test_report_page_offers_archiving_to_editors_only(client_for, filled):
    archive_url = reverse("reports:archive", args=[filled.pk])
    assert (
        archive_url
        in client_for("planner").get(reverse("reports:report", args=[filled.pk])).content.decode()
    )
    assert (
        archive_url
        not in client_for("reader")
        .get(reverse("reports:report", args=[filled.pk]))
        .content.decode()
    )


REGION_ZIP = {
    "adviser": 200,
    "administrator": 200,
    "outside_adviser": 404,
    "planner": 404,
    "reader": 404,
    "other_planner": 404,
}


@pytest.fixture
def fast_pdf(monkeypatch):
    from reports import services

    monkeypatch.setattr(
        services, "render_report_pdf", lambda a: b"%PDF " + a.municipality.number.encode()
    )


@pytest.mark.parametrize(("persona", "status"), REGION_ZIP.items())
def test_region_zip_answers_each_persona_as_designed(client_for, round_, fast_pdf, persona, status):
    import io
    import zipfile

    from analysis.models import Region

    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    response = client_for(persona).get(reverse("reports:region_zip", args=[nordland.pk, 2026]))
    assert response.status_code == status
    if status == 200:
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        assert len(archive.namelist()) == 41
        assert archive.read("foranalyse-1841-2026.pdf") == b"%PDF 1841"


def test_region_zip_for_a_round_that_does_not_exist_is_404(client_for, round_):
    from analysis.models import Region

    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    url = reverse("reports:region_zip", args=[nordland.pk, 1999])
    assert client_for("adviser").get(url).status_code == 404
