"""Production security settings come from the environment (README, Configuration). Each
case runs in a fresh process, as a server would start, since settings are read once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "a-production-key-" + "x9Q2mZ7vL4kR8pT1wB6nC3yH5jD0fG" * 2,
    "ALLOWED_HOSTS": "boligsosial.example.no",
    "EMAIL_URL": "submission://smtp.example.no",
    "SITE_URL": "https://boligsosial.example.no",
    # A cache every process shares (README, Deployment); settings.py does not connect to it.
    "REDIS_URL": "redis://redis.example.no:6379/0",
}
READ = (
    "from django.conf import settings as s; import json; print(json.dumps({"
    "'hsts': s.SECURE_HSTS_SECONDS, 'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
    "'preload': s.SECURE_HSTS_PRELOAD, 'redirect': s.SECURE_SSL_REDIRECT,"
    "'proxy_header': s.SECURE_PROXY_SSL_HEADER, 'secure_cookies': [s.SESSION_COOKIE_SECURE,"
    "s.CSRF_COOKIE_SECURE], 'throttle': s.LOGIN_THROTTLE_ATTEMPTS, 'debug': s.DEBUG}))"
)

# Read from the environment by settings.py: each case sets its own, none come from the shell.
OWN_SETTINGS = {
    "DEBUG",
    "DATABASE_URL",
    "BEHIND_TLS_PROXY",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "ALLOW_DEV_SECRET_KEY",
    "EMAIL_URL",
    "EMAIL_HOST",
    "SITE_URL",
    "OIDC_PROVIDERS",
    "REDIS_URL",
    "WEB_CONCURRENCY",
    "LOGIN_THROTTLE_ATTEMPTS",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "DJANGO_")) and k not in OWN_SETTINGS
    }
    return subprocess.run(  # noqa: S603 – our own interpreter and manage.py
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "boligsosial.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_with(**env: str) -> dict:
    result = run(["-c", READ], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_sends_hsts_for_a_year_by_default():
    found = settings_with(**PRODUCTION)
    assert found["hsts"] == 365 * 24 * 3600
    assert found["subdomains"] is True
    assert found["preload"] is False


def test_development_sends_no_hsts():
    assert settings_with(DEBUG="1")["hsts"] == 0


def test_the_environment_can_shorten_or_turn_off_hsts():
    assert settings_with(**PRODUCTION, SECURE_HSTS_SECONDS="3600")["hsts"] == 3600
    assert settings_with(**PRODUCTION, SECURE_HSTS_SECONDS="0")["hsts"] == 0


def test_an_empty_variable_means_its_default():
    # `SECURE_COOKIES=` in an env file turned secure cookies off (issue 11, defect 11).
    found = settings_with(
        **PRODUCTION,
        SECURE_COOKIES="",
        SECURE_HSTS_SECONDS=" ",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="",
        LOGIN_THROTTLE_ATTEMPTS="",
        DEBUG="",
    )
    assert found["secure_cookies"] == [True, True]
    assert found["hsts"] == 365 * 24 * 3600
    assert found["subdomains"] is True
    assert found["throttle"] == 5
    assert found["debug"] is False


@pytest.mark.parametrize(("value", "secure"), [("0", False), ("off", False), ("True", True)])
def test_a_boolean_variable_reads_the_usual_words(value, secure):
    assert settings_with(**PRODUCTION, SECURE_COOKIES=value)["secure_cookies"] == [secure] * 2


def test_a_boolean_variable_that_is_no_yes_or_no_stops_the_start():
    result = run(["-c", READ], **PRODUCTION, SECURE_COOKIES="sant")
    assert result.returncode != 0
    assert "SECURE_COOKIES" in result.stderr and "ImproperlyConfigured" in result.stderr


def test_forwarded_proto_is_trusted_only_behind_a_declared_tls_proxy():
    plain = settings_with(**PRODUCTION)
    assert plain["proxy_header"] is None
    assert plain["redirect"] is False
    proxied = settings_with(**PRODUCTION, BEHIND_TLS_PROXY="1")
    assert proxied["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert proxied["redirect"] is True


def test_a_server_terminating_tls_itself_can_turn_on_the_redirect():
    assert settings_with(**PRODUCTION, SECURE_SSL_REDIRECT="1")["redirect"] is True


SERVERS = ["boligsosial.wsgi", "boligsosial.asgi"]


def start_server(module: str, **env: str) -> subprocess.CompletedProcess:
    """Import the server's entry point as gunicorn or uvicorn would, and name what it got."""
    return run(["-c", f"import {module} as m; print(type(m.application).__name__)"], **env)


@pytest.mark.parametrize("module", SERVERS)
def test_a_production_server_refuses_to_start_with_the_development_key(module):
    result = start_server(module, DEBUG="0", ALLOWED_HOSTS=PRODUCTION["ALLOWED_HOSTS"])
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set in production" in result.stderr
    assert "Handler" not in result.stdout  # no application was made


