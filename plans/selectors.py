"""Reads of the action plan, each in a fixed number of queries however many measures there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from analysis.models import Analysis, Round
from analysis.selectors import reads
from plans.models import OPEN_STATUSES, Measure, MeasureStatus, MeasureStatusChange


def _with_related(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    return measures.select_related(
        "responsible_unit", "owner_user", "funding_source", "indicator", "planned_in"
    ).prefetch_related(
        "factors",
        Prefetch(
            "status_changes",
            queryset=MeasureStatusChange.objects.select_related("changed_by", "round"),
        ),
    )


def needing_update(analysis: Analysis) -> QuerySet[Measure]:
    """Open measures planned in an earlier round with no status update in this one: the
    round asks "what happened since the last round?" before the analysis is submitted."""
    updated_here = MeasureStatusChange.objects.filter(
        measure=OuterRef("pk"), round_id=analysis.round_id
    )
    return Measure.objects.filter(
        municipality_id=analysis.municipality_id,
        status__in=OPEN_STATUSES,
        planned_in__year__lt=analysis.round.year,
    ).exclude(Exists(updated_here))


@dataclass
class MeasureRow:
    measure: Measure
    overdue: bool
    needs_update: bool
    # Status changes recorded in this analysis's round (for "what happened since").
    changes_this_round: list[MeasureStatusChange]

    @property
    def history(self) -> list[MeasureStatusChange]:
        return list(self.measure.status_changes.all())


def measures_of(
    analysis: Analysis, *, overdue_only: bool = False, today: datetime.date | None = None
) -> list[MeasureRow]:
    """The municipality's measures as the plan shows them, by priority and deadline.

    Queries: 1 the measures (unit, owner, funding, key figure, round), 2 their factors, 3 their
    status changes (who, round), 4 those waiting for this round's update."""
    today = today or timezone.localdate()
    measures = Measure.objects.filter(municipality_id=analysis.municipality_id)
    if overdue_only:
        measures = measures.overdue(today)
    waiting = set(needing_update(analysis).values_list("pk", flat=True))
    rows = []
    for measure in _with_related(measures):
        rows.append(
            MeasureRow(
                measure=measure,
                overdue=measure.is_overdue(today),
                needs_update=measure.pk in waiting,
                changes_this_round=[
                    c for c in measure.status_changes.all() if c.round_id == analysis.round_id
                ],
            )
        )
    return rows


@dataclass(frozen=True)
class PlanLine:
    """A measure as the analysis page's block lists it."""

    measure: Measure
    overdue: bool
    needs_update: bool


def _municipality_measures(analysis: Analysis) -> list[Measure]:
    """The municipality's measures, their own fields only: read once for the action plan's
    block and the recommendations' block of the analysis page (analysis.selectors.reads)."""
    return reads.once(
        analysis,
        "measures",
        lambda: list(Measure.objects.filter(municipality_id=analysis.municipality_id)),
    )


def plan_lines(analysis: Analysis, *, today: datetime.date | None = None) -> list[PlanLine]:
    """The measures for the analysis page's block, by priority and deadline, with whether
    each is overdue or waiting for this round's update. Queries: the measures (shared with
    `measures_by_recommendation_of`), those waiting for this round's update."""
    today = today or timezone.localdate()
    waiting = set(needing_update(analysis).values_list("pk", flat=True))
    return [
        PlanLine(measure=m, overdue=m.is_overdue(today), needs_update=m.pk in waiting)
        for m in _municipality_measures(analysis)
    ]


def measures_by_recommendation_of(analysis: Analysis) -> dict[str, list[Measure]]:
    """Rule key → the municipality's open or done measures that answer it (a stopped one
    answers nothing), from the measures the analysis page has read."""
    result: dict[str, list[Measure]] = {}
    for measure in _municipality_measures(analysis):
        if measure.status == MeasureStatus.STOPPED:
            continue
        for key in measure.recommendation_keys:
            result.setdefault(key, []).append(measure)
    return result


def measure_history(measure: Measure) -> list[MeasureStatusChange]:
    return list(measure.status_changes.select_related("changed_by", "round"))


@dataclass(frozen=True)
class MeasureCounts:
    total: int = 0
    open: int = 0
    overdue: int = 0
    done_this_round: int = 0


def counts_by_municipality(
    municipalities, round_: Round, today: datetime.date | None = None
) -> dict[int, MeasureCounts]:
    """For the adviser's region: per municipality id, how many measures, how many open, how
    many overdue, how many done in the round. One query for any number of municipalities."""
    today = today or timezone.localdate()
    done_here = MeasureStatusChange.objects.filter(
        measure=OuterRef("pk"), round=round_, to_status=MeasureStatus.DONE
    )
    rows = (
        Measure.objects.filter(municipality__in=municipalities)
        .annotate(done_here=Exists(done_here))
        .values("municipality")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
            done_this_round=Count("pk", filter=Q(status=MeasureStatus.DONE, done_here=True)),
        )
        .order_by()
    )
    return {
        row["municipality"]: MeasureCounts(
            row["total"], row["open"], row["overdue"], row["done_this_round"]
        )
        for row in rows
    }


def region_measures(
    municipalities, *, overdue_only: bool = False, today: datetime.date | None = None
) -> list[Measure]:
    """Every measure of the given municipalities, for the adviser: 1 query (+ factors)."""
    today = today or timezone.localdate()
    measures = Measure.objects.filter(municipality__in=municipalities)
    if overdue_only:
        measures = measures.overdue(today)
    return list(
        measures.select_related("municipality", "responsible_unit", "owner_user").order_by(
            "municipality__number", "priority", "deadline", "title"
        )
    )


@dataclass
class PlanEntry:
    """A measure as the report's plan shows it, with what happened to it in the round."""

    measure: Measure
    # The round's status updates, creation left out: "what happened since the last round".
    this_round: list[MeasureStatusChange]
    carried_over: bool

    @property
    def since_last_round(self) -> str:
        return " ".join(change.note for change in self.this_round if change.note)


def plan_for_report(analysis: Analysis) -> list[PlanEntry]:
    """The plan as the round's report shows it: every measure planned in this round or
    before, by priority and deadline, except those closed (done or stopped) in an earlier
    round. Queries: 1 the measures (with unit, owner, funding, round), 2 their status
    changes (with who and round)."""
    year = analysis.round.year
    measures = (
        Measure.objects.filter(municipality_id=analysis.municipality_id, planned_in__year__lte=year)
        .select_related("responsible_unit", "owner_user", "funding_source", "planned_in")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=MeasureStatusChange.objects.select_related("round", "changed_by"),
            )
        )
    )
    entries = []
    for measure in measures:
        changes = list(measure.status_changes.all())
        if not measure.is_open and changes and changes[-1].round.year < year:
            continue
        entries.append(
            PlanEntry(
                measure=measure,
                this_round=[
                    c for c in changes if c.round_id == analysis.round_id and c.from_status
                ],
                carried_over=measure.planned_in.year < year,
            )
        )
    return entries
