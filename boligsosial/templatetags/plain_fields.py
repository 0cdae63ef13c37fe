"""`{% load crispy_forms_tags plain_fields %}`: crispy's `as_crispy_field`, faster for the plain
fields a long form is made of (issue 16: crispy-bootstrap5's field.html cost about 1 ms per
field, most of it the template language deciding which kind of field it draws).

A field that is a text input, text area, date or select, drawn without a layout tag, goes
through templates/bootstrap5/plain_field.html: the same markup as field.html draws for it
(the same label, classes, widget, help text and errors; only the blank lines differ), with
the decisions taken here once. Every other field (hidden, checkbox, radio buttons, a file,
a widget drawn in a fieldset) and every form whose helper names its own field template go
to crispy's own filter as before. A template opts in by loading this library after
crispy's; the forms and their helpers stay as they are.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field as crispy_field
from crispy_forms.utils import TEMPLATE_PACK
from django import forms, template
from django.forms import boundfield
from django.template.loader import get_template
from django.utils.safestring import SafeString

register = template.Library()

PLAIN_FIELD = "bootstrap5/plain_field.html"
# Widgets field.html draws otherwise than as one control with a label above it.
NOT_PLAIN = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.FileInput)


def is_plain(field: boundfield.BoundField) -> bool:
    widget = field.field.widget
    return not (field.is_hidden or isinstance(widget, NOT_PLAIN) or field.use_fieldset)


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
    # What crispy's filter gives field.html, and the one decision field.html takes here.
    attributes = {
        "field": field,
        "form_show_errors": True,
        "form_show_labels": True,
        "label_class": label_class,
        "field_class": field_class,
    }
    if helper is not None:
        attributes.update(helper.get_attributes(template_pack))
    attributes["is_select"] = isinstance(field.field.widget, forms.Select)
    return get_template(PLAIN_FIELD).render(attributes)
