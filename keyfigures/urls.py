"""Served under /analyse/ (boligsosial/urls.py), where these pages have always been."""

from django.urls import path

from keyfigures.views import indicator_fetch, indicator_import_progress, indicator_upload

app_name = "keyfigures"

urlpatterns = [
    path("nokkeltall/import/", indicator_upload, name="indicator_upload"),
    path("nokkeltall/hent-fra-ssb/", indicator_fetch, name="indicator_fetch"),
    path(
        "nokkeltall/import/<uuid:import_id>/framdrift/",
        indicator_import_progress,
        name="indicator_import_progress",
    ),
]
