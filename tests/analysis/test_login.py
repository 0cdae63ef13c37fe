import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


def test_login_page_is_norwegian(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Logg inn" in response.text
    assert 'lang="nb"' in response.text


def test_planner_can_log_in_and_out(client, planner):
    response = client.post(reverse("login"), {"username": "planner", "password": PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@override_settings(LOGIN_THROTTLE_ATTEMPTS=3)
def test_repeated_failed_logins_are_throttled_even_with_the_right_password(client, planner):
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "planner", "password": "feil"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "planner", "password": PASSWORD})
    assert response.status_code == 429
    assert "For mange mislykkede" in response.text


def test_pages_send_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_pages_load_no_asset_from_another_host(client_for, analysis):
    response = client_for("planner").get(analysis.get_absolute_url())
    assert "https://" not in response.text.replace("https://www.w3.org", "")
    assert "/static/bootstrap/css/bootstrap.min.css" in response.text


def test_password_change_page_works(client_for, analysis):
    response = client_for("planner").get(reverse("password_change"))
    assert response.status_code == 200
    for field in ["old_password", "new_password1", "new_password2"]:
        assert f'name="{field}"' in response.text
