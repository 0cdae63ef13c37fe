"""URLs of the analysis app, served under /analyse/. Each area keeps its views and its
`urlpatterns` in its own module under analysis/views/, so areas can grow without touching each
other."""

from django.urls import path

from analysis.views import (
    core,
    history,
    key_figures,
    review,
    sections,
    structures,
    submission,
)

app_name = "analysis"

urlpatterns = [
    path("<int:pk>/", core.analysis_detail, name="detail"),
    *sections.urlpatterns,
    *history.urlpatterns,
    *structures.urlpatterns,
    *review.urlpatterns,
    *key_figures.urlpatterns,
    *submission.urlpatterns,
]
