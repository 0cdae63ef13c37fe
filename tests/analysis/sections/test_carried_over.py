"""What a new round carried over from the previous one is marked on every page until the
planner edits it or confirms it unchanged; it counts as answered meanwhile."""

import pytest
from django.urls import reverse

from analysis.models import (
    AllocationPractice,
    Analysis,
    AnalysisStatus,
    Answer,
    CooperationBody,
    ExternalActor,
    Responsibility,
    Revision,
    Unit,
)
from analysis.services.rounds import start_from_previous_round
from factors.models import FactorAssessment
from reference.models import Instrument, SuccessFactor, TaskArea
from tests.factories import open_year
from tests.form_data import form_data

pytestmark = pytest.mark.django_db

BADGE = "Videreført fra forrige runde"


@pytest.fixture
def carried(analysis, planner):
    """Last year's analysis, filled in, and this year's started from it."""
    previous_round = open_year(2025)
    last_year = Analysis.objects.get(round=previous_round, municipality=analysis.municipality)
    section = analysis.round.questionnaire.sections.get(key="forarbeid")
    for question in section.questions.filter(kind="text")[:2]:
        Answer.objects.create(analysis=last_year, question=question, value=f"Svar {question.key}")
    unit = Unit.objects.create(municipality=analysis.municipality, name="Eiendom")
    for area in TaskArea.objects.filter(key__in=["tildeling", "forvaltning"]):
        Responsibility.objects.create(
            analysis=last_year, task_area=area, unit=unit, role="responsible"
        )
    CooperationBody.objects.create(analysis=last_year, name="Boligforum")
    ExternalActor.objects.create(analysis=last_year, kind="nav", name="NAV Fauske")
    for instrument in Instrument.objects.filter(key__in=["startlan", "bostotte"]):
        AllocationPractice.objects.create(
            analysis=last_year, instrument=instrument, decided_by="Teamet"
        )
    for factor in SuccessFactor.objects.filter(number__in=[1, 2]):
        FactorAssessment.objects.create(
            analysis=last_year, factor=factor, score=3, status="Status i fjor"
        )
    start_from_previous_round(analysis=analysis, by=planner)
    analysis.refresh_from_db()
    return analysis


PAGES = {
    # page, how many carried-over entries it shows
    "section": (lambda a: reverse("analysis:section", args=[a.pk, "forarbeid"]), 2),
    "factors": (lambda a: reverse("factors:assessments", args=[a.pk]), 2),
    "map": (lambda a: reverse("analysis:responsibility_map", args=[a.pk]), 2),
    "cooperation": (lambda a: reverse("analysis:cooperation", args=[a.pk]), 2),
    "allocation": (lambda a: reverse("analysis:allocation", args=[a.pk]), 2),
}


@pytest.mark.parametrize("page", PAGES)
def test_every_carried_over_entry_shows_the_badge_with_a_confirm_button(client_for, carried, page):
    url, count = PAGES[page]
    response = client_for("planner").get(url(carried))
    assert response.text.count(BADGE) == count
    assert response.text.count("carried-over-confirm") == count
    assert "Bekreft alle i denne delen" in response.text


def test_readers_see_the_badge_but_no_confirm_button(client_for, carried):
    response = client_for("reader").get(PAGES["cooperation"][0](carried))
    assert response.text.count(BADGE) == 2
    assert "carried-over-confirm" not in response.text


def confirm(client, analysis, **data):
    return client.post(reverse("analysis:confirm_carried", args=[analysis.pk]), data)


def test_confirming_one_entry_clears_its_mark_and_records_it(client_for, carried, planner):
    body = CooperationBody.objects.get(analysis=carried)
    response = confirm(client_for("planner"), carried, kind="cooperation_body", id=body.pk)
    assert response.status_code == 302
    assert response.url == reverse("analysis:cooperation", args=[carried.pk])
    body.refresh_from_db()
    assert body.carried_over is False
    revision = Revision.objects.get(kind="cooperation_body", object_id=body.pk)
    assert (revision.note, revision.changed_by) == ("Bekreftet uendret", planner)
    assert revision.old_value == revision.new_value
    assert ExternalActor.objects.get(analysis=carried).carried_over is True


