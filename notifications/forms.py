from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import LANGUAGE_CHOICES
from boligsosial.forms import CleanTextMixin


class SettingsForm(CleanTextMixin, forms.Form):
    """The language of one's e-mail, and one box per kind of message that concerns one."""

    language = forms.ChoiceField(
        label=_("Language of e-mail"),
        required=False,
        choices=[
            ("", _("The municipality's language form (bokmål or nynorsk)")),
            *LANGUAGE_CHOICES,
        ],
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = list(kinds)
        for kind in self.kinds:
            self.fields[f"kind_{kind.value}"] = forms.BooleanField(label=kind.label, required=False)

    def enabled(self) -> set[str]:
        return {k.value for k in self.kinds if self.cleaned_data.get(f"kind_{k.value}")}
