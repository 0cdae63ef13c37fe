from django import forms
from django.utils.translation import gettext_lazy as _

from factors.models import SuccessFactor

NO_ANSWER = ("", _("No answer"))


class InvitationForm(forms.Form):
    organisation_name = forms.CharField(
        label=_("User organisation"),
        max_length=200,
        help_text=_("For example a tenants' organisation or a service users' organisation."),
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=90, initial=30
    )


class UserInputForm(forms.Form):
    """One score (optional) and comment per factor, and an overall comment."""

    comment = forms.CharField(
        label=_("Anything else you want to tell the municipality?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, factors: list[SuccessFactor], **kwargs):
        super().__init__(*args, **kwargs)
        self.factors = factors
        for factor in factors:
            self.fields[f"score_{factor.number}"] = forms.TypedChoiceField(
                label=_("Your assessment of “%(factor)s” (1 = weak, 5 = strong)")
                % {"factor": factor.name},
                # The same level descriptions the planner sees, so both views mean the same.
                choices=[NO_ANSWER]
                + [(str(lv.level), f"{lv.level} – {lv.description}") for lv in factor.levels.all()],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{factor.number}"] = forms.CharField(
                label=_("Comment on “%(factor)s”") % {"factor": factor.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def factor_rows(self):
        return [(f, self[f"score_{f.number}"], self[f"comment_{f.number}"]) for f in self.factors]

    def ratings(self) -> dict[int, tuple[int | None, str]]:
        return {
            f.number: (
                self.cleaned_data[f"score_{f.number}"],
                self.cleaned_data[f"comment_{f.number}"],
            )
            for f in self.factors
        }
