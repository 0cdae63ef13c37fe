# ruff: noqa: F811 -- the S3 fixtures are imported from tests/s3.py and named as parameters
"""Files through STORAGES: the local MEDIA_ROOT by default, S3-compatible object storage when
S3_BUCKET is set (settings.file_storage), tested against moto's S3 server on loopback:
archived PDFs, a batch's zip, and a key-figure file kept between its check and its import."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import storages

from boligsosial.settings import file_storage
from keyfigures.services import imports
from reports.services import archive_report, archived_file_is_intact
from tests.s3 import s3_environment, s3_server  # noqa: F401 – fixtures

pytestmark = pytest.mark.django_db


def test_without_a_bucket_files_stay_in_the_media_folder(monkeypatch):
    monkeypatch.delenv("S3_BUCKET", raising=False)
    assert file_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.fixture
def on_s3(s3_environment, settings, monkeypatch):
    for name, value in s3_environment.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": file_storage()}
    return s3_environment


def objects(s3_server, bucket: str) -> list[str]:
    _endpoint, client = s3_server
    return [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_an_archived_pdf_is_kept_in_the_bucket_and_downloads_unchanged(
    on_s3, s3_server, analysis, planner, client_for, monkeypatch
):
    from reports import services

    monkeypatch.setattr(services, "html_to_pdf", lambda html: b"%PDF-1.7 arkivert")
    assert type(storages["default"]).__name__ == "S3Storage"
    archived = archive_report(analysis=analysis, by=planner)
    assert objects(s3_server, on_s3["S3_BUCKET"]) == [archived.file.name]
    assert archived_file_is_intact(archived)
    response = client_for("planner").get(f"/rapport/arkiv/{archived.pk}/")
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == archived.sha256


def test_a_checked_key_figure_file_waits_in_the_bucket_until_it_is_imported(on_s3, s3_server):
    kept = imports.keep_checked_file(data=b"a;b\n1;2\n", filename="f.csv", indicator_code=None)
    assert objects(s3_server, on_s3["S3_BUCKET"]) == [f"indicator-checks/{kept.token}"]
    assert imports.read_checked_file(kept.token) == b"a;b\n1;2\n"
    imports.discard_checked_file(kept.token)
    assert imports.read_checked_file(kept.token) is None
    assert objects(s3_server, on_s3["S3_BUCKET"]) == []