def test_confirming_all_in_a_section_leaves_other_sections_alone(client_for, carried):
    client = client_for("planner")
    assert confirm(client, carried, kind="answer", section="forarbeid", all="1").status_code == 302
    assert not Answer.objects.filter(analysis=carried, carried_over=True).exists()
    notes = Revision.objects.filter(answer__analysis=carried, note="Bekreftet uendret")
    assert notes.count() == 2
    assert FactorAssessment.objects.filter(analysis=carried, carried_over=True).count() == 2
    for kind, model in [
        ("assessment", FactorAssessment),
        ("responsibility", Responsibility),
        ("allocation", AllocationPractice),
        ("external_actor", ExternalActor),
    ]:
        confirm(client, carried, kind=kind, all="1")
        assert not model.objects.filter(analysis=carried, carried_over=True).exists(), kind
    history = client.get(reverse("analysis:map_history", args=[carried.pk]))
    assert "Bekreftet uendret" in history.text and "Ingen endring i verdiene" in history.text


def test_editing_a_carried_over_entry_clears_its_mark(client_for, carried):
    client = client_for("planner")
    url = reverse("analysis:section", args=[carried.pk, "forarbeid"])
    answer = Answer.objects.filter(analysis=carried).order_by("pk").first()
    other = Answer.objects.filter(analysis=carried).order_by("pk").last()
    data = form_data(client.get(url).context["form"], **{f"q-{answer.question.key}": "Nytt"})
    assert client.post(url, data).status_code == 302
    answer.refresh_from_db()
    other.refresh_from_db()
    assert (answer.value, answer.carried_over) == ("Nytt", False)
    assert other.carried_over is True  # saved along, but not edited

    body = CooperationBody.objects.get(analysis=carried)
    edit = reverse("analysis:cooperation_edit", args=[carried.pk, "organ", body.pk])
    client.post(edit, form_data(client.get(edit).context["form"], mandate="Nytt mandat"))
    body.refresh_from_db()
    assert body.carried_over is False


def test_unconfirmed_entries_count_as_answered_and_the_analysis_page_lists_them(
    client_for, carried
):
    client = client_for("planner")
    page = client.get(carried.get_absolute_url())
    rows = {row.section.key: row.progress for row in page.context["section_rows"]}
    required = Answer.objects.filter(
        analysis=carried, question__required=True, question__section__key="forarbeid"
    ).count()
    assert required >= 1
    assert rows["forarbeid"].done == required
    assert rows["forarbeid"].unconfirmed == 2
    assert rows["samarbeid"].unconfirmed == 2 and rows["samarbeid"].done >= 1
    assert "2 videreførte svar ikke bekreftet" in page.text
    confirm(client, carried, kind="answer", section="forarbeid", all="1")
    page = client.get(carried.get_absolute_url())
    rows = {row.section.key: row.progress for row in page.context["section_rows"]}
    assert rows["forarbeid"].unconfirmed == 0 and rows["forarbeid"].done == required


@pytest.mark.parametrize(
    ("persona", "status"),
    {"reader": 403, "adviser": 403, "other_planner": 404, "outside_adviser": 404}.items(),
)
def test_only_editors_confirm(client_for, carried, persona, status):
    response = confirm(client_for(persona), carried, kind="allocation", all="1")
    assert response.status_code == status
    assert AllocationPractice.objects.filter(analysis=carried, carried_over=True).count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "everything", "all": "1"},
        {"kind": "allocation"},
        {"kind": "allocation", "id": "x"},
        # Digits to str.isdigit() or int(), or beyond any id (issue 11).
        {"kind": "allocation", "id": "²"},
        {"kind": "allocation", "id": "٣"},
        {"kind": "allocation", "id": "9" * 30},
    ],
)
def test_a_forged_confirmation_is_a_bad_request(client_for, carried, data):
    assert confirm(client_for("planner"), carried, **data).status_code == 400
    assert AllocationPractice.objects.filter(analysis=carried, carried_over=True).count() == 2


def test_a_submitted_analysis_confirms_nothing(client_for, carried):
    carried.status = AnalysisStatus.SUBMITTED
    carried.save()
    response = confirm(client_for("planner"), carried, kind="allocation", all="1")
    assert response.status_code == 302
    assert AllocationPractice.objects.filter(analysis=carried, carried_over=True).count() == 2


def test_an_entry_of_another_analysis_is_not_confirmed(client_for, carried, other_analysis):
    foreign = CooperationBody.objects.create(
        analysis=other_analysis, name="Fremmed", carried_over=True
    )
    confirm(client_for("planner"), carried, kind="cooperation_body", id=foreign.pk)
    foreign.refresh_from_db()
    assert foreign.carried_over is True
