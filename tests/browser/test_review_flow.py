"""Adviser and planner go through a review in a real Chromium: the planner submits; the
adviser opens the overview, sorts, opens Fauske, comments on a section and sends it back; the
planner sees the comment where it applies, replies and resubmits; the adviser approves, and
the status log shows every step. Every page is checked with axe-core. Then the factor
profile across the region, with a comparison."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from analysis.models import (
    AllocationPractice,
    Analysis,
    AnalysisStatus,
    Answer,
    Responsibility,
    Unit,
)
from plans.selectors import needing_update
from plans.services import change_measure_status
from reference.models import Instrument, Municipality, Question, TaskArea
from tests.browser.helpers import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_in_the_rest(analysis):
    """The content the demo analysis still lacks, written straight to the database; every
    status change below goes through the pages."""
    for q in Question.objects.filter(section__questionnaire=analysis.round.questionnaire):
        value = {"yes_no": "yes", "choice": q.choices[0]["value"] if q.choices else ""}.get(
            q.kind, "Demotekst"
        )
        Answer.objects.get_or_create(analysis=analysis, question=q, defaults={"value": value})
    unit = Unit.objects.get(municipality=analysis.municipality, name="Eiendom")
    for area in TaskArea.objects.all():
        Responsibility.objects.get_or_create(
            analysis=analysis, task_area=area, unit=unit, defaults={"role": "responsible"}
        )
    for instrument in Instrument.objects.all():
        AllocationPractice.objects.update_or_create(
            analysis=analysis, instrument=instrument, defaults={"decided_by": "Teamet"}
        )
    # The demo plan's measure from last round that waits for this round's word on it.
    planner = User.objects.get(username="planlegger")
    for measure in needing_update(analysis):
        change_measure_status(
            analysis=analysis,
            measure=measure,
            status=measure.status,
            note="Fortsatt i arbeid.",
            version=None,
            by=planner,
        )


def test_review_round_trip(browser, live_server, demo_data):
    fauske = Analysis.objects.filter(municipality__number="1841", is_demo=True).latest(
        "round__year"
    )
    assert fauske.status == AnalysisStatus.IN_PROGRESS
    fill_in_the_rest(fauske)

    planner = browser.new_context().new_page()
    sign_in(planner, live_server, "planlegger")
    check_page(planner, "review-flow-planner-analysis")
    planner.get_by_role("link", name="Se over svarene og send inn").click()
    planner.get_by_role("button", name="Send inn foranalysen").click()
    expect(planner.get_by_text("Foranalysen er sendt inn til vurdering.")).to_be_visible()

    adviser = browser.new_context().new_page()
    sign_in(adviser, live_server, "radgiver")
    check_page(adviser, "review-flow-overview")
    in_region = Municipality.objects.filter(
        county__region__name="Statsforvalteren i Nordland", valid_to__isnull=True
    )
    expect(adviser.locator("tbody tr")).to_have_count(in_region.count())
    adviser.get_by_role("link", name="F1 Forankring og eierskap").click()
    adviser.get_by_role("link", name="F1 Forankring og eierskap").click()  # descending
    first = adviser.locator("tbody tr").first.locator("th").inner_text()
    assert first == "Sortland"  # the highest score on factor 1 among the demo municipalities
    assert (
        adviser.get_by_role("columnheader", name="F1 Forankring og eierskap").get_attribute(
            "aria-sort"
        )
        == "descending"
    )
    check_page(adviser, "review-flow-overview-sorted")
    adviser.get_by_role("link", name="Fauske", exact=True).click()
    check_page(adviser, "review-flow-review-page")
    section = adviser.locator("section", has=adviser.get_by_role("heading", name="Forarbeid"))
    section.get_by_text("Kommenter delen").click()
    section.get_by_label("Kommentar").first.fill("Beskriv hvordan planstrategien brukes.")
    section.get_by_role("button", name="Lagre kommentar").first.click()
    expect(adviser.get_by_text("Kommentaren er lagret.")).to_be_visible()
    adviser.get_by_label("Melding til kommunen").first.fill("Se kommentaren under Forarbeid.")
    adviser.get_by_role("button", name="Send tilbake").click()
    expect(adviser.get_by_text("Foranalysen er sendt tilbake til kommunen.")).to_be_visible()
    check_page(adviser, "review-flow-sent-back")

    planner.goto(f"{live_server.url}/")
    expect(planner.get_by_text("Rådgiveren har sendt foranalysen tilbake.")).to_be_visible()
    planner.get_by_role("link", name="Forarbeid").first.click()
    expect(planner.get_by_text("Beskriv hvordan planstrategien brukes.")).to_be_visible()
    check_page(planner, "review-flow-section-with-comment")
    planner.get_by_role("link", name="Svar på kommentarene").first.click()
    planner.get_by_label("Svar", exact=True).first.fill("Vi har lagt det inn i planstrategien.")
    planner.get_by_label("Merk kommentaren som løst").first.check()
    planner.get_by_role("button", name="Send svar").first.click()
    expect(
        planner.get_by_text("Svaret er lagret, og kommentaren er merket som løst.")
    ).to_be_visible()
    # the resolved comment is folded away; opening it shows the reply
    planner.get_by_text("Løst kommentar fra").first.click()
    expect(planner.get_by_text("Vi har lagt det inn i planstrategien.")).to_be_visible()
    check_page(planner, "review-flow-review-page-planner")
    planner.goto(f"{live_server.url}{fauske.get_absolute_url()}")
    planner.get_by_role("link", name="Se over svarene og send inn").click()
    planner.get_by_role("button", name="Send inn foranalysen").click()
    expect(planner.get_by_text("Foranalysen er sendt inn til vurdering.")).to_be_visible()

    adviser.reload()
    adviser.get_by_text("Løst kommentar fra").first.click()
    expect(adviser.get_by_text("Vi har lagt det inn i planstrategien.")).to_be_visible()
    adviser.get_by_label("Melding til kommunen").first.fill("Godt arbeid.")
    adviser.get_by_role("button", name="Godkjenn").click()
    expect(adviser.get_by_text("Foranalysen er godkjent.").first).to_be_visible()
    check_page(adviser, "review-flow-approved")
    history = adviser.locator("section", has=adviser.get_by_role("heading", name="Statushistorikk"))
    steps = history.locator("li").all_inner_texts()
    assert [s.split(": ", 1)[1].split(" (")[0] for s in steps] == [
        "Ikke startet → Under arbeid",  # from the demo data
        "Under arbeid → Sendt inn",
        "Sendt inn → Sendt tilbake",
        "Sendt tilbake → Sendt inn",
        "Sendt inn → Godkjent",
    ]
    assert "Per Planlegger" in steps[1]
    assert "Se kommentaren under Forarbeid." in steps[2] and "Rita Rådgiver" in steps[2]
    assert "Per Planlegger" in steps[3]
    assert "Godt arbeid." in steps[4] and "Rita Rådgiver" in steps[4]
    fauske.refresh_from_db()
    assert fauske.status == AnalysisStatus.APPROVED


def test_factor_profile_across_the_region(page, live_server, demo_data):
    sign_in(page, live_server, "radgiver")
    page.get_by_role("link", name="Faktorprofil for regionen").click()
    page.wait_for_selector(".plotly-chart .main-svg")  # plotly.js drew the chart
    check_page(page, "factor-profile")
    table = page.get_by_role(
        "table", name="Kommunene med lavest og høyest vurdering på hver faktor"
    )
    assert "Sortland" in table.inner_text()
    page.get_by_label("Fauske").check()
    page.get_by_role("button", name="Sammenlign").click()
    expect(
        page.get_by_text("Velg mellom 2 og 6 kommuner å sammenligne; du valgte 1.")
    ).to_be_visible()
    check_page(page, "factor-profile-one-chosen")
    page.get_by_label("Fauske").check()
    page.get_by_label("Sortland").check()
    page.get_by_role("button", name="Sammenlign").click()
    page.wait_for_selector("[data-plotly-figure=comparison-data] .main-svg")
    comparison = page.get_by_role("table", name="De valgte kommunenes vurderinger")
    expect(comparison.get_by_role("columnheader", name="Sortland")).to_be_visible()
    check_page(page, "factor-profile-compared")
    # One municipality over every round: the demo's three rounds as a chart and a table.
    chooser = page.get_by_role("form", name="Velg en kommune")
    chooser.get_by_label("Kommune").select_option(label="Fauske")
    chooser.get_by_role("button", name="Vis").click()
    page.wait_for_selector("[data-plotly-figure=trend-figure-data] .main-svg")
    trend = page.get_by_role(
        "table", name="Skåren til Fauske på hver suksessfaktor, runde for runde"
    )
    expect(trend.get_by_role("columnheader")).to_have_count(4)  # the factor and three rounds
    # The comparison chosen before is kept.
    expect(comparison.get_by_role("columnheader", name="Sortland")).to_be_visible()
    check_page(page, "factor-profile-trend")
