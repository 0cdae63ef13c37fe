"""Writes for the structural sections: the responsibility map and its units, cooperation
bodies and external actors, allocation practice, and the project inventory.

Concurrent edits: each form carries a token of the state it was loaded from (a hash of the
rows it shows, or Project.version). A save from a stale state writes nothing and raises
StaleEdit, so two people never silently overwrite each other, while saves elsewhere in the
analysis do not disturb this section.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.models import (
    AllocationPractice,
    Analysis,
    CooperationBody,
    ExternalActor,
    Project,
    ProjectStatus,
    Responsibility,
    ResponsibilityRole,
    Unit,
)
from analysis.services.workflow import ensure_editable, touch_analysis


class StaleEdit(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this while you were editing. Nothing was saved; the form "
                "shows the saved version with your changes on top. Check it and save again."
            ),
            code="stale",
        )


def state_token(rows: Iterable) -> str:
    """A short fingerprint of what a form showed when it was loaded."""
    data = json.dumps(sorted(rows, key=str), default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def map_token(analysis: Analysis) -> str:
    return state_token(
        Responsibility.objects.filter(analysis=analysis).values_list(
            "task_area_id", "unit_id", "role"
        )
    )


def allocation_token(analysis: Analysis) -> str:
    return state_token(
        AllocationPractice.objects.filter(analysis=analysis).values_list(
            "instrument_id", "decided_by", "criteria", "criteria_written"
        )
    )


def row_token(obj: Model, fields: Iterable[str]) -> str:
    return state_token([(f, getattr(obj, f)) for f in fields])


def _lock(analysis: Analysis) -> Analysis:
    analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
    ensure_editable(analysis)
    return analysis


# --- Responsibility map ----------------------------------------------------------------------


@transaction.atomic
def save_responsibility_map(
    *, analysis: Analysis, cells: dict[tuple[int, int], str], token: str, by: User
) -> int:
    """cells: (task area id, unit id) → "responsible", "contributing" or "" (none)."""
    analysis = _lock(analysis)
    if token != map_token(analysis):
        raise StaleEdit()
    valid_units = set(
        Unit.objects.filter(municipality_id=analysis.municipality_id).values_list("pk", flat=True)
    )
    existing = {
        (r.task_area_id, r.unit_id): r for r in Responsibility.objects.filter(analysis=analysis)
    }
    changed = 0
    for (area_id, unit_id), role in cells.items():
        if unit_id not in valid_units or role not in {"", *ResponsibilityRole.values}:
            raise ValidationError(_("The map contains a unit or role that does not exist."))
        current = existing.get((area_id, unit_id))
        if role == "" and current:
            current.delete()
            changed += 1
        elif role and current is None:
            Responsibility.objects.create(
                analysis=analysis, task_area_id=area_id, unit_id=unit_id, role=role
            )
            changed += 1
        elif role and current.role != role:
            current.role, current.carried_over = role, False
            current.save(update_fields=["role", "carried_over"])
            changed += 1
    if changed:
        touch_analysis(analysis=analysis, by=by)
    return changed


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
    *, analysis: Analysis, instance: CooperationBody | ExternalActor, token: str | None, by: User
) -> Model:
    """Create or update one cooperation body or external actor from a validated form
    instance; an update from a stale token is refused."""
    _lock(analysis)
    fields = BODY_FIELDS if isinstance(instance, CooperationBody) else ACTOR_FIELDS
    if instance.pk:
        saved = type(instance).objects.get(pk=instance.pk)
        if token != row_token(saved, fields):
            raise StaleEdit()
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


@transaction.atomic
def save_allocation(*, analysis: Analysis, rows: dict[int, dict], token: str, by: User) -> int:
    """rows: instrument id → {decided_by, criteria, criteria_written}."""
    analysis = _lock(analysis)
    if token != allocation_token(analysis):
        raise StaleEdit()
    existing = {p.instrument_id: p for p in AllocationPractice.objects.filter(analysis=analysis)}
    changed = 0
    for instrument_id, values in rows.items():
        practice = existing.get(instrument_id) or AllocationPractice(
            analysis=analysis, instrument_id=instrument_id
        )
        if practice.pk and all(getattr(practice, k) == v for k, v in values.items()):
            continue
        if not practice.pk and not any(values.values()) and values["criteria_written"] is None:
            continue
        for key, value in values.items():
            setattr(practice, key, value)
        practice.carried_over = False
        practice.full_clean()
        practice.save()
        changed += 1
    if changed:
        touch_analysis(analysis=analysis, by=by)
    return changed


# --- Projects --------------------------------------------------------------------------------


@transaction.atomic
def save_project(
    *, analysis: Analysis, project: Project, version: int | None, m2m: dict, by: User
) -> Project:
    """Projects belong to the municipality; the analysis is where the planner works on them."""
    _lock(analysis)
    if project.pk:
        saved_version = Project.objects.values_list("version", flat=True).get(pk=project.pk)
        if version != saved_version:
            raise StaleEdit()
        project.version = saved_version + 1
    project.municipality = analysis.municipality
    project.updated_at = timezone.now()
    project.updated_by = by
    project.full_clean()
    project.save()
    for name, values in m2m.items():
        getattr(project, name).set(values)
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
