"""Single sign-on with OpenID Connect (Microsoft Entra ID, ID-porten, any certified
provider), on mozilla-django-oidc with stricter checks and several providers at once.

What the library leaves out and is done here (see /work/notes/people-research.md):
- the id_token's audience, issuer, expiry and issue time are checked, and a bad token is a
  refused login, not a server error (the library checks neither `aud` nor `iss`, and lets an
  expired token raise);
- the userinfo answer must be about the same subject as the id_token (OIDC Core 5.3.2);
- a provider's endpoints come from its discovery document unless configured;
- one callback address for every provider: the provider is remembered with the `state` the
  login started with, so a callback can only finish the login it began.

Who gets in: a returning person is matched on (issuer, subject) alone, never again on
e-mail. A first login needs an open invitation (accounts.UserInvitation): either the
invitation link the person followed to get here, or one sent to the e-mail address the
provider vouches for (`email_verified`, or the claim OIDC_<NAME>_EMAIL_VERIFIED_CLAIM names).
The person gets exactly what the invitation grants; the provider's claims never grant a role.
"""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)
from requests.exceptions import RequestException

from accounts import audit, services
from accounts.models import AuditAction, OIDCIdentity
from accounts.selectors import open_invitations_for_email, users_with_email

logger = logging.getLogger(__name__)

CALLBACK = "accounts:oidc_callback"
SESSION_PROVIDERS = "sso_provider_by_state"
SESSION_INVITATION = "sso_invitation"
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class Refused(Exception):
    """A login the provider vouched for that we do not let in (no invitation, …)."""


def providers() -> dict[str, dict]:
    return settings.OIDC_PROVIDERS


def discovery(issuer: str) -> dict:
    """The provider's discovery document, kept for an hour."""
    key = "oidc-discovery:" + hashlib.sha256(issuer.encode()).hexdigest()
    document = cache.get(key)
    if document is None:
        response = requests.get(
            issuer + "/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
        if document.get("issuer") != issuer:
            raise ImproperlyConfigured(
                f"The discovery document of {issuer} names another issuer: "
                f"{document.get('issuer')!r}"
            )
        cache.set(key, document, 3600)
    return document


class ProviderSettingsMixin:
    """mozilla-django-oidc reads each setting through get_settings(): answer from the
    provider's own settings first, then its discovery document, then the global ones."""

    provider: str = ""

    def get_settings(self, attr, *default):
        conf = providers().get(self.provider, {})
        if attr == "OIDC_AUTHENTICATION_CALLBACK_URL":
            return CALLBACK
        if attr in conf:
            return conf[attr]
        if attr in DISCOVERED and conf:
            return discovery(conf["OIDC_OP_ISSUER"])[DISCOVERED[attr]]
        return import_from_settings(attr, *default)


class ProviderBackend(ProviderSettingsMixin, OIDCAuthenticationBackend):
    """The code flow against one provider, with the checks the library leaves out."""

    def __init__(self, provider: str):
        self.provider = provider
        super().__init__()

    def _verify_jws(self, payload, key):
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"id_token signed with {algorithm!r}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.get_settings("OIDC_OP_ISSUER"),
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
                leeway=60,
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"id_token refused: {error!r}") from error

    def get_userinfo(self, access_token, id_token, payload):
        info = super().get_userinfo(access_token, id_token, payload)
        if info.get("sub") != payload["sub"]:
            raise SuspiciousOperation("userinfo is about another subject than the id_token")
        return info

    def verified_email(self, claims: dict) -> str:
        claim = self.get_settings("EMAIL_VERIFIED_CLAIM", "email_verified")
        verified = claims.get(claim)
        if verified is True or str(verified).lower() == "true":
            return (claims.get("email") or "").strip()
        return ""

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**self.get_userinfo(access_token, id_token, payload), **payload}
        acr_values = self.get_settings("ACR_VALUES", [])
        if acr_values and claims.get("acr") not in acr_values:
            raise Refused(f"level of assurance {claims.get('acr')!r} is not enough")
        identity = (
            OIDCIdentity.objects.select_related("user")
            .filter(issuer=payload["iss"], subject=payload["sub"])
            .first()
        )
        if identity is not None:
            if not identity.user.is_active:
                raise Refused("the user is deactivated")
            identity.last_login_at = timezone.now()
            identity.save(update_fields=["last_login_at"])
            self._accept_invitation_from_link(identity.user)
            return identity.user
        return self._first_login(claims)

    def _invitation_from_link(self):
        token = self.request.session.pop(SESSION_INVITATION, None)
        if not token:
            return None
        invitation = services.invitation_for_token(token)
        return invitation if invitation is not None and invitation.is_usable() else None

    def _accept_invitation_from_link(self, user: User) -> None:
        """A known person who followed an invitation link to log in takes it too."""
        if (invitation := self._invitation_from_link()) is not None:
            services.accept(invitation=invitation, user=user, via="sso")

    @transaction.atomic
    def _first_login(self, claims: dict) -> User:
        email = self.verified_email(claims)
        from_link = self._invitation_from_link()
        invitations = [from_link] if from_link else []
        if email:
            invitations += [i for i in open_invitations_for_email(email) if i not in invitations]
        if not invitations:
            raise Refused(
                f"no open invitation for {email}"
                if email
                else "no invitation and no verified e-mail"
            )
        first = invitations[0]
        existing = list(users_with_email(first.email)[:2])
        if len(existing) > 1:
            raise Refused(f"several users have the e-mail address {first.email}")
        if existing:
            user = existing[0]
        else:
            user = services.create_account(
                invitation=first,
                first_name=claims.get("given_name", ""),
                last_name=claims.get("family_name", ""),
                password=None,
            )
            invitations = invitations[1:]
        OIDCIdentity.objects.create(
            user=user,
            provider=self.provider,
            issuer=claims["iss"],
            subject=claims["sub"],
            last_login_at=timezone.now(),
        )
        for invitation in invitations:
            services.accept(invitation=invitation, user=user, via="sso")
        return user


