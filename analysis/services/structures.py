"""Writes for the structural sections: the responsibility map and its units, cooperation
bodies and external actors, allocation practice, section assignments and the project
inventory.

Every write locks the analysis row (select_for_update) and checks that the analysis may be
changed: a submitted or approved analysis is read-only until it is sent back. Units and
projects belong to the municipality and outlive rounds, but they are changed from an
analysis, and a submitted or approved analysis changes nothing, units and projects included;
they can be changed from an analysis that is open (this round's once it is sent back, or the
next round's).

Every change is recorded as a Revision of its kind (who, when, the old and new values as
JSON snapshots, a label naming the row at the time), shown on the history pages.

Concurrent edits: each form carries fingerprints of the values it was loaded with, and a save
is merged three ways with what is saved now (analysis/merge.py): what this person did not
touch keeps the saved value, what only this person changed is written, and a field (or map
cell) both people changed differently raises merge.StaleEdit with both versions, row by row;
then nothing is written, so two people never silently overwrite each other.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import merge, signals
from analysis.models import (
    AllocationPractice,
    Analysis,
    CooperationBody,
    ExternalActor,
    Gap,
    Project,
    ProjectStatus,
    Responsibility,
    ResponsibilityRole,
    Revision,
    RevisionKind,
    SectionAssignment,
    TaskAreaGap,
    Unit,
)
from analysis.services.workflow import ensure_editable, touch_analysis
from reference.models import Instrument, Section, TaskArea


def cell_key(area_id: int, unit_id: int) -> str:
    return f"{area_id}-{unit_id}"


def gap_key(area_id: int) -> str:
    return f"gap-{area_id}"


def lock_for_writing(analysis: Analysis) -> Analysis:
    """Lock the analysis row for the rest of the transaction and check it may be changed."""
    analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
    ensure_editable(analysis)
    return analysis


def record(
    *,
    analysis: Analysis,
    kind: str,
    object_id: int,
    label: str,
    old: dict | None,
    new: dict | None,
    by: User,
    note: str = "",
) -> Revision:
    return Revision.objects.create(
        analysis=analysis,
        kind=kind,
        object_id=object_id,
        label=label[:300],
        old_value=old,
        new_value=new,
        changed_by=by,
        note=note,
    )


# --- Responsibility map ----------------------------------------------------------------------


@transaction.atomic
def save_responsibility_map(
    *,
    analysis: Analysis,
    cells: dict[tuple[int, int], str],
    base: dict[str, str] | None,
    by: User,
    gaps: dict[int, str] | None = None,
) -> int:
    """cells: (task area id, unit id) → "responsible", "contributing" or "" (none); gaps: task
    area id → a Gap value or "" (answered by the cells); base: the fingerprint of each cell
    and each gap as the form showed it, by cell_key and gap_key.

    Both are merged three ways with what is saved now; the map that results must hold
    together: a task area nobody is responsible for has no responsible unit, and one not
    relevant in the municipality has no unit at all."""
    analysis = lock_for_writing(analysis)
    gaps = gaps or {}
    valid_units = {u.pk: u for u in Unit.objects.filter(municipality_id=analysis.municipality_id)}
    valid_areas = {a.pk: a for a in TaskArea.objects.all()}
    existing = {
        (r.task_area_id, r.unit_id): r for r in Responsibility.objects.filter(analysis=analysis)
    }
    existing_gaps = {g.task_area_id: g for g in TaskAreaGap.objects.filter(analysis=analysis)}
    forged = ValidationError(
        _("The map contains a task area, unit or role that does not exist."), code="forged"
    )
    conflicts, changes, gap_changes = [], [], []
    for (area_id, unit_id), role in cells.items():
        if (
            area_id not in valid_areas
            or unit_id not in valid_units
            or role not in {"", *ResponsibilityRole.values}
        ):
            raise forged
        current = existing.get((area_id, unit_id))
        saved = current.role if current else ""
        outcome = merge.decide(
            mine=role, saved=saved, base=(base or {}).get(cell_key(area_id, unit_id))
        )
        if outcome == merge.CONFLICT:
            conflicts.append(
                merge.RowConflict(
                    key=(area_id, unit_id),
                    title=f"{valid_areas[area_id].name} – {valid_units[unit_id].name}",
                    fields={"role": (saved, role)},
                )
            )
        elif outcome == merge.WRITE:
            changes.append((area_id, unit_id, current, saved, role))
    for area_id, gap in gaps.items():
        if area_id not in valid_areas or gap not in {"", *Gap.values}:
            raise forged
        current = existing_gaps.get(area_id)
        saved = current.gap if current else ""
        outcome = merge.decide(mine=gap, saved=saved, base=(base or {}).get(gap_key(area_id)))
        if outcome == merge.CONFLICT:
            conflicts.append(
                merge.RowConflict(
                    key=(area_id, None),
                    title=valid_areas[area_id].name,
                    fields={"gap": (saved, gap)},
                )
            )
        elif outcome == merge.WRITE:
            gap_changes.append((area_id, current, saved, gap))
    if conflicts:
        raise merge.StaleEdit(conflicts)
    _check_map_holds_together(
        roles={key: r.role for key, r in existing.items()}
        | {(a, u): role for a, u, _c, _s, role in changes},
        gaps={a: g.gap for a, g in existing_gaps.items()}
        | {a: gap for a, _c, _s, gap in gap_changes},
        areas=valid_areas,
    )
    for area_id, unit_id, current, saved, role in changes:
        if role == "":
            current.delete()
        elif current is None:
            Responsibility.objects.create(
                analysis=analysis, task_area_id=area_id, unit_id=unit_id, role=role
            )
        else:
            current.role, current.carried_over = role, False
            current.save(update_fields=["role", "carried_over"])
        record(
            analysis=analysis,
            kind=RevisionKind.RESPONSIBILITY_MAP,
            object_id=area_id,
            label=f"{valid_areas[area_id].name} – {valid_units[unit_id].name}",
            old={"task_area": area_id, "unit": unit_id, "role": saved} if saved else None,
            new={"task_area": area_id, "unit": unit_id, "role": role} if role else None,
            by=by,
        )
    for area_id, current, saved, gap in gap_changes:
        if gap == "":
            current.delete()
        elif current is None:
            TaskAreaGap.objects.create(analysis=analysis, task_area_id=area_id, gap=gap)
        else:
            current.gap, current.carried_over = gap, False
            current.save(update_fields=["gap", "carried_over"])
        record(
            analysis=analysis,
            kind=RevisionKind.RESPONSIBILITY_MAP,
            object_id=area_id,
            label=valid_areas[area_id].name,
            old={"task_area": area_id, "gap": saved} if saved else None,
            new={"task_area": area_id, "gap": gap} if gap else None,
            by=by,
        )
    if changes or gap_changes:
        touch_analysis(analysis=analysis, by=by)
    return len(changes) + len(gap_changes)


def _check_map_holds_together(
    *, roles: dict[tuple[int, int], str], gaps: dict[int, str], areas: dict[int, TaskArea]
) -> None:
    errors = []
    for area_id, gap in sorted(gaps.items(), key=lambda item: areas[item[0]].order):
        area_roles = [role for (a, _u), role in roles.items() if a == area_id and role]
        if gap == Gap.NOBODY and ResponsibilityRole.RESPONSIBLE in area_roles:
            errors.append(
                _(
                    "%(area)s has a responsible unit and is also answered “%(gap)s”. Choose "
                    "one of them."
                )
                % {"area": areas[area_id].name, "gap": Gap.NOBODY.label}
            )
        elif gap == Gap.NOT_RELEVANT and area_roles:
            errors.append(
                _(
                    "%(area)s is answered “%(gap)s” but still has units with a role. Remove "
                    "their roles, or choose another answer."
                )
                % {"area": areas[area_id].name, "gap": Gap.NOT_RELEVANT.label}
            )
    if errors:
        raise ValidationError(errors, code="contradiction")


UNIT_FIELDS = ("name", "is_active")


def _lock_unit(analysis: Analysis, unit: Unit) -> tuple[Analysis, Unit]:
    analysis = lock_for_writing(analysis)
    unit = Unit.objects.select_for_update().get(
        pk=unit.pk, municipality_id=analysis.municipality_id
    )
    return analysis, unit


def _record_unit(analysis: Analysis, unit: Unit, old: dict | None, new: dict | None, by: User):
    record(
        analysis=analysis,
        kind=RevisionKind.UNIT,
        object_id=unit.pk,
        label=unit.name,
        old=old,
        new=new,
        by=by,
    )


def _name_taken(unit: Unit) -> ValidationError:
    return ValidationError(
        {"name": _("There is already a unit called %(name)s.") % {"name": unit.name}},
        code="unique",
    )


def _check_unit_name(unit: Unit) -> None:
    """One name per unit in a municipality, whatever the case of the letters."""
    taken = Unit.objects.filter(municipality_id=unit.municipality_id, name__iexact=unit.name)
    if taken.exclude(pk=unit.pk).exists():
        raise _name_taken(unit)


def _save_unit(unit: Unit, **kwargs) -> None:
    """The check above sees only what is committed: another analysis of the municipality may
    save the same name at the same moment, and then the database's constraint refuses the
    second (issue 11). The person reads the same reason either way."""
    try:
        with transaction.atomic():
            unit.save(**kwargs)
    except IntegrityError as error:
        raise _name_taken(unit) from error


@transaction.atomic
def add_unit(*, analysis: Analysis, name: str, by: User) -> Unit:
    analysis = lock_for_writing(analysis)
    unit = Unit(municipality=analysis.municipality, name=name.strip())
    _check_unit_name(unit)
    unit.full_clean(validate_constraints=False)
    _save_unit(unit)
    _record_unit(analysis, unit, None, merge.snapshot(unit, UNIT_FIELDS), by)
    return unit


@transaction.atomic
def rename_unit(*, analysis: Analysis, unit: Unit, name: str, by: User) -> Unit:
    analysis, unit = _lock_unit(analysis, unit)
    old = merge.snapshot(unit, UNIT_FIELDS)
    unit.name = name.strip()
    if unit.name == old["name"]:
        return unit
    _check_unit_name(unit)
    unit.full_clean(validate_constraints=False)
    _save_unit(unit, update_fields=["name"])
    _record_unit(analysis, unit, old, merge.snapshot(unit, UNIT_FIELDS), by)
    return unit


@transaction.atomic
def remove_unit(*, analysis: Analysis, unit: Unit, by: User) -> None:
    """Delete a unit nobody refers to; a unit still in a map, an assignment or a project can
    only be retired (kept for the history, hidden from new choices)."""
    analysis, unit = _lock_unit(analysis, unit)
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
    old = merge.snapshot(unit, UNIT_FIELDS)
    _record_unit(analysis, unit, old, None, by)
    unit.delete()


@transaction.atomic
def set_unit_active(*, analysis: Analysis, unit: Unit, active: bool, by: User) -> None:
    analysis, unit = _lock_unit(analysis, unit)
    if unit.is_active == active:
        return
    old = merge.snapshot(unit, UNIT_FIELDS)
    unit.is_active = active
    unit.save(update_fields=["is_active"])
    _record_unit(analysis, unit, old, merge.snapshot(unit, UNIT_FIELDS), by)


# --- Cooperation and external actors ---------------------------------------------------------


def row_fields(row: CooperationBody | ExternalActor) -> tuple[str, ...]:
    return CooperationBody.EDITABLE if isinstance(row, CooperationBody) else ExternalActor.EDITABLE


def row_kind(row: CooperationBody | ExternalActor) -> str:
    if isinstance(row, CooperationBody):
        return RevisionKind.COOPERATION_BODY
    return RevisionKind.EXTERNAL_ACTOR


@transaction.atomic
def save_row(
    *,
    analysis: Analysis,
    instance: CooperationBody | ExternalActor,
    base: dict[str, str] | None,
    by: User,
    note: str = "",
) -> Model:
    """Create or update one cooperation body or external actor from a validated form
    instance, merged with what others saved meanwhile."""
    analysis = lock_for_writing(analysis)
    fields = row_fields(instance)
    old = None
    if instance.pk:
        saved = (
            type(instance)
            .objects.select_for_update()
            .filter(pk=instance.pk, analysis=analysis)
            .first()
        )
        if saved is None:
            raise ValidationError(
                _(
                    "Someone else removed this entry while you were editing. Nothing was "
                    "saved; its history can bring it back."
                ),
                code="gone",
            )
        old = merge.snapshot(saved, fields)
        result = merge.merge(
            mine={f: getattr(instance, f) for f in fields},
            saved={f: getattr(saved, f) for f in fields},
            base=base,
        )
        if result.conflicts:
            raise merge.StaleEdit(
                [merge.RowConflict(key=saved.pk, title=saved.name, fields=result.conflicts)]
            )
        if not result.changes:
            return saved
        for name, value in result.changes.items():
            setattr(saved, name, value)
        instance = saved
    instance.analysis = analysis
    instance.carried_over = False
    instance.full_clean()
    instance.save()
    record(
        analysis=analysis,
        kind=row_kind(instance),
        object_id=instance.pk,
        label=instance.name,
        old=old,
        new=merge.snapshot(instance, fields),
        by=by,
        note=note,
    )
    touch_analysis(analysis=analysis, by=by)
    return instance


@transaction.atomic
def delete_row(*, analysis: Analysis, instance: CooperationBody | ExternalActor, by: User) -> None:
    analysis = lock_for_writing(analysis)
    instance = type(instance).objects.select_for_update().get(pk=instance.pk, analysis=analysis)
    record(
        analysis=analysis,
        kind=row_kind(instance),
        object_id=instance.pk,
        label=instance.name,
        old=merge.snapshot(instance, row_fields(instance)),
        new=None,
        by=by,
    )
    instance.delete()
    touch_analysis(analysis=analysis, by=by)


ROW_MODELS = {
    RevisionKind.COOPERATION_BODY: CooperationBody,
    RevisionKind.EXTERNAL_ACTOR: ExternalActor,
}


@transaction.atomic
def restore_row(*, analysis: Analysis, revision: Revision, by: User) -> Model:
    """Set a cooperation body or external actor back to the values it had after `revision`,
    recreating it under its old number (so its history stays whole) if it was removed since.
    Recorded as a new change."""
    analysis = lock_for_writing(analysis)
    model = ROW_MODELS.get(revision.kind)
    if model is None or revision.analysis_id != analysis.pk or revision.new_value is None:
        raise ValidationError(_("This change cannot be restored."), code="invalid")
    fields = CooperationBody.EDITABLE if model is CooperationBody else ExternalActor.EDITABLE
    values = {}
    for name in fields:
        value = revision.new_value.get(name)
        if value is None:
            value = False if name in {"is_formal", "is_state_level"} else ""
        values[name] = value
    current = model.objects.select_for_update().filter(pk=revision.object_id).first()
    if current is not None:
        if current.analysis_id != analysis.pk:
            raise ValidationError(_("This change cannot be restored."), code="invalid")
        return save_row(
            analysis=analysis,
            instance=model(pk=current.pk, analysis=analysis, **values),
            base=merge.fingerprints({f: getattr(current, f) for f in fields}),
            by=by,
            note=_restored_note(revision),
        )
    restored = model(pk=revision.object_id, analysis=analysis, carried_over=False, **values)
    restored.full_clean(validate_unique=False)
    restored.save(force_insert=True)
    record(
        analysis=analysis,
        kind=revision.kind,
        object_id=restored.pk,
        label=restored.name,
        old=None,
        new=merge.snapshot(restored, fields),
        by=by,
        note=_restored_note(revision),
    )
    touch_analysis(analysis=analysis, by=by)
    return restored


def _restored_note(revision: Revision) -> str:
    return _("Restored the value from %(when)s") % {
        "when": timezone.localtime(revision.changed_at).strftime("%d.%m.%Y %H:%M")
    }


# --- Allocation ------------------------------------------------------------------------------


def allocation_values(practice: AllocationPractice | None) -> dict:
    if practice is None:
        return {"decided_by": "", "gap": "", "criteria": "", "criteria_written": None}
    return {f: getattr(practice, f) for f in AllocationPractice.EDITABLE}


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
    analysis = lock_for_writing(analysis)
    instruments = {i.pk: i for i in Instrument.objects.all()}
    existing = {p.instrument_id: p for p in AllocationPractice.objects.filter(analysis=analysis)}
    conflicts, changes = [], []
    for instrument_id, values in rows.items():
        if instrument_id not in instruments:
            raise ValidationError(_("The form was not sent as expected."), code="forged")
        practice = existing.get(instrument_id)
        result = merge.merge(
            mine=values, saved=allocation_values(practice), base=bases.get(instrument_id)
        )
        if result.conflicts:
            conflicts.append(
                merge.RowConflict(
                    key=instrument_id,
                    title=instruments[instrument_id].name,
                    fields=result.conflicts,
                )
            )
        elif result.changes:
            changes.append((instrument_id, practice, result.changes))
    if conflicts:
        raise merge.StaleEdit(conflicts)
    for instrument_id, practice, values in changes:
        old = merge.snapshot(practice, AllocationPractice.EDITABLE)
        practice = practice or AllocationPractice(analysis=analysis, instrument_id=instrument_id)
        for key, value in values.items():
            setattr(practice, key, value)
        practice.carried_over = False
        practice.full_clean()
        practice.save()
        record(
            analysis=analysis,
            kind=RevisionKind.ALLOCATION,
            object_id=instrument_id,
            label=instruments[instrument_id].name,
            old=old,
            new=merge.snapshot(practice, AllocationPractice.EDITABLE),
            by=by,
        )
    if changes:
        touch_analysis(analysis=analysis, by=by)
    return len(changes)


# --- Section assignments ---------------------------------------------------------------------

ASSIGNMENT_FIELDS = ("unit", "assignee", "note", "due_date")


def assignment_values(assignment: SectionAssignment | None) -> dict:
    if assignment is None:
        return {"unit": None, "assignee": None, "note": "", "due_date": None}
    return {
        "unit": assignment.unit_id,
        "assignee": assignment.assignee_id,
        "note": assignment.note,
        "due_date": merge.canonical(assignment.due_date),
    }


@transaction.atomic
def save_assignments(
    *,
    analysis: Analysis,
    rows: dict[int, dict],
    by: User,
    bases: dict[int, dict[str, str] | None] | None = None,
) -> int:
    """rows: section id → {unit, assignee, note, due_date} (cleaned form values); bases:
    section id → fingerprints of the row as loaded, so a save from a stale page merges with
    what others saved meanwhile (None: the caller knows the saved state and writes over it).
    Only changed rows are written; an assignment with nobody and no note is removed."""
    analysis = lock_for_writing(analysis)
    sections = {
        s.pk: s for s in Section.objects.filter(questionnaire_id=analysis.round.questionnaire_id)
    }
    existing = {a.section_id: a for a in SectionAssignment.objects.filter(analysis=analysis)}
    conflicts, changes = [], []
    for section_id, values in rows.items():
        if section_id not in sections:
            raise ValidationError(_("The form was not sent as expected."), code="forged")
        current = existing.get(section_id)
        saved = assignment_values(current)
        result = merge.merge(
            mine=values,
            saved=saved,
            base=None if bases is None else bases.get(section_id),
            loaded_fresh=bases is None,
        )
        if result.conflicts:
            conflicts.append(
                merge.RowConflict(
                    key=section_id, title=sections[section_id].title, fields=result.conflicts
                )
            )
        elif result.changes:
            changes.append((section_id, current, saved | result.changes))
    if conflicts:
        raise merge.StaleEdit(conflicts)
    newly_assigned: list[SectionAssignment] = []
    for section_id, current, values in changes:
        saved = assignment_values(current)
        old_snapshot = merge.snapshot(current, ASSIGNMENT_FIELDS) if current else None
        if not values["unit"] and not values["assignee"] and not values["note"]:
            current.delete()
            new_snapshot = None
        else:
            assignment = current or SectionAssignment(analysis=analysis, section_id=section_id)
            assignment.unit_id = merge.canonical(values["unit"])
            assignment.assignee_id = merge.canonical(values["assignee"])
            assignment.note = values["note"] or ""
            due = values.get("due_date")
            assignment.due_date = datetime.date.fromisoformat(due) if isinstance(due, str) else due
            assignment.full_clean()
            assignment.save()
            new_snapshot = merge.snapshot(assignment, ASSIGNMENT_FIELDS)
            if assignment.assignee_id and assignment.assignee_id != saved["assignee"]:
                newly_assigned.append(assignment)
        record(
            analysis=analysis,
            kind=RevisionKind.ASSIGNMENT,
            object_id=section_id,
            label=sections[section_id].title,
            old=old_snapshot,
            new=new_snapshot,
            by=by,
        )
    if changes:
        touch_analysis(analysis=analysis, by=by)
    for assignment in newly_assigned:
        signals.section_assigned.send(
            sender=SectionAssignment,
            analysis=analysis,
            section=sections[assignment.section_id],
            assignee=assignment.assignee,
            by=by,
            due_date=assignment.due_date,
        )
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


def _record_project(analysis, project, old, by, note="") -> None:
    record(
        analysis=analysis,
        kind=RevisionKind.PROJECT,
        object_id=project.pk,
        label=project.name,
        old=old,
        new={k: merge.canonical(v) for k, v in project_values(project).items()},
        by=by,
        note=note,
    )


@transaction.atomic
def save_project(
    *,
    analysis: Analysis,
    project: Project | None,
    values: dict,
    version: int | None,
    base: dict[str, str] | None,
    by: User,
    note: str = "",
) -> Project:
    """Create a project (project=None) or update one, merged with what others saved meanwhile;
    values are the form's cleaned values for PROJECT_FIELDS and PROJECT_M2M. Projects belong
    to the municipality; the analysis is where the planner works on them."""
    analysis = lock_for_writing(analysis)
    old = None
    if project is not None and project.pk:
        project = Project.objects.select_for_update().get(
            pk=project.pk, municipality_id=analysis.municipality_id
        )
        saved = project_values(project)
        old = {k: merge.canonical(v) for k, v in saved.items()}
        result = merge.merge(
            mine=values, saved=saved, base=base, loaded_fresh=version == project.version
        )
        if result.conflicts:
            raise merge.StaleEdit(
                [
                    merge.RowConflict(
                        key=project.pk,
                        title=project.name,
                        fields=result.conflicts,
                        saved_by=project.updated_by,
                        saved_at=project.updated_at,
                    )
                ]
            )
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
    _record_project(analysis, project, old, by, note)
    touch_analysis(analysis=analysis, by=by)
    return project


@transaction.atomic
def restore_project(*, analysis: Analysis, revision: Revision, by: User) -> Project:
    """Set a project back to the values it had after `revision`; a new change."""
    analysis = lock_for_writing(analysis)
    project = (
        Project.objects.select_for_update()
        .filter(pk=revision.object_id, municipality_id=analysis.municipality_id)
        .first()
    )
    if (
        project is None
        or revision.kind != RevisionKind.PROJECT
        or revision.new_value is None
        or revision.analysis.municipality_id != analysis.municipality_id
    ):
        raise ValidationError(_("This change cannot be restored."), code="invalid")
    snapshot_values = revision.new_value
    unit_id = snapshot_values.get("responsible_unit")
    unit = Unit.objects.filter(pk=unit_id, municipality_id=analysis.municipality_id).first()
    if unit_id and unit is None:
        raise ValidationError(
            _("The unit responsible then has been deleted; choose a unit in the form instead."),
            code="invalid",
        )
    values = {}
    for name in PROJECT_FIELDS:
        value = snapshot_values.get(name)
        if name == "responsible_unit":
            value = unit
        elif name in {"starts_on", "ends_on"}:
            value = datetime.date.fromisoformat(value) if value else None
        elif value is None:
            value = ""
        values[name] = value
    for name in PROJECT_M2M:
        values[name] = snapshot_values.get(name) or []
    return save_project(
        analysis=analysis,
        project=project,
        values=values,
        version=project.version,
        base=None,
        by=by,
        note=_restored_note(revision),
    )


@transaction.atomic
def end_project(*, analysis: Analysis, project: Project, by: User) -> Project:
    analysis = lock_for_writing(analysis)
    project = Project.objects.select_for_update().get(
        pk=project.pk, municipality_id=analysis.municipality_id
    )
    old = {k: merge.canonical(v) for k, v in project_values(project).items()}
    project.status = ProjectStatus.COMPLETED
    today = timezone.localdate()
    if project.ends_on is None or project.ends_on > today:
        project.ends_on = max(today, project.starts_on or today)
    project.version += 1
    project.updated_at, project.updated_by = timezone.now(), by
    project.full_clean()
    project.save()
    _record_project(analysis, project, old, by)
    touch_analysis(analysis=analysis, by=by)
    return project
