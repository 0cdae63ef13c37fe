from django.urls import path

import boligsosial.converters  # noqa: F401 - registers the converters used below
from notifications import views

app_name = "notifications"

urlpatterns = [
    path("innstillinger/", views.settings_page, name="settings"),
    path("varsler/avmeld/<signed:token>/", views.unsubscribe, name="unsubscribe"),
]
