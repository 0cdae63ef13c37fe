"""Each recommendation rule fires when its condition holds and stays silent when it does not."""

import pytest

from reports.models import RecommendationRule
from reports.recommendations import RULES, Facts, recommendations_for

NAMES = {
    1: "Forankring og eierskap",
    2: "Overordnet strategi",
    3: "Organisering og samordning",
    4: "Økonomiske ressurser",
    5: "Kompetanse",
    6: "Brukermedvirkning",
}
GOOD = {n: 4 for n in NAMES}


def facts(scores=None, answers=None, **extra) -> Facts:
    return Facts(
        answers=answers or {},
        scores={**GOOD, **(scores or {})},
        factor_names=NAMES,
        **extra,
    )


def fires(key: str, f: Facts) -> bool:
    return bool(RULES[key](f))


def test_housing_policy_plan_fires_on_a_low_strategy_score():
    assert fires("boligpolitisk-plan", facts(scores={2: 2}))
    assert "Overordnet strategi" in RULES["boligpolitisk-plan"](facts(scores={2: 1}))[0]


def test_housing_policy_plan_fires_when_there_is_no_plan():
    reasons = RULES["boligpolitisk-plan"](facts(answers={"boligpolitisk-plan": "no"}))
    assert reasons == ["Kommunen har ingen vedtatt boligpolitisk plan."]


def test_housing_policy_plan_fires_when_there_are_no_operational_goals():
    reasons = RULES["boligpolitisk-plan"](facts(answers={"operative-mal": "no"}))
    assert reasons == ["Kommunen har ikke operative mål som kan følges opp og måles."]


def test_housing_policy_plan_is_silent_with_a_plan_goals_and_a_decent_strategy_score():
    answers = {"boligpolitisk-plan": "yes", "operative-mal": "yes"}
    assert not fires("boligpolitisk-plan", facts(scores={2: 3}, answers=answers))
    assert not fires("boligpolitisk-plan", facts(scores={2: None}))


@pytest.mark.parametrize("value", ["spredt", "uklart", "enhet"])
def test_central_strategic_responsibility_fires_when_it_is_not_at_the_strategic_level(value):
    reasons = RULES["strategisk-ansvar"](facts(answers={"strategisk-ansvar": value}))
    assert len(reasons) == 1 and "det strategiske arbeidet" in reasons[0]


@pytest.mark.parametrize("value", ["sentralt", ""])
def test_central_strategic_responsibility_is_silent_when_central_or_unanswered(value):
    assert not fires("strategisk-ansvar", facts(answers={"strategisk-ansvar": value}))


def test_cooperation_body_fires_on_tasks_nobody_owns():
    f = facts(tasks_without_owner=["Bomiljø"], responsibility_map_filled=True)
    assert fires("samarbeidsorgan", f)
    assert "Bomiljø" in RULES["samarbeidsorgan"](f)[0]


def test_cooperation_body_fires_when_cooperation_is_only_informal():
    assert fires("samarbeidsorgan", facts(answers={"samarbeidsorganer": "uformelle"}))
    assert fires("samarbeidsorgan", facts(answers={"samarbeidsorganer": "nei"}))
    assert fires("samarbeidsorgan", facts(cooperation_bodies=2, formal_cooperation_bodies=0))


def test_cooperation_body_is_silent_when_a_formal_body_with_a_mandate_is_recorded():
    # Whatever the reflection answer says and however the map looks: the structured rows win.
    f = facts(
        answers={"samarbeidsorganer": "uformelle"},
        responsibility_map_filled=True,
        tasks_without_owner=["Bomiljø"],
        cooperation_bodies=1,
        formal_cooperation_bodies=1,
        formal_bodies_with_mandate=1,
    )
    assert not fires("samarbeidsorgan", f)


def test_cooperation_body_still_fires_for_a_formal_body_without_a_mandate():
    f = facts(
        answers={"samarbeidsorganer": "uformelle"},
        cooperation_bodies=1,
        formal_cooperation_bodies=1,
    )
    assert fires("samarbeidsorgan", f)


def test_cooperation_body_is_silent_with_formal_bodies_and_every_task_owned():
    f = facts(
        answers={"samarbeidsorganer": "formelle"},
        responsibility_map_filled=True,
        cooperation_bodies=1,
        formal_cooperation_bodies=1,
    )
    assert not fires("samarbeidsorgan", f)


def test_an_empty_responsibility_map_is_not_read_as_tasks_nobody_owns():
    f = facts(tasks_without_owner=["Bomiljø", "Tildeling"], responsibility_map_filled=False)
    assert not fires("samarbeidsorgan", f)


