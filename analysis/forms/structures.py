"""Forms for the structural sections: units, cooperation, allocation and projects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from analysis import merge
from analysis.forms.mixins import ForgedInputMixin, MergeFormMixin, PrivacyGuardMixin
from analysis.models import (
    CooperationBody,
    ExternalActor,
    Gap,
    Project,
    ProjectStatus,
    ResponsibilityRole,
    Unit,
)
from analysis.selectors.structures import ResponsibilityMatrix
from analysis.services.structures import cell_key, gap_key
from boligsosial.forms import BoundedNumbersMixin, CleanTextMixin, write_options_out
from boligsosial.parsing import parse_natural
from reference.models import FundingSource, SuccessFactor, TargetGroup

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitForm(CleanTextMixin, PrivacyGuardMixin, ForgedInputMixin, forms.ModelForm):
    privacy_fields = ("name",)
    # The field is drawn by hand on the map's page; a rename form says its own.
    summary_ids = {"name": "new-unit"}

    class Meta:
        model = Unit
        fields = ["name"]
        labels = {"name": _("Name of the unit or service")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_privacy_guard()

    def validate_unique(self):
        # Uniqueness per municipality is checked by the service's full_clean.
        pass


class RowMergeMixin(PrivacyGuardMixin, MergeFormMixin):
    """A cooperation row: an edit must carry the base it was loaded with; a new row has none."""

    def __init__(self, *args, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.merge_fields = tuple(self._meta.fields)
        self.base_required = bool(self.instance.pk)
        self.add_merge_base()
        self.add_privacy_guard()
        for field in self.fields.values():
            field.disabled = disabled


class CooperationBodyForm(CleanTextMixin, RowMergeMixin, forms.ModelForm):
    privacy_fields = ("name", "members", "mandate", "meeting_frequency")
    # The model's text fields have no length; a megabyte once went into the history.
    text_limits = {"members": 2000, "mandate": 5000}

    class Meta:
        model = CooperationBody
        fields = ["name", "members", "mandate", "meeting_frequency", "is_formal"]
        widgets = {
            "members": forms.Textarea(attrs={"rows": 2}),
            "mandate": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "mandate": _("What the body is set up to decide or coordinate."),
            "is_formal": _("Established by a decision, with a mandate and fixed meetings."),
        }


class ExternalActorForm(CleanTextMixin, RowMergeMixin, forms.ModelForm):
    privacy_fields = ("name", "cooperation_about")
    text_limits = {"cooperation_about": 5000}

    class Meta:
        model = ExternalActor
        fields = ["kind", "name", "cooperation_about", "is_state_level"]
        widgets = {"cooperation_about": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "is_state_level": _("A state body (vertical coordination), such as NAV or Husbanken.")
        }


WRITTEN_CHOICES = [("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]


class AllocationRowForm(CleanTextMixin, PrivacyGuardMixin, MergeFormMixin, forms.Form):
    merge_fields = ("decided_by", "gap", "criteria", "criteria_written")
    privacy_fields = ("decided_by", "criteria")

    decided_by = forms.CharField(label=_("Who decides"), max_length=300, required=False)
    gap = forms.ChoiceField(
        label=_("Or, if nobody can be named"),
        choices=[("", _("Someone is named above")), *Gap.choices],
        required=False,
    )
    criteria = forms.CharField(
        label=_("Criteria"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    criteria_written = forms.ChoiceField(
        label=_("Are the criteria written down?"), choices=WRITTEN_CHOICES, required=False
    )

    def __init__(self, *args, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_merge_base()
        self.add_privacy_guard()
        for field in self.fields.values():
            field.disabled = disabled
        # One of these forms per instrument on the allocation page.
        write_options_out(self.fields["gap"], self.fields["criteria_written"])

    def to_canonical(self, name, value):
        if name == "criteria_written" and not isinstance(value, bool):
            return {"yes": True, "no": False}.get(value)
        return super().to_canonical(name, value)

    def from_canonical(self, name, value):
        if name == "criteria_written":
            return {True: "yes", False: "no"}.get(value, "")
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decided_by") and cleaned.get("gap"):
            self.add_error(
                "gap",
                _(
                    "Either name who decides, or answer that nobody decides or that the "
                    "instrument is not relevant, not both."
                ),
            )
        return cleaned

    def values(self) -> dict:
        return {
            "decided_by": self.cleaned_data["decided_by"],
            "gap": self.cleaned_data["gap"],
            "criteria": self.cleaned_data["criteria"],
            "criteria_written": self.to_canonical(
                "criteria_written", self.cleaned_data["criteria_written"]
            ),
        }


class ProjectForm(
    CleanTextMixin, BoundedNumbersMixin, PrivacyGuardMixin, MergeFormMixin, forms.ModelForm
):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    privacy_fields = ("name", "description", "partners", "results", "funding_note")
    text_limits = {"description": 5000, "partners": 2000, "results": 5000}
    # Projects carry version numbers to fall back on.
    base_required = False

    class Meta:
        model = Project
        fields = [
            "name",
            "description",
            "responsible_unit",
            "partners",
            "target_groups",
            "funding_sources",
            "funding_note",
            "starts_on",
            "ends_on",
            "status",
            "factors",
            "results",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "results": forms.Textarea(attrs={"rows": 3}),
            "target_groups": forms.CheckboxSelectMultiple,
            "funding_sources": forms.CheckboxSelectMultiple,
            "factors": forms.CheckboxSelectMultiple,
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
        }

    def __init__(self, *args, municipality, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(municipality=municipality)
        if not (self.instance.pk and self.instance.responsible_unit_id):
            units = units.filter(is_active=True)
        self.fields["responsible_unit"].queryset = units
        self.fields["responsible_unit"].empty_label = _("No unit chosen")
        self.fields["target_groups"].queryset = TargetGroup.objects.all()
        self.fields["funding_sources"].queryset = FundingSource.objects.all()
        self.fields["factors"].queryset = SuccessFactor.objects.all()
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        self.merge_fields = tuple(self._meta.fields)
        self.add_merge_base()
        self.add_privacy_guard()
        for field in self.fields.values():
            field.disabled = disabled

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The project cannot end before it starts."))
        return cleaned

    def values(self) -> dict:
        """The cleaned values the service writes (related rows as model instances)."""
        return {name: self.cleaned_data[name] for name in self.merge_fields}


class ProjectFilterForm(CleanTextMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + ProjectStatus.choices, required=False
    )
    target_group = forms.ModelChoiceField(
        label=_("Target group"),
        queryset=TargetGroup.objects.all(),
        required=False,
        empty_label=_("All"),
        to_field_name="key",
    )


class ResponsibilityMapForm:
    """The responsibility map as one form: a select per cell ("cell-<area>-<unit>": a role or
    empty), a select per task area for an answer without a unit ("gap-<area>": a Gap value
    or empty) and the fingerprints of every cell and gap as loaded ("base"). Not a Django
    form, since its fields are the page's own table of selects; it answers what
    analysis/views/editing.py asks of a page's forms.

    `matrix` is what the page shows: the saved map, or after a conflict the saved map with
    this person's own changes on top."""

    def __init__(self, data=None, *, matrix: ResponsibilityMatrix):
        self.data = data
        self.matrix = matrix
        self.cells: dict[tuple[int, int], str] | None = None
        self.gaps: dict[int, str] | None = None
        self.base: dict[str, str] | None = None
        self.errors: list[str] = []
        self.saved_base: str | None = None

    @property
    def shown_base(self) -> str:
        """The hidden "base" field: the fingerprint of every cell as saved. After a conflict
        that is the saved map, not the one shown with this person's changes on top, so saving
        again writes those changes deliberately."""
        if self.saved_base is not None:
            return self.saved_base
        return merge.encode_base(
            {
                cell_key(row.task_area.pk, unit.pk): row.roles.get(unit.pk, "")
                for row in self.matrix.rows
                for unit in self.matrix.units
            }
            | {gap_key(row.task_area.pk): row.gap for row in self.matrix.rows}
        )

    def is_valid(self) -> bool:
        if self.data is None:
            return False
        cells, gaps = {}, {}
        for key, value in self.data.items():
            if key.startswith("cell-"):
                parts = key.split("-")
                ids = tuple(parse_natural(p) for p in parts[1:]) if len(parts) == 3 else (None,)
                if None in ids:
                    return False
                cells[ids] = value
            elif key.startswith("gap-"):
                area = parse_natural(key.removeprefix("gap-"))
                if area is None:
                    return False
                gaps[area] = value
        if any(r not in {"", *ResponsibilityRole.values} for r in cells.values()):
            return False
        if any(g not in {"", *Gap.values} for g in gaps.values()):
            return False
        self.base = merge.decode_base(self.data.get("base"))
        self.cells, self.gaps = cells, gaps
        return self.base is not None

    def is_forged(self) -> bool:
        # Every invalid map is one no browser sends: the selects offer only valid roles.
        return self.data is not None and not self.is_valid()

    def conflict_groups(self, error: merge.StaleEdit) -> list[merge.ConflictGroup]:
        labels = dict(ResponsibilityRole.choices) | dict(Gap.choices)
        return [
            merge.ConflictGroup(
                title=row.title,
                fields=[
                    merge.FieldConflict(
                        label="",
                        saved=str(labels.get(saved, "–")),
                        mine=str(labels.get(mine, "–")),
                    )
                    for saved, mine in row.fields.values()
                ],
            )
            for row in error.rows
        ]

    def add_error(self, field: str | None, error: forms.ValidationError) -> None:
        """A map that does not hold together: the page shows the map as this person sent
        it, on the base they loaded, so nothing they chose is lost."""
        self.errors += error.messages
        self.matrix = self._with_own_changes(self.matrix)
        self.saved_base = self.data.get("base") if self.data is not None else None

    def _with_own_changes(self, matrix: ResponsibilityMatrix) -> ResponsibilityMatrix:
        areas = {row.task_area.pk: row for row in matrix.rows}
        for (area_id, unit_id), role in (self.cells or {}).items():
            loaded = (self.base or {}).get(cell_key(area_id, unit_id))
            if area_id in areas and merge.fingerprint(role) != loaded:
                if role:
                    areas[area_id].roles[unit_id] = role
                else:
                    areas[area_id].roles.pop(unit_id, None)
        for area_id, gap in (self.gaps or {}).items():
            loaded = (self.base or {}).get(gap_key(area_id))
            if area_id in areas and merge.fingerprint(gap) != loaded:
                areas[area_id].gap = gap
        return matrix

    def rebased(self, matrix: ResponsibilityMatrix) -> ResponsibilityMapForm:
        """The saved map with this person's own changes (cells whose posted role differs
        from the role they were loaded with) on top; its base is the saved map."""
        rebased = ResponsibilityMapForm(matrix=matrix)
        saved_base = rebased.shown_base  # before this person's changes are laid on top
        self._with_own_changes(matrix)
        rebased.saved_base = saved_base
        return rebased
