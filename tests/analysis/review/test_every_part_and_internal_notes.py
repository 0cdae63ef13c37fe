"""The adviser reviews every part on the review page, each answer and row marked where it
differs from the municipality's previous round, and keeps internal notes the municipality
never sees (issue 15, item 6)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from analysis.models import (
    ActorKind,
    AllocationPractice,
    AnalysisStatus,
    Answer,
    CooperationBody,
    ExternalActor,
    Gap,
    InternalNote,
    Project,
    Responsibility,
    TaskAreaGap,
    Unit,
)
from analysis.services import review
from factors.models import FactorAssessment, Invitation, UserFactorRating, UserOrganisationInput
from outbox.models import OutgoingMessage
from plans.models import Measure
from reference.models import Instrument, Question, SuccessFactor, TargetGroup, TaskArea
from tests.factories import FAUSKE, analysis_of, open_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(round_):
    """Fauske's approved analysis of the round before the current one."""
    analysis = analysis_of(open_year(round_.year - 1), FAUSKE)
    analysis.status = AnalysisStatus.APPROVED
    analysis.save()
    return analysis


def fill_both_rounds(analysis, last_year):
    """Demo-like content in both rounds, with one of each kind of change."""
    eiendom = Unit.objects.create(municipality=analysis.municipality, name="Eiendom")
    nav = Unit.objects.create(municipality=analysis.municipality, name="NAV-kontoret")
    areas = list(TaskArea.objects.order_by("order")[:3])
    # The map: the first area changes hands, the second stays "nobody", the third is new.
    Responsibility.objects.create(
        analysis=last_year, task_area=areas[0], unit=eiendom, role="responsible"
    )
    Responsibility.objects.create(
        analysis=analysis, task_area=areas[0], unit=nav, role="responsible"
    )
    for a in (last_year, analysis):
        TaskAreaGap.objects.create(analysis=a, task_area=areas[1], gap=Gap.NOBODY)
    TaskAreaGap.objects.create(analysis=analysis, task_area=areas[2], gap=Gap.NOT_RELEVANT)
    # Answers: one changed, one new (free-text questions, shown as typed).
    texts = list(
        Question.objects.filter(
            section__questionnaire=analysis.round.questionnaire, kind="text"
        ).order_by("section__order", "order")[:2]
    )
    Answer.objects.create(analysis=last_year, question=texts[0], value="Gammel refleksjon")
    Answer.objects.create(analysis=analysis, question=texts[0], value="Ny refleksjon")
    Answer.objects.create(analysis=analysis, question=texts[1], value="Helt nytt svar")
    # Cooperation: a body whose members changed, a new body, an actor unchanged.
    CooperationBody.objects.create(analysis=last_year, name="Boligforum", members="Eiendom")
    CooperationBody.objects.create(analysis=analysis, name="Boligforum", members="Eiendom, NAV")
    CooperationBody.objects.create(analysis=analysis, name="Bostøttegruppa", mandate="Mandat X")
    for a in (last_year, analysis):
        ExternalActor.objects.create(analysis=a, kind=ActorKind.NAV, name="NAV Salten")
    # Allocation: the first instrument lost its decision-maker.
    instrument = Instrument.objects.order_by("order").first()
    AllocationPractice.objects.create(
        analysis=last_year, instrument=instrument, decided_by="Teamet"
    )
    AllocationPractice.objects.create(analysis=analysis, instrument=instrument, gap=Gap.NOBODY)
    # A project, the self-assessment, a user organisation, a measure.
    project = Project.objects.create(
        municipality=analysis.municipality, name="Housing First Salten", responsible_unit=nav
    )
    project.target_groups.set(TargetGroup.objects.order_by("order")[:1])
    first = SuccessFactor.objects.order_by("number").first()
    FactorAssessment.objects.create(analysis=last_year, factor=first, score=2, status="Svakt")
    FactorAssessment.objects.create(analysis=analysis, factor=first, score=4, status="Bedre")
    invitation = Invitation.objects.create(
        analysis=analysis,
        organisation_name="Marborg",
        token="review-marborg",
        expires_at=datetime.datetime(analysis.round.year + 1, 1, 1, tzinfo=datetime.UTC),
    )
    given = UserOrganisationInput.objects.create(invitation=invitation, comment="Brukerstemmen")
    UserFactorRating.objects.create(input=given, factor=first, score=3, comment="Ujevnt")
    Measure.objects.create(
        municipality=analysis.municipality, planned_in=analysis.round, title="Skrive boligplan"
    )
    return {"areas": areas, "instrument": instrument, "texts": texts}


def test_the_review_page_shows_every_part_as_text(client_for, analysis, last_year):
    content = fill_both_rounds(analysis, last_year)
    page = client_for("adviser").get(reverse("analysis:review", args=[analysis.pk])).text
    for text in (
        "Ny refleksjon",  # the reflection answers
        content["areas"][0].name,  # the map
        "NAV-kontoret",
        "Ingen har ansvar i dag",  # honest gaps in the map and the allocation
        "Ikke aktuelt i kommunen",
        content["instrument"].name,  # the allocation
        "Boligforum",  # cooperation bodies and actors
        "Bostøttegruppa",
        "NAV Salten",
        "Housing First Salten",  # projects, with their target groups
        str(TargetGroup.objects.order_by("order").first()),
        "Bedre",  # the self-assessment
        "Marborg",  # the user organisations' views
        "Brukerstemmen",
        "Ujevnt",
        "Skrive boligplan",  # the plan's measures
    ):
        assert text in page, text


