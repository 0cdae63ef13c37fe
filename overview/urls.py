from django.urls import path

from overview.views import (
    national_export,
    national_overview,
    region_export,
    region_measures,
    region_overview,
    region_profile,
    region_work_queue,
)

app_name = "overview"

# Served under /analyse/ (boligsosial/urls.py), where these pages have always been.
urlpatterns = [
    path("region/<int:pk>/", region_overview, name="region"),
    path("region/<int:pk>/eksport.<slug:fmt>", region_export, name="region_export"),
    path("region/<int:pk>/profil/", region_profile, name="region_profile"),
    path("region/<int:pk>/tiltak/", region_measures, name="region_measures"),
    path("region/<int:pk>/arbeidsliste/", region_work_queue, name="work_queue"),
    path("landet/", national_overview, name="national"),
    path("landet/eksport.<slug:fmt>", national_export, name="national_export"),
]
