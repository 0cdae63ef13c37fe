"""Served under /analyse/ beside the analysis's other pages (boligsosial/urls.py)."""

from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("<int:pk>/tiltak/", views.measures, name="measures"),
    path("<int:pk>/tiltak/nytt/", views.measure_form, name="measure_create"),
    path("<int:pk>/tiltak/<int:measure_pk>/", views.measure_form, name="measure_edit"),
    path("<int:pk>/tiltak/<int:measure_pk>/status/", views.measure_status, name="measure_status"),
    path("<int:pk>/vedtak/", views.decision_proposal, name="decision_proposal"),
]
