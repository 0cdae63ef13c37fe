from django.urls import path

from factors import views

app_name = "factors"

urlpatterns = [
    path("analyse/<int:pk>/invitasjoner/", views.invitation_list, name="invitations"),
    path(
        "analyse/<int:pk>/invitasjoner/<int:invitation_pk>/trekk-tilbake/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("innspill/<str:token>/", views.invitation_answer, name="invitation_answer"),
]
