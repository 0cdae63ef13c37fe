"""What every page of an analysis says at its top about the person's role and the analysis's
state (issue 15, item 5): a reader is told they can only read, and a submitted or approved
analysis says who sent or approved it, and when."""

import datetime

from django import forms, template
from django.utils.formats import date_format
from django.utils.translation import gettext

from analysis import access
from analysis.models import AnalysisStatus
from analysis.selectors.review import latest_decision
from analysis.selectors.sections import section_url

register = template.Library()


@register.inclusion_tag("analysis/_state_notice.html", takes_context=True)
def analysis_state(context, analysis) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if analysis is None or user is None or not user.is_authenticated:
        return {"show": False}
    reads_only = not access.can_answer_for(user, analysis)
    return {
        "show": True,
        "analysis": analysis,
        "reads_only": reads_only,
        "is_adviser": reads_only and access.can_review_analysis(user, analysis),
        "decision": latest_decision(analysis),
        "approved": analysis.status == AnalysisStatus.APPROVED,
        "locked": not analysis.is_editable,
    }


@register.filter
def answer_text(question, answer) -> str:
    """A saved answer as a reader reads it: yes/no and choices in words, text as typed."""
    return question.display_answer(answer.value) if answer is not None else ""


@register.inclusion_tag("analysis/_part_nav.html")
def part_nav(analysis, section, sections=None) -> dict:
    """ "Previous part" and "Next part" at the bottom of a part (issue 15, item 4), so a
    planner moves through the analysis without going back to its page each time. One query,
    the questionnaire's sections in order, unless the page has read them (`sections`,
    selectors.sections.sections_of)."""
    if analysis is None or section is None:
        return {}
    if not sections:
        sections = list(analysis.round.questionnaire.sections.order_by("order"))
    keys = [s.pk for s in sections]
    if section.pk not in keys:
        return {}
    at = keys.index(section.pk)

    def link(s):
        return {"title": s.title, "url": section_url(analysis, s)} if s is not None else None

    return {
        "previous": link(sections[at - 1] if at > 0 else None),
        "next": link(sections[at + 1] if at + 1 < len(sections) else None),
        "number": at + 1,
        "count": len(sections),
        "analysis": analysis,
    }


@register.filter
def field_text(bound_field) -> str:
    """A form field's value as a reader reads it (issue 15, item 5: text, not a disabled
    field): choices by their label, several by theirs joined, yes/no in words, dates written
    out, "–" for nothing."""
    field, value = bound_field.field, bound_field.value()
    if isinstance(field, forms.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if value in (None, "", [], ()):
        return "–"
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(str(o) for o in field.queryset.filter(pk__in=value)) or "–"
    if isinstance(field, forms.ModelChoiceField):
        chosen = field.queryset.filter(pk=value).first()
        return str(chosen) if chosen is not None else "–"
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): label for key, label in field.choices}
        values = value if isinstance(value, list | tuple) else [value]
        return ", ".join(str(labels.get(str(v), v)) for v in values)
    if isinstance(value, datetime.date):
        return date_format(value, "j. F Y")
    return str(value)
