"""The action plan: measures with an owner, a unit, a deadline and a status that each round
updates; who may change them, and the bad input each refuses with nothing written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from analysis import merge
from analysis.models import Analysis, AnalysisStatus
from analysis.services import rounds, workflow
from keyfigures.models import Indicator
from plans import selectors, services
from plans.models import Measure, MeasureStatus, MeasureStatusChange
from reference.models import SuccessFactor
from tests.factories import analysis_of, make_complete, make_unit, open_year

pytestmark = pytest.mark.django_db


def new_measure(analysis, planner, **values) -> Measure:
    return services.save_measure(
        analysis=analysis,
        measure=None,
        values={"title": "Boligsosial handlingsplan", "priority": 1, **values},
        version=None,
        base=None,
        by=planner,
    )


def test_a_new_measure_is_planned_in_the_round_and_its_creation_is_in_the_history(
    analysis, planner
):
    unit = make_unit(analysis)
    measure = new_measure(
        analysis,
        planner,
        responsible_unit=unit,
        owner_name="Kari Nordmann",
        owner_role="boligkoordinator",
        deadline=datetime.date(2026, 10, 1),
        estimated_cost=250000,
        factors=list(SuccessFactor.objects.filter(number__in=[2, 3])),
    )
    assert measure.planned_in == analysis.round
    assert measure.status == MeasureStatus.PLANNED
    assert measure.owner == "Kari Nordmann, boligkoordinator"
    assert sorted(measure.factors.values_list("number", flat=True)) == [2, 3]
    [created] = selectors.measure_history(measure)
    assert (created.from_status, created.to_status, created.changed_by) == ("", "planned", planner)


def test_status_changes_are_recorded_with_who_when_and_a_note_and_shown_in_words(
    client_for, analysis, planner
):
    measure = new_measure(analysis, planner)
    services.change_measure_status(
        analysis=analysis,
        measure=measure,
        status=MeasureStatus.STARTED,
        note="Arbeidsgruppa er satt ned.",
        version=measure.version,
        by=planner,
    )
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.STARTED
    changes = selectors.measure_history(measure)
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("", "planned"),
        ("planned", "started"),
    ]
    page = client_for("planner").get(
        reverse("plans:measure_status", args=[analysis.pk, measure.pk])
    )
    text = page.content.decode()
    assert "endret status fra planlagt til startet" in text
    assert "Arbeidsgruppa er satt ned." in text


def test_field_edits_are_in_the_history_in_words_beside_the_status_changes(
    client_for, analysis, planner
):
    measure = new_measure(analysis, planner, deadline=datetime.date(2026, 10, 1))
    services.save_measure(
        analysis=analysis,
        measure=measure,
        values=services.measure_values(measure)
        | {"deadline": datetime.date(2026, 12, 1), "owner_name": "Kari Nordmann", "priority": 2},
        version=measure.version,
        base=None,
        by=planner,
    )
    [created, edited] = selectors.measure_timeline(analysis, measure)
    assert created.status_change is not None and created.status_change.from_status == ""
    assert (edited.changed_by, [(c.label, c.old, c.new) for c in edited.changes]) == (
        planner,
        [
            ("Ansvarliges navn", "–", "Kari Nordmann"),
            ("Frist", "1.10.2026", "1.12.2026"),
            ("Prioritet", "Høy", "Middels"),
        ],
    )
    # The same edit recorded once, in the history every other row uses; nothing for a save
    # that changes nothing.
    services.save_measure(
        analysis=analysis,
        measure=Measure.objects.get(pk=measure.pk),
        values=services.measure_values(Measure.objects.get(pk=measure.pk)),
        version=measure.version + 1,
        base=None,
        by=planner,
    )
    assert len(selectors.measure_timeline(analysis, measure)) == 2
    text = " ".join(
        client_for("reader")
        .get(reverse("plans:measure_status", args=[analysis.pk, measure.pk]))
        .text.split()
    )
    assert "endret tiltaket" in text
    assert "Frist endret fra 1.10.2026 til 1.12.2026" in text
    assert "Ansvarliges navn satt til Kari Nordmann" in text
    # The plan links every reader to that whole history.
    plan = client_for("reader").get(reverse("plans:measures", args=[analysis.pk])).text
    status_url = reverse("plans:measure_status", args=[analysis.pk, measure.pk])
    assert f'<a href="{status_url}">Alle endringer, også av de andre feltene' in plan


def test_the_history_of_a_measure_spans_the_rounds_of_the_municipality(
    client_for, analysis, planner
):
    measure = new_measure(analysis, planner, deadline=datetime.date(2026, 10, 1))
    services.save_measure(
        analysis=analysis,
        measure=measure,
        values=services.measure_values(measure) | {"deadline": datetime.date(2026, 11, 1)},
        version=measure.version,
        base=None,
        by=planner,
    )
    later = analysis_of(open_year(2027), analysis.municipality.number)
    [_created, edited] = selectors.measure_timeline(later, measure)
    assert [(c.old, c.new) for c in edited.changes] == [("1.10.2026", "1.11.2026")]


def test_a_stop_without_a_reason_is_refused_and_nothing_changes(client_for, analysis, planner):
    measure = new_measure(analysis, planner)
    response = client_for("planner").post(
        reverse("plans:measure_status", args=[analysis.pk, measure.pk]),
        {"status": "stopped", "note": " ", "version": measure.version},
    )
    assert response.status_code == 200
    assert "Skriv hvorfor tiltaket ble stoppet." in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED
    assert MeasureStatusChange.objects.filter(measure=measure).count() == 1
    with pytest.raises(ValidationError):
        services.change_measure_status(
            analysis=analysis, measure=measure, status="stopped", note="", version=None, by=planner
        )


def test_a_stop_with_a_reason_keeps_the_reason(analysis, planner):
    measure = new_measure(analysis, planner)
    services.change_measure_status(
        analysis=analysis,
        measure=measure,
        status="stopped",
        note="Erstattet av Bolig først.",
        version=None,
        by=planner,
    )
    measure.refresh_from_db()
    assert measure.stop_reason == "Erstattet av Bolig først."


@pytest.mark.parametrize("persona", ["reader", "adviser"])
def test_a_reader_or_an_adviser_cannot_change_a_status(client_for, analysis, planner, persona):
    measure = new_measure(analysis, planner)
    response = client_for(persona).post(
        reverse("plans:measure_status", args=[analysis.pk, measure.pk]),
        {"status": "done", "note": "Ferdig", "version": measure.version},
    )
    assert response.status_code == 403
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED


def test_a_unit_of_another_municipality_is_refused(client_for, analysis, other_analysis):
    foreign = make_unit(other_analysis, "Vefsn eiendom")
    response = client_for("planner").post(
        reverse("plans:measure_create", args=[analysis.pk]),
        {"title": "Tiltak", "priority": 2, "responsible_unit": foreign.pk},
    )
    assert response.status_code == 400  # a choice never offered: forged
    assert not Measure.objects.exists()
    with pytest.raises(ValidationError) as error:
        new_measure(analysis, None, responsible_unit=foreign)
    assert "Velg en av kommunens egne enheter." in str(error.value)
    assert not Measure.objects.exists()


def test_a_deadline_before_the_round_is_refused_with_a_clear_message(client_for, analysis):
    response = client_for("planner").post(
        reverse("plans:measure_create", args=[analysis.pk]),
        {"title": "Tiltak", "priority": 2, "deadline": "2025-06-01"},
    )
    assert response.status_code == 200
    assert "Fristen kan ikke være før runden tiltaket ble planlagt i" in response.content.decode()
    assert not Measure.objects.exists()


def test_a_target_year_before_the_baseline_year_is_refused(client_for, analysis):
    indicator = Indicator.objects.first()
    response = client_for("planner").post(
        reverse("plans:measure_create", args=[analysis.pk]),
        {
            "title": "Tiltak",
            "priority": 2,
            "indicator": indicator.pk,
            "target_value": "12",
            "target_year": 2024,
        },
    )
    assert response.status_code == 200
    assert "Målåret kan ikke være før basisåret 2026" in response.content.decode()
    assert not Measure.objects.exists()


def test_two_people_changing_the_same_field_meet_a_conflict_not_an_overwrite(analysis, planner):
    measure = new_measure(analysis, planner, owner_name="Kari")
    form_values = services.measure_values(measure)
    base = merge.fingerprints(form_values)
    services.save_measure(
        analysis=analysis,
        measure=measure,
        values={**form_values, "owner_name": "Ola"},
        version=measure.version,
        base=base,
        by=planner,
    )
    with pytest.raises(merge.StaleEdit):
        services.save_measure(
            analysis=analysis,
            measure=measure,
            values={**form_values, "owner_name": "Per"},
            version=measure.version,
            base=base,
            by=planner,
        )
    measure.refresh_from_db()
    assert measure.owner_name == "Ola"


def test_a_status_changed_meanwhile_is_a_conflict(client_for, analysis, planner):
    measure = new_measure(analysis, planner)
    loaded = measure.version
    services.change_measure_status(
        analysis=analysis, measure=measure, status="started", note="", version=loaded, by=planner
    )
    response = client_for("planner").post(
        reverse("plans:measure_status", args=[analysis.pk, measure.pk]),
        {"status": "done", "note": "Ferdig", "version": loaded},
    )
    assert response.status_code == 409
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.STARTED


def test_another_municipality_never_sees_the_plan(client_for, analysis, planner):
    measure = new_measure(analysis, planner)
    for persona in ("other_planner", "outside_adviser"):
        response = client_for(persona).get(
            reverse("plans:measure_edit", args=[analysis.pk, measure.pk])
        )
        assert response.status_code == 404


def test_the_adviser_reads_the_plan_of_a_municipality_in_the_region(client_for, analysis, planner):
    new_measure(analysis, planner, title="Bolig først")
    response = client_for("adviser").get(reverse("plans:measures", args=[analysis.pk]))
    assert response.status_code == 200
    assert "Bolig først" in response.content.decode()
    assert "Oppdater status" not in response.content.decode()


def test_the_overdue_filter_shows_open_measures_past_their_deadline(client_for, analysis, planner):
    new_measure(analysis, planner, title="Forsinket", deadline=datetime.date(2026, 1, 2))
    new_measure(analysis, planner, title="I rute", deadline=datetime.date(2099, 1, 2))
    done = new_measure(
        analysis, planner, title="Ferdig før fristen", deadline=datetime.date(2026, 1, 2)
    )
    services.change_measure_status(
        analysis=analysis, measure=done, status="done", note="", version=None, by=planner
    )
    response = client_for("planner").get(
        reverse("plans:measures", args=[analysis.pk]), {"overdue": "on"}
    )
    text = response.content.decode()
    assert "Forsinket" in text
    assert "I rute" not in text
    assert "Ferdig før fristen" not in text


# --- Carried over across rounds --------------------------------------------------------------


@pytest.fixture
def last_year(analysis) -> Analysis:
    """Fauske's analysis of the round before (2025), approved; `analysis` (2026) follows it."""
    earlier = analysis_of(open_year(analysis.round.year - 1), analysis.municipality.number)
    Analysis.objects.filter(pk=earlier.pk).update(status=AnalysisStatus.APPROVED)
    earlier.refresh_from_db()
    return earlier


