"""`{% load crispy_forms_tags plain_fields %}`: crispy's `as_crispy_field`, faster for the plain
fields a long form is made of (issue 16: crispy-bootstrap5's field.html cost about 1 ms per
field, most of it the template language deciding which kind of field it draws).

A field that is a text input, text area, date or select, or a list of radio buttons or
checkboxes, drawn without a layout tag, is drawn here: the same markup as crispy-bootstrap5's
field.html (with its help_text_and_errors.html and radio_checkbox_select.html, as written
out in templates/bootstrap5/layout) draws for it, but for blank lines — the same label, classes,
widget, help text and errors, with and without a form helper (tests/test_plain_fields.py
compares the two). Every other field (hidden, a single checkbox, a file, another widget
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
# A list of radio buttons or checkboxes in a fieldset (bootstrap5/layout/radio_checkbox_select).
CHOICE_LISTS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def is_plain(field: boundfield.BoundField) -> bool:
    widget = field.field.widget
    return not (field.is_hidden or isinstance(widget, NOT_PLAIN) or field.use_fieldset)


def is_choice_list(field: boundfield.BoundField) -> bool:
    return not field.is_hidden and isinstance(field.field.widget, CHOICE_LISTS)


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


def _opening(field: boundfield.BoundField, a: dict) -> str:
    """The field's wrapper, as field.html opens it."""
    esc = conditional_escape
    wrapper = "mb-3"
    if a.get("wrapper_class"):
        wrapper += f" {esc(a['wrapper_class'])}"
    if css := field.css_classes():
        wrapper += f" {esc(css)}"
    return f'<div id="div_{esc(field.auto_id)}" class="{wrapper}">'


def _label(field: boundfield.BoundField, a: dict) -> tuple[str, str, str]:
    """What the label (or legend) carries: its `for`, its classes and the asterisk."""
    esc = conditional_escape
    target = f'for="{esc(field.id_for_label)}" ' if field.id_for_label else ""
    label_class = "form-label"
    if a.get("label_class"):
        label_class += f" {esc(a['label_class'])}"
    if field.field.required:
        label_class += " requiredField"
    star = '<span class="asteriskField">*</span>' if field.field.required else ""
    return target, label_class, star


def _errors(field: boundfield.BoundField, tag: str) -> list[str]:
    esc = conditional_escape
    return [
        f'<div id="{esc(field.errors.field_id)}_error" class="invalid-feedback">',
        *(
            f'<{tag} id="error_{n}_{esc(field.auto_id)}"><strong>{esc(error)}</strong></{tag}>'
            for n, error in enumerate(field.errors, start=1)
        ),
        "</div>",
    ]


def draw_plain(field: boundfield.BoundField, a: dict) -> SafeString:
    """field.html's markup for a plain field, given what crispy gives the template (`a`)."""
    esc = conditional_escape
    out = [_opening(field, a)]
    if field.label and a.get("form_show_labels"):
        target, label_class, star = _label(field, a)
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
        out.extend(_errors(field, "span" if error_inline else "p"))
    if not help_inline and field.help_text:
        target = f'id="{esc(field.auto_id)}_helptext" ' if field.auto_id else ""
        out.append(f'<div {target}class="form-text">{field.help_text}</div>')
    if a.get("field_class"):
        out.append("</div>")
    out.append("</div>")
    return mark_safe("\n".join(out))  # noqa: S308 – escaped above; help text is HTML by design


def draw_choice_list(field: boundfield.BoundField, a: dict) -> SafeString:
    """field.html's markup for radio buttons or checkboxes in a fieldset, with
    templates/bootstrap5/layout/radio_checkbox_select.html, given what crispy gives them."""
    esc = conditional_escape
    out = [_opening(field, a)]
    labelled = field.label and a.get("form_show_labels")
    if labelled:
        described = field.aria_describedby
        described = f' aria-describedby="{esc(described)}"' if described else ""
        target, legend_class, star = _label(field, a)
        out.append(
            f'<fieldset{described}>\n<legend {target}class="{legend_class} fs-6">\n'
            f"{esc(field.label)}{star}\n</legend>"
        )
    field_class = f'class="{esc(a["field_class"])}"' if a.get("field_class") else ""
    flat_attrs = f" {a['flat_attrs']}" if a.get("flat_attrs") else ""
    out.append(f"<div {field_class}{flat_attrs}>")
    errors = field.errors
    invalid = " is-invalid" if errors else ""
    # As crispy's optgroups filter.
    id_ = field.field.widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    values = field.field.widget.format_value(field.value())
    groups = field.field.widget.optgroups(field.html_name, values, attrs)
    name = esc(field.html_name)
    for n_group, (group, options, _index) in enumerate(groups, start=1):
        if group:
            out.append(f"<strong>{esc(group)}</strong>")
        for n_option, option in enumerate(options, start=1):
            option_attrs = "".join(
                f" {esc(key)}" if value is True else f' {esc(key)}="{esc(str(value))}"'
                for key, value in option["attrs"].items()
                if value is not False
            )
            out.append(
                f'<div class="form-check">\n<input type="{esc(option["type"])}" '
                f'class="form-check-input{invalid}" name="{name}" '
                f'value="{esc(str(option["value"]))}" {option_attrs}>\n'
                f'<label for="{esc(option["attrs"].get("id", ""))}" class="form-check-label">\n'
                f"{esc(str(option['label']))}\n</label>"
            )
            last = n_option == len(options) and n_group == len(groups)
            if errors and last and a.get("form_show_errors"):
                out.extend(_errors(field, "p"))
            out.append("</div>")
    out.append("</div>")
    if field.help_text:
        if a.get("help_text_inline"):
            out.append(
                f'<span id="{esc(field.auto_id)}_helptext" class="form-text">'
                f"{field.help_text}</span>"
            )
        else:
            target = f'id="{esc(field.auto_id)}_helptext" ' if field.auto_id else ""
            out.append(f'<div {target}class="form-text">{field.help_text}</div>')
    if field.use_fieldset and labelled:
        out.append("</fieldset>")
    out.append("</div>")
    return mark_safe("\n".join(out))  # noqa: S308 – escaped above; help text is HTML by design


def helper_attributes(helper, template_pack: str) -> dict:
    """The helper's attributes for its form's fields, read once per helper and page (crispy
    reads them again for every field; they do not change while a page is drawn)."""
    key = ("plain_fields", template_pack)
    cache = helper.__dict__.setdefault("_plain_fields_attributes", {})
    if key not in cache:
        cache[key] = helper.get_attributes(template_pack)
    return cache[key]


@register.filter(name="as_crispy_field")
def as_crispy_field(
    field: boundfield.BoundField, template_pack=TEMPLATE_PACK, label_class="", field_class=""
) -> SafeString:
    helper = getattr(field.form, "helper", None)
    if (
        template_pack != "bootstrap5"
        or not isinstance(field, boundfield.BoundField)
        or (helper is not None and helper.field_template)
        or not (is_plain(field) or is_choice_list(field))
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
        attributes.update(helper_attributes(helper, template_pack))
    if is_choice_list(field):
        return draw_choice_list(field, attributes)
    return draw_plain(field, attributes)
