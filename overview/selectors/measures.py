"""The region's action plans for the adviser: per municipality how many measures, how many
open, overdue and done in the round, and the overdue ones across the region."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from analysis.models import Analysis, Round
from plans.models import Measure
from plans.selectors import MeasureCounts, counts_by_municipality, region_measures
from reference.models import Municipality


@dataclass
class PlanRow:
    municipality: Municipality
    analysis: Analysis | None
    counts: MeasureCounts


@dataclass
class RegionPlans:
    rows: list[PlanRow]
    overdue: list[tuple[Measure, Analysis | None]]
    today: datetime.date


def region_plans(
    municipalities, round_: Round, *, overdue_only: bool, today: datetime.date | None = None
) -> RegionPlans:
    """Queries: 1 the municipalities, 2 their analyses in the round, 3 the counts, and with
    overdue_only 4 the overdue measures (with municipality, unit and owner)."""
    today = today or timezone.localdate()
    places = list(municipalities.select_related("county").order_by("number"))
    analyses = {
        a.municipality_id: a
        for a in Analysis.objects.filter(round=round_, municipality__in=[m.pk for m in places])
    }
    counts = counts_by_municipality([m.pk for m in places], round_, today)
    rows = [PlanRow(m, analyses.get(m.pk), counts.get(m.pk, MeasureCounts())) for m in places]
    overdue = (
        [
            (measure, analyses.get(measure.municipality_id))
            for measure in region_measures([m.pk for m in places], overdue_only=True, today=today)
        ]
        if overdue_only
        else []
    )
    return RegionPlans(rows=rows, overdue=overdue, today=today)
