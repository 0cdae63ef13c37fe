from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("jobber/<uuid:pk>/", views.detail, name="detail"),
    path("jobber/<uuid:pk>/framdrift/", views.progress, name="progress"),
    path("jobber/<uuid:pk>/last-ned/", views.download, name="download"),
]
