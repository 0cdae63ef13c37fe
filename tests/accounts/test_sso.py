"""Single sign-on against a real OpenID Connect provider started on loopback
(tests/oidc_provider: django-oauth-toolkit in its own process). The app under test is driven
by Django's test client; its calls to the provider's token, key and userinfo endpoints are
real HTTP. Authorization code flow with PKCE; state and nonce checked; a wrong audience, an
expired token and a tampered signature refused; a first login gets only what an invitation
granted."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from django.contrib.auth.models import User
from django.urls import reverse

from accounts import services
from accounts.models import AuditAction, AuditEvent, Membership, OIDCIdentity, Role
from reference.models import Municipality
from tests.oidc_provider import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, SECRET = "boligsosial", "provider-secret-" + "s" * 24


@pytest.fixture(scope="module")
def provider():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    process = subprocess.Popen(  # noqa: S603 – our own interpreter and module
        [
            sys.executable,
            "-m",
            "tests.oidc_provider.serve",
            CLIENT_ID,
            SECRET,
            "http://testserver/sso/callback/",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    if not line.startswith("READY"):
        process.kill()
        pytest.fail(f"the test provider did not start: {line!r}")
    yield line.split()[1]
    process.terminate()
    process.wait(10)
    process.stdout.close()


@pytest.fixture
def sso(settings, provider):
    settings.OIDC_PROVIDERS = {
        "entra": {
            "LABEL": "Kommunens konto",
            "OIDC_OP_ISSUER": provider,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": SECRET,
            "OIDC_RP_SCOPES": "openid email profile",
            "OIDC_RP_SIGN_ALGO": "RS256",
            "ACR_VALUES": [],
        }
    }
    return provider


@pytest.fixture
def invite(planner):
    Membership.objects.filter(user=planner).update(is_municipality_admin=True)
    fauske = Municipality.objects.get(number="1841")

    def make(email: str, role=Role.EDITOR):
        return services.invite(by=planner, email=email, role=role, municipality=fauske)

    return make


def start(client, query: str = ""):
    response = client.get(reverse("accounts:oidc_authenticate", args=["entra"]) + query)
    assert response.status_code == 302
    params = parse_qs(urlsplit(response["Location"]).query)
    assert params["code_challenge_method"] == ["S256"] and params["code_challenge"]
    assert params["nonce"] and params["state"] and params["response_type"] == ["code"]
    return response["Location"], params["state"][0]


def at_provider(authorize_url: str, username: str) -> str:
    """Log in at the provider as a browser would; returns where it sends the browser back."""
    browser = requests.Session()
    form = browser.get(authorize_url, timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    after = re.search(r'name="next" value="([^"]*)"', form.text).group(1).replace("&amp;", "&")
    posted = browser.post(
        form.url,
        data={
            "csrfmiddlewaretoken": csrf,
            "username": username,
            "password": PASSWORD,
            "next": after,
        },
        allow_redirects=False,
        timeout=10,
    )
    assert posted.status_code == 302, posted.text[:300]
    authorized = browser.get(
        urljoin(form.url, posted.headers["Location"]), allow_redirects=False, timeout=10
    )
    assert authorized.status_code == 302, authorized.text[:300]
    return authorized.headers["Location"]


def sso_login(client, username: str, *, query: str = "", state: str | None = None):
    authorize, _state = start(client, query)
    back = urlsplit(at_provider(authorize, username))
    assert (back.netloc, back.path) == ("testserver", "/sso/callback/")
    params = {k: v[0] for k, v in parse_qs(back.query).items()}
    if state is not None:
        params["state"] = state
    return client.get(f"{back.path}?{urlencode(params)}")


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_an_invited_person_logs_in_and_gets_exactly_what_the_invitation_granted(
    client, sso, invite
):
    invite("kari@fauske.example.test", role=Role.READER)
    response = sso_login(client, "kari")
    assert (response.status_code, response["Location"]) == (302, "/")
    kari = User.objects.get(email="kari@fauske.example.test")
    assert not kari.has_usable_password()
    assert (kari.first_name, kari.last_name) == ("Kari", "Nordmann")
    assert list(
        Membership.objects.filter(user=kari).values_list("role", "municipality__number")
    ) == [("reader", "1841")]
    identity = OIDCIdentity.objects.get(user=kari)
    assert identity.issuer == sso and identity.subject
    login = AuditEvent.objects.get(action=AuditAction.LOGIN, actor=kari)
    assert login.details == {"method": "sso", "provider": "entra"}
    # Again, from another browser: the same person, matched on the identity alone.
    client.logout()
    assert sso_login(client, "kari")["Location"] == "/"
    assert User.objects.filter(email="kari@fauske.example.test").count() == 1
    assert OIDCIdentity.objects.count() == 1


def test_a_person_without_an_invitation_is_refused(client, sso):
    response = sso_login(client, "mallory")
    assert response["Location"] == reverse("accounts:sso_failed")
    assert not logged_in(client)
    assert not User.objects.filter(email="mallory@example.test").exists()
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert "no open invitation for mallory@example.test" in failed.details["reason"]


@pytest.mark.parametrize(
    "username, reason",
    [
        ("wrong-aud", "InvalidAudienceError"),
        ("expired", "ExpiredSignatureError"),
        ("bad-sig", "InvalidSignatureError"),
        ("wrong-nonce", "Nonce verification failed"),
        ("unverified", "no invitation and no verified e-mail"),
    ],
)
def test_a_bad_token_or_an_unverified_address_is_refused(client, sso, invite, username, reason):
    invite(f"{username}@example.test")
    response = sso_login(client, username)
    assert response["Location"] == reverse("accounts:sso_failed")
    assert not logged_in(client)
    assert not OIDCIdentity.objects.exists()
    assert reason in AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED).details["reason"]


def test_a_forged_state_is_refused(client, sso, invite):
    invite("kari@fauske.example.test")
    response = sso_login(client, "kari", state="forged-state")
    assert response.status_code == 400
    assert not logged_in(client)
    assert not OIDCIdentity.objects.exists()


def test_the_code_is_useless_without_the_pkce_verifier_of_the_login_that_asked_for_it(
    client, sso, invite
):
    invite("kari@fauske.example.test")
    authorize, state = start(client)
    session = client.session
    session["oidc_states"][state]["code_verifier"] = "x" * 64
    session.save()
    back = urlsplit(at_provider(authorize, "kari"))
    response = client.get(f"{back.path}?{back.query}")
    assert response["Location"] == reverse("accounts:sso_failed")
    assert (
        "invalid_grant" in AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED).details["reason"]
    )


def test_a_callback_nobody_started_is_refused(client, sso):
    response = client.get(reverse("accounts:oidc_callback") + "?code=abc&state=xyz")
    assert response["Location"] == reverse("accounts:sso_failed")
    assert not logged_in(client)


def test_the_invitation_link_lets_a_provider_without_the_same_address_in(
    client, sso, invite, mailoutbox
):
    """ID-porten has no e-mail claim: the invitation link itself ties the identity."""
    invite("ola.privat@example.test")
    from outbox.sender import send_due_messages

    send_due_messages()
    token = re.search(r"/invitasjon/([^/\s]+)/", mailoutbox[-1].body).group(1)
    page = client.get(reverse("accounts:invitation", args=[token]))
    assert "Logg inn med Kommunens konto" in page.text
    response = sso_login(client, "ola", query=f"?invitation={token}")
    assert response["Location"] == "/"
    ola = User.objects.get(email="ola.privat@example.test")
    assert OIDCIdentity.objects.get(user=ola)
    assert Membership.objects.get(user=ola).role == Role.EDITOR
    client.logout()
    assert client.get(reverse("accounts:invitation", args=[token])).status_code == 410


def test_the_login_page_offers_the_configured_providers_and_none_by_default(client, settings, sso):
    assert "Logg inn med Kommunens konto" in client.get(reverse("login")).text
    settings.OIDC_PROVIDERS = {}
    assert "Logg inn med" not in client.get(reverse("login")).text
    assert client.get(reverse("accounts:oidc_authenticate", args=["entra"])).status_code == 404
