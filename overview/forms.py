"""The adviser overview's filters and the factor profile's choice of municipalities."""

from django import forms
from django.utils.translation import gettext_lazy as _

from analysis.models import AnalysisStatus
from boligsosial.forms import CleanTextMixin
from overview.selectors.table import norwegian_sort_key
from reference.models import LanguageForm, Municipality

# How many municipalities the factor profile compares side by side.
COMPARE_MIN, COMPARE_MAX = 2, 6


class OverviewFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("Search name or number"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + AnalysisStatus.choices
    )
    county = forms.ChoiceField(label=_("County"), required=False)
    malform = forms.ChoiceField(
        label=_("Language form"), required=False, choices=[("", _("All"))] + LanguageForm.choices
    )

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("All"))] + [(c.number, c.name) for c in counties]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"


class ProfileComparisonForm(CleanTextMixin, forms.Form):
    """Two to six municipalities of the region to compare; anything else gets a message."""

    kommune = forms.MultipleChoiceField(
        label=_("Municipalities to compare"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "invalid_choice": _(
                "%(value)s is not a municipality in this region. Choose among those listed."
            )
        },
    )

    def __init__(self, *args, municipalities: list[Municipality], **kwargs):
        super().__init__(*args, **kwargs)
        # In the order a person looks for a name: alphabetical, Norwegian letters last.
        self.fields["kommune"].choices = [
            (m.number, m.name)
            for m in sorted(municipalities, key=lambda m: norwegian_sort_key(m.name))
        ]

    def clean_kommune(self) -> list[str]:
        chosen = list(dict.fromkeys(self.cleaned_data["kommune"]))
        if not COMPARE_MIN <= len(chosen) <= COMPARE_MAX:
            raise forms.ValidationError(
                _("Choose between %(min)s and %(max)s municipalities to compare; you chose %(n)s.")
                % {"min": COMPARE_MIN, "max": COMPARE_MAX, "n": len(chosen)},
                code="count",
            )
        return chosen


class ProfileTrendForm(CleanTextMixin, forms.Form):
    """One municipality of the region whose scores the profile shows over every round."""

    utvikling = forms.ChoiceField(
        label=_("Municipality"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "invalid_choice": _(
                "%(value)s is not a municipality in this region. Choose among those listed."
            )
        },
    )

    def __init__(self, *args, municipalities: list[Municipality], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utvikling"].choices = [("", _("Choose a municipality"))] + [
            (m.number, m.name)
            for m in sorted(municipalities, key=lambda m: norwegian_sort_key(m.name))
        ]
