"""The adviser's work queue (issue 15): what to look at next in a region.

First the analyses waiting for review, the oldest submission first; then the analyses the
municipalities have not submitted in a round open today, the round closing soonest first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, QuerySet

from analysis.models import Analysis, AnalysisStatus, Round
from overview.selectors.table import norwegian_sort_key
from reference.models import Municipality


@dataclass(frozen=True)
class WaitingItem:
    analysis: Analysis
    submitted_at: datetime.datetime | None


@dataclass(frozen=True)
class PendingItem:
    municipality: Municipality
    round: Round
    # None: the municipality has not opened the round's analysis at all.
    analysis: Analysis | None
    days_left: int

    @property
    def status(self) -> str:
        return self.analysis.status if self.analysis else AnalysisStatus.NOT_STARTED

    @property
    def status_label(self) -> str:
        return AnalysisStatus(self.status).label


@dataclass(frozen=True)
class WorkQueue:
    waiting: list[WaitingItem]
    pending: list[PendingItem]


# Not started first: with the same deadline, it has the furthest to go.
_STATUS_ORDER = {
    AnalysisStatus.NOT_STARTED: 0,
    AnalysisStatus.SENT_BACK: 1,
    AnalysisStatus.IN_PROGRESS: 2,
}


def work_queue(municipalities: QuerySet[Municipality], today: datetime.date) -> WorkQueue:
    """Four queries, however many municipalities: the submitted analyses (with municipality
    and round; `submitted_at` is the latest submission), the rounds open today, the municipalities,
    and their analyses in those rounds."""
    waiting = [
        WaitingItem(a, a.submitted_at)
        for a in Analysis.objects.filter(
            municipality__in=municipalities, status=AnalysisStatus.SUBMITTED
        )
        .select_related("municipality", "round")
        .order_by(F("submitted_at").asc(nulls_first=True), "municipality__name")
    ]
    open_rounds = list(
        Round.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on")
    )
    pending: list[PendingItem] = []
    if open_rounds:
        current = list(municipalities.order_by("name"))
        analyses = {
            (a.municipality_id, a.round_id): a
            for a in Analysis.objects.filter(
                municipality__in=[m.pk for m in current], round__in=open_rounds
            )
        }
        for round_ in open_rounds:
            for municipality in current:
                analysis = analyses.get((municipality.pk, round_.pk))
                if analysis is None or analysis.status in _STATUS_ORDER:
                    pending.append(
                        PendingItem(municipality, round_, analysis, (round_.closes_on - today).days)
                    )
        pending.sort(
            key=lambda item: (
                item.round.closes_on,
                _STATUS_ORDER[item.status],
                norwegian_sort_key(item.municipality.name),
            )
        )
    return WorkQueue(waiting=waiting, pending=pending)
