"""What every form of the app shares: free text comes in clean and bounded, numbers stay within
their column.

Every form class of the project mixes in `CleanTextMixin` (tests/test_forms.py finds any that
does not). Before the fields are cleaned, each text field's posted value loses its control
characters (boligsosial/text.py; a text area keeps tabs and line breaks), and a text field
that names no maximum length gets one, so no form lets a megabyte into the database or the
revision history.

`BoundedNumbersMixin` (issue 11: 99999999999999999999 posted to the project form overflowed
SQLite, a 500, and is a DataError on PostgreSQL) goes first after it in a form's bases
(tests/test_forms.py checks that every form with such fields has it). Every integer field
without bounds gets those of a 32-bit integer column (what every IntegerField and
PositiveIntegerField holds; a model's smaller column adds its own through the model's
validation), so a bigger number is the field's error in the person's language, not a query.
A choice of several rows by id (ModelMultipleChoiceField) refuses an id that is not a number
the id column can hold, before Django's `pk__in` query would send it to the database.
"""

from __future__ import annotations

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.translation import gettext_lazy as _

from boligsosial.parsing import MAX_BIG_INTEGER, parse_natural
from boligsosial.text import clean_text

# The caps of free text that names none of its own: a line (a name, a title) and an answer.
SHORT_TEXT = 200
LONG_TEXT = 10_000

# Said instead of Django's generic words, on every text field of every form.
TOO_LONG = _(
    "The text is too long: at most %(limit_value)d characters are allowed (it has "
    "%(show_value)d). Shorten it and save again."
)


def is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


def is_free_text(field: forms.Field) -> bool:
    """A text field a person types into (not a password, which is no text of ours, and not a
    hidden field, which only a forged request fills with anything but what the page put
    there)."""
    return isinstance(field, forms.CharField) and not isinstance(
        field.widget, forms.PasswordInput | forms.HiddenInput
    )


def cap_length(field: forms.CharField, limit: int) -> None:
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs.update(field.widget_attrs(field.widget))


class CleanTextMixin:
    """Put it first among a form's bases. `text_limits` caps named fields (a model's
    TextField has no max_length for its ModelForm field to inherit)."""

    text_limits: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The fields declared so far; fields a form adds later are capped when it is cleaned.
        self._cap_text_fields()

    def full_clean(self):
        if self.is_bound:
            self._cap_text_fields()
            self._clean_posted_text()
        super().full_clean()

    def _cap_text_fields(self) -> None:
        for name, field in self.fields.items():
            if not is_free_text(field):
                continue
            if field.max_length is None:
                limit = self.text_limits.get(name) or (
                    LONG_TEXT if is_multiline(field) else SHORT_TEXT
                )
                cap_length(field, limit)
            field.error_messages["max_length"] = TOO_LONG

    def _clean_posted_text(self) -> None:
        data = self.data.copy()
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or isinstance(
                field.widget, forms.PasswordInput
            ):
                continue
            key = self.add_prefix(name)
            if key not in data:
                continue
            multiline = is_multiline(field)
            if hasattr(data, "getlist"):
                data.setlist(
                    key,
                    [
                        clean_text(v, multiline=multiline) if isinstance(v, str) else v
                        for v in data.getlist(key)
                    ],
                )
            elif isinstance(data[key], str):
                data[key] = clean_text(data[key], multiline=multiline)
        self.data = data


INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1


class StrictModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if parse_natural(str(pk), maximum=MAX_BIG_INTEGER) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


def bound_numbers(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
            if field.min_value is None:
                field.min_value = INTEGER_MIN
                field.validators.append(validators.MinValueValidator(INTEGER_MIN))
            if field.max_value is None:
                field.max_value = INTEGER_MAX
                field.validators.append(validators.MaxValueValidator(INTEGER_MAX))
        elif type(field) is forms.ModelMultipleChoiceField:
            # The same field with the stricter check (the form's own copy of it).
            field.__class__ = StrictModelMultipleChoiceField


class BoundedNumbersMixin:
    """Bounds every integer and id field of the form before it is validated, also those a
    form's __init__ adds after its bases'."""

    def full_clean(self):
        bound_numbers(self)
        super().full_clean()


# Django's select.html with select_option.html and attrs.html written out
# (boligsosial/jinja2/boligsosial/widgets/select.html): one template per select instead of
# two includes per option, the same markup. A form opts in for a select with many of them on
# a page (`write_options_out`); the widget stays a Select, so crispy's classes stay the same.
FLAT_SELECT = "boligsosial/widgets/select.html"


def write_options_out(*fields: forms.Field) -> None:
    for field in fields:
        if type(field.widget) is forms.Select:
            field.widget.template_name = FLAT_SELECT


class WidgetRenderer(BaseRenderer):
    """Django's own widget templates through Jinja2, a third of the time of the template
    language (issue 16); a widget template Jinja2 does not have (the admin's related-object
    wrapper, a Django template) through the template language, as before."""

    def __init__(self) -> None:
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name: str):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
