"""Forms for the question sections and for assigning a section."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from analysis import access, merge
from analysis.forms.mixins import MergeFormMixin, PrivacyGuardMixin, display_value, mark_optional
from analysis.models import Analysis, Answer, SectionAssignment, Unit
from boligsosial.forms import BoundedNumbersMixin, CleanTextMixin, write_options_out
from reference.models import Question, QuestionKind

if TYPE_CHECKING:
    from django.contrib.auth.models import User

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SCALE = [(str(i), str(i)) for i in range(1, 6)]


def answer_field_name(question: Question) -> str:
    return f"q-{question.key}"


def version_field_name(question: Question) -> str:
    return f"v-{question.key}"


class SectionAnswersForm(
    CleanTextMixin, BoundedNumbersMixin, PrivacyGuardMixin, MergeFormMixin, forms.Form
):
    """One field per question, built from the questionnaire data, plus what each answer was
    when the page was loaded (fingerprints and versions, for the three-way merge)."""

    # Answers carry version numbers to fall back on.
    base_required = False

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
        # The saved answers the form was built on (the page marks carried-over ones).
        self.answers = answers
        for q in questions:
            answer = answers.get(q.id)
            self.fields[answer_field_name(q)] = self._field_for(q, disabled)
            if not q.required:
                mark_optional(self.fields[answer_field_name(q)])
            self.initial.setdefault(answer_field_name(q), answer.value if answer else "")
            self.fields[version_field_name(q)] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=0, required=False
            )
            self.initial.setdefault(version_field_name(q), answer.version if answer else 0)
        self.merge_fields = tuple(answer_field_name(q) for q in questions)
        self.add_merge_base()
        self.privacy_fields = tuple(
            answer_field_name(q) for q in questions if q.kind == QuestionKind.TEXT
        )
        self.add_privacy_guard()
        self.fields["privacy_checked"].disabled = disabled
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

    def question_rows(self, comments: list, previous: dict[str, str], answers: dict[int, Answer]):
        """Each question with its field, version, comments on it, last round's answer (as a
        person reads it: a choice by its label) and the saved answer (to mark one carried
        over from the previous round)."""
        return [
            (
                q,
                self[answer_field_name(q)],
                self[version_field_name(q)],
                [c for c in comments if c.question_id == q.pk],
                display_value(self.fields[answer_field_name(q)], previous[q.key])
                if previous.get(q.key)
                else None,
                answers.get(q.id),
            )
            for q in self.questions
        ]

    def values(self) -> dict[str, str]:
        return {q.key: self.cleaned_data.get(answer_field_name(q)) or "" for q in self.questions}

    def versions(self) -> dict[str, int]:
        return {q.key: self.cleaned_data.get(version_field_name(q)) or 0 for q in self.questions}

    def bases(self) -> dict[str, str] | None:
        """Fingerprints of the answers as loaded, by question key."""
        base = self.loaded_base()
        if base is None:
            return None
        return {
            q.key: base[answer_field_name(q)]
            for q in self.questions
            if answer_field_name(q) in base
        }

    def conflict_groups(self, error: merge.StaleEdit) -> list[merge.ConflictGroup]:
        by_key = {q.key: q for q in self.questions}
        groups = []
        for row in error.rows:
            field = self.fields[answer_field_name(by_key[row.key])]
            saved, mine = row.fields["value"]
            groups.append(
                merge.ConflictGroup(
                    title=row.title,
                    fields=[
                        merge.FieldConflict(
                            label="",
                            saved=display_value(field, saved),
                            mine=display_value(field, mine),
                        )
                    ],
                    saved_by=row.saved_by,
                    saved_at=row.saved_at,
                )
            )
        return groups

    def saved_values(self, answers: dict[int, Answer]) -> dict[str, str]:
        """The saved answers by field name, for rebasing the form after a conflict."""
        return {
            answer_field_name(q): answers[q.id].value if q.id in answers else ""
            for q in self.questions
        }


def user_label(user) -> str:
    return user.get_full_name() or user.username


@dataclass(frozen=True)
class AssignmentChoices:
    """The choices every section's assignment form offers, read once for a page of them
    (each form read both lists twice while it rendered: 28 queries for seven sections)."""

    units: list[tuple[int, str, bool]]  # pk, name, active
    editors: list[tuple[int, str]]
    # The querysets that check what is posted, built once for the page's forms too.
    unit_queryset: QuerySet[Unit] | None = None
    editor_queryset: QuerySet[User] | None = None

    @classmethod
    def of(cls, analysis: Analysis) -> AssignmentChoices:
        units = Unit.objects.filter(municipality=analysis.municipality)
        editors = access.editors_of(analysis.municipality)
        return cls(
            units=[(u.pk, str(u), u.is_active) for u in units],
            editors=[(u.pk, user_label(u)) for u in editors],
            unit_queryset=units,
            editor_queryset=editors,
        )


class AssignmentForm(CleanTextMixin, PrivacyGuardMixin, MergeFormMixin, forms.ModelForm):
    merge_fields = ("unit", "assignee", "note", "due_date")
    privacy_fields = ("note",)

    class Meta:
        model = SectionAssignment
        fields = ["unit", "assignee", "note", "due_date"]
        labels = {
            "unit": _("Responsible unit"),
            "assignee": _("Responsible colleague"),
            "note": _("Note"),
            "due_date": _("Due date"),
        }
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(
        self,
        *args,
        analysis: Analysis,
        disabled: bool = False,
        choices: AssignmentChoices | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.closes_on = analysis.round.closes_on
        self.fields["due_date"].help_text = _(
            "Optional. By the round's close on %(date)s at the latest."
        ) % {"date": formats.date_format(self.closes_on, "j. F Y")}
        # Active units, and the unit the section is assigned to now even if it was retired
        # since, so the page still saves.
        units = (
            choices.unit_queryset
            if choices is not None and choices.unit_queryset is not None
            else Unit.objects.filter(municipality=analysis.municipality)
        )
        if self.instance.unit_id:
            units = units.filter(Q(is_active=True) | Q(pk=self.instance.unit_id))
        else:
            units = units.filter(is_active=True)
        self.fields["unit"].queryset = units
        self.fields["assignee"].queryset = (
            choices.editor_queryset
            if choices is not None and choices.editor_queryset is not None
            else access.editors_of(analysis.municipality)
        )
        self.fields["assignee"].label_from_instance = user_label
        if choices is not None:
            # The page's forms share one read of the units and the editors; a form's own
            # queryset still checks what is posted.
            unit, assignee = self.fields["unit"], self.fields["assignee"]
            unit.choices = [("", unit.empty_label)] * (unit.empty_label is not None) + [
                (pk, name)
                for pk, name, active in choices.units
                if active or pk == self.instance.unit_id
            ]
            assignee.choices = [("", assignee.empty_label)] * (
                assignee.empty_label is not None
            ) + choices.editors
        self.add_merge_base()
        self.add_privacy_guard()
        for field in self.fields.values():
            field.disabled = disabled
        # Seven of these forms on the assignments page.
        write_options_out(self.fields["unit"], self.fields["assignee"])
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due is None or due == self.instance.due_date:
            # A due date already saved may have passed since; the row still saves.
            return due
        if due < timezone.localdate():
            raise forms.ValidationError(
                _("The due date has already passed. Choose today or a later date."),
                code="due_date_past",
            )
        if due > self.closes_on:
            raise forms.ValidationError(
                _(
                    "The due date is after the round closes on %(date)s. Choose that day or "
                    "an earlier one."
                )
                % {"date": formats.date_format(self.closes_on, "j. F Y")},
                code="due_date_after_close",
            )
        return due

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("due_date")
            and not cleaned.get("unit")
            and not cleaned.get("assignee")
            and "due_date" not in self.errors
        ):
            self.add_error(
                "due_date",
                forms.ValidationError(
                    _("A due date needs a responsible unit or colleague. Choose one of them."),
                    code="due_date_without_anyone",
                ),
            )
        return cleaned

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("unit", "assignee", "note", "due_date")}
