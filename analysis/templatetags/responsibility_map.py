"""The responsibility map's rows, built in one pass (`{% map_rows matrix can_edit %}`).

Through the template language a map of nine task areas and a handful of units cost more
than half of its page's time: a select with its options, a label and a carried-over badge
in every cell. Here each text is translated once per page and every cell is escaped and
joined directly. The markup is the same as the template's was, but for blank lines; the
table head, the rest of the page and the carried-over badge elsewhere stay in templates.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from analysis.models import Gap, ResponsibilityRole
from analysis.selectors.structures import ResponsibilityMatrix

register = template.Library()


def _options(choices: list[tuple[str, str]], chosen: str) -> str:
    return '\n<option value="">–</option>\n' + "".join(
        f'<option value="{value}"{" selected" if value == chosen else ""}>{label}</option>'
        for value, label in choices
    )


@register.simple_tag
def map_rows(matrix: ResponsibilityMatrix, can_edit: bool) -> SafeString:
    """The rows of the map's table: as templates/analysis/_carried_badge.html draws a
    carried-over cell, and a select per cell for an editor, the role in words for others."""
    roles = [(escape(v), escape(str(label))) for v, label in ResponsibilityRole.choices]
    gaps = [(escape(v), escape(str(label))) for v, label in Gap.choices]
    role_labels = dict(roles)
    texts = {
        "no_owner": escape(_("No owner")),
        "several": escape(_("Several owners")),
        "carried": escape(_("Carried over from the previous round")),
        "confirm": escape(_("Confirm")),
    }

    def badge(kind: str, item_id: int, what: str) -> str:
        html = f'<span class="badge text-bg-info carried-over-badge">{texts["carried"]}</span>'
        if can_edit:
            html += (
                f' <button type="submit" form="confirm-{kind}" name="id" value="{item_id}" '
                f'class="btn btn-sm btn-outline-primary carried-over-confirm">{texts["confirm"]}'
                f'<span class="visually-hidden"> {escape(what)}</span></button>'
            )
        # The template's include ended in a line break.
        return f'<div class="small mt-1">{html}\n</div>'

    out = []
    for row, cells in matrix.grid:
        area_pk = row.task_area.pk
        name = escape(str(row.task_area.name))
        warning = ' class="table-warning"' if row.has_no_owner or row.has_several_owners else ""
        if row.gap:
            note = f'<br><span class="small map-gap">{escape(str(row.gap_label))}</span>'
        elif row.has_no_owner:
            note = f'<br><span class="small">{texts["no_owner"]}</span>'
        elif row.has_several_owners:
            note = f'<br><span class="small">{texts["several"]}</span>'
        else:
            note = ""
        parts = [f'<tr{warning}>\n<th scope="row">{name}{note}</th>']
        for cell in cells:
            field = f"cell-{area_pk}-{cell.unit.pk}"
            if can_edit:
                control = (
                    f'<label class="visually-hidden" for="{field}">{escape(cell.label)}</label>\n'
                    f'<select class="form-select form-select-sm" name="{field}" id="{field}">'
                    f"{_options(roles, cell.role)}\n</select>"
                )
            else:
                shown = role_labels.get(escape(cell.role), "") if cell.role else "–"
                control = f'\n<span class="read-only-answer">{shown}</span>'
            carried = badge("responsibility", cell.carried, cell.what) if cell.carried else ""
            parts.append(f"\n<td>{control}{carried}</td>")
        field = f"gap-{area_pk}"
        if can_edit:
            label = escape(_("%(area)s without a responsible unit") % {"area": row.task_area.name})
            control = (
                f'<label class="visually-hidden" for="{field}">{label}</label>\n'
                f'<select class="form-select form-select-sm" name="{field}" id="{field}">'
                f"{_options(gaps, row.gap)}\n</select>"
            )
        else:
            control = f'\n<span class="read-only-answer">{escape(str(row.gap_label)) or "–"}</span>'
        carried = (
            badge("responsibility_gap", row.gap_carried, str(row.task_area.name))
            if row.gap_carried
            else ""
        )
        parts.append(f"\n<td>{control}{carried}</td>\n</tr>")
        out.append("".join(parts))
    return mark_safe("\n".join(out))  # noqa: S308 – every value above is escaped
