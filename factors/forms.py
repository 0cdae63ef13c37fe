"""The self-assessment form: one fieldset per factor, the level descriptions in the choices."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from analysis.form_mixins import MergeFormMixin, PrivacyGuardMixin, mark_optional
from factors.models import FactorAssessment, SuccessFactor


class AssessmentForm(PrivacyGuardMixin, MergeFormMixin, forms.Form):
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

    def values(self) -> dict:
        return {
            "score": self.cleaned_data["score"],
            "status": self.cleaned_data["status"],
            "challenges": self.cleaned_data["challenges"],
            "evidence": self.cleaned_data["evidence"],
        }
