from django import forms
from django.utils.translation import gettext_lazy as _

from analysis.models import AnalysisStatus, LanguageForm, Municipality, Questionnaire

# How many municipalities the factor profile compares side by side.
COMPARE_MIN, COMPARE_MAX = 2, 6


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    target = forms.CharField(required=False, widget=forms.HiddenInput)
    # A reply may close the comment it answers ("løst").
    resolve = forms.BooleanField(label=_("Mark the comment as resolved"), required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("send_back", _("Send back"))],
        widget=forms.HiddenInput,
    )
    message = forms.CharField(
        label=_("Message to the municipality"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Asked for on the page only while comments are open; the service checks it.
    despite_open_comments = forms.BooleanField(
        label=_("Approve even though comments are open"), required=False
    )


class OverviewFilterForm(forms.Form):
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


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire edition"),
        queryset=Questionnaire.objects.filter(published_at__isnull=False),
    )
    opens_on = forms.DateField(label=_("Opens"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("A round cannot close before it opens."))
        return cleaned


class ProfileComparisonForm(forms.Form):
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
        self.fields["kommune"].choices = [(m.number, m.name) for m in municipalities]

    def clean_kommune(self) -> list[str]:
        chosen = list(dict.fromkeys(self.cleaned_data["kommune"]))
        if not COMPARE_MIN <= len(chosen) <= COMPARE_MAX:
            raise forms.ValidationError(
                _("Choose between %(min)s and %(max)s municipalities to compare; you chose %(n)s.")
                % {"min": COMPARE_MIN, "max": COMPARE_MAX, "n": len(chosen)},
                code="count",
            )
        return chosen
