"""People, invitations, the audit log and single sign-on (served from the site's root)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

import boligsosial.converters  # noqa: F401 - registers the converters used below
from accounts import oidc
from accounts.views import audit, invitation, people, sso

app_name = "accounts"

urlpatterns = [
    path(
        "personer/kommune/<municipality:number>/",
        people.municipality_people,
        name="municipality_people",
    ),
    path("personer/region/<int:pk>/", people.region_people, name="region_people"),
    path("personer/tilgang/<int:pk>/", people.membership_change, name="membership_change"),
    path("personer/invitasjon/<int:pk>/", people.invitation_change, name="invitation_change"),
    path("invitasjon/<token:token>/", invitation.invitation, name="invitation"),
    path("logg/", audit.audit_log, name="audit_log"),
    # The callback first: "callback" would also match a provider's name.
    path("sso/callback/", login_not_required(oidc.CallbackView.as_view()), name="oidc_callback"),
    path(
        "sso/<slug:provider>/",
        login_not_required(oidc.AuthenticateView.as_view()),
        name="oidc_authenticate",
    ),
    path("sso-feilet/", sso.sso_failed, name="sso_failed"),
]
