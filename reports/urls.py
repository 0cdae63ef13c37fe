"""Served from the site's root (boligsosial/urls.py): the report under /rapport/, the answers
workbook among the analysis's pages under /analyse/, where they have always been."""

from django.urls import path

import boligsosial.converters  # noqa: F401 - registers the converters used below
from reports import views

app_name = "reports"

urlpatterns = [
    path("rapport/<int:pk>/", views.report, name="report"),
    path("rapport/<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("rapport/<int:pk>/arkiver/", views.archive, name="archive"),
    path("rapport/<int:pk>/arkiv/", views.archive_list, name="archive_list"),
    path("rapport/arkiv/<int:pk>/", views.archived_download, name="archived_download"),
    path("rapport/region/<int:pk>/<int:year>/zip/", views.region_zip, name="region_zip"),
    path(
        "rapport/kommune/<municipality:number>/<int:year>/",
        views.report_for_round,
        name="for_round",
    ),
    path("analyse/<int:pk>/svar.xlsx", views.answers_export, name="answers_export"),
]
