"""Honest gaps are answers (issue 15, item 1): "Ingen har ansvar i dag" and "Ikke aktuelt i
kommunen" complete a task area of the map and an instrument of the allocation, so nobody has
to invent an owner to submit, and the gap stays visible on the map, the analysis page and the
report."""

import pytest
from django.urls import reverse

from analysis import merge, parts
from analysis.forms.structures import ResponsibilityMapForm
from analysis.models import (
    AllocationPractice,
    Analysis,
    AnalysisStatus,
    Gap,
    Responsibility,
    Revision,
    RevisionKind,
    TaskAreaGap,
)
from analysis.selectors.progress import bulk_progress, section_progress, submission_blockers
from analysis.selectors.structures import responsibility_matrix
from analysis.services import carry_over
from analysis.services import structures as services
from analysis.services.rounds import start_from_previous_round
from reference.models import Instrument, SectionKind, TaskArea
from tests.factories import make_unit, open_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(analysis):
    return make_unit(analysis)


def area(key: str) -> TaskArea:
    return TaskArea.objects.get(key=key)


def map_data(client, analysis, **fields):
    """The map form as the browser sends it: every cell and gap as shown, `fields` on top."""
    page = client.get(reverse("analysis:responsibility_map", args=[analysis.pk]))
    data = {"base": page.context["base"]}
    for row in page.context["matrix"].rows:
        data[f"gap-{row.task_area.pk}"] = row.gap
        for unit in page.context["matrix"].units:
            data[f"cell-{row.task_area.pk}-{unit.pk}"] = row.roles.get(unit.pk, "")
    return data | fields


def save_map(analysis, by, *, cells=None, gaps=None):
    """The service as a page would call it, from the map as saved now."""
    shown = ResponsibilityMapForm(matrix=responsibility_matrix(analysis)).shown_base
    return services.save_responsibility_map(
        analysis=analysis,
        cells=cells or {},
        gaps=gaps or {},
        base=merge.decode_base(shown),
        by=by,
    )


def map_progress(analysis):
    return parts.get(SectionKind.RESPONSIBILITY_MAP).progress(analysis)


def test_nobody_responsible_completes_a_task_area_and_stays_a_gap_on_the_map(
    client_for, analysis, unit
):
    client = client_for("planner")
    tildeling = area("tildeling")
    response = client.post(
        reverse("analysis:responsibility_map", args=[analysis.pk]),
        map_data(client, analysis, **{f"gap-{tildeling.pk}": "nobody"}),
        follow=True,
    )
    assert "Lagret." in response.text
    assert TaskAreaGap.objects.get(analysis=analysis).gap == Gap.NOBODY
    assert map_progress(analysis).done == 1
    # Still a task nobody owns, said in words on the map.
    assert tildeling in response.context["matrix"].without_owner
    assert "Ingen har ansvar i dag" in response.text
    revision = Revision.objects.get(kind=RevisionKind.RESPONSIBILITY_MAP)
    assert revision.new_value == {"task_area": tildeling.pk, "gap": "nobody"}


def test_not_relevant_completes_a_task_area_without_calling_it_ownerless(analysis, planner):
    save_map(analysis, planner, gaps={area("bomiljo").pk: "not_relevant"})
    matrix = responsibility_matrix(analysis)
    assert [a.key for a in matrix.not_relevant] == ["bomiljo"]
    assert area("bomiljo") not in matrix.without_owner
    assert map_progress(analysis).done == 1


def test_a_gap_beside_a_responsible_unit_is_refused_and_nothing_is_lost(client_for, analysis, unit):
    client = client_for("planner")
    tildeling = area("tildeling")
    response = client.post(
        reverse("analysis:responsibility_map", args=[analysis.pk]),
        map_data(
            client,
            analysis,
            **{f"gap-{tildeling.pk}": "nobody", f"cell-{tildeling.pk}-{unit.pk}": "responsible"},
        ),
    )
    assert response.status_code == 200
    assert "har en ansvarlig enhet og er også besvart «Ingen har ansvar i dag»" in response.text
    assert not TaskAreaGap.objects.exists() and not Responsibility.objects.exists()
    # Both choices come back as they were made.
    row = next(r for r in response.context["matrix"].rows if r.task_area == tildeling)
    assert row.gap == "nobody" and row.roles == {unit.pk: "responsible"}


