"""The planner turns two recommendations into measures with owners and deadlines; the adviser
sees them in the region; a new round carries them over and asks what happened to each."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from analysis.models import Analysis
from plans.models import Measure
from reference.models import Region
from tests.browser.helpers import check_page, sign_in
from tests.factories import open_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECOMMENDATIONS = {
    # rule key: (owner, role, unit)
    "strategisk-ansvar": ("Siri Strand", "kommunedirektørens stab", "Plan og utvikling"),
    "politisk-involvering-tidlig": ("Ola Berg", "plansjef", "Plan og utvikling"),
}


@pytest.fixture
def fauske(demo_data):
    call_command("load_recommendation_rules", verbosity=0)
    return Analysis.objects.filter(municipality__number="1841", is_demo=True).latest("round__year")


def test_recommendations_become_measures_the_adviser_follows_and_a_new_round_asks_about(
    browser, live_server, fauske
):
    year = fauske.round.year
    planner = browser.new_page()
    sign_in(planner, live_server, "planlegger", land=False)
    titles = []
    for key, (owner, role, unit) in RECOMMENDATIONS.items():
        planner.goto(live_server.url + fauske.get_absolute_url())
        recommendation = planner.locator(f"#recommendation-{key}")
        titles.append(recommendation.locator("strong").first.inner_text())
        recommendation.get_by_role("button", name="Gjør om til tiltak").click()
        planner.wait_for_load_state()
        expect(planner.get_by_role("heading", level=1)).to_have_text("Endre tiltak")
        expect(planner.get_by_label("Tittel")).to_have_value(titles[-1])
        planner.get_by_label("Ansvarliges navn").fill(owner)
        planner.get_by_label("Ansvarliges rolle").fill(role)
        planner.get_by_label("Ansvarlig enhet").select_option(label=unit)
        planner.get_by_label("Frist").fill(f"{year}-12-15")
        planner.get_by_role("button", name="Lagre").click()
        planner.wait_for_load_state()
        expect(planner.get_by_text("Tiltaket er lagret.")).to_be_visible()
    check_page(planner, "action-plan")
    for title, (owner, role, _unit) in zip(titles, RECOMMENDATIONS.values(), strict=True):
        row = planner.locator("tr", has_text=title)
        expect(row).to_contain_text(f"{owner}, {role}")
        expect(row).to_contain_text(f"15.12.{year}")
    made = Measure.objects.filter(title__in=titles)
    assert sorted(k for m in made for k in m.recommendation_keys) == sorted(RECOMMENDATIONS)

    adviser = browser.new_page()
    sign_in(adviser, live_server, "radgiver", land=False)
    region = Region.objects.get(name="Statsforvalteren i Nordland")
    adviser.goto(f"{live_server.url}/analyse/region/{region.pk}/tiltak/?runde={year}")
    check_page(adviser, "region-action-plans")
    adviser.get_by_role("link", name="Fauske", exact=True).click()
    adviser.wait_for_load_state()
    for title in titles:
        expect(adviser.locator("table.measures strong", has_text=title)).to_be_visible()
    expect(adviser.get_by_role("link", name="Oppdater status")).to_have_count(0)

    # Next year: the same measures continue, and the round asks what happened to each.
    next_round = open_year(year + 1)
    later = Analysis.objects.get(round=next_round, municipality=fauske.municipality)
    Analysis.objects.filter(pk=fauske.pk).update(status="approved")
    planner.goto(live_server.url + later.get_absolute_url())
    planner.get_by_role("button", name="Start fra forrige runde").click()
    planner.wait_for_load_state()
    waiting = planner.locator("#measures-waiting")
    for title in titles:
        expect(waiting).to_contain_text(title)
    assert Measure.objects.filter(title__in=titles).count() == 2
    waiting.get_by_role("link", name=titles[0]).click()
    planner.wait_for_load_state()
    planner.get_by_label("Status").select_option("started")
    planner.get_by_label("Hva har skjedd siden forrige oppdatering?").fill(
        "Arbeidet er flyttet til kommunedirektørens stab."
    )
    planner.get_by_role("button", name="Registrer status").click()
    planner.wait_for_load_state()
    planner.goto(live_server.url + later.get_absolute_url())
    expect(planner.locator("#measures-waiting")).not_to_contain_text(titles[0])
    expect(planner.locator("#measures-waiting")).to_contain_text(titles[1])
