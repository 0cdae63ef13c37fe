"""The proposed decision (forslag til vedtak): a draft generated from the plan in the
municipality's written form, written or accepted by an editor, never overwritten by a stale
form, refused with personal data in it, and reached by the municipality's editors only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from analysis import merge
from analysis.models import Analysis, AnalysisStatus
from plans import selectors, services
from plans.models import DecisionProposal, Measure, MeasurePriority, MeasureStatus
from reference.models import LanguageForm, Municipality

pytestmark = pytest.mark.django_db

# A valid (synthetic) national identity number: 11 digits with both check digits right.
IDENTITY_NUMBER = "15038510190"


def url(analysis) -> str:
    return reverse("plans:decision_proposal", args=[analysis.pk])


def measure(analysis, title, priority, *, status=MeasureStatus.PLANNED, cost=None) -> Measure:
    return Measure.objects.create(
        municipality=analysis.municipality,
        planned_in=analysis.round,
        title=title,
        priority=priority,
        status=status,
        stop_reason="Erstattet." if status == MeasureStatus.STOPPED else "",
        estimated_cost=cost,
        deadline=datetime.date(analysis.round.year, 12, 1),
    )


def proposal_text(analysis) -> str | None:
    proposal = DecisionProposal.objects.filter(analysis=analysis).first()
    return proposal.text if proposal else None


# --- The generated draft ---------------------------------------------------------------------


def test_the_draft_takes_note_and_endorses_the_open_measures_by_priority_with_their_cost(
    analysis,
):
    measure(analysis, "Boligpolitisk plan", MeasurePriority.HIGH, cost=300000)
    measure(analysis, "Fast boligforum", MeasurePriority.HIGH, cost=50000)
    measure(analysis, "Skriftlige kriterier", MeasurePriority.MEDIUM)
    measure(analysis, "Ferdig tiltak", MeasurePriority.LOW, status=MeasureStatus.DONE)
    measure(analysis, "Stoppet tiltak", MeasurePriority.LOW, status=MeasureStatus.STOPPED)
    draft = selectors.decision_draft(analysis)
    assert draft.splitlines() == [
        "1. Kommunestyret tar «Foranalyse 2026» for Fauske kommune til orientering.",
        "2. Kommunestyret slutter seg til tiltaksplanen med tre tiltak: to med høy prioritet "
        "(«Boligpolitisk plan» og «Fast boligforum») og ett med middels prioritet "
        "(«Skriftlige kriterier»). Anslått kostnad for tiltakene som har et anslag, er til "
        "sammen 350\xa0000 kroner.",
        "3. Kommunestyret ber kommunedirektøren legge fram status for tiltakene i neste runde "
        "av foranalysen.",
    ]


def test_one_measure_is_named_alone_and_three_titles_are_joined_with_commas_and_og(analysis):
    measure(analysis, "Boligpolitisk plan", MeasurePriority.HIGH, cost=1000)
    (point,) = [line for line in selectors.decision_draft(analysis).splitlines() if "2." in line]
    assert "tiltaket «Boligpolitisk plan» i tiltaksplanen (høy prioritet)" in point
    assert " og " not in point
    assert "Anslått kostnad er 1\xa0000 kroner." in point
    measure(analysis, "Forum", MeasurePriority.HIGH)
    measure(analysis, "Kriterier", MeasurePriority.HIGH)
    draft = selectors.decision_draft(analysis)
    assert (
        "med tre tiltak, alle med høy prioritet: «Boligpolitisk plan», «Forum» og «Kriterier»."
        in (draft)
    )


def test_without_open_measures_the_draft_asks_for_a_plan(analysis):
    draft = selectors.decision_draft(analysis)
    assert "2. Kommunestyret ber kommunedirektøren utarbeide en tiltaksplan" in draft
    assert "3." not in draft


def test_a_nynorsk_municipality_gets_its_draft_in_nynorsk_whatever_the_editors_language(
    analysis,
):
    Municipality.objects.filter(pk=analysis.municipality_id).update(
        language_form=LanguageForm.NYNORSK
    )
    analysis = Analysis.objects.select_related("municipality", "round").get(pk=analysis.pk)
    measure(analysis, "Boligpolitisk plan", MeasurePriority.HIGH)
    measure(analysis, "Forum", MeasurePriority.LOW)
    draft = selectors.decision_draft(analysis)
    assert "Kommunestyret tek «Foranalyse 2026» for Fauske kommune til orientering." in draft
    assert "sluttar seg til tiltaksplanen med to tiltak: eitt med høg prioritet" in draft
    assert "eitt med låg prioritet («Forum»)" in draft
    assert "leggje fram status for tiltaka" in draft
    for bokmal in (" tar ", "slutter", "høy", " legge ", "tiltakene"):
        assert bokmal not in draft


# --- Saving, accepting, stale edits ------------------------------------------------------------


def test_the_editor_sees_the_draft_while_nothing_is_saved_and_saves_it_unchanged(
    client_for, analysis
):
    measure(analysis, "Boligpolitisk plan", MeasurePriority.HIGH)
    draft = selectors.decision_draft(analysis)
    page = client_for("planner").get(url(analysis))
    assert page.status_code == 200
    assert 'id="draft-notice"' in page.text
    assert "Kommunestyret tar «Foranalyse 2026»" in page.text
    response = client_for("planner").post(url(analysis), {"text": draft, "version": "0"})
    assert response.status_code == 302
    assert response.url == reverse("reports:report", args=[analysis.pk]) + "#decision"
    assert proposal_text(analysis) == draft
    # Activity on the analysis: a new version, so the report's cache is not reused.
    assert Analysis.objects.get(pk=analysis.pk).version == analysis.version + 1


def test_an_editor_writes_their_own_text_and_can_go_back_to_the_generated_draft(
    client_for, analysis
):
    client = client_for("planner")
    client.post(
        url(analysis), {"text": "1. Kommunestyret tar saken til orientering.", "version": "0"}
    )
    assert proposal_text(analysis) == "1. Kommunestyret tar saken til orientering."
    page = client.get(url(analysis))
    assert 'id="draft-notice"' not in page.text
    assert 'id="generated-draft"' in page.text
    client.post(url(analysis), {"text": "anything", "version": "1", "use_draft": "1"})
    assert proposal_text(analysis) == selectors.decision_draft(analysis)
    assert DecisionProposal.objects.get(analysis=analysis).version == 2


def test_a_stale_form_answers_409_with_both_texts_and_overwrites_nothing(
    client_for, analysis, planner
):
    services.save_decision_proposal(analysis=analysis, text="Versjon A", version=0, by=planner)
    services.save_decision_proposal(analysis=analysis, text="Versjon B", version=1, by=planner)
    # Loaded when version 1 was saved; someone saved version 2 since.
    response = client_for("planner").post(url(analysis), {"text": "Versjon C", "version": "1"})
    assert response.status_code == 409
    assert "Versjon B" in response.text and "Versjon C" in response.text
    assert proposal_text(analysis) == "Versjon B"
    with pytest.raises(merge.StaleEdit):
        services.save_decision_proposal(analysis=analysis, text="Versjon D", version=0, by=planner)
    assert proposal_text(analysis) == "Versjon B"


def test_a_first_save_meets_a_text_someone_else_saved_first(client_for, analysis, planner):
    services.save_decision_proposal(analysis=analysis, text="Først", version=0, by=planner)
    response = client_for("planner").post(url(analysis), {"text": "Også først", "version": "0"})
    assert response.status_code == 409
    assert proposal_text(analysis) == "Først"


def test_a_form_without_its_version_is_refused_as_forged(client_for, analysis):
    response = client_for("planner").post(url(analysis), {"text": "Tekst"})
    assert response.status_code == 400
    assert proposal_text(analysis) is None


@pytest.mark.parametrize(
    "text",
    [
        f"1. Kommunestyret tar saken til orientering. Søkerens fødselsnummer er {IDENTITY_NUMBER}.",
        "1. Kari Nordmann har en rusdiagnose og husleierestanse, og må få bolig først.",
    ],
)
def test_personal_data_is_refused_with_a_norwegian_message_and_nothing_is_saved(
    client_for, analysis, planner, text
):
    services.save_decision_proposal(analysis=analysis, text="Forrige tekst", version=0, by=planner)
    version = Analysis.objects.get(pk=analysis.pk).version
    response = client_for("planner").post(url(analysis), {"text": text, "version": "1"})
    assert response.status_code == 200
    assert "Teksten ser ut til å kunne identifisere en person" in response.text
    assert proposal_text(analysis) == "Forrige tekst"
    assert Analysis.objects.get(pk=analysis.pk).version == version


def test_a_locked_analysis_refuses_the_proposal_as_every_other_edit(client_for, analysis):
    for status in (AnalysisStatus.SUBMITTED, AnalysisStatus.APPROVED):
        Analysis.objects.filter(pk=analysis.pk).update(status=status)
        response = client_for("planner").post(url(analysis), {"text": "Tekst", "version": "0"})
        assert response.status_code == 302
        assert response.url == analysis.get_absolute_url()
        assert proposal_text(analysis) is None
    page = client_for("planner").get(url(analysis))
    assert page.status_code == 200
    assert "Foranalysen kan bare leses mens den er sendt inn eller godkjent" in page.text
    assert 'name="use_draft"' not in page.text and ">Lagre<" not in page.text


# --- Who may open it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [
        ("planner", 200),
        ("reader", 403),
        ("adviser", 403),
        ("administrator", 403),
        ("other_planner", 404),
        ("outside_adviser", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_municipalitys_editors_open_or_save_the_proposal(
    client_for, analysis, persona, status
):
    client = client_for(persona)
    assert client.get(url(analysis)).status_code == status
    response = client.post(url(analysis), {"text": "Kapret", "version": "0"})
    assert response.status_code == (302 if persona in ("planner", "anonymous") else status)
    if persona == "anonymous":
        assert response.url.startswith(reverse("login"))
    expected = "Kapret" if persona == "planner" else None
    assert proposal_text(analysis) == expected


def test_the_analysis_page_links_to_the_proposal_for_editors_only(client_for, analysis):
    assert url(analysis) in client_for("planner").get(analysis.get_absolute_url()).text
    for persona in ("reader", "adviser"):
        assert url(analysis) not in client_for(persona).get(analysis.get_absolute_url()).text