def test_not_relevant_with_a_contributing_unit_is_refused(analysis, planner, unit):
    bomiljo = area("bomiljo")
    with pytest.raises(services.ValidationError) as refused:
        save_map(
            analysis,
            planner,
            cells={(bomiljo.pk, unit.pk): "contributing"},
            gaps={bomiljo.pk: "not_relevant"},
        )
    assert "Ikke aktuelt i kommunen" in refused.value.messages[0]
    assert not TaskAreaGap.objects.exists() and not Responsibility.objects.exists()


def test_nobody_responsible_may_sit_beside_contributing_units(analysis, planner, unit):
    bomiljo = area("bomiljo")
    save_map(
        analysis,
        planner,
        cells={(bomiljo.pk, unit.pk): "contributing"},
        gaps={bomiljo.pk: "nobody"},
    )
    assert map_progress(analysis).done == 1


def test_two_people_answering_the_same_task_area_differently_is_a_conflict(
    client_for, analysis, unit, planner
):
    client = client_for("planner")
    tildeling = area("tildeling")
    stale = map_data(client, analysis, **{f"gap-{tildeling.pk}": "not_relevant"})
    save_map(analysis, planner, gaps={tildeling.pk: "nobody"})
    response = client.post(reverse("analysis:responsibility_map", args=[analysis.pk]), stale)
    assert response.status_code == 409
    assert TaskAreaGap.objects.get().gap == Gap.NOBODY
    assert "Ikke aktuelt i kommunen" in response.text


def test_a_forged_gap_writes_nothing(client_for, analysis, unit):
    client = client_for("planner")
    response = client.post(
        reverse("analysis:responsibility_map", args=[analysis.pk]),
        map_data(client, analysis, **{f"gap-{area('tildeling').pk}": "somebody"}),
    )
    assert response.status_code == 400
    assert not TaskAreaGap.objects.exists()


def allocation_data(client, analysis, **fields):
    page = client.get(reverse("analysis:allocation", args=[analysis.pk]))
    data = {}
    for _instrument, form in page.context["forms"]:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            data[form.add_prefix(name)] = "" if value is None else value
    return data | fields


def test_an_instrument_nobody_decides_on_is_answered(client_for, analysis):
    startlan = Instrument.objects.get(key="startlan")
    client = client_for("planner")
    response = client.post(
        reverse("analysis:allocation", args=[analysis.pk]),
        allocation_data(client, analysis, **{f"i{startlan.pk}-gap": "nobody"}),
        follow=True,
    )
    assert "Lagret." in response.text
    practice = AllocationPractice.objects.get(analysis=analysis, instrument=startlan)
    assert practice.gap == Gap.NOBODY and practice.is_answered
    assert parts.get(SectionKind.ALLOCATION).progress(analysis).done == 1


def test_naming_a_decider_and_answering_nobody_is_refused(client_for, analysis):
    startlan = Instrument.objects.get(key="startlan")
    client = client_for("planner")
    response = client.post(
        reverse("analysis:allocation", args=[analysis.pk]),
        allocation_data(
            client,
            analysis,
            **{f"i{startlan.pk}-gap": "nobody", f"i{startlan.pk}-decided_by": "Teamet"},
        ),
    )
    assert response.status_code == 200
    assert "Enten skriv hvem som avgjør" in response.text
    assert not AllocationPractice.objects.exists()


def test_the_database_refuses_a_decider_beside_a_gap(analysis):
    practice = AllocationPractice(
        analysis=analysis,
        instrument=Instrument.objects.first(),
        decided_by="Teamet",
        gap="nobody",
    )
    with pytest.raises(services.ValidationError):
        practice.full_clean()


def answer_everything_with_gaps(analysis, planner):
    save_map(
        analysis,
        planner,
        gaps={a.pk: ("nobody" if a.order % 2 else "not_relevant") for a in TaskArea.objects.all()},
    )
    services.save_allocation(
        analysis=analysis,
        rows={
            i.pk: {"decided_by": "", "gap": "nobody", "criteria": "", "criteria_written": None}
            for i in Instrument.objects.all()
        },
        bases={
            i.pk: merge.fingerprints(services.allocation_values(None))
            for i in Instrument.objects.all()
        },
        by=planner,
    )


