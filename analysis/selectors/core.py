"""Reads used across the app: the current round, a user's landing analysis, a region's list."""

from __future__ import annotations

from django.utils import timezone

from analysis import access
from analysis.models import Analysis, Round


def current_round() -> Round | None:
    """The newest round that has opened; before any has opened, the newest round."""
    today = timezone.localdate()
    rounds = Round.objects.select_related("questionnaire")
    return rounds.filter(opens_on__lte=today).order_by("-year").first() or rounds.first()


def landing_analysis(user, round_: Round) -> Analysis | None:
    """The analysis a planner or reader lands on: their own municipality's, this round."""
    ids = sorted(access.municipality_ids_for(user))
    if not ids:
        return None
    return (
        Analysis.objects.filter(round=round_, municipality_id__in=ids)
        .order_by("municipality__number")
        .first()
    )
