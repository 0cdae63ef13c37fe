"""Numbers in forms stay within what their column holds (issue 11: 99999999999999999999 posted
to the project form overflowed SQLite, a 500, and is a DataError on PostgreSQL).

`BoundedNumbersMixin` goes first in a form's bases (tests/test_forms.py checks that every
form with such fields has it). Every integer field without bounds gets those of a 32-bit
integer column (what every IntegerField and PositiveIntegerField holds; a
model's smaller column adds its own through the model's validation), so a bigger number is the
field's error in the person's language, not a query. A choice of several rows by id
(ModelMultipleChoiceField) refuses an id that is not a number the id column can hold, before
Django's `pk__in` query would send it to the database.
"""

from __future__ import annotations

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError

from boligsosial.parsing import MAX_BIG_INTEGER, parse_natural

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
