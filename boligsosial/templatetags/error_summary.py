"""`{% error_summary form … %}`: the one error summary every form page shows at its top
(boligsosial/error_summary.py reads the errors; templates/_error_summary.html draws them;
static/js/error-summary.js moves the focus to it)."""

from django import template

from boligsosial.error_summary import summary_items

register = template.Library()


@register.inclusion_tag("_error_summary.html")
def error_summary(*sources, nothing_saved: bool = True) -> dict:
    """`nothing_saved`: the page saves what a person typed (a login, a search does not), so
    the summary says nothing was saved and what was typed is kept."""
    return {"items": summary_items(*sources), "nothing_saved": nothing_saved}
