"""URLs of the analysis app. Each area keeps its views and its `urlpatterns` in its own module
under analysis/views/, so areas can grow without touching each other."""

from django.urls import path

from analysis.views import core, indicators, overview, review, sections, structures

app_name = "analysis"

urlpatterns = [
    path("<int:pk>/", core.analysis_detail, name="detail"),
    path("region/<int:pk>/", overview.region_overview, name="region"),
    *sections.urlpatterns,
    *structures.urlpatterns,
    *review.urlpatterns,
    *overview.urlpatterns,
    *indicators.urlpatterns,
]
