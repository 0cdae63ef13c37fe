"""The action plan as a part of the analysis (analysis/parts.py): its block on the analysis
page, and the question each new round asks of every measure still open from an earlier one,
"what happened since the last round?", which holds back submission until answered.

Measures belong to the municipality, so a new round needs nothing copied: the same rows
continue (`carry_over` does nothing)."""

from __future__ import annotations

from django.utils.translation import ngettext

from analysis import parts
from analysis.models import Analysis
from plans import selectors


class MeasuresPart(parts.Part):
    kind = "measures"
    url_name = "plans:measures"
    required = False
    order = 2

    def page_panel(self, analysis: Analysis, previous: Analysis | None) -> parts.Panel:
        rows = selectors.plan_lines(analysis)
        return parts.Panel(
            "plans/_analysis_panel.html",
            {
                "analysis": analysis,
                "measure_rows": rows,
                "waiting": [row for row in rows if row.needs_update],
                "overdue": sum(1 for row in rows if row.overdue),
            },
        )

    def review_panel(self, analysis: Analysis, previous: Analysis | None) -> parts.Panel:
        """The plan read-only on the review page; a measure planned in this round is new, one
        whose status was reported on in this round is changed (measures outlive rounds, so
        their history, not an earlier copy, says what happened)."""
        return parts.Panel(
            "plans/_review_panel.html",
            {
                "rows": [
                    (
                        row,
                        "new"
                        if row.measure.planned_in_id == analysis.round_id and previous is not None
                        else "changed"
                        if row.changes_this_round
                        else "",
                    )
                    for row in selectors.measures_of(analysis)
                ],
                "compared": previous is not None,
            },
        )

    def submission_refusals(self, analysis: Analysis) -> list[str]:
        waiting = list(selectors.needing_update(analysis).values_list("title", flat=True))
        if not waiting:
            return []
        return [
            ngettext(
                "A measure from an earlier round needs a word on what happened since the last "
                "round: %(measures)s",
                "%(count)d measures from earlier rounds need a word on what happened since the "
                "last round: %(measures)s",
                len(waiting),
            )
            % {"count": len(waiting), "measures": ", ".join(f"«{t}»" for t in waiting)}
        ]
