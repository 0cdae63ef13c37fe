"""`{% load crispy_forms_tags plain_fields %}`: crispy's `as_crispy_field`, faster for the plain
fields a long form is made of (issue 16: crispy-bootstrap5's field.html cost about 1 ms per
field, most of it the template language deciding which kind of field it draws).

A field that is a text input, text area, date or select, drawn without a layout tag, is
drawn here: the same markup as crispy-bootstrap5's field.html (with its
help_text_and_errors.html) draws for it, but for blank lines — the same label, classes,
widget, help text and errors, with and without a form helper (tests/test_plain_fields.py
compares the two). Every other field (hidden, checkbox, radio buttons, a file, a widget
drawn in a fieldset) and every form whose helper names its own field template go to
crispy's own filter as before. A template opts in by loading this library after crispy's;
the forms and their helpers stay as they are. Compare with the installed crispy-bootstrap5
when it is upgraded.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field as crispy_field
from crispy_forms.utils import TEMPLATE_PACK
from django import forms, template
from django.conf import settings
from django.forms import boundfield
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Widgets field.html draws otherwise than as one control with a label above it.
NOT_PLAIN = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.FileInput)


def is_plain(field: boundfield.BoundField) -> bool:
    widget = field.field.widget
    return not (field.is_hidden or isinstance(widget, NOT_PLAIN) or field.use_fieldset)


def add_classes(field: boundfield.BoundField, classes: str) -> None:
    """What crispy's `{% crispy_field field 'class' classes %}` does to the widget before it
    is drawn: the widget's own name as a class, then the given ones."""
    widget = field.field.widget
    converters = getattr(settings, "CRISPY_CLASS_CONVERTERS", {})
    for each in getattr(widget, "widgets", [getattr(widget, "widget", widget)]):
        name = each.__class__.__name__.lower()
        name = converters.get(name, name)
        css = each.attrs.get("class", "")
        if css:
            if css.find(name) == -1:
                css += f" {name}"
        else:
            css = name
        for css_class in classes.split():
            if css_class not in css.split():
                css += f" {css_class}"
        each.attrs["class"] = css


def draw_plain(field: boundfield.BoundField, a: dict) -> SafeString:
    """field.html's markup for a plain field, given what crispy gives the template (`a`)."""
    esc = conditional_escape
    wrapper = "mb-3"
    if a.get("wrapper_class"):
        wrapper += f" {esc(a['wrapper_class'])}"
    if css := field.css_classes():
        wrapper += f" {esc(css)}"
    out = [f'<div id="div_{esc(field.auto_id)}" class="{wrapper}">']
    required = field.field.required
    if field.label and a.get("form_show_labels"):
        target = f'for="{esc(field.id_for_label)}" ' if field.id_for_label else ""
        label_class = "form-label"
        if a.get("label_class"):
            label_class += f" {esc(a['label_class'])}"
        if required:
            label_class += " requiredField"
        star = '<span class="asteriskField">*</span>' if required else ""
        out.append(f'<label {target}class="{label_class}">\n{esc(field.label)}{star}\n</label>')
    if a.get("field_class"):
        out.append(f'<div class="{esc(a["field_class"])}">')
    errors = field.errors
    kind = "form-select" if isinstance(field.field.widget, forms.Select) else "form-control"
    add_classes(field, f"{kind} is-invalid" if errors else kind)
    out.append(str(field))
    help_inline, error_inline = a.get("help_text_inline"), a.get("error_text_inline")
    if help_inline and not error_inline and field.help_text:
        out.append(
            f'<span id="{esc(field.auto_id)}_helptext" class="form-text">{field.help_text}</span>'
        )
    if a.get("form_show_errors") and errors:
        tag = "span" if error_inline else "p"
        out.append(f'<div id="{esc(errors.field_id)}_error" class="invalid-feedback">')
        out.extend(
            f'<{tag} id="error_{n}_{esc(field.auto_id)}"><strong>{esc(error)}</strong></{tag}>'
            for n, error in enumerate(errors, start=1)
        )
        out.append("</div>")
    if not help_inline and field.help_text:
        target = f'id="{esc(field.auto_id)}_helptext" ' if field.auto_id else ""
        out.append(f'<div {target}class="form-text">{field.help_text}</div>')
    if a.get("field_class"):
        out.append("</div>")
    out.append("</div>")
    return mark_safe("\n".join(out))  # noqa: S308 – escaped above; help text is HTML by design


@register.filter(name="as_crispy_field")
def as_crispy_field(
    field: boundfield.BoundField, template_pack=TEMPLATE_PACK, label_class="", field_class=""
) -> SafeString:
    helper = getattr(field.form, "helper", None)
    if (
        template_pack != "bootstrap5"
        or not isinstance(field, boundfield.BoundField)
        or (helper is not None and helper.field_template)
        or not is_plain(field)
    ):
        return crispy_field(field, template_pack, label_class, field_class)
    # What crispy's filter gives field.html.
    attributes = {
        "form_show_errors": True,
        "form_show_labels": True,
        "label_class": label_class,
        "field_class": field_class,
    }
    if helper is not None:
        attributes.update(helper.get_attributes(template_pack))
    return draw_plain(field, attributes)
