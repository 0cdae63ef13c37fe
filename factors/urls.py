"""Served from the site's root (boligsosial/urls.py): the self-assessment sits among the
analysis's pages under /analyse/, the user organisations' links under /faktorer/, where they
have always been."""

from django.urls import path

import boligsosial.converters  # noqa: F401 - registers the converters used below
from factors.views import assessments, invitations

app_name = "factors"

urlpatterns = [
    *assessments.urlpatterns,
    path(
        "faktorer/analyse/<int:pk>/invitasjoner/", invitations.invitation_list, name="invitations"
    ),
    path(
        "faktorer/analyse/<int:pk>/invitasjoner/<int:invitation_pk>/trekk-tilbake/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "faktorer/innspill/<token:token>/", invitations.invitation_answer, name="invitation_answer"
    ),
]
