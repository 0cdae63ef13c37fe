"""All-or-nothing imports, the command, the upload page with its progress, and access."""

import uuid
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.core.management import CommandError, call_command
from django.urls import reverse

from keyfigures.forms import LimitedUploadHandler
from keyfigures.importers import ImportError_
from keyfigures.models import Indicator, IndicatorAggregateValue, IndicatorValue
from keyfigures.services import imports as service
from keyfigures.services.imports import import_indicator_file
from tests.keyfigures.test_importers import zip_bomb

pytestmark = pytest.mark.django_db
FILES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


def run(name, **kwargs):
    return import_indicator_file(data=(FILES / name).read_bytes(), filename=name, **kwargs)


def nothing_written():
    return not IndicatorValue.objects.exists() and not IndicatorAggregateValue.objects.exists()


def test_the_catalogue_names_real_tables_or_says_none_is_given():
    per_1000 = Indicator.objects.get(code="kommunale-boliger-per-1000")
    assert (per_1000.source_table, per_1000.unit) == ("12008", "per_1000")
    assert per_1000.count_indicator.code == "kommunale-boliger"
    # SSB's own label for the count in table 12008, so its download matches without editing.
    assert "Totalt antall kommunalt disponerte boliger" in per_1000.count_indicator.aliases
    temporary = Indicator.objects.get(code="midlertidig-botilbud")
    assert "Husstander i midlertidige botilbud, i alt" in temporary.aliases
    assert temporary.source_table == ""  # no table id verified: none is invented
    assert (
        "12210 (2015–2022, avsluttet)"
        in Indicator.objects.get(code="sosialhjelp-andel").source_table
    )
    assert "07459" in Indicator.objects.get(code="befolkning-80-andel").definition_nb


def test_the_source_line_names_the_table_only_where_one_is_known():
    assert Indicator.objects.get(code="kommunale-boliger-per-1000").source == (
        "SSB (KOSTRA), tabell 12008"
    )
    assert Indicator.objects.get(code="startlan").source == (
        "Husbanken, statistikkbanken (startlån)"
    )
    assert not any("ikke angitt" in i.source for i in Indicator.objects.all())


def test_every_indicator_has_names_and_definitions_in_three_languages():
    for indicator in Indicator.objects.all():
        for field in ["name", "definition"]:
            for lang in ["nb", "nn", "en"]:
                assert getattr(indicator, f"{field}_{lang}").strip(), (indicator.code, field, lang)


def test_import_creates_values_and_official_figures_and_a_reimport_changes_nothing():
    report = run("ssb-wide-semicolon.csv")
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert report.aggregates_created == 2
    fauske = IndicatorValue.objects.get(municipality__number="1841", year=2023)
    assert fauske.value == Decimal("21.1") and fauske.source_file == "ssb-wide-semicolon.csv"
    suppressed = IndicatorValue.objects.get(municipality__number="1804", year=2023)
    assert (suppressed.value, suppressed.missing_reason) == (None, "suppressed")
    nordland = IndicatorAggregateValue.objects.get(county__number="18", year=2023)
    assert nordland.value == Decimal("19.4")
    again = run("ssb-wide-semicolon.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert (again.aggregates_created, again.aggregates_updated, again.aggregates_unchanged) == (
        0,
        0,
        2,
    )


def test_a_changed_value_is_updated():
    run("ssb-wide-semicolon.csv")
    IndicatorValue.objects.filter(municipality__number="1841", year=2023).update(value=1)
    IndicatorAggregateValue.objects.filter(year=2023).update(value=1)
    report = run("ssb-wide-semicolon.csv")
    assert (report.updated, report.aggregates_updated) == (1, 1)


