"""What the analysis page and the review page compute, kept in Django's cache under a token that
changes with every write they read from (the pattern of keyfigures/versions.py, per analysis).

Both pages read some twenty tables to show one analysis: its answers and parts, the previous
round's, the municipality's units, projects and plan, the user organisations' views, and the
reference data (questionnaire, task areas, instruments, factors, rules). All of that changes
far less often than it is read. So each `Analysis` row carries `content_token`, a random
token that every such write replaces, inside the writing transaction (it commits with the
data or not at all), for every analysis of the municipality: the next round's review compares
with the previous round's analysis, and units, projects and the plan belong to the
municipality. A change of reference data replaces the token of every analysis. The pages read
the token with the analysis itself (no query of its own), so every process sees a change at
once, whatever cache it has.

What replaces the token:
- a save or delete of any model `watch` was told of (signals: the services, the admin, the
  factories, loading fixtures), and a change of a many-to-many relation among them;
- `touch_analysis` (analysis/services/workflow.py), which every service that writes an
  analysis's rows calls, so the bulk writes of those services (carrying a round over) are
  covered too.
Only raw SQL and a bulk write outside the services would go unseen. The token is random,
never counted up, so a token restored by a rolled-back transaction never names other data.

What the pages keep live, not cached: the analysis row itself, comments, internal notes, the
status history, whether the analysis belongs to the current round, and everything that
depends on who is looking.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

if TYPE_CHECKING:
    from analysis.models import Analysis

# A cached entry outlives its token only until this; entries of an old token are never read.
CACHE_SECONDS = 24 * 3600
# Raised when what is cached changes shape, so a deployment never reads an older release's.
FORMAT = 1


def new_token() -> str:
    return uuid.uuid4().hex


def changed_for_municipality(municipality_id: int | None) -> None:
    """Everything cached for the municipality's analyses is out of date."""
    from analysis.models import Analysis

    if municipality_id is not None:
        Analysis.objects.filter(municipality_id=municipality_id).update(content_token=new_token())


def changed_for_analysis(analysis_id: int | None) -> None:
    """Something of one analysis changed: every analysis of its municipality is out of date
    (one query)."""
    from analysis.models import Analysis

    if analysis_id is not None:
        Analysis.objects.filter(
            municipality_id__in=Analysis.objects.filter(pk=analysis_id).values("municipality_id")
        ).update(content_token=new_token())


def changed_everywhere() -> None:
    """Reference data changed: everything cached for every analysis is out of date."""
    from analysis.models import Analysis

    Analysis.objects.update(content_token=new_token())


def cached[T](analysis: Analysis, name: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept under the analysis's token as it was read with the analysis, the
    language and the day (what is overdue or not yet open changes at midnight)."""
    key = ":".join(
        str(part)
        for part in (
            "analysis",
            FORMAT,
            name,
            analysis.pk,
            analysis.content_token,
            get_language(),
            timezone.localdate().isoformat(),
        )
    )
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found


# --- What replaces the token -----------------------------------------------------------------

# model → how to find what a row of it belongs to: ("analysis", id), ("municipality", id), or
# None for reference data that every analysis reads.
_WATCHED: dict[type[Model], Callable[[Model], tuple[str, int | None]] | None] = {}


def watch(model: type[Model], belongs_to: Callable[[Model], tuple[str, int | None]] | None):
    """Replace the token whenever a row of `model` is saved or deleted, or a many-to-many
    relation of it changes. `belongs_to(row)` says whose: ("analysis", analysis id) or
    ("municipality", municipality id); None means every analysis (reference data). Each app
    watches its own models when Django starts (its AppConfig.ready)."""
    _WATCHED[model] = belongs_to
    uid = f"analysis.versions.{model._meta.label}"
    post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}.save")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(
            _m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}.{field.name}"
        )


def _changed(sender, instance, **_signal) -> None:
    belongs_to = _WATCHED.get(sender)
    if belongs_to is None:
        changed_everywhere()
        return
    kind, pk = belongs_to(instance)
    if kind == "municipality":
        changed_for_municipality(pk)
    else:
        changed_for_analysis(pk)


def _saved(sender, instance, update_fields=None, **signal) -> None:
    # A login records only the time of the login: nothing any page keeps.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    _changed(sender, instance, **signal)


def _m2m_changed(sender, instance, action, **signal) -> None:
    if action.startswith("post_"):
        _changed(type(instance), instance, **signal)
