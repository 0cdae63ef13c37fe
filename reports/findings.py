"""The report's first page, main findings (hovedfunn), in plain prose generated from the data:
where the municipality stands, the biggest gaps, what changed since the last round, what the
analysis recommends and where the action plan stands.

Numbers up to twelve are written as words, as Språkrådet advises for running text ("fire
anbefalinger"); scores stay figures ("2 av 5"), since they are values on a scale. Factor names
stand in quotation marks: several hold "og" themselves, and a list of them ("Brukermedvirkning,
Forankring og eierskap og Overordnet strategi") would not show where one ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from boligsosial.prose import join_names, number_word, quoted

if TYPE_CHECKING:
    from reports.selectors import ReportContext


def main_findings(report: ReportContext) -> list[str]:
    """The paragraphs of the main findings, each a sentence or two."""
    paragraphs = []
    scored = [row for row in report.factors if row.score is not None]
    if scored:
        mean = sum(row.score for row in scored) / len(scored)
        strongest = max(scored, key=lambda row: (row.score, -row.factor.number))
        weakest = min(scored, key=lambda row: (row.score, row.factor.number))
        paragraphs.append(
            _(
                "The municipality scores itself %(mean)s of 5 on average on the success "
                "factors it has assessed. It is strongest on %(strong)s (%(strong_score)s) and "
                "weakest on %(weak)s (%(weak_score)s)."
            )
            % {
                "mean": formats.number_format(round(mean, 1), 1),
                "strong": quoted(strongest.factor.name),
                "strong_score": strongest.score,
                "weak": quoted(weakest.factor.name),
                "weak_score": weakest.score,
            }
        )
    else:
        paragraphs.append(_("The municipality has not scored the success factors yet."))
    if report.gaps:
        paragraphs.append(
            _("The biggest gaps to the top of the scale are in %(factors)s.")
            % {"factors": join_names([quoted(row.factor.name) for row in report.gaps])}
        )
    if report.previous_round is not None:
        up = sum(1 for row in report.factors if row.change.startswith("+"))
        down = sum(1 for row in report.factors if row.change.startswith("−"))
        if up or down:
            paragraphs.append(
                _("Since %(round)s, %(up)s and %(down)s.")
                % {
                    "round": report.previous_round.title,
                    "up": _factors_count(
                        up,
                        _("one factor has risen"),
                        _("%(count)s factors have risen"),
                        _("no factor has risen"),
                    ),
                    "down": _factors_count(
                        down,
                        _("one has fallen"),
                        _("%(count)s have fallen"),
                        _("none has fallen"),
                    ),
                }
            )
        else:
            paragraphs.append(
                _("The scores are the same as in %(round)s.")
                % {"round": report.previous_round.title}
            )
    count = len(report.recommendations)
    if count:
        paragraphs.append(
            ngettext(
                "The analysis gives one recommendation: %(first)s.",
                "The analysis gives %(count)s recommendations; the most important: %(first)s.",
                count,
            )
            % {"count": number_word(count), "first": report.recommendations[0].title}
        )
    measures = [entry.measure for entry in report.plan]
    if measures:
        open_count = sum(1 for m in measures if m.is_open)
        still_open = (
            (_("It is still open.") if open_count else _("It is closed."))
            if len(measures) == 1
            else _("None of them is still open.")
            if open_count == 0
            else _("One of them is still open.")
            if open_count == 1
            else _("All of them are still open.")
            if open_count == len(measures)
            else capfirst(_("%(count)s are still open.") % {"count": number_word(open_count)})
        )
        paragraphs.append(
            ngettext(
                "The action plan has one measure.",
                "The action plan has %(count)s measures.",
                len(measures),
            )
            % {"count": number_word(len(measures))}
            + " "
            + still_open
        )
    return paragraphs


def _factors_count(n: int, one: str, many: str, none: str) -> str:
    if n == 0:
        return none
    if n == 1:
        return one
    return many % {"count": number_word(n)}