def confirm_everything_carried_over(analysis) -> None:
    """The planner has looked at every answer and row copied from last year (what
    analysis:confirm_carried does); only the measures are left."""
    from analysis.models import (
        AllocationPractice,
        Answer,
        CooperationBody,
        ExternalActor,
        Responsibility,
    )
    from factors.models import FactorAssessment

    for model in (
        Answer,
        Responsibility,
        CooperationBody,
        ExternalActor,
        AllocationPractice,
        FactorAssessment,
    ):
        model.objects.filter(analysis=analysis).update(carried_over=False)


def continue_from(last_year, analysis, planner) -> Analysis:
    make_complete(last_year)
    Analysis.objects.filter(pk=last_year.pk).update(status=AnalysisStatus.APPROVED)
    return rounds.start_from_previous_round(analysis=analysis, by=planner)


def test_a_new_round_continues_the_same_measures_without_copying_them(last_year, analysis, planner):
    Analysis.objects.filter(pk=last_year.pk).update(status=AnalysisStatus.IN_PROGRESS)
    last_year.refresh_from_db()
    open_measure = new_measure(last_year, planner, title="Åpent")
    done = new_measure(last_year, planner, title="Ferdig")
    services.change_measure_status(
        analysis=last_year, measure=done, status="done", note="", version=None, by=planner
    )
    later = continue_from(last_year, analysis, planner)
    assert Measure.objects.count() == 2
    rows = selectors.measures_of(later)
    assert {row.measure.pk for row in rows} == {open_measure.pk, done.pk}
    assert [row.measure.pk for row in rows if row.needs_update] == [open_measure.pk]


def test_submission_waits_for_an_update_on_each_open_measure_from_the_last_round(
    client_for, last_year, analysis, planner
):
    Analysis.objects.filter(pk=last_year.pk).update(status=AnalysisStatus.IN_PROGRESS)
    last_year.refresh_from_db()
    measure = new_measure(last_year, planner, title="Boligplan")
    later = make_complete(continue_from(last_year, analysis, planner))
    confirm_everything_carried_over(later)
    with pytest.raises(ValidationError) as refused:
        workflow.submit_analysis(analysis=later, by=planner)
    assert "hva som har skjedd siden forrige runde: «Boligplan»" in " ".join(refused.value.messages)
    page = client_for("planner").get(later.get_absolute_url())
    assert "measures-waiting" in page.content.decode()

    services.change_measure_status(
        analysis=later,
        measure=measure,
        status="started",
        note="Planarbeidet er i gang.",
        version=None,
        by=planner,
    )
    workflow.submit_analysis(analysis=later, by=planner)
    later.refresh_from_db()
    assert later.status == AnalysisStatus.SUBMITTED
    [update] = [c for c in selectors.measure_history(measure) if c.round_id == later.round_id]
    assert update.note == "Planarbeidet er i gang."
