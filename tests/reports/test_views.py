"""Who may read the report, download its PDF, archive it, fetch archived files and the
region's zip; the PDF's language; archiving while the analysis changes."""

import hashlib
import io
import zipfile

import pikepdf
import pytest
from django.db.models import F
from django.urls import reverse

from analysis.models import Analysis
from factors.models import FactorAssessment
from jobs.models import Job
from reference.models import LanguageForm, Municipality, Region
from reports import services
from reports.management.commands.load_recommendation_rules import load_recommendation_rules
from reports.models import ArchivedReport
from reports.services import ArchiveConflict, archive_report, archived_file_is_intact
from tests import module_data
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db

LOGIN = "login"  # anonymous visitors are sent to the login page
READ = {
    "planner": 200,
    "reader": 200,
    "adviser": 200,
    "administrator": 200,
    "outside_adviser": 404,
    "other_planner": 404,
    "anonymous": LOGIN,
}
ARCHIVE = {
    "planner": 302,
    "reader": 403,
    "adviser": 403,
    "administrator": 403,
    "outside_adviser": 404,
    "other_planner": 404,
    "anonymous": LOGIN,
}
REGION_ZIP = {
    "adviser": 200,
    "administrator": 200,
    "outside_adviser": 404,
    "planner": 404,
    "reader": 404,
    "other_planner": 404,
    "anonymous": LOGIN,
}


@pytest.fixture(scope="module")
def made_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """This round, the personas, the rules' texts and Fauske filled, made once for the
    module's tests (each test's own changes are rolled back before the next,
    tests/module_data.py)."""
    with module_data.made_once(django_db_blocker, tmp_path_factory.mktemp("media")):
        world = module_data.usual_world()
        load_recommendation_rules()
        fill(Analysis.objects.get(pk=world.analysis))
        yield world


@pytest.fixture
def analysis(made_once, db):
    return Analysis.objects.get(pk=made_once.analysis)


@pytest.fixture
def filled(analysis):
    """Fauske's analysis, filled once for the module (tests/reports/conftest.py, `fill`)."""
    return analysis


@pytest.fixture
def round_(analysis):
    return analysis.round


@pytest.fixture
def personas(made_once, db):
    return module_data.personas()


@pytest.fixture
def planner(personas):
    return personas["planner"]


def assert_answer(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("persona", "expected"), READ.items())
def test_report_page_answers_each_persona_as_designed(client_for, filled, persona, expected):
    response = client_for(persona).get(reverse("reports:report", args=[filled.pk]))
    assert_answer(response, expected)
    if expected == 200:
        page = response.content.decode()
        assert "Foranalyse for Fauske" in page
        assert "<title>Foranalyse 2026 – Fauske kommune – Boligsosial oversikt</title>" in page


@pytest.mark.parametrize(("persona", "expected"), READ.items())
def test_pdf_download_answers_each_persona_as_designed(
    client_for, filled, persona, expected, request
):
    if persona != "planner":
        # One real PDF is enough to show the download; the others check who gets one.
        request.getfixturevalue("fake_layouts")
    response = client_for(persona).get(reverse("reports:pdf", args=[filled.pk]))
    assert_answer(response, expected)
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert "foranalyse-1841-2026.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize(("persona", "expected"), ARCHIVE.items())
def test_only_the_municipalitys_editors_can_archive(
    client_for, filled, fake_layouts, persona, expected
):
    response = client_for(persona).post(reverse("reports:archive", args=[filled.pk]))
    assert_answer(response, expected)
    assert ArchivedReport.objects.count() == (1 if expected == 302 else 0)


@pytest.mark.parametrize(("persona", "expected"), READ.items())
def test_archive_list_answers_each_persona_as_designed(
    client_for, filled, planner, fake_layouts, persona, expected
):
    archive_report(analysis=filled, by=planner)
    response = client_for(persona).get(reverse("reports:archive_list", args=[filled.pk]))
    assert_answer(response, expected)