@pytest.mark.parametrize(("key", "factor"), [("okonomiplan", 4), ("brukermedvirkning", 6)])
def test_score_rules_fire_at_two_or_below_and_not_above(key, factor):
    assert fires(key, facts(scores={factor: 1}))
    assert fires(key, facts(scores={factor: 2}))
    assert not fires(key, facts(scores={factor: 3}))
    assert not fires(key, facts(scores={factor: None}))


def test_economic_plan_fires_when_the_work_is_not_in_the_budget():
    reasons = RULES["okonomiplan"](facts(answers={"budsjett": "no"}))
    assert reasons == ["Arbeidet er ikke finansiert i årsbudsjettet og økonomiplanen."]


def test_economic_plan_cites_both_the_score_and_the_budget_answer():
    reasons = RULES["okonomiplan"](facts(scores={4: 2}, answers={"budsjett": "no"}))
    assert reasons == [
        "Økonomiske ressurser er vurdert til 2 av 5.",
        "Arbeidet er ikke finansiert i årsbudsjettet og økonomiplanen.",
    ]


def test_economic_plan_is_silent_when_funded_and_scored_above_two():
    assert not fires("okonomiplan", facts(scores={4: 3}, answers={"budsjett": "yes"}))


@pytest.mark.parametrize("value", ["ildsjeler", "ledere"])
def test_recurring_anchoring_fires_when_anchoring_rests_on_individuals(value):
    assert fires("forankring-gjentatt", facts(answers={"forankring": value}))


def test_recurring_anchoring_fires_on_a_low_anchoring_score():
    assert fires("forankring-gjentatt", facts(scores={1: 2}))


def test_recurring_anchoring_is_silent_when_anchored_in_plans():
    assert not fires("forankring-gjentatt", facts(answers={"forankring": "planer"}, scores={1: 3}))


@pytest.mark.parametrize("value", ["sent", "ikke"])
def test_early_political_involvement_fires_when_politicians_come_in_late_or_never(value):
    assert fires("politisk-involvering-tidlig", facts(answers={"politisk-involvering": value}))


def test_early_political_involvement_is_silent_when_they_come_in_early_or_unanswered():
    early = {"politisk-involvering": "tidlig"}
    assert not fires("politisk-involvering-tidlig", facts(answers=early))
    assert not fires("politisk-involvering-tidlig", facts())


def test_planning_strategy_fires_when_social_housing_is_not_in_the_planning_strategy():
    reasons = RULES["planstrategi"](facts(answers={"planstrategi": "no"}))
    assert reasons == ["Boligsosiale hensyn er ikke tatt inn i planstrategien."]


def test_planning_strategy_fires_when_the_question_is_unanswered():
    assert "ikke oppgitt" in RULES["planstrategi"](Facts())[0]


def test_planning_strategy_is_silent_when_social_housing_is_in_the_planning_strategy():
    assert not fires("planstrategi", facts(answers={"planstrategi": "yes"}))


def _rule(key, order, active=True):
    return RecommendationRule(
        key=key, order=order, is_active=active, title_nb=key, condition_nb="", source="s"
    )


def test_inactive_rules_and_rules_without_a_function_are_left_out():
    rules = [_rule("planstrategi", 1, active=False), _rule("ukjent", 2), _rule("okonomiplan", 3)]
    result = recommendations_for(facts(scores={4: 1}), rules)
    assert [r.rule.key for r in result] == ["okonomiplan"]


def test_recommendations_come_in_order_of_priority_whatever_order_the_rows_come_in():
    rules = [_rule("okonomiplan", 40), _rule("boligpolitisk-plan", 10), _rule("planstrategi", 80)]
    result = recommendations_for(facts(scores={2: 1, 4: 1}), rules)
    assert [r.rule.key for r in result] == ["boligpolitisk-plan", "okonomiplan", "planstrategi"]


def test_every_rule_in_the_fixture_has_a_function_and_a_source(rules):
    stored = list(RecommendationRule.objects.all())
    assert {r.key for r in stored} == set(RULES)
    assert all(r.source and r.condition_nb and r.body_nb for r in stored)


