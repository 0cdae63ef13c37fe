"""The recommendations on the analysis page (analysis/parts.py): what the rules say now, each
with the measures already answering it, and for an editor a button that makes it a measure in
one step (views.measure_from_recommendation). The recommendations live in this app, which
builds on `plans`, so it registers the block here rather than `plans` asking for them."""

from __future__ import annotations

from analysis import parts
from analysis.models import Analysis
from plans.selectors import measures_by_recommendation_of
from reports import selectors


class RecommendationsPart(parts.Part):
    kind = "recommendations"
    url_name = "reports:report"
    required = False
    # Before the action plan's block: the recommendations lead to the measures.
    order = 1

    def page_panel(self, analysis: Analysis, previous: Analysis | None) -> parts.Panel:
        recommendations = selectors.recommendations_of(analysis)
        answered = measures_by_recommendation_of(analysis)
        return parts.Panel(
            "reports/_recommendations_panel.html",
            {
                "analysis": analysis,
                "rows": [(rec, answered.get(rec.rule.key, [])) for rec in recommendations],
            },
        )