@pytest.mark.parametrize(("persona", "expected"), READ.items())
def test_archived_file_answers_each_persona_as_designed(
    client_for, filled, planner, fake_layouts, persona, expected
):
    archived = archive_report(analysis=filled, by=planner)
    response = client_for(persona).get(reverse("reports:archived_download", args=[archived.pk]))
    assert_answer(response, expected)
    if expected == 200:
        assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == archived.sha256


@pytest.mark.parametrize(("persona", "expected"), REGION_ZIP.items())
def test_region_zip_answers_each_persona_as_designed(
    client_for, round_, fake_layouts, persona, expected
):
    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    Analysis.objects.filter(round=round_, municipality__number__in=["1841", "1865"]).update(
        status="in_progress"
    )
    client = client_for(persona)
    response = client.post(reverse("reports:region_zip", args=[nordland.pk, 2026]))
    if expected != 200:
        assert_answer(response, expected)
        assert not Job.objects.exists()
        return
    # The batch runs in the background; the adviser lands on its page and downloads it there.
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "Ferdig" in page and reverse("jobs:download", args=[job.pk]) in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Disposition"].endswith(
        f'filename="foranalyser-2026-region-{nordland.pk}.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist() == ["README.txt", "1841-Fauske.pdf", "1865-Vågan.pdf"]
    assert archive.read("1841-Fauske.pdf").startswith(b"%PDF-fake ")
    readme = archive.read("README.txt").decode()
    in_region = Municipality.objects.filter(county__region=nordland, valid_to__isnull=True)
    assert "Runde: Foranalyse 2026" in readme
    assert f"({in_region.count() - 2} kommuner)" in readme
    assert "  1804 Bodø" in readme and "1841" not in readme


def test_unknown_analysis_and_unknown_archived_file_are_404(client_for, analysis):
    client = client_for("planner")
    assert client.get(reverse("reports:report", args=[999999])).status_code == 404
    assert client.get(reverse("reports:pdf", args=[999999])).status_code == 404
    assert client.get(reverse("reports:archived_download", args=[999999])).status_code == 404


def test_the_readable_address_leads_to_the_rounds_report(client_for, analysis):
    response = client_for("planner").get(reverse("reports:for_round", args=["1841", 2026]))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report", args=[analysis.pk])


