"""The forms of the action plan: a measure, and a status update with its note."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import editors_of
from analysis import merge
from analysis.forms.mixins import ForgedInputMixin, MergeFormMixin, PrivacyGuardMixin
from analysis.forms.structures import DATE_INPUT
from analysis.models import Unit
from boligsosial.forms import BoundedNumbersMixin, CleanTextMixin
from keyfigures.models import Indicator
from plans.models import Measure, MeasureStatus
from reference.models import FundingSource, SuccessFactor


class MeasureForm(
    CleanTextMixin, BoundedNumbersMixin, PrivacyGuardMixin, MergeFormMixin, forms.ModelForm
):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    privacy_fields = ("description",)
    # Measures carry version numbers to fall back on.
    base_required = False

    class Meta:
        model = Measure
        fields = [
            "title",
            "description",
            "factors",
            "responsible_unit",
            "owner_name",
            "owner_role",
            "owner_user",
            "deadline",
            "priority",
            "estimated_cost",
            "funding_source",
            "indicator",
            "target_value",
            "target_year",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "factors": forms.CheckboxSelectMultiple,
            "deadline": DATE_INPUT,
        }
        help_texts = {
            "owner_name": gettext_lazy(
                "The person who answers for the measure, by name and role, or choose a user."
            ),
            "target_year": gettext_lazy("The year the key figure should reach the target value."),
        }

    def __init__(self, *args, municipality, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(municipality=municipality)
        if not (self.instance.pk and self.instance.responsible_unit_id):
            units = units.filter(is_active=True)
        self.fields["responsible_unit"].queryset = units
        self.fields["responsible_unit"].empty_label = _("No unit chosen")
        self.fields["owner_user"].queryset = editors_of(municipality)
        self.fields["owner_user"].empty_label = _("No user chosen")
        self.fields["funding_source"].queryset = FundingSource.objects.all()
        self.fields["indicator"].queryset = Indicator.objects.all()
        self.fields["indicator"].empty_label = _("No key figure")
        self.fields["factors"].queryset = SuccessFactor.objects.all()
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        self.merge_fields = tuple(self._meta.fields)
        self.add_merge_base()
        self.add_privacy_guard()
        for field in self.fields.values():
            field.disabled = disabled

    def values(self) -> dict:
        """The cleaned values the service writes (related rows as model instances)."""
        return {name: self.cleaned_data[name] for name in self.merge_fields}


class MeasureStatusForm(CleanTextMixin, BoundedNumbersMixin, ForgedInputMixin, forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=MeasureStatus.choices)
    note = forms.CharField(
        label=gettext_lazy("What happened since the last update?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Required when the measure is stopped: say why."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == MeasureStatus.STOPPED and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why the measure was stopped."))
        return cleaned

    def conflict_groups(self, error: merge.StaleEdit) -> list[merge.ConflictGroup]:
        """Someone changed the status meanwhile: theirs and mine, in words."""
        label = dict(MeasureStatus.choices)
        return [
            merge.ConflictGroup(
                title=row.title,
                fields=[
                    merge.FieldConflict(
                        str(self.fields["status"].label),
                        str(label.get(saved, saved)),
                        str(label.get(mine, mine)),
                    )
                    for saved, mine in row.fields.values()
                ],
                saved_by=row.saved_by,
                saved_at=row.saved_at,
            )
            for row in error.rows
        ]


class MeasureFilterForm(CleanTextMixin, forms.Form):
    overdue = forms.BooleanField(label=gettext_lazy("Only overdue measures"), required=False)


class DecisionProposalForm(CleanTextMixin, PrivacyGuardMixin, ForgedInputMixin, forms.Form):
    """The proposed decision: one text, with the version the page was loaded with. The text
    goes to the council as it stands, so the privacy guard reads it as it reads answers."""

    text = forms.CharField(
        label=gettext_lazy("Proposed decision"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=5000,
        help_text=gettext_lazy(
            "The text the report proposes for the municipal council's decision, point by "
            "point. Leave it empty to print no proposal."
        ),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    privacy_fields = ("text",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_privacy_guard()

    def clean_version(self) -> int:
        value = self.cleaned_data.get("version", "")
        if not (value.isascii() and value.isdigit()) or len(value) > 9:
            # The page always sends the version it was loaded with.
            raise forms.ValidationError(_("The form was not sent as expected."), code="forged")
        return int(value)

    def conflict_groups(self, error: merge.StaleEdit) -> list[merge.ConflictGroup]:
        """Someone saved another text meanwhile: theirs and mine, side by side."""
        return [
            merge.ConflictGroup(
                title=row.title,
                fields=[
                    merge.FieldConflict(str(self.fields["text"].label), str(saved), str(mine))
                    for saved, mine in row.fields.values()
                ],
                saved_by=row.saved_by,
                saved_at=row.saved_at,
            )
            for row in error.rows
        ]
