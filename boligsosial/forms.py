"""What every form of the app shares: free text comes in clean and bounded.

Every form class of the project mixes in `CleanTextMixin` (tests/test_forms.py finds any that
does not). Before the fields are cleaned, each text field's posted value loses its control
characters (boligsosial/text.py; a text area keeps tabs and line breaks), and a text field
that names no maximum length gets one, so no form lets a megabyte into the database or the
revision history.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

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
