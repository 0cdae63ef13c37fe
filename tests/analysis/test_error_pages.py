"""Error pages in Norwegian, with the site's layout, a skip link and a way home; the 404 says
nothing about whether the thing exists (DESIGN.md, Roles and access)."""

import io
import logging
import re

import pytest
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse

from boligsosial import errors

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


@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_every_error_page_is_the_apps_own_handler(status):
    assert get_resolver().resolve_error_handler(status).__module__ == "boligsosial.errors"


def test_the_400_page_is_norwegian():
    request = RequestFactory().get("/")
    response = errors.bad_request(request, Exception("malformed"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Forespørselen kunne ikke forstås" in html
    assert_is_a_page_of_the_site(html)


def test_the_500_page_needs_neither_the_database_nor_the_request(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
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


@pytest.fixture
def log_lines():
    """What the app writes to its log (the console handler settings.LOGGING configures, with
    its filters and formatter), line by line."""
    handler = logging.getLogger("django.request").handlers[0]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield lambda: buffer.getvalue().splitlines()
    handler.setStream(previous)


def client_with_csrf_cookie() -> Client:
    client = Client(enforce_csrf_checks=True)
    client.raise_request_exception = False
    client.get(reverse("login"))  # the CSRF cookie, as a browser has it
    return client


# A form in a charset it is not written in, and a multipart body without a boundary
# (issue 11, defect 3).
UNREADABLE_BODIES = {
    "utf-16": ("application/x-www-form-urlencoded; charset=utf-16", b"\xff\xfe\x00g"),
    "multipart": ("multipart/form-data; boundary=", b"--\r\n\xff"),
}


@pytest.mark.parametrize("body", UNREADABLE_BODIES)
@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/analyse/1/", "/faktorer/innspill/a/"])
def test_an_unreadable_form_gets_the_400_page_and_one_log_line(path, body, log_lines):
    client = client_with_csrf_cookie()
    content_type, data = UNREADABLE_BODIES[body]

    response = client.generic("POST", path, data, content_type=content_type)

    assert response.status_code == 400
    assert "Forespørselen kunne ikke forstås" in response.text
    assert_is_a_page_of_the_site(response.text)
    [line] = log_lines()
    assert len(line) < 1000 and "Traceback" not in line


def test_an_unreadable_form_to_a_missing_page_gets_the_404_page(log_lines):
    client = client_with_csrf_cookie()
    content_type, data = UNREADABLE_BODIES["utf-16"]

    response = client.generic("POST", "/finnes-ikke/", data, content_type=content_type)

    assert response.status_code == 404
    assert "Fant ikke siden" in response.text
    assert "Traceback" not in "".join(log_lines())


def test_an_unreadable_form_without_the_csrf_cookie_gets_the_csrf_page(log_lines):
    client = Client(enforce_csrf_checks=True)
    client.raise_request_exception = False
    content_type, data = UNREADABLE_BODIES["utf-16"]

    response = client.generic("POST", "/accounts/login/", data, content_type=content_type)

    assert response.status_code == 403
    assert "Skjemaet kunne ikke sendes" in response.text
    assert "Traceback" not in "".join(log_lines())
