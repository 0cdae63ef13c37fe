"""Writes for the structural sections: the responsibility map and its units, cooperation
bodies and external actors, allocation practice, and the project inventory.

Concurrent edits: each form carries fingerprints of the values it was loaded with, and a save
is merged three ways with what is saved now (analysis/merge.py): what this person did not
touch keeps the saved value, what only this person changed is written, and a field (or map
cell) both people changed differently raises StaleEdit with both versions; then nothing is
written, so two people never silently overwrite each other.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import merge
from analysis.models import (
    AllocationPractice,
    Analysis,
    CooperationBody,
    ExternalActor,
    Project,
    ProjectStatus,
    Responsibility,
    ResponsibilityRole,
    TaskArea,
    Unit,
)
from analysis.services.workflow import ensure_editable, touch_analysis


class StaleEdit(ValidationError):
    """Someone else changed the same fields meanwhile. `conflicts`: field (or map cell, or
    instrument id) → (saved, mine); for allocation, instrument id → {field: (saved, mine)}."""

    def __init__(self, conflicts: dict | None = None):
        super().__init__(
            _(
                "Someone else changed this while you were editing. Nothing was saved; the form "
                "shows the saved version with your changes on top. Check it and save again."
            ),
            code="stale",
        )
        self.conflicts = conflicts or {}


def cell_key(area_id: int, unit_id: int) -> str:
    return f"{area_id}-{unit_id}"


def map_base(matrix) -> str:
    """The fingerprint of every cell the map form shows (a ResponsibilityMatrix)."""
    return merge.encode_base(
        {
            cell_key(row.task_area.pk, unit.pk): row.roles.get(unit.pk, "")
            for row in matrix.rows
            for unit in matrix.units
        }
    )


def _lock(analysis: Analysis) -> Analysis:
    analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
    ensure_editable(analysis)
    return analysis


# --- Responsibility map ----------------------------------------------------------------------


@transaction.atomic
def save_responsibility_map(
    *,
    analysis: Analysis,
    cells: dict[tuple[int, int], str],
    base: dict[str, str] | None,
    by: User,
) -> int:
    """cells: (task area id, unit id) → "responsible", "contributing" or "" (none); base: the
    fingerprint of each cell as the form showed it, by cell_key."""
    analysis = _lock(analysis)
    valid_units = set(
        Unit.objects.filter(municipality_id=analysis.municipality_id).values_list("pk", flat=True)
    )
    valid_areas = set(TaskArea.objects.values_list("pk", flat=True))
    existing = {
        (r.task_area_id, r.unit_id): r for r in Responsibility.objects.filter(analysis=analysis)
    }
    conflicts, changes = {}, []
    for (area_id, unit_id), role in cells.items():
        if (
            area_id not in valid_areas
            or unit_id not in valid_units
            or role not in {"", *ResponsibilityRole.values}
        ):
            raise ValidationError(
                _("The map contains a task area, unit or role that does not exist."),
                code="forged",
            )
        current = existing.get((area_id, unit_id))
        saved = current.role if current else ""
        outcome = merge.decide(
            mine=role, saved=saved, base=(base or {}).get(cell_key(area_id, unit_id))
        )
        if outcome == merge.CONFLICT:
            conflicts[(area_id, unit_id)] = (saved, role)
        elif outcome == merge.WRITE:
            changes.append((area_id, unit_id, current, role))
    if conflicts:
        raise StaleEdit(conflicts)
    for area_id, unit_id, current, role in changes:
        if role == "":
            current.delete()
        elif current is None:
            Responsibility.objects.create(
                analysis=analysis, task_area_id=area_id, unit_id=unit_id, role=role
            )
        else:
            current.role, current.carried_over = role, False
            current.save(update_fields=["role", "carried_over"])
    if changes:
        touch_analysis(analysis=analysis, by=by)
    return len(changes)


def add_unit(*, analysis: Analysis, name: str, by: User) -> Unit:
    ensure_editable(analysis)
    unit = Unit(municipality=analysis.municipality, name=name.strip())
    unit.full_clean()
    unit.save()
    return unit


def rename_unit(*, unit: Unit, name: str) -> Unit:
    unit.name = name.strip()
    unit.full_clean()
    unit.save(update_fields=["name"])
    return unit


@transaction.atomic
def remove_unit(*, unit: Unit) -> str:
    """Delete a unit nobody refers to; a unit still in a map, an assignment or a project is
    retired instead (kept for the history, hidden from new choices). Returns what happened."""
    in_use = unit.responsibilities.exists() or unit.assignments.exists() or unit.projects.exists()
    if in_use:
        raise ValidationError(
            _(
                "%(unit)s is still used in the map, a section assignment or a project and "
                "cannot be deleted. Remove it from those first, or retire it."
            )
            % {"unit": unit.name},
            code="in_use",
        )
    unit.delete()
    return "deleted"


def set_unit_active(*, unit: Unit, active: bool) -> None:
    unit.is_active = active
    unit.save(update_fields=["is_active"])


# --- Cooperation and external actors ---------------------------------------------------------

BODY_FIELDS = ("name", "members", "mandate", "meeting_frequency", "is_formal")
ACTOR_FIELDS = ("kind", "name", "cooperation_about", "is_state_level")


@transaction.atomic
def save_row(
    *,
    analysis: Analysis,
    instance: CooperationBody | ExternalActor,
    base: dict[str, str] | None,
    by: User,
) -> Model:
    """Create or update one cooperation body or external actor from a validated form
    instance, merged with what others saved meanwhile."""
    analysis = _lock(analysis)
    fields = BODY_FIELDS if isinstance(instance, CooperationBody) else ACTOR_FIELDS
    if instance.pk:
        saved = type(instance).objects.select_for_update().get(pk=instance.pk, analysis=analysis)
        result = merge.merge(
            mine={f: getattr(instance, f) for f in fields},
            saved={f: getattr(saved, f) for f in fields},
            base=base,
        )
        if result.conflicts:
            raise StaleEdit(result.conflicts)
        if not result.changes:
            return saved
        for name, value in result.changes.items():
            setattr(saved, name, value)
        instance = saved
    instance.analysis = analysis
    instance.carried_over = False
    instance.full_clean()
    instance.save()
    touch_analysis(analysis=analysis, by=by)
    return instance


@transaction.atomic
def delete_row(*, analysis: Analysis, instance: Model, by: User) -> None:
    _lock(analysis)
    instance.delete()
    touch_analysis(analysis=analysis, by=by)


# --- Allocation ------------------------------------------------------------------------------


ALLOCATION_FIELDS = ("decided_by", "criteria", "criteria_written")


def allocation_values(practice: AllocationPractice | None) -> dict:
    if practice is None:
        return {"decided_by": "", "criteria": "", "criteria_written": None}
    return {f: getattr(practice, f) for f in ALLOCATION_FIELDS}


@transaction.atomic
def save_allocation(
    *,
    analysis: Analysis,
    rows: dict[int, dict],
    bases: dict[int, dict[str, str] | None],
    by: User,
) -> int:
    """rows: instrument id → {decided_by, criteria, criteria_written}; bases: instrument id →
    fingerprints of the row as loaded."""
    analysis = _lock(analysis)
    existing = {p.instrument_id: p for p in AllocationPractice.objects.filter(analysis=analysis)}
    conflicts, changes = {}, []
    for instrument_id, values in rows.items():
        practice = existing.get(instrument_id)
        result = merge.merge(
            mine=values, saved=allocation_values(practice), base=bases.get(instrument_id)
        )
        if result.conflicts:
            conflicts[instrument_id] = result.conflicts
        elif result.changes:
            changes.append((instrument_id, practice, result.changes))
    if conflicts:
        raise StaleEdit(conflicts)
    for instrument_id, practice, values in changes:
        practice = practice or AllocationPractice(analysis=analysis, instrument_id=instrument_id)
        for key, value in values.items():
            setattr(practice, key, value)
        practice.carried_over = False
        practice.full_clean()
        practice.save()
    if changes:
        touch_analysis(analysis=analysis, by=by)
    return len(changes)


# --- Projects --------------------------------------------------------------------------------


PROJECT_FIELDS = (
    "name",
    "description",
    "responsible_unit",
    "partners",
    "funding_note",
    "starts_on",
    "ends_on",
    "status",
    "results",
)
PROJECT_M2M = ("target_groups", "funding_sources", "factors")


def project_values(project: Project) -> dict:
    """A project's editable values, related rows by primary key."""
    values = {f: getattr(project, f) for f in PROJECT_FIELDS if f != "responsible_unit"}
    values["responsible_unit"] = project.responsible_unit_id
    for name in PROJECT_M2M:
        values[name] = (
            sorted(getattr(project, name).values_list("pk", flat=True)) if project.pk else []
        )
    return values


