import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Membership, Role
from reference.models import Municipality

pytestmark = pytest.mark.django_db


def test_norwegian_is_used_even_when_the_browser_asks_for_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nb"
    assert "Logg inn" in response.text


def test_the_language_switcher_choice_wins(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert "Log in" in response.text


def test_a_nynorsk_municipality_gets_nynorsk_by_default(client, django_user_model, round_):
    user = django_user_model.objects.create_user("klepp", password="x-y-z-123456")
    Membership.objects.create(
        user=user, role=Role.EDITOR, municipality=Municipality.objects.get(number="1120")
    )
    client.force_login(user)
    response = client.get(reverse("home"), follow=True)
    assert response["Content-Language"] == "nn"


def test_the_language_can_be_switched_on_the_login_page_before_logging_in(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("login")
    assert response["Content-Language"] == "en"
    assert "Log in" in response.text
