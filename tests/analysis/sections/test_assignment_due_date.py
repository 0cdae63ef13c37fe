"""A section assigned to a colleague gets an optional due date (issue 15, item 9): within the
round and not in the past, shown on the assignments page, on the assignee's analysis page and
in the e-mail that tells them."""

import datetime

import pytest
from django.urls import reverse

from analysis.models import SectionAssignment, Unit
from analysis.services import structures
from outbox.models import OutgoingMessage
from tests.analysis.structures.test_structures import assignment_data
from tests.factories import make_editor
from tests.form_data import error_summary

pytestmark = pytest.mark.django_db

# The round of the tests runs through 2026 (tests/factories.py, open_year); "today" is fixed
# inside it so the tests read the same on any day.
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("analysis.forms.sections.timezone.localdate", lambda: TODAY)
    monkeypatch.setattr("analysis.views.core.timezone.localdate", lambda: TODAY)


@pytest.fixture
def kari(analysis):
    user = make_editor("kari", analysis.municipality, first_name="Kari", email="kari@example.test")
    return user


def url(analysis):
    return reverse("analysis:assignments", args=[analysis.pk])


def section(analysis, key="forarbeid"):
    return analysis.round.questionnaire.sections.get(key=key)


def test_a_due_date_is_saved_and_shown_on_the_assignments_page(client_for, analysis, kari):
    s = section(analysis)
    client = client_for("planner")
    data = assignment_data(
        client, analysis, **{f"s{s.pk}-assignee": str(kari.pk), f"s{s.pk}-due_date": "2026-09-15"}
    )
    assert client.post(url(analysis), data).status_code == 302
    assert SectionAssignment.objects.get(section=s).due_date == datetime.date(2026, 9, 15)
    page = client.get(url(analysis)).text
    assert 'value="2026-09-15"' in page
    # The section's own page says it too.
    section_page = client.get(reverse("analysis:section", args=[analysis.pk, "forarbeid"])).text
    assert "frist 15. september 2026" in section_page


def test_the_assignee_sees_the_due_date_on_their_analysis_page(client, analysis, kari, planner):
    mine, others = section(analysis), section(analysis, "refleksjon")
    structures.save_assignments(
        analysis=analysis,
        rows={
            mine.pk: {"unit": None, "assignee": kari, "note": "", "due_date": TODAY},
            others.pk: {"unit": None, "assignee": planner, "note": ""},
        },
        by=planner,
    )
    SectionAssignment.objects.filter(section=mine).update(due_date=datetime.date(2026, 5, 20))
    client.force_login(kari)
    page = client.get(analysis.get_absolute_url()).text
    assert "Deler du har fått ansvar for" in page
    listed = page.split('id="my-assignments-heading"')[1].split("</section>")[0]
    assert mine.title in listed and others.title not in listed
    # Past and not done: said plainly.
    assert "fristen var 20. mai 2026" in listed
    client.force_login(planner)
    page = client.get(analysis.get_absolute_url()).text
    listed = page.split('id="my-assignments-heading"')[1].split("</section>")[0]
    assert others.title in listed and "ingen frist" in listed


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("2027-01-01", "Fristen er etter at runden lukkes 31. desember 2026."),
        ("2026-05-31", "Fristen har allerede gått ut. Velg i dag eller en senere dato."),
    ],
)
def test_a_due_date_after_the_close_or_in_the_past_is_refused_and_nothing_is_saved(
    client_for, analysis, kari, due, message
):
    s, other = section(analysis), section(analysis, "refleksjon")
    client = client_for("planner")
    data = assignment_data(
        client,
        analysis,
        **{
            f"s{s.pk}-assignee": str(kari.pk),
            f"s{s.pk}-due_date": due,
            f"s{other.pk}-note": "Planleggeren svarer",
        },
    )
    response = client.post(url(analysis), data)
    assert response.status_code == 200
    assert not SectionAssignment.objects.exists()
    summary = error_summary(response.text)
    assert message in summary
    assert f'href="#id_s{s.pk}-due_date"' in summary
    assert s.title in summary
    # What was typed is kept.
    assert f'value="{due}"' in response.text
    assert "Planleggeren svarer" in response.text


def test_a_due_date_needs_someone_responsible(client_for, analysis):
    s = section(analysis)
    client = client_for("planner")
    data = assignment_data(client, analysis, **{f"s{s.pk}-due_date": "2026-09-15"})
    response = client.post(url(analysis), data)
    assert response.status_code == 200
    assert "En frist trenger en ansvarlig enhet eller kollega." in error_summary(response.text)
    assert not SectionAssignment.objects.exists()


def test_a_saved_due_date_that_has_passed_does_not_stop_the_page_saving(client_for, analysis, kari):
    s, other = section(analysis), section(analysis, "refleksjon")
    SectionAssignment.objects.create(
        analysis=analysis, section=s, assignee=kari, due_date=datetime.date(2026, 3, 1)
    )
    client = client_for("planner")
    data = assignment_data(client, analysis, **{f"s{other.pk}-note": "Planleggeren svarer"})
    assert client.post(url(analysis), data).status_code == 302
    assert SectionAssignment.objects.get(section=s).due_date == datetime.date(2026, 3, 1)
    assert SectionAssignment.objects.get(section=other).note == "Planleggeren svarer"


def test_the_e_mail_to_the_assignee_names_the_due_date(analysis, planner, kari):
    s = section(analysis)
    unit = Unit.objects.create(municipality=analysis.municipality, name="Eiendom")
    structures.save_assignments(
        analysis=analysis,
        rows={
            s.pk: {
                "unit": unit,
                "assignee": kari,
                "note": "",
                "due_date": datetime.date(2026, 9, 15),
            }
        },
        by=planner,
    )
    (message,) = OutgoingMessage.objects.filter(to="kari@example.test")
    assert "Svar på den innen 15. september 2026." in message.body_text
    assert "Svar på den innen 15. september 2026." in message.body_html