def test_kostra_download_keeps_the_country_and_the_kostra_group_and_skips_districts():
    report = run("ssb-with-heading-kostra.csv")
    country = IndicatorAggregateValue.objects.get(county=None, kostra_group=None, year=2023)
    assert country.value == Decimal("115583")
    assert IndicatorAggregateValue.objects.get(county__number="18", year=2023).missing_reason == (
        "not_yet_available"
    )
    assert IndicatorValue.objects.get(municipality__number="1841", year=2022).missing_reason == (
        "nil"
    )
    assert sum(report.skipped.values()) == 4
    group = IndicatorAggregateValue.objects.get(kostra_group__code="EKG13", year=2023)
    assert (group.value, group.kostra_group.name) == (Decimal("41000"), "KOSTRA-gruppe 13")
    assert IndicatorAggregateValue.objects.filter(county=None, kostra_group=None).count() == 2
    # A second import finds the group's values as stored.
    again = run("ssb-with-heading-kostra.csv")
    assert (again.aggregates_created, again.aggregates_updated) == (0, 0)
    assert again.aggregates_unchanged == 6


def test_a_bad_row_writes_nothing_at_all():
    with pytest.raises(ImportError_):
        run("mixed-decimals.csv", indicator_code="startlan-per-1000")
    assert nothing_written()


def test_an_unknown_indicator_writes_nothing():
    with pytest.raises(ImportError_) as error:
        run("unknown-indicator.csv")
    assert "Ukjent indikator «Antall katter»" in error.value.errors[0]
    assert nothing_written()


def test_a_chosen_indicator_is_refused_for_a_file_with_several_unknown_labels():
    with pytest.raises(ImportError_) as error:
        run("several-unknown-labels.csv", indicator_code="startlan", dry_run=True)
    assert error.value.errors[0].startswith(
        "Filen har 2 indikatorer (Antall hunder; Antall katter)"
    )
    assert nothing_written()


def test_a_chosen_indicator_takes_only_its_own_rows_from_a_file_with_several():
    report = run("several-labels.csv", indicator_code="kommunale-boliger")
    assert report.created == 2
    assert report.skipped == {"verdier for andre indikatorer i filen": 2}
    assert set(IndicatorValue.objects.values_list("indicator__code", "value")) == {
        ("kommunale-boliger", Decimal("120")),
        ("kommunale-boliger", Decimal("1213")),
    }


def test_without_a_chosen_indicator_a_file_with_several_labels_imports_each():
    report = run("several-labels.csv")
    assert report.created == 4
    assert IndicatorValue.objects.filter(indicator__code="kommunale-boliger-per-1000").count() == 2


def test_numbers_that_no_longer_exist_are_reported_not_guessed():
    report = run("gone-municipality.csv", indicator_code="midlertidig-botilbud")
    assert report.created == 1
    (reason,) = report.skipped
    assert "1507" in reason
    assert not IndicatorValue.objects.filter(municipality__number="1507").exists()


def test_dry_run_reports_and_writes_nothing():
    report = run("ssb-wide-semicolon.csv", dry_run=True)
    assert report.created == 4 and report.dry_run
    assert nothing_written()


def test_a_file_over_the_limit_is_refused(settings):
    settings.INDICATOR_FILE_MAX_BYTES = 10
    with pytest.raises(ImportError_) as error:
        run("ssb-wide-semicolon.csv")
    assert "grensen er" in error.value.errors[0]


def test_the_demo_file_imports_and_says_it_is_fictitious_in_its_name():
    report = run("demo-fiktive-tall-nokkeltall.csv")
    assert report.created == IndicatorValue.objects.count() > 1000
    assert report.aggregates_created == IndicatorAggregateValue.objects.count() > 0
    assert set(IndicatorValue.objects.values_list("source_file", flat=True)) == {
        "demo-fiktive-tall-nokkeltall.csv"
    }
    text = (FILES / "demo-fiktive-tall-nokkeltall.csv").read_text("utf-8-sig")
    assert text.startswith("# FIKTIVE TALL")


def test_progress_is_told_for_every_stage():
    seen = []
    run("ssb-wide-semicolon.csv", progress=lambda stage, done, total: seen.append(stage))
    assert seen[0] == "read" and "compare" in seen and seen[-1] == "write"


# --- All or nothing, where a write can actually fail ---------------------------------------


def _fail_after_the_first_write(monkeypatch):
    """The creates go through; the update step then fails, as a full disk or a dropped
    connection would."""
    from django.db import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(IndicatorValue.objects, "bulk_update", broken)


