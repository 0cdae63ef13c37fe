"""Reads used across the app: the current round, a user's landing analysis, a region's list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from analysis import access, parts
from analysis.models import Analysis, AnalysisStatus, Answer, Round


def current_round(rounds: Iterable[Round] | None = None) -> Round | None:
    """The newest round that has opened; before any has opened, the newest round. Chosen
    from `rounds` (every round) where the caller has read them already."""
    today = timezone.localdate()
    if rounds is not None:
        rounds = list(rounds)
        opened = [r for r in rounds if r.opens_on <= today]
        return max(opened or rounds, key=lambda r: r.year, default=None)
    rounds = Round.objects.select_related("questionnaire")
    return rounds.filter(opens_on__lte=today).order_by("-year").first() or rounds.first()


def in_current_round(analysis: Analysis) -> bool:
    """Whether the analysis belongs to the current round (not an earlier one, whose answers
    are the baseline for "change since the previous round")."""
    current = current_round()
    return current is not None and analysis.round_id == current.pk


def landing_analysis(user, round_: Round) -> Analysis | None:
    """The analysis a planner or reader lands on: their own municipality's, this round."""
    ids = sorted(access.municipality_ids_for(user))
    if not ids:
        return None
    return Analysis.objects.of_round(round_, ids).order_by("municipality__number").first()


@dataclass(frozen=True)
class RoundEntry:
    """One round in a municipality's round switcher, with its analysis for that round."""

    round: Round
    analysis: Analysis
    opens_later: bool
    closed: bool


def rounds_for_municipality(municipality_id: int) -> list[RoundEntry]:
    """The municipality's analysis in every round, newest first, in one query. A round
    that is opened but whose dates lie ahead is listed too, so the municipality can start it
    from the previous round before it opens."""
    today = timezone.localdate()
    return [
        RoundEntry(
            round=a.round,
            analysis=a,
            opens_later=a.round.opens_on > today,
            closed=a.round.closes_on < today,
        )
        for a in Analysis.objects.filter(municipality_id=municipality_id)
        .select_related("round")
        .order_by("-round__year")
    ]


def previous_analysis(analysis: Analysis) -> Analysis | None:
    """The municipality's latest earlier analysis with something in it. A round the
    municipality skipped (its analysis never started and holds nothing) is passed over, so
    the new round starts from the last work actually done, not from an empty copy."""
    has_content = Exists(Answer.objects.filter(analysis=OuterRef("pk")).exclude(value=""))
    for part in parts.all_parts():
        if (expression := part.has_content()) is not None:
            has_content |= expression
    return (
        Analysis.objects.filter(
            municipality_id=analysis.municipality_id, round__year__lt=analysis.round.year
        )
        .filter(~Q(status=AnalysisStatus.NOT_STARTED) | has_content)
        .select_related("round")
        .order_by("-round__year")
        .first()
    )
