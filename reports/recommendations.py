"""Recommendations from rules over the answers.

Each rule is a small function keyed by `RecommendationRule.key`: it reads the facts of one
analysis and returns the reasons it fires (empty: it does not). The texts a person reads –
title, recommendation, when it applies and the source – live as data in RecommendationRule
(fixtures/reference/recommendations.json, `manage.py load_recommendation_rules`), so an
administrator can read and edit them; the conditions live here, tested one by one.

A rule's `order` is its priority: the lower, the more important. The report lists every
recommendation that fires in that order, and its summary names the first three
(`MAIN_RECOMMENDATIONS`). The order follows seed 002's own line of argument: a plan with
operational goals, central strategic responsibility, a task force with a mandate, funding in
the annual budget, early political involvement; then anchoring (seed 003), user
participation (factor 6) and the planning strategy (the act § 5).

Reasons cite what the municipality answered, not only its scores, so a council member sees
the answer a recommendation rests on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from reports.models import RecommendationRule

# Factor numbers (seed 001).
ANCHORING, STRATEGY, ORGANISATION, ECONOMY, COMPETENCE, USER_PARTICIPATION = range(1, 7)
LOW_SCORE = 2
# How many recommendations the summary names; the rest are in the recommendations chapter.
MAIN_RECOMMENDATIONS = 3


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
    # Formally established bodies whose mandate is written down (the cooperation section's
    # structured rows, not an answer): what the cooperation rule recommends creating.
    formal_bodies_with_mandate: int = 0
    # Instruments whose allocation is described (someone decides) but whose criteria are
    # not written down (the allocation section's rows).
    unwritten_criteria: list[str] = field(default_factory=list)

    def low(self, number: int) -> bool:
        score = self.scores.get(number)
        return score is not None and score <= LOW_SCORE

    def low_score_reason(self, number: int) -> str:
        return _("%(factor)s is scored %(score)s of 5.") % {
            "factor": self.factor_names.get(number, str(number)),
            "score": self.scores[number],
        }

    def answered(self, key: str) -> str:
        """The normalised answer ("yes", "no", a choice's value), or "" when unanswered."""
        return self.answers.get(key, "")


Rule = Callable[[Facts], list[str]]
RULES: dict[str, Rule] = {}


def rule(key: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES[key] = func
        return func

    return register


@rule("boligpolitisk-plan")
def housing_policy_plan(facts: Facts) -> list[str]:
    """Strategy score ≤ 2, no adopted housing-policy plan, or no operational goals → a
    housing-policy plan anchored in the master plan, with operational goals. Source: seed 002
    ("formulate operational goals … preparing a housing policy plan"); success factor 2."""
    reasons = []
    if facts.low(STRATEGY):
        reasons.append(facts.low_score_reason(STRATEGY))
    if facts.answered("boligpolitisk-plan") == "no":
        reasons.append(_("The municipality has no adopted housing-policy plan."))
    if facts.answered("operative-mal") == "no":
        reasons.append(
            _("The municipality has no operational goals that can be followed up and measured.")
        )
    return reasons


@rule("strategisk-ansvar")
def central_strategic_responsibility(facts: Facts) -> list[str]:
    """Strategic responsibility spread over several units, unclear, or left to one service
    unit → place it centrally, at the strategic level of the organisation. Source: seed 002
    ("the responsibility for this strategic work should be centralized and placed at the
    strategic level"); seed 003 (the work does not belong in one department); factor 3."""
    reason = {
        "spredt": _("Responsibility for the strategic work is spread over several units."),
        "uklart": _("It is unclear where responsibility for the strategic work lies."),
        "enhet": _(
            "Responsibility for the strategic work lies in one service unit, not at the "
            "strategic level."
        ),
    }.get(facts.answered("strategisk-ansvar"))
    return [reason] if reason else []


@rule("samarbeidsorgan")
def cooperation_body(facts: Facts) -> list[str]:
    """Tasks nobody owns, or cooperation that is only informal → a formal cross-unit body with
    a mandate and clear roles. Source: seed 002 (fragmentation, horizontal coordination; "the
    task force should be given a real mandate"); success factor 3. An empty responsibility
    map is "not answered", not "nobody owns". Silent when the municipality has recorded a
    formal body with a mandate: the report must not recommend creating what it lists (a
    usability test saw it do so, issue 12), whatever the reflection answer says."""
    if facts.formal_bodies_with_mandate:
        return []
    reasons = []
    if facts.responsibility_map_filled and facts.tasks_without_owner:
        reasons.append(
            _("Tasks without a responsible unit: %(tasks)s.")
            % {"tasks": ", ".join(facts.tasks_without_owner)}
        )
    if facts.answered("samarbeidsorganer") in {"uformelle", "nei"}:
        reasons.append(_("Cooperation across units is only informal or absent."))
    elif facts.cooperation_bodies and not facts.formal_cooperation_bodies:
        reasons.append(_("None of the cooperation bodies is formally established."))
    return reasons


@rule("tildeling-skriftlige-kriterier")
def written_allocation_criteria(facts: Facts) -> list[str]:
    """An instrument allocated by someone on criteria that are not written down → write the
    criteria down. Reads the allocation rows, not an answer. Source: seed 002 (allocation of
    economic instruments and municipal housing); success factor 3."""
    if not facts.unwritten_criteria:
        return []
    return [
        _("The criteria are not written down for: %(instruments)s.")
        % {"instruments": ", ".join(facts.unwritten_criteria)}
    ]


@rule("kompetanse")
def competence(facts: Facts) -> list[str]:
    """Competence ≤ 2 → map the competence needed and plan training across the units.
    Source: success factor 5 (seed 001)."""
    return [facts.low_score_reason(COMPETENCE)] if facts.low(COMPETENCE) else []


@rule("okonomiplan")
def economic_plan(facts: Facts) -> list[str]:
    """Economic resources ≤ 2, or the work not funded in the annual budget and economic plan →
    anchor the work in the economic plan and annual budget. Source: success factor 4
    (seed 001); seed 002 ("realization of plans will require adequate funding in annual
    budgets")."""
    reasons = []
    if facts.low(ECONOMY):
        reasons.append(facts.low_score_reason(ECONOMY))
    if facts.answered("budsjett") == "no":
        reasons.append(_("The work is not funded in the annual budget and the economic plan."))
    return reasons


@rule("politisk-involvering-tidlig")
def early_political_involvement(facts: Facts) -> list[str]:
    """Politicians involved only when a plan is put forward for decision, or not at all →
    involve them early. Source: seed 002 ("it is therefore important that the political level
    is involved early in the preparation of plans")."""
    reason = {
        "sent": _("Politicians are involved only when a plan is put forward for decision."),
        "ikke": _("Politicians are not involved in the plans."),
    }.get(facts.answered("politisk-involvering"))
    return [reason] if reason else []


@rule("forankring-gjentatt")
def recurring_anchoring(facts: Facts) -> list[str]:
    """Anchoring that rests on individuals or on a few leaders, or anchoring scored ≤ 2 →
    anchoring as a recurring task in leadership and plans. Source: seed 003 (65 of 70 project
    members replaced in four years; anchoring must be repeated); success factor 1."""
    reasons = []
    reason = {
        "ildsjeler": _("Anchoring rests mostly on individuals."),
        "ledere": _("Anchoring rests mostly on a few leaders."),
    }.get(facts.answered("forankring"))
    if reason:
        reasons.append(reason)
    if facts.low(ANCHORING):
        reasons.append(facts.low_score_reason(ANCHORING))
    return reasons


@rule("brukermedvirkning")
def user_participation(facts: Facts) -> list[str]:
    """User participation ≤ 2 → involve the user organisations. Source: success factor 6
    (seed 001)."""
    return [facts.low_score_reason(USER_PARTICIPATION)] if facts.low(USER_PARTICIPATION) else []


@rule("planstrategi")
def planning_strategy(facts: Facts) -> list[str]:
    """Social-housing concerns not in the planning strategy, or not stated → use the overview
    in the planning strategy. Silent when the municipality answers that they are in it.
    Source: the social-housing act § 5 (the municipality keeps an overview of the need and
    takes it into account in its planning)."""
    answer = facts.answered("planstrategi")
    if answer == "no":
        return [_("Social-housing concerns are not included in the planning strategy.")]
    if answer == "":
        return [
            _(
                "It is not stated whether social-housing concerns are included in the "
                "planning strategy; the act requires the overview to be used in planning."
            )
        ]
    return []


# The success factor each rule speaks to (seed 001), which a measure made from it answers too.
FACTORS: dict[str, list[int]] = {
    "boligpolitisk-plan": [STRATEGY],
    "strategisk-ansvar": [ORGANISATION],
    "samarbeidsorgan": [ORGANISATION],
    "okonomiplan": [ECONOMY],
    "politisk-involvering-tidlig": [ANCHORING],
    "forankring-gjentatt": [ANCHORING],
    "brukermedvirkning": [USER_PARTICIPATION],
    "tildeling-skriftlige-kriterier": [ORGANISATION],
    "kompetanse": [COMPETENCE],
    "planstrategi": [STRATEGY],
}


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
        return self.rule.localized_source

    @property
    def factor_numbers(self) -> list[int]:
        return FACTORS.get(self.rule.key, [])


def recommendations_for(facts: Facts, rules: Iterable[RecommendationRule]) -> list[Recommendation]:
    """The active rules that fire, by priority (`order`, lowest first); a rule row without a
    function is skipped (an administrator may add a text before a developer writes its
    condition)."""
    result = []
    for rule_row in sorted(rules, key=lambda r: (r.order, r.key)):
        func = RULES.get(rule_row.key)
        if not rule_row.is_active or func is None:
            continue
        reasons = func(facts)
        if reasons:
            result.append(Recommendation(rule_row, reasons))
    return result