@pytest.mark.django_db(transaction=True)
def test_a_write_that_fails_half_way_keeps_nothing(reference_data, monkeypatch):
    # The file both creates (1804) and updates (1841): a failure in the update step comes
    # after the creates were written, inside the same transaction.
    run("ssb-wide-semicolon.csv")
    IndicatorValue.objects.filter(municipality__number="1804").delete()
    IndicatorValue.objects.filter(municipality__number="1841").update(value=1)
    IndicatorAggregateValue.objects.all().delete()
    before = sorted(IndicatorValue.objects.values_list("municipality__number", "year", "value"))
    _fail_after_the_first_write(monkeypatch)
    with pytest.raises(ImportError_) as error:
        run("ssb-wide-semicolon.csv")
    assert "Ingenting ble skrevet" in error.value.errors[0]
    after = sorted(IndicatorValue.objects.values_list("municipality__number", "year", "value"))
    assert after == before
    assert not IndicatorValue.objects.filter(municipality__number="1804").exists()
    assert not IndicatorAggregateValue.objects.exists()


# --- The command ----------------------------------------------------------------------------


def test_the_command_imports_and_reports():
    out = StringIO()
    call_command(
        "import_indicators", str(FILES / "ssb-wide-semicolon.csv"), stdout=out, stderr=StringIO()
    )
    assert "Rader lest: 3. Opprettet: 4, oppdatert: 0, uendret: 0." in out.getvalue()
    assert IndicatorValue.objects.count() == 4


def test_the_command_refuses_a_200_mb_file_by_its_size_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "stor.csv"
    with big.open("wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    monkeypatch.setattr(
        Path, "read_bytes", lambda self: pytest.fail("the file was read before its size")
    )
    with pytest.raises(CommandError) as error:
        call_command("import_indicators", str(big), stdout=StringIO(), stderr=StringIO())
    assert "209.7 MB; grensen er 52 MB." in str(error.value)
    assert nothing_written()


def test_the_command_refuses_a_chosen_indicator_for_a_file_with_several():
    with pytest.raises(CommandError) as error:
        call_command(
            "import_indicators",
            str(FILES / "several-unknown-labels.csv"),
            "--indicator",
            "startlan",
            "--dry-run",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert "Filen har 2 indikatorer" in str(error.value)


# --- The upload page ------------------------------------------------------------------------

DENIED = {
    "adviser": 404,
    "planner": 404,
    "reader": 404,
    "other_planner": 404,
    "outside_adviser": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize(("persona", "status"), {"administrator": 200, **DENIED}.items())
def test_only_administrators_reach_the_upload_page(client_for, persona, status):
    assert client_for(persona).get(reverse("keyfigures:indicator_upload")).status_code == status


def upload(client, name, *, content=None, **data):
    content = (FILES / name).read_bytes() if content is None else content
    return client.post(
        reverse("keyfigures:indicator_upload"),
        {"file": SimpleUploadedFile(name, content), **data},
    )


def test_administrator_uploads_a_file_and_sees_the_report(client_for):
    response = upload(client_for("administrator"), "ssb-with-heading-kostra.csv")
    assert response.status_code == 200
    for line in [
        "Rader lest: 7",
        "Verdier opprettet: 4",
        "Verdier oppdatert: 0",
        "Verdier uendret: 0",
        "Offisielle fylkes- og landstall: 6 opprettet, 0 oppdatert, 0 uendret",
        "Hoppet over 2: aggregater som verken er kommuner eller KOSTRA-grupper",
        "Hoppet over 2: bydeler, som ikke er kommuner",
    ]:
        assert line in response.text
    assert IndicatorValue.objects.count() == 4


def test_the_upload_page_explains_the_decisions_it_makes(client_for):
    text = client_for("administrator").get(reverse("keyfigures:indicator_upload")).text
    assert "leses som 0301" in text
    assert "«-» null" in text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("text-in-number.csv", {"indicator": "startlan-per-1000"}, "«mange» er ikke et tall."),
        ("comma-unquoted-decimals.csv", {"indicator": "startlan"}, "Rad 2 har 5 felt"),
        ("several-sheets.xlsx", {}, "Arbeidsboken har 2 ark med data"),
        ("not-excel.xlsx", {}, "Filen heter .xlsx, men er ikke en Excel-arbeidsbok."),
        ("empty.csv", {}, "Filen er tom."),
        ("nan-inf-overflow.csv", {"indicator": "startlan"}, "«inf» er ikke et tall."),
    ],
)
def test_a_bad_upload_shows_the_rows_and_writes_nothing(client_for, name, data, message):
    response = upload(client_for("administrator"), name, **data)
    assert response.status_code == 400
    assert "Ingenting ble importert" in response.text
    assert message in response.text
    assert nothing_written()


