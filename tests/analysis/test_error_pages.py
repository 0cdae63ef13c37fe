"""Error pages in Norwegian, with the site's layout, a skip link and a way home; the 404 says
nothing about whether the thing exists (DESIGN.md, Roles and access)."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_mode(settings):
    # The error templates are only used with DEBUG off, as in production.
    settings.DEBUG = False


def assert_is_a_page_of_the_site(html: str) -> None:
    assert '<html lang="nb">' in html
    assert (
        '<a class="visually-hidden-focusable skip-link" href="#main">Hopp til hovedinnhold</a>'
        in html
    )
    assert '<main id="main"' in html
    assert re.search(r'<a href="/">Gå til forsiden</a>', html)


def without_tokens(html: str, *paths: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    for path in paths:
        html = html.replace(path, "PATH")
    return html


def test_an_outsider_gets_the_norwegian_404_page(client_for, analysis):
    response = client_for("other_planner").get(reverse("analysis:detail", args=[analysis.pk]))

    assert response.status_code == 404
    assert "Fant ikke siden" in response.text
    assert "Siden finnes ikke, eller du har ikke tilgang til den." in response.text
    assert_is_a_page_of_the_site(response.text)


def test_the_404_page_is_the_same_for_forbidden_and_missing(client_for, analysis):
    client = client_for("other_planner")
    forbidden_path = reverse("analysis:detail", args=[analysis.pk])
    missing_path = reverse("analysis:detail", args=[analysis.pk + 100000])

    forbidden = client.get(forbidden_path)
    missing = client.get(missing_path)

    assert forbidden.status_code == missing.status_code == 404
    assert without_tokens(forbidden.text, forbidden_path) == without_tokens(
        missing.text, missing_path
    )
    assert "Fauske" not in forbidden.text


def test_a_reader_who_tries_to_write_gets_the_norwegian_403_page(client_for, analysis):
    response = client_for("reader").post(reverse("analysis:submit", args=[analysis.pk]))

    assert response.status_code == 403
    assert "Du kan ikke gjøre dette" in response.text
    assert "Ingenting ble endret." in response.text
    assert_is_a_page_of_the_site(response.text)
    analysis.refresh_from_db()
    assert analysis.status == "not_started"


def test_a_form_without_its_csrf_token_gets_the_norwegian_page(planner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(planner)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "Skjemaet kunne ikke sendes" in response.text
    assert_is_a_page_of_the_site(response.text)


def test_the_400_page_is_norwegian():
    request = RequestFactory().get("/")
    response = defaults.bad_request(request, Exception("malformed"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Forespørselen kunne ikke forstås" in html
    assert_is_a_page_of_the_site(html)


def test_the_500_page_needs_neither_the_database_nor_the_request(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = defaults.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Noe gikk galt" in html
    assert_is_a_page_of_the_site(html)


def test_an_unexpected_error_in_a_view_shows_the_500_page(client, monkeypatch, planner, analysis):
    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("analysis.views.core.render", fail)
    client.raise_request_exception = False
    client.force_login(planner)
    response = client.get(reverse("analysis:detail", args=[analysis.pk]))
    assert response.status_code == 500
    assert "Noe gikk galt" in response.text