@pytest.mark.parametrize("module", SERVERS)
def test_a_production_server_starts_with_a_real_key(module):
    result = start_server(module, DEBUG="0", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in {"WSGIHandler", "ASGIHandler"}


def test_the_development_key_is_allowed_when_debug_is_on_or_explicitly_for_benchmarks():
    assert start_server("boligsosial.wsgi", DEBUG="1").returncode == 0
    allowed = start_server("boligsosial.wsgi", DEBUG="0", ALLOW_DEV_SECRET_KEY="1")
    assert allowed.returncode == 0, allowed.stderr


def deploy_warnings(**env: str) -> str:
    result = run(["manage.py", "check", "--deploy"], **env)
    return result.stdout + result.stderr


@pytest.mark.parametrize("proxy", [{"BEHIND_TLS_PROXY": "1"}, {"SECURE_SSL_REDIRECT": "1"}])
def test_check_deploy_in_production_leaves_only_the_preload_choice(proxy):
    # Preloading HSTS binds the whole domain; only its owner can decide (README).
    output = deploy_warnings(**PRODUCTION, **proxy)
    assert "security.W021" in output
    assert "1 issue" in output
    assert "no issues" in deploy_warnings(**PRODUCTION, **proxy, SECURE_HSTS_PRELOAD="1")


@pytest.mark.parametrize("processes", [{}, {"WEB_CONCURRENCY": "4"}])
def test_check_deploy_warns_when_processes_would_each_count_failed_logins_alone(processes):
    # A local-memory cache is per process: each gunicorn worker would allow the full number
    # of failed logins (issue 11, defect 11).
    production = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    output = deploy_warnings(**production, **processes, BEHIND_TLS_PROXY="1")
    assert "accounts.W001" in output
    assert "REDIS_URL" in output


def test_check_deploy_accepts_local_memory_for_one_process():
    production = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    output = deploy_warnings(**production, WEB_CONCURRENCY="1", BEHIND_TLS_PROXY="1")
    assert "accounts.W001" not in output


def test_check_deploy_warns_when_e_mail_would_not_leave_or_would_link_to_this_machine():
    production = {k: v for k, v in PRODUCTION.items() if k not in {"EMAIL_URL", "SITE_URL"}}
    output = deploy_warnings(**production, BEHIND_TLS_PROXY="1")
    assert "outbox.W001" in output and "outbox.W002" in output


@pytest.mark.django_db
def test_https_responses_carry_hsts(client):
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_the_redirect_to_https_spares_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/accounts/login/").status_code == 301
    assert client.get("/healthz").status_code == 200


# --- E-mail and single sign-on from the environment --------------------------------------------

from boligsosial.settings import (  # noqa: E402
    mailer_from_environment,
    oidc_providers_from_environment,
)


def test_without_a_mail_server_e_mail_is_written_to_the_console():
    assert mailer_from_environment({}) == {"BACKEND": "outbox.backends.ReadableConsoleBackend"}


def test_email_url_names_the_server_its_login_and_its_encryption():
    mailer = mailer_from_environment(
        {"EMAIL_URL": "submission://post%40kommune.no:p%C3%A5ss@smtp.example.no"}
    )
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "smtp.example.no",
        "port": 587,
        "username": "post@kommune.no",
        "password": "påss",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 10,
    }
    ssl = mailer_from_environment({"EMAIL_URL": "smtps://smtp.example.no?timeout=5"})["OPTIONS"]
    assert (ssl["port"], ssl["use_ssl"], ssl["use_tls"], ssl["timeout"]) == (465, True, False, 5)
    plain = mailer_from_environment({"EMAIL_URL": "smtp://relay.example.no:2525"})["OPTIONS"]
    assert (plain["port"], plain["use_tls"], plain["username"]) == (2525, False, "")


def test_email_host_and_its_companions_work_as_in_earlier_django_versions():
    mailer = mailer_from_environment(
        {
            "EMAIL_HOST": "smtp.example.no",
            "EMAIL_PORT": "587",
            "EMAIL_HOST_USER": "u",
            "EMAIL_HOST_PASSWORD": "p",
            "EMAIL_USE_TLS": "true",
        }
    )
    assert mailer["OPTIONS"] == {
        "host": "smtp.example.no",
        "port": 587,
        "username": "u",
        "password": "p",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 10,
    }


def test_an_unknown_email_url_scheme_stops_the_start():
    with pytest.raises(Exception, match="unknown scheme"):
        mailer_from_environment({"EMAIL_URL": "smpt://typo.example.no"})


def test_single_sign_on_is_off_unless_providers_are_named():
    assert oidc_providers_from_environment({}) == {}


def test_each_provider_is_configured_by_its_own_variables():
    providers = oidc_providers_from_environment(
        {
            "OIDC_PROVIDERS": "entra, idporten",
            "OIDC_ENTRA_ISSUER": "https://login.microsoftonline.com/tenant/v2.0/",
            "OIDC_ENTRA_CLIENT_ID": "app",
            "OIDC_ENTRA_CLIENT_SECRET": "secret",
            "OIDC_ENTRA_LABEL": "Microsoft-kontoen i kommunen",
            "OIDC_ENTRA_EMAIL_VERIFIED_CLAIM": "xms_edov",
            "OIDC_IDPORTEN_ISSUER": "https://idporten.no",
            "OIDC_IDPORTEN_CLIENT_ID": "id",
            "OIDC_IDPORTEN_CLIENT_SECRET": "s",
            "OIDC_IDPORTEN_SCOPES": "openid profile",
            "OIDC_IDPORTEN_ACR_VALUES": "idporten-loa-high",
        }
    )
    assert sorted(providers) == ["entra", "idporten"]
    entra = providers["entra"]
    assert entra["OIDC_OP_ISSUER"] == "https://login.microsoftonline.com/tenant/v2.0"
    assert (entra["LABEL"], entra["EMAIL_VERIFIED_CLAIM"]) == (
        "Microsoft-kontoen i kommunen",
        "xms_edov",
    )
    assert "OIDC_OP_TOKEN_ENDPOINT" not in entra  # from the discovery document
    assert providers["idporten"]["ACR_VALUES"] == ["idporten-loa-high"]


def test_a_provider_without_its_client_stops_the_start():
    with pytest.raises(Exception, match="OIDC_ENTRA_CLIENT_SECRET"):
        oidc_providers_from_environment(
            {
                "OIDC_PROVIDERS": "entra",
                "OIDC_ENTRA_ISSUER": "https://x",
                "OIDC_ENTRA_CLIENT_ID": "a",
            }
        )
