"""The self-assessment form (one fieldset per factor, the level descriptions in the choices),
and the user organisations' invitation and answer forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from analysis.forms.mixins import MergeFormMixin, PrivacyGuardMixin, mark_optional
from boligsosial.forms import BoundedNumbersMixin, CleanTextMixin
from boligsosial.privacy import privacy_warnings
from factors.models import FactorAssessment
from reference.models import SuccessFactor


class AssessmentForm(
    CleanTextMixin, BoundedNumbersMixin, PrivacyGuardMixin, MergeFormMixin, forms.Form
):
    merge_fields = ("score", "status", "challenges", "evidence")
    privacy_fields = ("status", "challenges", "evidence")
    # Assessments carry version numbers to fall back on.
    base_required = False

    score = forms.TypedChoiceField(
        label=_("Score"), coerce=int, empty_value=None, required=False, widget=forms.RadioSelect
    )
    status = forms.CharField(
        label=_("Where we are"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    challenges = forms.CharField(
        label=_("Challenges"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.CharField(
        label=_("What the score rests on"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example a survey, figures, a discussion in the working group."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(
        self,
        *args,
        factor: SuccessFactor,
        assessment: FactorAssessment | None,
        disabled: bool = False,
        **kwargs,
    ):
        kwargs.setdefault("prefix", f"f{factor.number}")
        # initial=None (what the page passes when it is not rebuilding after a conflict) means
        # "what is saved", like no initial at all: the page showed saved scores as empty.
        if kwargs.get("initial") is None:
            kwargs.pop("initial", None)
        if assessment is not None:
            kwargs.setdefault(
                "initial",
                {
                    "score": assessment.score,
                    "status": assessment.status,
                    "challenges": assessment.challenges,
                    "evidence": assessment.evidence,
                    "version": assessment.version,
                },
            )
        else:
            kwargs.setdefault("initial", {"version": 0})
        super().__init__(*args, **kwargs)
        self.factor = factor
        self.assessment = assessment
        self.fields["score"].choices = [
            (level.level, f"{level.level} – {level.description}") for level in factor.levels.all()
        ]
        # A factor is complete with a score and where we are; the rest may stay empty.
        mark_optional(self.fields["challenges"])
        mark_optional(self.fields["evidence"])
        self.add_merge_base()
        self.add_privacy_guard()
        for field in self.fields.values():
            field.disabled = disabled

    @property
    def summary_title(self) -> str:
        """The factor each error belongs to, in the page's error summary."""
        return f"{self.factor.number}. {self.factor.name}"

    def values(self) -> dict:
        return {
            "score": self.cleaned_data["score"],
            "status": self.cleaned_data["status"],
            "challenges": self.cleaned_data["challenges"],
            "evidence": self.cleaned_data["evidence"],
        }


NO_ANSWER = ("", _("No answer"))


class InvitationForm(CleanTextMixin, BoundedNumbersMixin, PrivacyGuardMixin, forms.Form):
    privacy_fields = ("organisation_name",)

    organisation_name = forms.CharField(
        label=_("User organisation"),
        max_length=200,
        help_text=_("For example a tenants' organisation or a service users' organisation."),
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=90, initial=30
    )
    email = forms.EmailField(
        label=_("Send the link to (e-mail, optional)"),
        required=False,
        max_length=254,
        help_text=_(
            "The organisation gets the link, the expiry date and a reminder a few days before "
            "it expires if it has not answered. Leave it empty to send the link yourself."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_privacy_guard()


class UserInputForm(CleanTextMixin, forms.Form):
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

    def clean(self):
        """Nobody can confirm an anonymous answer the way a planner confirms a warning, and
        the municipality must not receive a person's details this way: text that looks like
        it identifies someone is refused (boligsosial/privacy.py)."""
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and privacy_warnings(cleaned.get(name) or ""):
                self.add_error(
                    name,
                    forms.ValidationError(
                        _(
                            "This can identify a person. Remove names, national identity "
                            "numbers, addresses and details of individual cases before sending."
                        ),
                        code="privacy",
                    ),
                )
        return cleaned

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
