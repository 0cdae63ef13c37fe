from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("innstillinger/", views.settings_page, name="settings"),
    path("varsler/avmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
