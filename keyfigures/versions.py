"""The key figures, cached under a token that changes with the data they are computed from.

`key_figures` (keyfigures/selectors.py) reads the indicators, every municipality's values for
the comparisons, the official figures, the KOSTRA groups and the municipalities' counties
and populations: five queries and their arithmetic on every analysis page, key-figure page
and report. Those data change rarely (an import, a fetch from SSB, new KOSTRA groups, new
reference data), so the result is kept in Django's cache under the token of the one
`FiguresVersion` row. The token is read from the database on every request (one query), so
every process sees a change at once, whatever cache it has.

What changes the token, inside the writing transaction (it commits with the data or not at
all): a save of any of those models (signals connected in KeyFiguresConfig.ready: the admin,
the catalogue, reference loading, tests' factories), a delete (models.ChangesFigures), and
every bulk write through their managers (`update`, `bulk_create`, `bulk_update`, `delete` of
models.FiguresQuerySet: the import, the fetch from SSB, the KOSTRA groups), so no
writer has to remember it. Only raw SQL would go unseen. The token is random, never counted
up, so a token restored by a rolled-back transaction can never come back naming other data.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

# A cached entry outlives its token only until this; entries of an old token are never read.
CACHE_SECONDS = 24 * 3600


def current() -> str:
    """The token now (one query); "" before anything was ever written."""
    from keyfigures.models import FiguresVersion

    return FiguresVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def changed(**_signal) -> None:
    """A new token: every cached computation of the key figures is out of date."""
    from keyfigures.models import FiguresVersion

    token = uuid.uuid4().hex
    if not FiguresVersion.objects.filter(pk=1).update(token=token):
        FiguresVersion.objects.update_or_create(pk=1, defaults={"token": token})


def cached[T](name: str, key: tuple, compute: Callable[[], T], *, token: str | None = None) -> T:
    """`compute()`, kept under the current token (or `token`, read by the caller with
    `current()` for several computations of one page), the language and `key`."""
    token = current() if token is None else token
    parts = ":".join(str(k) for k in (name, token, get_language(), *key))
    found = cache.get(f"keyfigures:{parts}")
    if found is None:
        found = compute()
        cache.set(f"keyfigures:{parts}", found, CACHE_SECONDS)
    return found


def connect() -> None:
    from keyfigures.models import (
        Indicator,
        IndicatorAggregateValue,
        IndicatorValue,
        KostraGroup,
        KostraGroupMembership,
    )
    from reference.models import County, Municipality

    for model in (
        Indicator,
        IndicatorValue,
        IndicatorAggregateValue,
        KostraGroup,
        KostraGroupMembership,
        Municipality,
        County,
    ):
        post_save.connect(
            changed, sender=model, dispatch_uid=f"keyfigures.version.{model.__name__}"
        )
    # Rows of this app say so themselves when deleted (models.ChangesFigures), so that a
    # bulk delete needs no signal per row; a municipality's delete cascades to its values.
    for model in (Municipality, County):
        post_delete.connect(
            changed, sender=model, dispatch_uid=f"keyfigures.version.delete.{model.__name__}"
        )