def test_gaps_alone_complete_the_map_and_the_allocation(analysis, planner):
    answer_everything_with_gaps(analysis, planner)
    blocking = {p.section.kind for p in submission_blockers(section_progress(analysis))}
    assert SectionKind.RESPONSIBILITY_MAP not in blocking
    assert SectionKind.ALLOCATION not in blocking


def test_the_overview_counts_gaps_as_the_analysis_page_does(analysis, planner):
    answer_everything_with_gaps(analysis, planner)
    done = parts.get(SectionKind.RESPONSIBILITY_MAP).bulk_done(Analysis.objects.all())
    assert done[analysis.pk] == TaskArea.objects.count()
    done = parts.get(SectionKind.ALLOCATION).bulk_done(Analysis.objects.all())
    assert done[analysis.pk] == Instrument.objects.count()
    assert bulk_progress(Analysis.objects.filter(pk=analysis.pk), analysis.round.questionnaire_id)


def test_the_analysis_page_says_what_is_missing_in_each_part(client_for, analysis, planner):
    save_map(analysis, planner, cells={}, gaps={a.pk: "nobody" for a in TaskArea.objects.all()[:7]})
    page = client_for("planner").get(analysis.get_absolute_url())
    assert "2 av 9 oppgaveområder mangler svar" in page.text
    assert "5 av 5 virkemidler mangler svar på hvem som avgjør" in page.text
    assert "Ingen samarbeidsorganer eller eksterne aktører er registrert" in page.text
    assert "Fullfør denne delen" not in page.text


def test_a_new_round_carries_gaps_over_to_confirm(analysis, planner):
    last_year = Analysis.objects.get(round=open_year(2025), municipality=analysis.municipality)
    last_year.status = AnalysisStatus.IN_PROGRESS
    last_year.save()
    tildeling = area("tildeling")
    TaskAreaGap.objects.create(analysis=last_year, task_area=tildeling, gap="nobody")
    AllocationPractice.objects.create(
        analysis=last_year, instrument=Instrument.objects.get(key="startlan"), gap="not_relevant"
    )
    start_from_previous_round(analysis=analysis, by=planner)
    gap = TaskAreaGap.objects.get(analysis=analysis)
    assert gap.carried_over and gap.gap == "nobody"
    practice = AllocationPractice.objects.get(analysis=analysis)
    assert practice.carried_over and practice.gap == "not_relevant"
    assert map_progress(analysis).unconfirmed == 1

    carry_over.confirm_carried_over(analysis=analysis, kind="responsibility_gap", by=planner)
    gap.refresh_from_db()
    assert not gap.carried_over
    assert map_progress(analysis).unconfirmed == 0
    assert Revision.objects.filter(
        analysis=analysis, kind=RevisionKind.RESPONSIBILITY_MAP, note="Bekreftet uendret"
    ).exists()


def test_the_history_names_the_gap(client_for, analysis, planner):
    save_map(analysis, planner, cells={}, gaps={area("tildeling").pk: "nobody"})
    page = client_for("planner").get(reverse("analysis:map_history", args=[analysis.pk]))
    assert "Ingen har ansvar i dag" in page.text


def test_the_report_and_the_answers_workbook_show_gaps_in_words(client_for, analysis, planner):
    answer_everything_with_gaps(analysis, planner)
    report = client_for("planner").get(reverse("reports:report", args=[analysis.pk]))
    assert report.status_code == 200
    assert report.context["report"].matrix_filled
    assert report.text.count("Ingen har ansvar i dag") >= 5 + 5  # the map's areas, instruments
    assert "Oppgaver som ikke er aktuelle i kommunen:" in report.text
    # The recommendation about tasks without an owner still names them.
    assert "Oppgaver uten ansvarlig enhet:" in report.text
    from reports.exports import analysis_answers_frames

    text = "".join(frame.to_csv() for _name, frame in analysis_answers_frames(analysis))
    assert "Ikke aktuelt i kommunen" in text and "Ingen har ansvar i dag" in text
