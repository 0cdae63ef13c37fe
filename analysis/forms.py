"""Forms for the question sections and for assigning a section."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from analysis import access
from analysis.models import Analysis, Answer, Question, QuestionKind, SectionAssignment, Unit
from analysis.privacy import privacy_warnings

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SCALE = [(str(i), str(i)) for i in range(1, 6)]


def answer_field_name(question: Question) -> str:
    return f"q-{question.key}"


def version_field_name(question: Question) -> str:
    return f"v-{question.key}"


class SectionAnswersForm(forms.Form):
    """One field per question, built from the questionnaire data, plus the version each
    answer had when the page was loaded (for conflict detection)."""

    privacy_checked = forms.BooleanField(
        label=_("I have checked that the text does not identify anyone"), required=False
    )

    def __init__(
        self,
        *args,
        questions: list[Question],
        answers: dict[int, Answer],
        disabled=False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.privacy_hits: list[str] = []
        for q in questions:
            answer = answers.get(q.id)
            self.fields[answer_field_name(q)] = self._field_for(q, disabled)
            self.initial[answer_field_name(q)] = answer.value if answer else ""
            self.fields[version_field_name(q)] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=0, required=False
            )
            self.initial[version_field_name(q)] = answer.version if answer else 0
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @staticmethod
    def _field_for(q: Question, disabled: bool) -> forms.Field:
        common = {"label": q.text, "help_text": q.help, "required": False, "disabled": disabled}
        if q.kind == QuestionKind.YES_NO:
            return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
        if q.kind == QuestionKind.CHOICE:
            return forms.ChoiceField(choices=q.choice_pairs(), widget=forms.RadioSelect, **common)
        if q.kind == QuestionKind.SCALE:
            return forms.ChoiceField(choices=SCALE, widget=forms.RadioSelect, **common)
        return forms.CharField(
            max_length=q.max_length,
            strip=True,
            widget=forms.Textarea(attrs={"rows": 4}),
            **common,
        )

    def question_fields(self):
        return [
            (q, self[answer_field_name(q)], self[version_field_name(q)]) for q in self.questions
        ]

    def question_rows(self, comments: list, previous: dict[str, str]):
        """Each question with its field, version, comments on it and last round's answer."""
        return [
            (
                q,
                self[answer_field_name(q)],
                self[version_field_name(q)],
                [c for c in comments if c.question_id == q.pk],
                previous.get(q.key),
            )
            for q in self.questions
        ]

    def clean(self):
        cleaned = super().clean()
        for q in self.questions:
            if q.kind == QuestionKind.TEXT:
                self.privacy_hits += privacy_warnings(cleaned.get(answer_field_name(q)) or "")
        if self.privacy_hits and not cleaned.get("privacy_checked"):
            self.add_error(
                "privacy_checked",
                _(
                    "The text looks like it may identify a person. Remove it, or confirm that "
                    "you have checked it before saving."
                ),
            )
        return cleaned

    def values(self) -> dict[str, str]:
        return {q.key: self.cleaned_data.get(answer_field_name(q)) or "" for q in self.questions}

    def versions(self) -> dict[str, int]:
        return {q.key: self.cleaned_data.get(version_field_name(q)) or 0 for q in self.questions}

    def is_forged(self) -> bool:
        """A value no browser form can send (a choice outside the list): a forged request."""
        return any(
            e.code == "invalid_choice" for errors in self.errors.as_data().values() for e in errors
        )


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = SectionAssignment
        fields = ["unit", "assignee", "note"]
        labels = {
            "unit": _("Responsible unit"),
            "assignee": _("Responsible colleague"),
            "note": _("Note"),
        }

    def __init__(self, *args, analysis: Analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            municipality=analysis.municipality, is_active=True
        )
        self.fields["assignee"].queryset = access.editors_of(analysis.municipality)
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
