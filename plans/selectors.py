"""Reads of the action plan, each in a fixed number of queries however many measures there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from analysis.models import Analysis, RevisionKind, Round, Unit
from analysis.selectors import history, reads
from boligsosial.prose import join_names, number_word, quoted
from keyfigures.models import Indicator
from plans.models import (
    OPEN_STATUSES,
    DecisionProposal,
    Measure,
    MeasurePriority,
    MeasureStatus,
    MeasureStatusChange,
)
from plans.services import MEASURE_FIELDS, MEASURE_M2M
from reference.models import FundingSource, SuccessFactor


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
class HistoryEntry:
    """One line of a measure's history: a status change (with its note) or an edit of its
    fields, each change in words (history.Change: label, old, new)."""

    changed_at: datetime.datetime
    changed_by: object
    status_change: MeasureStatusChange | None = None
    changes: tuple = ()


def _measure_fields() -> list[tuple]:
    """How the history shows each of a measure's fields: its label and its value in words,
    with the same value helpers as every other row's history (analysis/selectors/history.py,
    which cannot name plans' models itself)."""
    label = lambda name: Measure._meta.get_field(name).verbose_name  # noqa: E731
    shown = {
        "responsible_unit": history._one("units"),
        "owner_user": history._one("users"),
        "deadline": history._date,
        "priority": history._choice(MeasurePriority),
        "funding_source": history._one("funding_sources"),
        "indicator": history._one("indicators"),
        "factors": history._many("factors"),
    }
    return [
        (name, label(name), shown.get(name, history._text))
        for name in (*MEASURE_FIELDS, *MEASURE_M2M)
    ]


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


def measure_timeline(analysis: Analysis, measure: Measure) -> list[HistoryEntry]:
    """A measure's status changes and the edits of its fields, oldest first, in words.

    Queries: 1 the status changes, 2 the edits (analysis.Revision, every analysis of the
    municipality), and when there are edits, 3–7 the municipality's units, the funding
    sources, the key figures, the success factors and the people they name."""
    entries = [
        HistoryEntry(c.changed_at, c.changed_by, status_change=c)
        for c in measure.status_changes.select_related("changed_by", "round")
    ]
    revisions = list(history.revisions_of(analysis, [RevisionKind.MEASURE], object_id=measure.pk))
    if revisions:
        # Every lookup an edit may need, whichever fields these edits changed: a fixed number
        # of queries (the units of the municipality, the rest small reference tables).
        values = [v for r in revisions for v in (r.old_value or {}, r.new_value or {})]
        lookups = history.Lookups(
            units=dict(
                Unit.objects.filter(municipality_id=measure.municipality_id).values_list(
                    "pk", "name"
                )
            ),
            funding_sources={f.pk: str(f) for f in FundingSource.objects.all()},
            indicators={i.pk: str(i) for i in Indicator.objects.all()},
            factors={f.pk: f"{f.number}. {f.name}" for f in SuccessFactor.objects.all()},
            users={
                u.pk: u.get_full_name() or u.username
                for u in User.objects.filter(
                    pk__in={v.get("owner_user") for v in values if v.get("owner_user")}
                )
            },
        )
        fields = _measure_fields()
        for revision in revisions:
            changes = history.describe(revision, lookups, fields=fields)
            if changes:
                entries.append(
                    HistoryEntry(revision.changed_at, revision.changed_by, changes=tuple(changes))
                )
    return sorted(entries, key=lambda e: e.changed_at)


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


def decision_proposal_of(analysis: Analysis) -> DecisionProposal | None:
    """The analysis's proposed decision, if one has been saved: one query."""
    return DecisionProposal.objects.select_related("updated_by").filter(analysis=analysis).first()


def decision_draft(analysis: Analysis) -> str:
    """A proposed decision generated from the data, for the editor to accept or rewrite: the
    council takes note of the pre-analysis and endorses the plan's open measures (by
    priority, with their estimated cost) or, without any, asks for a plan; and asks for
    their status in the next round. In the municipality's written form (målform), whatever
    language the editor's pages are in, since that is the language of its council's papers.
    One query: the open measures of the plan (planned this round or before)."""
    measures = list(
        Measure.objects.filter(
            municipality_id=analysis.municipality_id,
            planned_in__year__lte=analysis.round.year,
            status__in=OPEN_STATUSES,
        ).order_by("priority", "deadline", "title")
    )
    with translation.override(analysis.municipality.default_language):
        points = [
            _("The municipal council takes note of «%(round)s» for %(municipality)s municipality.")
            % {"round": analysis.round.title, "municipality": analysis.municipality.name}
        ]
        if measures:
            points.append(_plan_point(measures))
            points.append(
                _(
                    "The municipal council asks the chief municipal executive to report on the "
                    "measures in the next round of the pre-analysis."
                )
            )
        else:
            points.append(
                _(
                    "The municipal council asks the chief municipal executive to prepare an "
                    "action plan with owners, deadlines and costs on the basis of the "
                    "pre-analysis's recommendations."
                )
            )
    return "\n".join(f"{number}. {point}" for number, point in enumerate(points, start=1))


def _priority_word(priority: int) -> str:
    return str(MeasurePriority(priority).label).lower()


def _plan_point(measures: list[Measure]) -> str:
    """ "… endorses the action plan with four measures: two with high priority («A» and «B»),
    one with medium priority («C») …", and what they are estimated to cost."""
    if len(measures) == 1:
        (measure,) = measures
        text = _(
            "The municipal council endorses the measure «%(title)s» in the action plan "
            "(%(priority)s priority)."
        ) % {"title": measure.title, "priority": _priority_word(measure.priority)}
    else:
        groups: dict[int, list[str]] = {}
        for measure in measures:
            groups.setdefault(measure.priority, []).append(quoted(measure.title))
        if len(groups) == 1:
            ((priority, titles),) = groups.items()
            text = _(
                "The municipal council endorses the action plan with %(count)s measures, all "
                "with %(priority)s priority: %(titles)s."
            ) % {
                "count": number_word(len(measures)),
                "priority": _priority_word(priority),
                "titles": join_names(titles),
            }
        else:
            parts = [
                (
                    _("one with %(priority)s priority (%(titles)s)")
                    if len(titles) == 1
                    else _("%(count)s with %(priority)s priority (%(titles)s)")
                )
                % {
                    "count": number_word(len(titles)),
                    "priority": _priority_word(priority),
                    "titles": join_names(titles),
                }
                for priority, titles in groups.items()
            ]
            text = _(
                "The municipal council endorses the action plan with %(count)s measures: "
                "%(groups)s."
            ) % {"count": number_word(len(measures)), "groups": join_names(parts)}
    costs = [m.estimated_cost for m in measures if m.estimated_cost is not None]
    if costs:
        cost = formats.number_format(sum(costs), 0, use_l10n=True, force_grouping=True)
        if len(measures) == 1:
            text += " " + _("Its estimated cost is NOK %(cost)s.") % {"cost": cost}
        elif len(costs) == len(measures):
            text += " " + _("Their estimated cost is NOK %(cost)s in all.") % {"cost": cost}
        else:
            text += " " + _(
                "The estimated cost of those with an estimate is NOK %(cost)s in all."
            ) % {"cost": cost}
    return text
