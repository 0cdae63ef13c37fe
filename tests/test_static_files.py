"""The static files' middleware: WhiteNoise, listing the files once per process
(boligsosial/static_files.py), and what it serves is what WhiteNoise itself would."""

from __future__ import annotations

from pathlib import Path

from django.http import HttpResponse
from django.test import override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from boligsosial.static_files import StaticFilesMiddleware


def no_view(request):
    return HttpResponse(status=404)


def test_it_lists_what_whitenoise_lists_with_the_same_headers():
    ours = StaticFilesMiddleware(no_view).files
    theirs = WhiteNoiseMiddleware(no_view).files
    assert "/static/css/app.css" in ours
    assert ours.keys() == theirs.keys()
    for url in ("/static/css/app.css", "/static/plotly/plotly.min.js"):
        assert ours[url].alternatives == theirs[url].alternatives


def test_two_middleware_chains_in_one_process_share_one_listing():
    first = StaticFilesMiddleware(no_view).files["/static/css/app.css"]
    assert StaticFilesMiddleware(no_view).files["/static/css/app.css"] is first


def test_a_changed_setting_gets_a_listing_of_its_own(settings, tmp_path):
    (tmp_path / "extra.css").write_text("main { margin: 0 }")
    before = StaticFilesMiddleware(no_view).files
    with override_settings(STATICFILES_DIRS=[*settings.STATICFILES_DIRS, tmp_path]):
        during = StaticFilesMiddleware(no_view).files
    assert "/static/extra.css" in during
    assert "/static/extra.css" not in before
    assert "/static/extra.css" not in StaticFilesMiddleware(no_view).files


def test_the_test_client_gets_a_static_file(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).strip()


def test_a_changed_header_setting_gets_a_listing_of_its_own(settings):
    def cache_control(files):
        headers = dict(files["/static/css/app.css"].alternatives[0][2])
        return headers.get("Cache-Control", "")

    StaticFilesMiddleware(no_view)
    settings.WHITENOISE_MAX_AGE = 1234
    assert "max-age=1234" in cache_control(StaticFilesMiddleware(no_view).files)


def test_a_finders_file_wins_over_the_same_file_in_static_root(settings, tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "app.css").write_text("/* an old copy, collected once */")
    (tmp_path / "css" / "only-collected.css").write_text("main { margin: 0 }")
    settings.STATIC_ROOT = tmp_path
    files = StaticFilesMiddleware(no_view).files
    assert "/static/css/only-collected.css" in files
    assert files["/static/css/app.css"].alternatives[0][1] == str(
        Path(settings.BASE_DIR) / "static" / "css" / "app.css"
    )
    assert files["/static/css/app.css"].alternatives == (
        WhiteNoiseMiddleware(no_view).files["/static/css/app.css"].alternatives
    )