@transaction.atomic
def save_project(
    *,
    analysis: Analysis,
    project: Project | None,
    values: dict,
    version: int | None,
    base: dict[str, str] | None,
    by: User,
) -> Project:
    """Create a project (project=None) or update one, merged with what others saved meanwhile;
    values are the form's cleaned values for PROJECT_FIELDS and PROJECT_M2M. Projects belong
    to the municipality; the analysis is where the planner works on them."""
    analysis = _lock(analysis)
    if project is not None and project.pk:
        project = Project.objects.select_for_update().get(
            pk=project.pk, municipality_id=analysis.municipality_id
        )
        result = merge.merge(
            mine=values,
            saved=project_values(project),
            base=base,
            loaded_fresh=version == project.version,
        )
        if result.conflicts:
            raise StaleEdit(result.conflicts)
        if not result.changes:
            return project
        changes = result.changes
        project.version += 1
    else:
        project = Project(municipality=analysis.municipality)
        changes = values
    for name, value in changes.items():
        if name not in PROJECT_M2M:
            setattr(project, name, value)
    project.municipality = analysis.municipality
    project.updated_at = timezone.now()
    project.updated_by = by
    project.full_clean()
    project.save()
    for name, value in changes.items():
        if name in PROJECT_M2M:
            getattr(project, name).set(value)
    touch_analysis(analysis=analysis, by=by)
    return project


@transaction.atomic
def end_project(*, analysis: Analysis, project: Project, by: User) -> Project:
    _lock(analysis)
    project.status = ProjectStatus.COMPLETED
    today = timezone.localdate()
    if project.ends_on is None or project.ends_on > today:
        project.ends_on = max(today, project.starts_on or today)
    project.version += 1
    project.updated_at, project.updated_by = timezone.now(), by
    project.full_clean()
    project.save()
    touch_analysis(analysis=analysis, by=by)
    return project