class OIDCBackend(ModelBackend):
    """The one backend Django knows (AUTHENTICATION_BACKENDS): it acts only on the callback
    of a login started here, for the provider that login was started with, and turns every
    refusal into a failed login with its reason in the audit log."""

    def authenticate(self, request, nonce=None, code_verifier=None, **kwargs):
        provider = getattr(request, "sso_provider", None) if request is not None else None
        if not provider or provider not in providers() or kwargs.get("username"):
            return None
        try:
            backend = ProviderBackend(provider)
            user = backend.authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except (SuspiciousOperation, RequestException, Refused, ImproperlyConfigured) as error:
            logger.warning("Single sign-on through %s refused: %s", provider, error)
            audit.record(
                AuditAction.LOGIN_FAILED,
                request=request,
                details={"method": "sso", "provider": provider, "reason": str(error)[:500]},
            )
            return None
        if user is not None:
            user.sso_provider = provider
        return user


def _known_provider(provider: str) -> str:
    if provider not in providers():
        raise Http404
    return provider


class AuthenticateView(ProviderSettingsMixin, OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with state, nonce and a PKCE challenge."""

    def __init__(self, **kwargs):
        # The library reads the endpoints here; which provider is only known per request.
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request, provider: str):
        self.provider = _known_provider(provider)
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (RequestException, ImproperlyConfigured, KeyError) as error:
            logger.warning("Single sign-on through %s unavailable: %s", provider, error)
            return HttpResponseRedirect(reverse("accounts:sso_failed"))
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        if token := request.GET.get("invitation"):
            request.session[SESSION_INVITATION] = token
        response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        started = request.session.get(SESSION_PROVIDERS, {})
        # As many as the library keeps states for (OIDC_MAX_STATES), oldest first out.
        started = dict(list(started.items())[-49:])
        started[state] = provider
        request.session[SESSION_PROVIDERS] = started
        return response

    def get_extra_params(self, request):
        params = dict(super().get_extra_params(request))
        if acr := self.get_settings("ACR_VALUES", []):
            params["acr_values"] = " ".join(acr)
        return params


class CallbackView(OIDCAuthenticationCallbackView):
    @property
    def failure_url(self):
        return reverse("accounts:sso_failed")

    def get(self, request):
        state = request.GET.get("state", "")
        started = request.session.get(SESSION_PROVIDERS, {})
        if state in started:
            request.sso_provider = started.pop(state)
            request.session[SESSION_PROVIDERS] = started
        return super().get(request)