def test_an_uploaded_zip_bomb_is_refused_and_writes_nothing(client_for):
    response = upload(client_for("administrator"), "tall.xlsx", content=zip_bomb())
    assert response.status_code == 400
    assert "Ingenting ble importert" in response.text
    assert "zip-bombe" in response.text
    assert nothing_written()


def test_an_unexpected_failure_is_a_norwegian_message_not_a_server_error(client_for, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr("keyfigures.views.import_indicator_file", explode)
    response = upload(client_for("administrator"), "ssb-wide-semicolon.csv")
    assert response.status_code == 400
    assert "Importen stoppet av en grunn programmet ikke forutså" in response.text
    assert nothing_written()


def test_an_upload_over_the_limit_is_refused_by_the_view_before_the_body_is_read(
    client_for, settings, monkeypatch
):
    settings.INDICATOR_FILE_MAX_BYTES = 1000
    client = client_for("administrator")
    # Neither the body parser nor the import may run: the declared size alone decides.
    monkeypatch.setattr(
        "django.http.multipartparser.MultiPartParser.parse",
        lambda self: pytest.fail("the upload was read"),
    )
    monkeypatch.setattr(
        "keyfigures.views.import_indicator_file",
        lambda **kwargs: pytest.fail("the import ran"),
    )
    response = upload(client, "big.csv", content=b"region;2023\n" + b"1841 Fauske;1\n" * 6000)
    assert response.status_code == 413
    assert "grensen er" in response.text
    assert nothing_written()


def test_the_upload_handler_stops_receiving_past_the_limit():
    handler = LimitedUploadHandler(10)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    with pytest.raises(StopUpload) as stop:
        handler.receive_data_chunk(b"678901", 5)
    assert handler.exceeded and not stop.value.connection_reset


def test_a_planner_cannot_upload(client_for):
    response = upload(client_for("planner"), "ssb-wide-semicolon.csv")
    assert response.status_code == 404
    assert nothing_written()


# --- Progress -------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), {"administrator": 200, **DENIED}.items())
def test_only_administrators_see_the_progress_of_an_import(client_for, persona, status):
    url = reverse("keyfigures:indicator_import_progress", args=[uuid.uuid4()])
    assert client_for(persona).get(url).status_code == status


def test_the_progress_endpoint_follows_an_upload_to_its_end_report(
    client_for, administrator, monkeypatch
):
    client = client_for("administrator")
    import_id = uuid.uuid4()
    url = reverse("keyfigures:indicator_import_progress", args=[import_id])
    assert client.get(url).json()["stage"] == "unknown"
    key = service.progress_key(administrator.pk, str(import_id))
    seen = []
    recorder = service.progress_recorder

    def spying_recorder(**kwargs):
        inner = recorder(**kwargs)

        def record(stage, done, total):
            inner(stage, done, total)
            seen.append(cache.get(key))  # what the endpoint would answer at that moment

        return record

    monkeypatch.setattr("keyfigures.views.progress_recorder", spying_recorder)
    response = upload(client, "ssb-wide-semicolon.csv", import_id=str(import_id))
    assert response.status_code == 200
    assert seen[0]["stage"] == "read" and seen[0]["percent"] is None
    assert any(p["stage"] == "compare" for p in seen)
    assert seen[-1]["stage"] == "write" and seen[-1]["percent"] == 100
    final = client.get(url).json()
    assert final["stage"] == "done"
    assert final["report"]["rows_read"] == 3
    assert (final["report"]["created"], final["report"]["aggregates_created"]) == (4, 2)


def test_an_administrator_cannot_follow_another_administrators_import(client_for, administrator):
    import_id = uuid.uuid4()
    cache.set(service.progress_key(administrator.pk + 1000, str(import_id)), {"stage": "done"})
    url = reverse("keyfigures:indicator_import_progress", args=[import_id])
    assert client_for("administrator").get(url).json()["stage"] == "unknown"


def test_a_failed_upload_leaves_its_errors_in_the_progress(client_for):
    client = client_for("administrator")
    import_id = uuid.uuid4()
    upload(client, "text-in-number.csv", import_id=str(import_id), indicator="startlan")
    url = reverse("keyfigures:indicator_import_progress", args=[import_id])
    progress = client.get(url).json()
    assert progress["stage"] == "failed"
    assert "Rad 2, kolonne «2023»: «mange» er ikke et tall." in progress["errors"]


# --- A dry run keeps the file for the real import -------------------------------------------


@pytest.fixture
def checked_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / service.CHECKED_FOLDER


def checked_token(response) -> str:
    return response.context["checked"].token


def test_a_dry_run_keeps_the_file_and_one_click_imports_it(client_for, checked_folder):
    client = client_for("administrator")
    response = upload(client, "ssb-wide-semicolon.csv", dry_run="on")
    assert "Filen er kontrollert – ingenting er skrevet ennå" in response.text
    assert "Nye verdier som vil bli lagt til: 4" in response.text
    assert "Importer «ssb-wide-semicolon.csv» nå" in response.text
    assert nothing_written()
    token = checked_token(response)
    assert (checked_folder / token).read_bytes() == (FILES / "ssb-wide-semicolon.csv").read_bytes()

    response = client.post(reverse("keyfigures:indicator_upload"), {"checked_file": token})
    assert response.status_code == 200
    assert "Import av «ssb-wide-semicolon.csv» er ferdig" in response.text
    assert "Verdier opprettet: 4" in response.text
    assert IndicatorValue.objects.count() == 4
    assert not (checked_folder / token).exists()  # used once, then gone


def test_the_checked_file_keeps_the_chosen_indicator(client_for, checked_folder):
    client = client_for("administrator")
    response = upload(client, "several-labels.csv", dry_run="on", indicator="kommunale-boliger")
    assert response.status_code == 200, response.text
    client.post(reverse("keyfigures:indicator_upload"), {"checked_file": checked_token(response)})
    assert set(IndicatorValue.objects.values_list("indicator__code", flat=True)) == {
        "kommunale-boliger"
    }


def test_another_session_cannot_import_a_checked_file(client_for, checked_folder):
    from django.test import Client

    token = checked_token(
        upload(client_for("administrator"), "ssb-wide-semicolon.csv", dry_run="on")
    )
    other = Client()
    other.force_login(_another_administrator())
    response = other.post(reverse("keyfigures:indicator_upload"), {"checked_file": token})
    assert response.status_code == 400
    assert "Den kontrollerte filen er ikke lenger lagret" in response.text
    assert nothing_written()


def _another_administrator():
    from django.contrib.auth.models import User

    return User.objects.create_superuser("admin2", "a2@example.org", "x")


def test_a_second_check_replaces_the_first_file(client_for, checked_folder):
    client = client_for("administrator")
    first = checked_token(upload(client, "ssb-wide-semicolon.csv", dry_run="on"))
    second = checked_token(upload(client, "ssb-with-heading-kostra.csv", dry_run="on"))
    assert not (checked_folder / first).exists() and (checked_folder / second).exists()
    response = client.post(reverse("keyfigures:indicator_upload"), {"checked_file": first})
    assert response.status_code == 400 and nothing_written()


def test_a_failed_check_keeps_nothing(client_for, checked_folder):
    response = upload(client_for("administrator"), "empty.csv", dry_run="on")
    assert response.status_code == 400
    assert response.context["checked"] is None
    assert not checked_folder.exists() or not any(checked_folder.iterdir())


def test_a_forged_token_names_no_file(checked_folder):
    assert service.read_checked_file("../../etc/passwd") is None
    assert service.read_checked_file("0" * 32) is None


def test_a_file_over_the_limit_is_not_kept(settings, checked_folder):
    settings.INDICATOR_FILE_MAX_BYTES = 10
    with pytest.raises(ImportError_):
        service.keep_checked_file(data=b"x" * 11, filename="big.csv", indicator_code=None)
