"""Every kind of form page answers a form with errors the same way (issue 15, item 3): one
error summary at the top, whose every link leads to a field the page has, and that field is
marked for assistive technology. The analysis's own forms are also checked, one free-text
field each, by tests/analysis/test_privacy.py."""

import re

import pytest
from django.urls import reverse

from tests.factories import FAUSKE, make_unit
from tests.form_data import error_summary, form_data

pytestmark = pytest.mark.django_db


def pages(analysis):
    a = analysis.pk
    return {
        "login": (None, reverse("login"), {"username": "", "password": ""}),
        "password change": ("planner", reverse("password_change"), {}),
        "round": ("administrator", reverse("analysis:rounds"), {"title": "Runde"}),
        "invite a colleague": (
            "administrator",
            reverse("accounts:municipality_people", args=[FAUSKE]),
            {"email": "ikke en adresse"},
        ),
        "key-figure import": (
            "administrator",
            reverse("keyfigures:indicator_upload"),
            {"dry_run": "on"},
        ),
        "own key figure": (
            "planner",
            reverse("analysis:local_figure_add", args=[a]),
            {"name": "Egne tall"},
        ),
        "measure": ("planner", reverse("plans:measure_create", args=[a]), None),
        "project": ("planner", reverse("analysis:project_create", args=[a]), None),
        "cooperation body": (
            "planner",
            reverse("analysis:cooperation_add", args=[a, "organ"]),
            None,
        ),
        "invitation": ("planner", reverse("factors:invitations", args=[a]), None),
    }


PAGES = [
    "login",
    "password change",
    "round",
    "invite a colleague",
    "key-figure import",
    "own key figure",
    "measure",
    "project",
    "cooperation body",
    "invitation",
]


@pytest.mark.parametrize("name", PAGES)
def test_a_form_with_errors_comes_back_with_a_summary_that_leads_to_each_field(
    client_for, analysis, name
):
    persona, url, data = pages(analysis)[name]
    client = client_for(persona or "anonymous")
    if data is None:
        # The form as the page shows it, with its first required field left empty.
        form = client.get(url).context["form"]
        required = next(b for b in form if b.field.required and not b.is_hidden)
        data = form_data(form, **{required.name: ""})
    response = client.post(url, data)
    assert response.status_code in {200, 400}, (name, response.status_code)
    summary = error_summary(response.text)
    assert "Skjemaet har feil" in summary, name
    links = re.findall(r'<a href="#([^"]+)"', summary)
    assert links, name
    for target in links:
        control = re.search(
            rf'<(input|textarea|select)\b[^>]*\bid="{re.escape(target)}"[^>]*>', response.text
        )
        assert control is not None, (name, target)
        # Marked where it is: red and invalid for a screen reader, its message tied to it.
        assert 'aria-invalid="true"' in control.group(0), (name, target)
        assert "aria-describedby=" in control.group(0) or "is-invalid" in control.group(0), (
            name,
            target,
        )


def test_the_map_page_links_its_hand_drawn_unit_fields(client_for, analysis):
    """The units' fields on the map page are drawn by hand, with ids of their own."""
    unit = make_unit(analysis, name="Eiendom")
    client = client_for("planner")
    response = client.post(reverse("analysis:unit_add", args=[analysis.pk]), {"name": "eiendom"})
    summary = error_summary(response.text)
    assert 'href="#new-unit"' in summary
    assert "Navn på enheten eller tjenesten" in summary
    response = client.post(
        reverse("analysis:unit_change", args=[analysis.pk, unit.pk]),
        {"action": "rename", "name": ""},
    )
    summary = error_summary(response.text)
    assert f'href="#unit-name-{unit.pk}"' in summary
    assert "Eiendom – " in summary
