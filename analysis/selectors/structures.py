"""The responsibility map (who does what) as rows of task areas × units, with the gaps the
design asks to show: tasks nobody owns and tasks several units own (seed 002: a fragmented
field needs clear responsibilities)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from analysis.models import (
    Analysis,
    Gap,
    Project,
    ResponsibilityRole,
    Unit,
)
from analysis.selectors import reads
from reference.models import TargetGroup, TaskArea


@dataclass
class MatrixRow:
    task_area: TaskArea
    # unit id → role ("responsible" / "contributing")
    roles: dict[int, str] = field(default_factory=dict)
    # unit id → the cell's id, for cells carried over from the previous round unconfirmed
    carried: dict[int, int] = field(default_factory=dict)
    # An answer without a unit (Gap value, "" for none), and its row's id while it is
    # carried over unconfirmed.
    gap: str = ""
    gap_carried: int | None = None

    @property
    def responsible_unit_ids(self) -> list[int]:
        return [u for u, r in self.roles.items() if r == ResponsibilityRole.RESPONSIBLE]

    @property
    def has_no_owner(self) -> bool:
        """Nobody owns the task, whether answered so or left open; a task not relevant in
        the municipality needs no owner."""
        return not self.responsible_unit_ids and self.gap != Gap.NOT_RELEVANT

    @property
    def is_answered(self) -> bool:
        """A responsible unit, or an honest answer that there is none (issue 15)."""
        return bool(self.responsible_unit_ids or self.gap)

    @property
    def gap_label(self) -> str:
        return Gap(self.gap).label if self.gap else ""

    @property
    def has_several_owners(self) -> bool:
        return len(self.responsible_unit_ids) > 1


@dataclass(frozen=True)
class MatrixCell:
    unit: Unit
    role: str
    # "Role of NAV in Bostøtte", the select's label for screen readers.
    label: str
    # The cell's id while it is carried over unconfirmed, and what its confirm button names.
    carried: int | None
    what: str


@dataclass
class ResponsibilityMatrix:
    units: list[Unit]
    rows: list[MatrixRow]

    @property
    def without_owner(self) -> list[TaskArea]:
        return [r.task_area for r in self.rows if r.has_no_owner]

    @property
    def with_several_owners(self) -> list[TaskArea]:
        return [r.task_area for r in self.rows if r.has_several_owners]

    @property
    def unanswered(self) -> list[TaskArea]:
        return [r.task_area for r in self.rows if not r.is_answered]

    @property
    def nobody_responsible(self) -> list[TaskArea]:
        """Task areas answered "nobody is responsible today": a gap the map exists to show."""
        return [r.task_area for r in self.rows if r.gap == Gap.NOBODY]

    @property
    def not_relevant(self) -> list[TaskArea]:
        return [r.task_area for r in self.rows if r.gap == Gap.NOT_RELEVANT]

    def unit_names(self, row: MatrixRow, role: str) -> list[str]:
        return [u.name for u in self.units if row.roles.get(u.pk) == role]

    @property
    def grid(self) -> list[tuple[MatrixRow, list[MatrixCell]]]:
        """Each row with a cell per unit, labelled for the form: the map's page renders the
        cells without a template lookup or translation tag per cell."""
        return [
            (
                row,
                [
                    MatrixCell(
                        unit=unit,
                        role=row.roles.get(unit.pk) or "",
                        label=_("Role of %(unit)s in %(area)s")
                        % {"unit": unit.name, "area": row.task_area.name},
                        carried=row.carried.get(unit.pk),
                        what=_("%(unit)s in %(area)s")
                        % {"unit": unit.name, "area": row.task_area.name}
                        if row.carried.get(unit.pk)
                        else "",
                    )
                    for unit in self.units
                ],
            )
            for row in self.rows
        ]

    @property
    def carried_count(self) -> int:
        return sum(len(r.carried) for r in self.rows)

    @property
    def gap_carried_count(self) -> int:
        return sum(1 for r in self.rows if r.gap_carried)


def projects_of(
    analysis: Analysis, *, status: str = "", target_group: TargetGroup | None = None
) -> QuerySet[Project]:
    """The municipality's projects with what their list shows, by name, optionally of one
    status or target group."""
    projects = (
        analysis.municipality.projects.select_related("responsible_unit")
        .prefetch_related("target_groups", "funding_sources", "factors")
        .order_by("name")
    )
    if status:
        projects = projects.filter(status=status)
    if target_group is not None:
        projects = projects.filter(target_groups=target_group)
    return projects


def responsibility_matrix(analysis: Analysis) -> ResponsibilityMatrix:
    """Four queries: task areas, the municipality's units, the analysis's cells and the task
    areas it answered without a unit."""
    areas = reads.task_areas(analysis)
    cells = reads.responsibility_cells(analysis)
    used_unit_ids = {cell[1] for cell in cells}
    # Active units, plus any retired unit that still holds a cell in this analysis.
    units = list(
        Unit.objects.filter(
            Q(municipality_id=analysis.municipality_id, is_active=True) | Q(pk__in=used_unit_ids)
        ).order_by("name")
    )
    rows = {area.pk: MatrixRow(area) for area in areas}
    for area_id, unit_id, role, pk, carried_over in cells:
        rows[area_id].roles[unit_id] = role
        if carried_over:
            rows[area_id].carried[unit_id] = pk
    for area_id, gap, pk, carried_over in reads.task_area_gaps(analysis):
        rows[area_id].gap = gap
        if carried_over:
            rows[area_id].gap_carried = pk
    return ResponsibilityMatrix(units=units, rows=[rows[a.pk] for a in areas])
