"""crispy-bootstrap5's field template through Jinja2 (issue 16: at about a millisecond a field
in the template language, the fields were half of a form page's time).

`templates/bootstrap5/field_fast.html` is one tag, `{% bootstrap5_field %}`, which renders
`boligsosial/jinja2/bootstrap5/field.html` (with its two layout includes): crispy-bootstrap5's
own field template and the project's written-out includes (templates/bootstrap5/layout/),
line for line, in Jinja2's syntax. A form opts in through crispy's own API, its helper's
`field_template` (boligsosial.forms.fast_fields_helper); `|crispy`, `|as_crispy_field`,
`{% crispy %}` and layout objects then come to this template. Forms without it, the
benchmark's bare form among them, keep crispy-bootstrap5's template. The output is the
same character for character as the template language's (tests/test_fast_fields.py renders
every field of every form of the project both ways); compare with crispy-bootstrap5's
template when it is upgraded.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from crispy_forms.templatetags import crispy_forms_field as crispy_field_tags
from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils import formats
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

register = template.Library()

FIELD_TEMPLATE = "bootstrap5/field.html"


def crispy_field(field, attribute: str, value: str):
    """crispy's `{% crispy_field field 'class' 'form-control' %}`, as a function: the widget's
    class name and the given classes added to its attributes, then the widget."""
    widget = field.field.widget
    widgets = getattr(widget, "widgets", [getattr(widget, "widget", widget)])
    converters = getattr(settings, "CRISPY_CLASS_CONVERTERS", {})
    for each in widgets:
        class_name = each.__class__.__name__.lower()
        class_name = converters.get(class_name, class_name)
        css_class = each.attrs.get("class", "")
        if css_class:
            if css_class.find(class_name) == -1:
                css_class += f" {class_name}"
        else:
            css_class = class_name
        each.attrs["class"] = css_class
        if attribute in each.attrs:
            for part in value.split():
                if part not in each.attrs[attribute].split():
                    each.attrs[attribute] += " " + part
        else:
            each.attrs[attribute] = value
    return str(field)


@jinja2.pass_context
def django_include(context, name: str):
    """A template of crispy-bootstrap5's that has no Jinja2 twin (the file field's), through
    the template language with the same variables."""
    return mark_safe(get_template(name).render(context.get_all()))


def _as_the_template_language_writes(value):
    """What `{{ value }}` writes in the template language: dates in the current time zone,
    numbers localised, escaped as Django escapes (`&#x27;`, not markupsafe's `&#39;`)."""
    if isinstance(value, jinja2.Undefined):
        return ""
    return conditional_escape(localize(template_localtime(value)))


def unlocalize(value) -> str:
    return str(formats.localize(value, use_l10n=False))


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parents[1] / "jinja2"),
        autoescape=True,
        # The template language keeps a template's last line break; so must this.
        keep_trailing_newline=True,
        auto_reload=settings.DEBUG,
        finalize=_as_the_template_language_writes,
    )
    environment.filters.update(
        is_checkbox=crispy_field_tags.is_checkbox,
        is_checkboxselectmultiple=crispy_field_tags.is_checkboxselectmultiple,
        is_radioselect=crispy_field_tags.is_radioselect,
        is_select=crispy_field_tags.is_select,
        is_file=crispy_field_tags.is_file,
        optgroups=optgroups,
        unlocalize=unlocalize,
    )
    environment.globals.update(crispy_field=crispy_field, django_include=django_include)
    return environment


def render_field(variables: dict) -> str:
    return _environment().get_template(FIELD_TEMPLATE).render(variables)


class FieldNode(template.Node):
    def render(self, context: template.Context) -> str:
        return mark_safe(render_field(context.flatten()))


@register.tag
def bootstrap5_field(parser: template.base.Parser, token: template.base.Token) -> FieldNode:
    return FieldNode()
