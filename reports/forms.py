"""The language a PDF is made in: bokmål or nynorsk, the municipality's målform by default."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from boligsosial.forms import CleanTextMixin
from reports.services import pdf_language_choices


class PdfLanguageForm(CleanTextMixin, forms.Form):
    """An empty choice means "the municipality's målform"; anything not offered is refused."""

    language = forms.ChoiceField(label=_("Language of the PDF"), required=False, choices=())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", ""), *pdf_language_choices()]

    def language_or(self, default: str) -> str:
        return self.cleaned_data.get("language") or default
