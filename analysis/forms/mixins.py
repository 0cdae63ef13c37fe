"""What every editing form of the analysis shares: the three-way merge base (analysis/merge.py),
telling forged input from mistakes, and showing a stored value the way a person reads it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats
from django.utils.dateparse import parse_date
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from analysis import merge
from boligsosial.error_summary import field_anchor, field_label
from boligsosial.privacy import privacy_warnings

# Errors no form in a browser can produce: a choice that was never offered, a hidden field
# that was tampered with. Such a request is forged and answers 400, not a form with errors.
FORGED_CODES = frozenset({"invalid_choice", "invalid_pk_value", "forged"})


# The empty choice of a model field's select (Django 6.1's BLANK_CHOICE_LABEL) has no Norwegian
# in Django's own catalogues yet; naming it here puts it in ours, which Django reads first.
gettext_noop("- Select an option -")


def privacy_help_text() -> str:
    return _(
        "Do not write personal information (names, national identity numbers, details of "
        "individual cases)."
    )


def mark_optional(field: forms.Field) -> None:
    """A question or field that may stay empty says so in its label (elsewhere, such as a
    conflict, the plain label names it)."""
    field.plain_label = field.label
    field.label = _("%(label)s (optional)") % {"label": field.label}


class ForgedInputMixin:
    def is_forged(self) -> bool:
        return any(
            e.code in FORGED_CODES for errors in self.errors.as_data().values() for e in errors
        )


class PrivacyGuardMixin:
    """Warns before saving free text that looks like it identifies a person (DESIGN.md,
    Privacy: the analysis holds facts about services, not people), and asks the planner to
    confirm. Text that is already saved, or that the planner confirmed once in this form
    (its fingerprint travels in a hidden field), is not warned about again.

    Call `add_privacy_guard()` at the end of `__init__`; `clean()` checks the texts. Render
    `analysis/_privacy.html` with the form.
    """

    privacy_fields: tuple[str, ...] = ()

    def add_privacy_guard(self) -> None:
        # Say it before anyone types, not only in the warning after saving.
        for name in self.privacy_fields:
            field = self.fields.get(name)
            if field is not None:
                field.help_text = (
                    format_lazy("{} {}", field.help_text, privacy_help_text())
                    if field.help_text
                    else privacy_help_text()
                )
        self.privacy_hits: list[str] = []
        # The fields whose text warned, so the warning and the error summary name the
        # question and link to it (issue 15, item 3).
        self.privacy_hit_fields: list[str] = []
        self._confirmed: list[str] = []
        self.fields["privacy_checked"] = forms.BooleanField(
            label=_("I have checked that the text does not identify anyone"), required=False
        )
        self.fields["privacy_confirmed"] = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        self.check_privacy(cleaned)
        return cleaned

    def _already_confirmed(self) -> set[str]:
        raw = self.data.get(self.add_prefix("privacy_confirmed"), "") if self.is_bound else ""
        return {fp for fp in raw.split(",") if fp}

    def check_privacy(self, cleaned: dict) -> None:
        confirmed = self._already_confirmed()
        pending = []
        for name in self.privacy_fields:
            text = cleaned.get(name) or ""
            fp = merge.fingerprint(text)
            if fp in confirmed or fp == merge.fingerprint(self.initial.get(name)):
                continue
            hits = privacy_warnings(text)
            if hits:
                self.privacy_hits += hits
                self.privacy_hit_fields.append(name)
                pending.append(fp)
        if not self.privacy_hits:
            return
        if cleaned.get("privacy_checked"):
            # Confirmed: the same texts are not warned about again if the page comes back
            # (another field's error, or a conflict).
            self._confirmed = sorted(confirmed | set(pending))
            data = self.data.copy()
            data[self.add_prefix("privacy_confirmed")] = ",".join(self._confirmed)
            self.data = data
        else:
            self.add_error(
                "privacy_checked",
                forms.ValidationError(
                    _(
                        "The text looks like it may identify a person. Remove it, or confirm "
                        "that you have checked it before saving."
                    ),
                    code="privacy",
                ),
            )

    def privacy_questions(self) -> list[tuple[str, str]]:
        """Each text that warned as (its question or label, the id its link goes to)."""
        ids = getattr(self, "summary_ids", {}) or {}
        return [
            (field_label(self, name), ids.get(name) or field_anchor(self[name]))
            for name in self.privacy_hit_fields
        ]

    def privacy_initial(self) -> dict:
        return {"privacy_confirmed": ",".join(self._confirmed)} if self._confirmed else {}


class MergeFormMixin(ForgedInputMixin):
    """A hidden `base` field holds fingerprints of the values the form was loaded with, so the
    service can merge a save with what others saved meanwhile (analysis/merge.py).

    Call `add_merge_base()` at the end of `__init__`. `base_required`: a form without a
    version number to fall back on must send its base; without it the request is forged.
    """

    merge_fields: tuple[str, ...] = ()
    base_required = True

    def add_merge_base(self) -> None:
        self.fields["base"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if "base" not in self.initial:
            self.initial["base"] = merge.encode_base(self.loaded_values())

    def to_canonical(self, name: str, value: Any) -> Any:
        return merge.canonical(value)

    def from_canonical(self, name: str, value: Any) -> Any:
        """A canonical value as the form's initial value (the widget renders it)."""
        return value

    def loaded_values(self) -> dict[str, Any]:
        return {
            n: self.to_canonical(n, self.initial.get(n, self.fields[n].initial))
            for n in self.merge_fields
        }

    def clean_base(self) -> dict[str, str] | None:
        base = merge.decode_base(self.cleaned_data.get("base"))
        if base is None and self.base_required:
            raise forms.ValidationError(_("The form was not sent as expected."), code="forged")
        return base

    def posted_values(self) -> dict[str, Any]:
        return {n: self.to_canonical(n, self.cleaned_data.get(n)) for n in self.merge_fields}

    def loaded_base(self) -> dict[str, str] | None:
        return self.cleaned_data.get("base")

    def rebased_initial(self, saved: dict[str, Any]) -> dict[str, Any]:
        """Initial values for the form shown after a conflict: the saved values with this
        person's changes on top, and the saved values as the new base."""
        shown = merge.rebase(mine=self.posted_values(), saved=saved, base=self.loaded_base())
        initial = {n: self.from_canonical(n, v) for n, v in shown.items()}
        initial["base"] = merge.encode_base({n: saved.get(n) for n in self.merge_fields})
        if isinstance(self, PrivacyGuardMixin):
            initial.update(self.privacy_initial())
        return initial

    def conflict_groups(self, error: merge.StaleEdit) -> list[merge.ConflictGroup]:
        """Each row in conflict as the page shows it: its title, and per field the saved
        version beside this person's."""
        return [
            merge.ConflictGroup(
                title=row.title,
                fields=self.conflict_rows(row.fields),
                saved_by=row.saved_by,
                saved_at=row.saved_at,
            )
            for row in error.rows
        ]

    def conflict_rows(self, conflicts: dict[str, tuple[Any, Any]]) -> list[merge.FieldConflict]:
        """Each field in conflict with its label, the saved value and this person's value."""
        return [
            merge.FieldConflict(
                label=str(getattr(self.fields[name], "plain_label", self.fields[name].label) or ""),
                saved=display_value(self.fields[name], saved),
                mine=display_value(self.fields[name], mine),
            )
            for name, (saved, mine) in conflicts.items()
        ]


def display_value(field: forms.Field | None, value: Any) -> str:
    """A stored value the way a person reads it: a choice by its label, yes/no in words, a
    date in Norwegian form, several choices as a list."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(k): str(v) for k, v in choices if str(k) != ""}
        if isinstance(value, list):
            return ", ".join(labels.get(str(v), str(v)) for v in value) or "–"
        return labels.get(str(value), str(value))
    if isinstance(field, forms.DateField) and isinstance(value, str):
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is not None:
            return formats.date_format(day, "j.n.Y")
    return str(value)