def test_a_round_that_does_not_exist_says_so_and_names_the_rounds_there_are(client_for, analysis):
    response = client_for("planner").get(reverse("reports:for_round", args=["1841", 1999]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Det finnes ingen runde 1999" in page and "Rundene som finnes: 2026." in page


def test_another_municipalitys_address_is_a_plain_404(client_for, analysis):
    response = client_for("planner").get(reverse("reports:for_round", args=["1824", 1999]))
    assert response.status_code == 404
    assert "Det finnes ingen runde" not in response.content.decode()


def test_region_zip_for_a_round_that_does_not_exist_says_so(client_for, round_):
    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    response = client_for("adviser").post(reverse("reports:region_zip", args=[nordland.pk, 1999]))
    assert response.status_code == 404
    assert "Det finnes ingen runde 1999" in response.content.decode()


# --- Language -------------------------------------------------------------------------------


def pdf_language(pdf: bytes) -> str:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return str(doc.Root.Lang)


def test_the_pdf_is_in_the_municipalitys_written_form_whatever_the_interface_language(
    client_for, filled
):
    Municipality.objects.filter(pk=filled.municipality_id).update(
        language_form=LanguageForm.NYNORSK
    )
    client = client_for("planner")
    client.cookies["django_language"] = "nb"  # the planner works in bokmål
    response = client.get(reverse("reports:pdf", args=[filled.pk]))
    assert response["Content-Language"] == "nn"
    assert pdf_language(response.content) == "nn"


def test_the_person_can_pick_the_pdfs_language(client_for, filled):
    response = client_for("planner").get(
        reverse("reports:pdf", args=[filled.pk]), {"language": "nn"}
    )
    assert response["Content-Language"] == "nn"
    assert pdf_language(response.content) == "nn"


def test_a_language_that_is_not_offered_is_refused(client_for, filled, layouts):
    client = client_for("planner")
    response = client.get(reverse("reports:pdf", args=[filled.pk]), {"language": "de"})
    assert response.status_code == 400
    response = client.post(reverse("reports:archive", args=[filled.pk]), {"language": "de"})
    assert response.status_code == 400
    assert not ArchivedReport.objects.exists() and layouts == []


def test_the_report_page_offers_both_written_forms_with_the_municipalitys_preselected(
    client_for, filled
):
    page = client_for("planner").get(reverse("reports:report", args=[filled.pk])).content.decode()
    assert '<label for="pdf-language"' in page
    assert '<option value="nb" selected>' in page and '<option value="nn">' in page


def test_archiving_records_the_language_chosen(client_for, filled, layouts):
    client_for("planner").post(reverse("reports:archive", args=[filled.pk]), {"language": "nn"})
    archived = ArchivedReport.objects.get()
    assert archived.language == "nn"
    assert '<html lang="nn">' in layouts[-1]
    assert archived_file_is_intact(archived)


def test_archiving_without_a_choice_records_the_municipalitys_written_form(
    client_for, filled, layouts
):
    Municipality.objects.filter(pk=filled.municipality_id).update(
        language_form=LanguageForm.NYNORSK
    )
    client_for("planner").post(reverse("reports:archive", args=[filled.pk]))
    assert ArchivedReport.objects.get().language == "nn"
    assert '<html lang="nn">' in layouts[-1]


# --- Archive ---------------------------------------------------------------------------------


def test_archive_keeps_who_when_checksum_and_version(client_for, filled, planner):
    Analysis.objects.filter(pk=filled.pk).update(version=7)
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


def test_a_save_during_rendering_makes_archiving_render_again_at_the_new_version(
    filled, planner, monkeypatch
):
    """The version recorded is the version the PDF shows: a planner's save that lands while
    the PDF is being made is caught and the PDF made again from the new state."""
    rendered = []

    def layout(html: str) -> bytes:
        rendered.append(html)
        if len(rendered) == 1:  # a planner saves while the first PDF is being made
            Analysis.objects.filter(pk=filled.pk).update(version=F("version") + 1)
        return b"%PDF-fake " + html.encode()

    monkeypatch.setattr(services, "html_to_pdf", layout)
    start = Analysis.objects.get(pk=filled.pk).version
    archived = archive_report(analysis=filled, by=planner)
    assert len(rendered) == 2
    assert archived.analysis_version == start + 1
    # The archived PDF is the second one, made from the new state (the cover no longer prints
    # the save counter, which told a reader nothing).
    with archived.file.open("rb") as handle:
        assert handle.read() == b"%PDF-fake " + rendered[1].encode()


def test_archiving_gives_up_without_storing_anything_when_the_analysis_keeps_changing(
    client_for, filled, monkeypatch
):
    def layout(html: str) -> bytes:
        Analysis.objects.filter(pk=filled.pk).update(version=F("version") + 1)
        return b"%PDF-fake"

    monkeypatch.setattr(services, "html_to_pdf", layout)
    with pytest.raises(ArchiveConflict):
        archive_report(analysis=filled, by=None)
    response = client_for("planner").post(reverse("reports:archive", args=[filled.pk]), follow=True)
    assert "Foranalysen ble endret mens PDF-en ble laget" in response.content.decode()
    assert not ArchivedReport.objects.exists()


def test_report_page_offers_archiving_to_editors_only(client_for, filled):
    archive_url = reverse("reports:archive", args=[filled.pk])
    report_url = reverse("reports:report", args=[filled.pk])
    assert archive_url in client_for("planner").get(report_url).content.decode()
    assert archive_url not in client_for("reader").get(report_url).content.decode()


def test_the_archive_list_shows_each_files_language(client_for, filled, planner, layouts):
    archive_report(analysis=filled, by=planner, language="nn")
    page = client_for("reader").get(reverse("reports:archive_list", args=[filled.pk]))
    assert "<td>Norsk nynorsk</td>" in page.content.decode()
