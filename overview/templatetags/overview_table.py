"""The overview table's body, built in one pass.

The national view prints 357 rows of about twenty cells. Through the template engine (an
include for the status badge, a filter and a blocktranslate per cell) that cost over 100 ms;
here every text is translated once per page and every cell is escaped and joined directly,
a few milliseconds in all. The header, caption and legend stay in the template.

The standard library's html.escape is used directly: Django's escape() goes through a lazy-
string wrapper that costs more than the escaping itself at ten thousand calls a page.
"""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from analysis.models import AnalysisStatus
from overview.selectors.table import Overview, OverviewRow

register = template.Library()

# The same colours as templates/analysis/_status_badge.html.
BADGE_CLASSES = {
    AnalysisStatus.APPROVED: "text-bg-success",
    AnalysisStatus.SUBMITTED: "text-bg-primary",
    AnalysisStatus.SENT_BACK: "text-bg-warning",
    AnalysisStatus.IN_PROGRESS: "text-bg-info",
    AnalysisStatus.NOT_STARTED: "text-bg-secondary",
}


def _url_maker(name: str = "analysis:review"):
    """reverse() once; an analysis's URL differs between rows only by the analysis id."""
    marker = 999999999
    pattern = reverse(name, args=[marker])
    before, after = pattern.split(str(marker))
    return lambda pk: f"{before}{pk}{after}"


def _change_cell(change: int | None, texts: dict[str, str]) -> str:
    if change is None:
        return ""
    if change == 0:
        return (
            f'<span class="change" aria-hidden="true">±0</span>'
            f'<span class="visually-hidden">, {texts["unchanged"]}</span>'
        )
    arrow = "▲" if change > 0 else "▼"
    signed = f"{change:+d}"
    return (
        f'<span class="change" aria-hidden="true">{arrow}{signed}</span>'
        f'<span class="visually-hidden">, {escape(texts["changed"] % {"change": signed})}</span>'
    )


def _score_cell(score: int | None, change: int | None, texts: dict[str, str]) -> str:
    if score is None:
        return (
            '<td class="text-center heat heat-none"><span class="text-body-secondary">–</span></td>'
        )
    return (
        f'<td class="text-center heat heat-{score}"><strong>{score}</strong>'
        f"{_change_cell(change, texts)}</td>"
    )


def _figure_cell(text: str, year: int | None, column_year: int, href: str, trend: str) -> str:
    """A key figure; linked, where the municipality has an analysis, to its trend on the
    key-figures page. A year older than the column's is said in the cell."""
    if year is None:
        return f'<td class="text-end">{text}</td>'
    if year != column_year:
        text = f'{text} <span class="small text-body-secondary">({year})</span>'
    if href:
        text = f'<a href="{href}">{text}<span class="visually-hidden">, {trend}</span></a>'
    return f'<td class="text-end">{text}</td>'


@register.simple_tag
def overview_table_body(rows: list[OverviewRow], table: Overview) -> SafeString:
    texts = {
        "unchanged": escape(_("unchanged since the previous round")),
        "changed": str(_("change %(change)s since the previous round")),
        "trend": escape(_("trend over the years")),
    }
    key_figures_url = _url_maker("analysis:key_figures")
    anchors = [f"#trend-{escape(i.code)}" for i in table.indicators]
    years = table.figure_years
    labels = {status: escape(str(label)) for status, label in AnalysisStatus.choices}
    review_url = _url_maker()
    # Cells repeat (5 scores × a few changes; key figures often): build each kind once.
    shown: dict[tuple, str] = {}
    score_cells: dict[tuple, str] = {}
    out = []
    for row in rows:
        m = row.municipality
        a = row.analysis
        name = escape(m.name)
        if a is not None:
            link = f'<a href="{review_url(a.pk)}">{name}</a>'
            status = (
                f'<span class="badge status-badge status-{a.status} '
                f'{BADGE_CLASSES.get(a.status, "")}">{labels.get(a.status, "")}</span>'
            )
        else:
            link, status = name, "–"
        moment = row.last_activity_local
        if moment is not None:
            activity = f"{moment.day}.{moment.month}.{moment.year}<br>{escape(a.last_activity_by)}"
        else:
            activity = "–"
        cells = [
            f"<tr><td>{m.number}</td>",
            f'<th scope="row">{link}</th>',
            f"<td>{escape(m.county_name)}</td>",
            f"<td>{status}</td>",
            f'<td class="text-end">{row.progress} %</td>',
            f'<td class="small">{activity}</td>',
        ]
        changes = row.changes
        for number in sorted(row.scores):
            key = (row.scores[number], changes.get(number))
            if key not in score_cells:
                score_cells[key] = _score_cell(*key, texts)
            cells.append(score_cells[key])
        for n, figure in enumerate(row.figures):
            text = figure.display
            if text not in shown:
                shown[text] = escape(text)
            href = f"{key_figures_url(a.pk)}{anchors[n]}" if a is not None else ""
            cells.append(_figure_cell(shown[text], figure.year, years[n], href, texts["trend"]))
        cells.append("</tr>")
        out.append("".join(cells))
    return mark_safe("\n".join(out))  # noqa: S308 – every value above is escaped


@register.simple_tag(takes_context=True)
def overview_table_head(context) -> SafeString:
    """The header row: a sort link per column, the current one marked for screen readers."""
    base_query, sort, direction = context["base_query"], context["sort"], context["dir"]
    prefix = f"?{escape(base_query)}&amp;" if base_query else "?"

    def cell(key: str, attrs: str, inner: str, after: str = "", pad: str = "") -> str:
        if sort == key:
            attrs += f' aria-sort="{"descending" if direction == "desc" else "ascending"}"'
        new_direction = "desc" if sort == key and direction == "asc" else "asc"
        href = f"{prefix}sort={escape(key)}&amp;dir={new_direction}"
        return f'<th scope="col"{attrs}>{pad}<a href="{href}">{inner}</a>{after}{pad}</th>'

    cells = [cell(key, "", escape(str(label)), pad="\n") for key, label in context["sort_columns"]]
    cells += [
        cell(
            key,
            ' class="text-center"',
            f'F{f.number}<span class="visually-hidden"> {escape(str(f.name))}</span>',
        )
        for f, key in context["factor_columns"]
    ]
    cells += [
        cell(
            key,
            ' class="text-end key-figure"',
            escape(str(indicator.name)),
            f' <span class="d-block small fw-normal text-body-secondary">{year}</span>'
            if year
            else "",
        )
        for indicator, key, year in context["figure_columns"]
    ]
    return mark_safe("<tr>\n" + "\n".join(cells) + "\n</tr>")  # noqa: S308 – escaped above


@register.simple_tag
def overview_comparisons(table: Overview, rows: list[OverviewRow]) -> list:
    """The county and country lines under a table of these rows."""
    return table.comparisons_for(rows)
