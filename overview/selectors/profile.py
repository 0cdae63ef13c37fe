"""The six-factor profile across a region for one round: per factor how the scores are
spread, which municipalities are weakest and strongest, and two to six chosen municipalities
side by side. Three queries (analyses, scores, factors), whatever the number of
municipalities."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.models import Analysis, Round
from factors.charts import profiles_comparison_figure, score_distribution_figure
from factors.models import FactorAssessment
from overview.selectors.table import norwegian_sort_key
from reference.models import Municipality, SuccessFactor

LEVELS = (1, 2, 3, 4, 5)
# How many names the weakest and strongest lists show before "and N more".
EXTREMES_SHOWN = 5


@dataclass
class Scored:
    municipality: Municipality
    score: int
    analysis_id: int


@dataclass
class FactorSpread:
    factor: SuccessFactor
    counts: dict[int, int]  # score → number of municipalities
    unscored: int
    weakest: list[Scored] = field(default_factory=list)
    strongest: list[Scored] = field(default_factory=list)
    weakest_more: int = 0
    strongest_more: int = 0

    @property
    def scored(self) -> int:
        return sum(self.counts.values())

    @property
    def level_counts(self) -> list[int]:
        return [self.counts.get(level, 0) for level in LEVELS]


@dataclass
class Compared:
    municipality: Municipality
    analysis_id: int | None
    scores: list[int | None]


@dataclass
class RegionProfile:
    round: Round
    factors: list[SuccessFactor]
    spreads: list[FactorSpread]
    compared: list[Compared]
    municipality_count: int

    @property
    def has_scores(self) -> bool:
        return any(s.scored for s in self.spreads)

    @property
    def comparison_rows(self) -> list[tuple[SuccessFactor, list[int | None]]]:
        return [(f, [c.scores[n] for c in self.compared]) for n, f in enumerate(self.factors)]

    @property
    def distribution_chart(self) -> dict:
        return score_distribution_figure(
            [s.factor.name for s in self.spreads], [s.level_counts for s in self.spreads]
        )

    @property
    def comparison_chart(self) -> dict | None:
        if not self.compared:
            return None
        return profiles_comparison_figure(
            [f.name for f in self.factors],
            [(c.municipality.name, c.scores) for c in self.compared],
        )


def _extremes(scored: list[Scored], *, lowest: bool) -> tuple[list[Scored], int]:
    """Every municipality with the lowest (or highest) score, in Norwegian name order."""
    if not scored:
        return [], 0
    target = min(s.score for s in scored) if lowest else max(s.score for s in scored)
    hits = sorted(
        (s for s in scored if s.score == target),
        key=lambda s: norwegian_sort_key(s.municipality.name),
    )
    return hits[:EXTREMES_SHOWN], max(0, len(hits) - EXTREMES_SHOWN)


def factor_profile(
    municipalities: list[Municipality], round_: Round, *, compare: list[str] = ()
) -> RegionProfile:
    """compare: municipality numbers, already checked to be among `municipalities`."""
    by_id = {m.pk: m for m in municipalities}
    analyses = dict(
        Analysis.objects.of_round(round_, list(by_id)).values_list("municipality", "pk")
    )
    factors = list(SuccessFactor.objects.order_by("number"))
    scores: dict[int, dict[int, int]] = {}  # factor id → municipality id → score
    for muni_id, factor_id, score in FactorAssessment.objects.filter(
        analysis__in=list(analyses.values()), score__isnull=False
    ).values_list("analysis__municipality", "factor", "score"):
        scores.setdefault(factor_id, {})[muni_id] = score
    spreads = []
    for factor in factors:
        given = scores.get(factor.pk, {})
        scored = [Scored(by_id[m], s, analyses[m]) for m, s in given.items()]
        counts: dict[int, int] = {}
        for item in scored:
            counts[item.score] = counts.get(item.score, 0) + 1
        weakest, weakest_more = _extremes(scored, lowest=True)
        strongest, strongest_more = _extremes(scored, lowest=False)
        spreads.append(
            FactorSpread(
                factor=factor,
                counts=counts,
                unscored=len(municipalities) - len(given),
                weakest=weakest,
                strongest=strongest,
                weakest_more=weakest_more,
                strongest_more=strongest_more,
            )
        )
    by_number = {m.number: m for m in municipalities}
    compared = [
        Compared(
            municipality=by_number[number],
            analysis_id=analyses.get(by_number[number].pk),
            scores=[scores.get(f.pk, {}).get(by_number[number].pk) for f in factors],
        )
        for number in compare
        if number in by_number
    ]
    return RegionProfile(
        round=round_,
        factors=factors,
        spreads=spreads,
        compared=compared,
        municipality_count=len(municipalities),
    )
