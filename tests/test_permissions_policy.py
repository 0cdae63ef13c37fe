"""Every response turns off the browser features the app never uses (issue 11)."""

import pytest
from django.test import Client
from django.urls import reverse

from boligsosial.middleware import policy_header

pytestmark = pytest.mark.django_db


def features(response) -> dict[str, str]:
    header = response["Permissions-Policy"]
    return dict(part.strip().split("=", 1) for part in header.split(","))


@pytest.mark.parametrize("path", [reverse("login"), "/finnes-ikke/", "/static/css/app.css"])
def test_pages_errors_and_files_turn_off_camera_microphone_and_location(path):
    response = Client().get(path)
    policy = features(response)
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert policy[feature] == "()"


def test_a_logged_in_page_has_the_policy_too(client_for, analysis):
    response = client_for("planner").get(analysis.get_absolute_url())
    assert features(response)["camera"] == "()"


def test_the_header_is_written_as_the_specification_says():
    assert policy_header({"camera": [], "fullscreen": ["self"]}) == "camera=(), fullscreen=(self)"
