"""A number too big for its column is a field error, never a 500 (issue 11, defect 13:
99999999999999999999 posted to the project form overflowed SQLite, and would be a DataError on
PostgreSQL)."""

import pytest
from django.urls import reverse

from analysis.models import Project
from tests.form_data import form_data

pytestmark = pytest.mark.django_db

HUGE = "9" * 20


@pytest.mark.parametrize(
    "field", ["target_groups", "funding_sources", "factors", "version", "responsible_unit"]
)
@pytest.mark.parametrize("number", [HUGE, str(2**63), "-1", "²"])
def test_a_number_beyond_its_column_in_the_project_form_is_a_field_error(
    client_for, analysis, field, number
):
    client = client_for("planner")
    client.raise_request_exception = False
    create = reverse("analysis:project_create", args=[analysis.pk])
    data = {"name": "Bo trygt", "status": "active", field: number}
    response = client.post(create, data)
    assert response.status_code in {200, 400, 409}, response.status_code
    assert not Project.objects.exists()


def test_an_over_long_version_on_a_project_edit_is_a_field_error(client_for, analysis):
    client = client_for("planner")
    client.raise_request_exception = False
    create = reverse("analysis:project_create", args=[analysis.pk])
    client.post(create, {"name": "Bo trygt", "status": "active"})
    project = Project.objects.get()
    edit = reverse("analysis:project_edit", args=[analysis.pk, project.pk])
    data = form_data(client.get(edit).context["form"], name="Bo tryggere", version=HUGE)
    response = client.post(edit, data)
    assert response.status_code in {200, 400, 409}
    project.refresh_from_db()
    assert project.name == "Bo trygt"


def test_an_over_long_answer_version_in_a_section_is_a_field_error(client_for, analysis):
    client = client_for("planner")
    client.raise_request_exception = False
    url = reverse("analysis:section", args=[analysis.pk, "forarbeid"])
    form = client.get(url).context["form"]
    versions = {name: HUGE for name in form.fields if name.startswith("v-")}
    assert versions
    response = client.post(url, form_data(form, **versions))
    assert response.status_code in {200, 400, 409}
