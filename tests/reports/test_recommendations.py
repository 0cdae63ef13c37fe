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
    assert fires("boligpolitisk-plan", facts(answers={"boligpolitisk-plan": "no"}))


def test_housing_policy_plan_is_silent_with_a_plan_and_a_decent_strategy_score():
    plan = {"boligpolitisk-plan": "yes"}
    assert not fires("boligpolitisk-plan", facts(scores={2: 3}, answers=plan))
    assert not fires("boligpolitisk-plan", facts(scores={2: None}))


def test_cooperation_body_fires_on_tasks_nobody_owns():
    f = facts(tasks_without_owner=["Bomiljø"], responsibility_map_filled=True)
    assert fires("samarbeidsorgan", f)
    assert "Bomiljø" in RULES["samarbeidsorgan"](f)[0]


def test_cooperation_body_fires_when_cooperation_is_only_informal():
    assert fires("samarbeidsorgan", facts(answers={"samarbeidsorganer": "uformelle"}))
    assert fires("samarbeidsorgan", facts(answers={"samarbeidsorganer": "nei"}))
    assert fires("samarbeidsorgan", facts(cooperation_bodies=2, formal_cooperation_bodies=0))


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


def test_recurring_anchoring_fires_when_anchoring_rests_on_individuals_or_scores_low():
    assert fires("forankring-gjentatt", facts(answers={"forankring": "ildsjeler"}))
    assert fires("forankring-gjentatt", facts(scores={1: 2}))


def test_recurring_anchoring_is_silent_when_anchored_in_plans():
    assert not fires("forankring-gjentatt", facts(answers={"forankring": "planer"}, scores={1: 3}))


def test_early_political_involvement_fires_when_politicians_come_in_late_or_never():
    assert fires("politisk-involvering-tidlig", facts(answers={"politisk-involvering": "sent"}))
    assert fires("politisk-involvering-tidlig", facts(answers={"politisk-involvering": "ikke"}))


def test_early_political_involvement_is_silent_when_they_come_in_early_or_unanswered():
    early = {"politisk-involvering": "tidlig"}
    assert not fires("politisk-involvering-tidlig", facts(answers=early))
    assert not fires("politisk-involvering-tidlig", facts())


def test_planning_strategy_recommendation_always_appears():
    assert fires("planstrategi", Facts())


def _rule(key, order, active=True):
    return RecommendationRule(
        key=key, order=order, is_active=active, title_nb=key, condition_nb="", source="s"
    )


def test_inactive_rules_and_rules_without_a_function_are_left_out():
    rules = [_rule("planstrategi", 1, active=False), _rule("ukjent", 2), _rule("okonomiplan", 3)]
    result = recommendations_for(facts(scores={4: 1}), rules)
    assert [r.rule.key for r in result] == ["okonomiplan"]


def test_every_rule_in_the_fixture_has_a_function_and_a_source(rules):
    stored = list(RecommendationRule.objects.all())
    assert {r.key for r in stored} == set(RULES)
    assert all(r.source and r.condition_nb and r.body_nb for r in stored)


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