def test_what_changed_since_the_previous_round_is_marked_with_the_old_value(
    client_for, analysis, last_year
):
    fill_both_rounds(analysis, last_year)
    response = client_for("adviser").get(reverse("analysis:review", args=[analysis.pk]))
    page = response.text
    assert last_year.round.title in page  # says what it compares with
    # The old values are there to open.
    for old in ("Gammel refleksjon", "Eiendom", "Teamet", "Svakt"):
        assert old in page, old
    sections = response.context["section_reviews"]
    rows = {r.section.kind: r for r in sections}
    answers = [a for r in sections for a in r.answers if a[1]]
    changes = {value: change for _q, value, _c, change in answers}
    assert changes["Ny refleksjon"].kind == "changed"
    assert changes["Ny refleksjon"].old == "Gammel refleksjon"
    assert changes["Helt nytt svar"].kind == "new"
    map_rows = rows["responsibility_map"].panel.context["rows"]
    assert [r["change"] and r["change"].kind for r in map_rows[:3]] == ["changed", None, "new"]
    cooperation = rows["cooperation"].panel.context
    assert {r.item.name: r.change and r.change.kind for r in cooperation["bodies"]} == {
        "Boligforum": "changed",
        "Bostøttegruppa": "new",
    }
    assert [r.change for r in cooperation["actors"]] == [None]
    allocation = rows["allocation"].panel.context["rows"]
    assert allocation[0]["change"].kind == "changed"
    assert "Teamet" in allocation[0]["change"].old
    table = rows["factors"].panel.context["factor_table"]
    assert table[0][1].kind == "changed" and "Svakt" in table[0][1].old
    assert page.count('class="badge text-bg-warning review-change"') >= 5
    assert 'class="badge text-bg-info review-change"' in page


def test_without_a_previous_round_nothing_is_marked(client_for, analysis):
    Answer.objects.create(
        analysis=analysis,
        question=Question.objects.filter(
            section__questionnaire=analysis.round.questionnaire, kind="text"
        ).first(),
        value="Første gang",
    )
    page = client_for("adviser").get(reverse("analysis:review", args=[analysis.pk])).text
    assert "Første gang" in page
    assert "review-change" not in page


# --- Internal notes ---------------------------------------------------------------------------


def note_url(analysis):
    return reverse("analysis:internal_note", args=[analysis.pk])


@pytest.mark.parametrize("persona", ["adviser", "administrator"])
def test_the_office_writes_and_reads_internal_notes(client_for, analysis, persona):
    client = client_for(persona)
    response = client.post(note_url(analysis), {"body": "Ring rådmannen før vi godkjenner."})
    assert response.status_code == 302
    note = InternalNote.objects.get(analysis=analysis)
    assert note.body == "Ring rådmannen før vi godkjenner."
    page = client.get(reverse("analysis:review", args=[analysis.pk])).text
    assert "Ring rådmannen før vi godkjenner." in page
    assert "Interne notater" in page


@pytest.mark.parametrize("persona", ["planner", "reader"])
def test_the_municipality_can_neither_see_nor_post_internal_notes(
    client_for, analysis, adviser, persona
):
    review.add_internal_note(analysis=analysis, author=adviser, body="Svak forankring, følg opp.")
    client = client_for(persona)
    page = client.get(reverse("analysis:review", args=[analysis.pk]))
    assert page.status_code == 200
    assert "Svak forankring" not in page.text
    assert "Interne notater" not in page.text
    assert 'id="internal-notes"' not in page.text
    assert client.post(note_url(analysis), {"body": "Fra kommunen"}).status_code == 403
    assert InternalNote.objects.count() == 1


@pytest.mark.parametrize("persona", ["outside_adviser", "other_planner", "anonymous"])
def test_nobody_outside_the_region_reaches_internal_notes(client_for, analysis, persona):
    response = client_for(persona).post(note_url(analysis), {"body": "Utenfra"})
    assert response.status_code in (302, 404)  # anonymous goes to the login page
    assert not InternalNote.objects.exists()


def test_internal_notes_stay_out_of_the_municipalitys_pages_report_export_and_email(
    client_for, analysis, adviser
):
    OutgoingMessage.objects.all().delete()
    client = client_for("adviser")
    client.post(note_url(analysis), {"body": "Hemmelig vurdering fra embetet"})
    assert InternalNote.objects.count() == 1
    assert not mail.outbox
    assert not OutgoingMessage.objects.filter(body_text__contains="Hemmelig").exists()
    planner = client_for("planner")
    for url in (
        reverse("analysis:detail", args=[analysis.pk]),
        reverse("analysis:review", args=[analysis.pk]),
        reverse("reports:report", args=[analysis.pk]),
    ):
        response = planner.get(url)
        assert response.status_code == 200, url
        assert "Hemmelig vurdering" not in response.text, url
    export = planner.get(reverse("reports:answers_export", args=[analysis.pk]))
    assert export.status_code == 200
    assert b"Hemmelig" not in export.content
    # Not even the adviser's report carries it: the report is the municipality's document.
    assert (
        "Hemmelig vurdering" not in client.get(reverse("reports:report", args=[analysis.pk])).text
    )


def test_an_internal_note_with_personal_information_comes_back_with_the_warning(
    client_for, analysis
):
    response = client_for("adviser").post(
        note_url(analysis), {"body": "Ola Nordmann, født 01.02.1980, ringte"}
    )
    assert response.status_code == 400
    assert "Ola Nordmann, født 01.02.1980, ringte" in response.text
    assert "privacy-warning" in response.text
    assert not InternalNote.objects.exists()


def test_an_empty_internal_note_is_refused(client_for, analysis):
    response = client_for("adviser").post(note_url(analysis), {"body": "  \x00 "})
    assert response.status_code == 400
    assert not InternalNote.objects.exists()
