"""Recommendations from rules over the answers.

Each rule is a small function keyed by `RecommendationRule.key`: it reads the facts of one
analysis and returns the reasons it fires (empty: it does not). The texts a person reads –
title, recommendation, when it applies and the source – live as data in RecommendationRule
(fixtures/reference/recommendations.json, `manage.py load_recommendation_rules`), so an
administrator can read and edit them; the conditions live here, tested one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from reports.models import RecommendationRule

# Factor numbers (seed 001).
ANCHORING, STRATEGY, ORGANISATION, ECONOMY, COMPETENCE, USER_PARTICIPATION = range(1, 7)
LOW_SCORE = 2


@dataclass(frozen=True)
class Facts:
    """What the rules read, gathered by reports.selectors without further queries."""

    answers: dict[str, str] = field(default_factory=dict)  # question key → normalised value
    scores: dict[int, int | None] = field(default_factory=dict)  # factor number → score
    factor_names: dict[int, str] = field(default_factory=dict)
    tasks_without_owner: list[str] = field(default_factory=list)
    responsibility_map_filled: bool = False
    cooperation_bodies: int = 0
    formal_cooperation_bodies: int = 0

    def low(self, number: int) -> bool:
        score = self.scores.get(number)
        return score is not None and score <= LOW_SCORE

    def low_score_reason(self, number: int) -> str:
        return _("%(factor)s is scored %(score)s of 5.") % {
            "factor": self.factor_names.get(number, str(number)),
            "score": self.scores[number],
        }


Rule = Callable[[Facts], list[str]]
RULES: dict[str, Rule] = {}


def rule(key: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES[key] = func
        return func

    return register


@rule("boligpolitisk-plan")
def housing_policy_plan(facts: Facts) -> list[str]:
    """Strategy score ≤ 2 or no adopted housing-policy plan → a housing-policy plan anchored in
    the master plan, with operational goals. Source: seed 002 (organisation and planning
    report); success factor 2."""
    reasons = []
    if facts.low(STRATEGY):
        reasons.append(facts.low_score_reason(STRATEGY))
    if facts.answers.get("boligpolitisk-plan") == "no":
        reasons.append(_("The municipality has no adopted housing-policy plan."))
    return reasons


@rule("samarbeidsorgan")
def cooperation_body(facts: Facts) -> list[str]:
    """Tasks nobody owns, or cooperation that is only informal → a formal cross-unit body with
    a mandate and clear roles. Source: seed 002 (fragmentation, horizontal coordination);
    success factor 3. An empty responsibility map is "not answered", not "nobody owns"."""
    reasons = []
    if facts.responsibility_map_filled and facts.tasks_without_owner:
        reasons.append(
            _("Tasks without a responsible unit: %(tasks)s.")
            % {"tasks": ", ".join(facts.tasks_without_owner)}
        )
    if facts.answers.get("samarbeidsorganer") in {"uformelle", "nei"}:
        reasons.append(_("Cooperation across units is only informal or absent."))
    elif facts.cooperation_bodies and not facts.formal_cooperation_bodies:
        reasons.append(_("None of the cooperation bodies is formally established."))
    return reasons


@rule("okonomiplan")
def economic_plan(facts: Facts) -> list[str]:
    """Economic resources ≤ 2 → anchor the work in the economic plan and annual budget.
    Source: success factor 4 (seed 001); seed 002 (funding in annual budgets)."""
    return [facts.low_score_reason(ECONOMY)] if facts.low(ECONOMY) else []


@rule("brukermedvirkning")
def user_participation(facts: Facts) -> list[str]:
    """User participation ≤ 2 → involve the user organisations. Source: success factor 6
    (seed 001)."""
    return [facts.low_score_reason(USER_PARTICIPATION)] if facts.low(USER_PARTICIPATION) else []


@rule("forankring-gjentatt")
def recurring_anchoring(facts: Facts) -> list[str]:
    """Anchoring that rests on individuals → anchoring as a recurring task in leadership and
    plans. Source: seed 003 (65 of 70 project members replaced in four years); factor 1."""
    reasons = []
    if facts.answers.get("forankring") == "ildsjeler":
        reasons.append(_("Anchoring rests mostly on individuals."))
    if facts.low(ANCHORING):
        reasons.append(facts.low_score_reason(ANCHORING))
    return reasons


@rule("politisk-involvering-tidlig")
def early_political_involvement(facts: Facts) -> list[str]:
    """Politicians involved late or not at all → involve them early. Source: seed 002."""
    if facts.answers.get("politisk-involvering") in {"sent", "ikke"}:
        return [_("Politicians are involved late or not at all.")]
    return []


@rule("planstrategi")
def planning_strategy(facts: Facts) -> list[str]:
    """Always: the overview feeds the planning strategy (the social-housing act § 5)."""
    return [_("The pre-analysis is the municipality's overview under the act.")]


@dataclass(frozen=True)
class Recommendation:
    rule: RecommendationRule
    reasons: list[str]

    @property
    def title(self) -> str:
        return self.rule.title

    @property
    def body(self) -> str:
        return self.rule.body

    @property
    def source(self) -> str:
        return self.rule.source


def recommendations_for(facts: Facts, rules: Iterable[RecommendationRule]) -> list[Recommendation]:
    """The active rules that fire, in their order; a rule row without a function is skipped
    (an administrator may add a text before a developer writes its condition)."""
    result = []
    for rule_row in rules:
        func = RULES.get(rule_row.key)
        if not rule_row.is_active or func is None:
            continue
        reasons = func(facts)
        if reasons:
            result.append(Recommendation(rule_row, reasons))
    return result