def test_sources_are_real_citations_without_internal_notes(rules):
    """Politicians read the sources: no "(seed 002)", and each names the text it rests on."""
    sources = dict(RecommendationRule.objects.values_list("key", "source"))
    assert not any("seed" in source.lower() for source in sources.values())
    organisation = "«Organisering og planlegging av boligsosialt arbeid i norske kommuner»"
    success_factors = "Husbanken: «Suksessfaktorar for godt bustadsosialt arbeid»"
    nordland = (
        "Statsforvalteren i Nordland: «Kommunene må spille på lag for å lykkes med sosial "
        "boligpolitikk» (13.05.2022)"
    )
    assert organisation in sources["boligpolitisk-plan"]
    assert organisation in sources["politisk-involvering-tidlig"]
    assert organisation in sources["strategisk-ansvar"]
    assert success_factors in sources["okonomiplan"] and "NOU 2011:15" in sources["okonomiplan"]
    assert "«Bolig for velferd» (2014–2020)" in sources["brukermedvirkning"]
    assert nordland in sources["forankring-gjentatt"]
    assert sources["planstrategi"] == (
        "Lov om kommunenes ansvar på det boligsosiale feltet (i kraft 1. juli 2023), § 5"
    )


def test_a_rule_citing_a_source_that_is_not_in_the_table_is_refused(tmp_path, db):
    import json

    from django.core.management import CommandError

    from reports.management.commands.load_recommendation_rules import (
        FIXTURE,
        load_recommendation_rules,
    )

    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["rules"][0]["sources"] = [{"ref": "seed-002"}]
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError):
        load_recommendation_rules(path)
    assert not RecommendationRule.objects.exists()


def test_loading_the_rules_twice_keeps_one_row_each_and_the_administrators_choice(rules):
    from reports.management.commands.load_recommendation_rules import load_recommendation_rules

    RecommendationRule.objects.filter(key="okonomiplan").update(is_active=False)
    created, updated = load_recommendation_rules()
    assert created == 0 and updated == len(RULES)
    assert RecommendationRule.objects.count() == len(RULES)
    assert not RecommendationRule.objects.get(key="okonomiplan").is_active


def test_administrator_reads_each_rules_condition_in_the_admin(client_for, rules):
    from django.urls import reverse

    rule = RecommendationRule.objects.get(key="okonomiplan")
    page = client_for("administrator").get(
        reverse("admin:reports_recommendationrule_change", args=[rule.pk])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "economic_plan" in text and "Forankre arbeidet i økonomiplan" in text


@pytest.mark.django_db
def test_the_report_does_not_recommend_creating_the_formal_body_it_lists(filled):
    from analysis.models import CooperationBody
    from reports.services import render_report_html

    title = "Opprett et formelt samarbeidsorgan på tvers av enhetene"
    assert title in render_report_html(filled, for_pdf=True)
    CooperationBody.objects.create(
        analysis=filled,
        name="Boligsosialt forum",
        is_formal=True,
        mandate="Samordne det boligsosiale arbeidet; oppnevnt av kommunedirektøren.",
    )
    html = render_report_html(filled, for_pdf=True)
    assert title not in html
    assert "Boligsosialt forum" in html


@pytest.mark.django_db
def test_every_rule_has_its_texts_in_nynorsk_too():
    from reports.management.commands.load_recommendation_rules import load_recommendation_rules

    load_recommendation_rules()
    for rule in RecommendationRule.objects.all():
        for field in ("title", "body", "condition"):
            nynorsk = getattr(rule, f"{field}_nn")
            assert nynorsk.strip(), f"{rule.key}: no {field} in nynorsk"
        # A short title can read the same in both; the longer texts never do.
        assert rule.body_nn != rule.body_nb, f"{rule.key}: the text is bokmål"
        assert rule.condition_nn != rule.condition_nb, f"{rule.key}: the condition is bokmål"


@pytest.mark.django_db
def test_a_nynorsk_report_prints_the_recommendations_in_nynorsk(filled):
    from django.utils import translation

    from reports.services import render_report_html

    with translation.override("nn"):
        html = render_report_html(filled, for_pdf=True)
    assert "Lag ein bustadpolitisk plan med operative mål" in html
    assert "Lag en boligpolitisk plan med operative mål" not in html


def test_allocation_without_written_criteria_fires_and_names_the_instruments():
    reasons = RULES["tildeling-skriftlige-kriterier"](
        facts(unwritten_criteria=["Kommunal bolig", "Startlån"])
    )
    assert reasons == ["Kriteriene er ikke skrevet ned for: Kommunal bolig, Startlån."]
    assert not fires("tildeling-skriftlige-kriterier", facts())


def test_low_competence_fires_and_a_good_score_does_not():
    assert "Kompetanse" in RULES["kompetanse"](facts(scores={5: 2}))[0]
    assert not fires("kompetanse", facts(scores={5: 3}))
