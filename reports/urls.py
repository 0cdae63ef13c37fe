from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("<int:pk>/arkiver/", views.archive, name="archive"),
    path("<int:pk>/arkiv/", views.archive_list, name="archive_list"),
    path("arkiv/<int:pk>/", views.archived_download, name="archived_download"),
    path("region/<int:pk>/<int:year>/zip/", views.region_zip, name="region_zip"),
    path("kommune/<str:number>/<int:year>/", views.report_for_round, name="for_round"),
]
