"""What the analysis page and the review page compute, kept in Django's cache under a token that
changes with every write they read from (the pattern of keyfigures/versions.py, per analysis).

Both pages read some twenty tables to show one analysis: its answers and parts, the previous
round's, the municipality's units, projects and plan, the user organisations' views, and the
reference data (questionnaire, task areas, instruments, factors, rules). All of that changes
far less often than it is read. So each `Analysis` row carries `content_token`, a random
token that every such write replaces, inside the writing transaction (it commits with the
data or not at all; a row another writer holds locked gets it right after the commit, see
`_replace`), for every analysis of the municipality: the next round's review compares
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
Within one transaction or savepoint the first such write replaces the token and the others
find it replaced (`_replace`); a page read inside that block is not kept (`cached`). Only
raw SQL and a bulk write outside the services would go unseen. The token is random, never
counted up, so a token restored by a rolled-back transaction never names other data.

What the pages keep live, not cached: the analysis row itself, comments, internal notes, the
status history, whether the analysis belongs to the current round, and everything that
depends on who is looking.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from boligsosial.code_version import code_version

if TYPE_CHECKING:
    from analysis.models import Analysis

# A cached entry outlives its token only until this; entries of an old token are never read.
CACHE_SECONDS = 24 * 3600
# Raised when what is cached changes shape, so a deployment never reads an older release's.
FORMAT = 1


def new_token() -> str:
    return uuid.uuid4().hex


def changed_for_municipality(municipality_id: int | None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Everything cached for the municipality's analyses is out of date."""
    if municipality_id is not None:
        _replace(("municipality", municipality_id), using)


def changed_for_analysis(analysis_id: int | None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Something of one analysis changed: every analysis of its municipality is out of date
    (the next round's review compares with it)."""
    if analysis_id is not None:
        _replace(("analysis", analysis_id), using)


def changed_everywhere(using: str = DEFAULT_DB_ALIAS) -> None:
    """Reference data changed: everything cached for every analysis is out of date."""
    _replace(("everywhere", None), using)


def _analyses(whose: tuple[str, int | None]):
    from analysis.models import Analysis

    kind, pk = whose
    if kind == "municipality":
        return Analysis.objects.filter(municipality_id=pk)
    if kind == "analysis":
        return Analysis.objects.filter(
            municipality_id__in=Analysis.objects.filter(pk=pk).values("municipality_id")
        )
    return Analysis.objects.all()


def _replace(whose: tuple[str, int | None], using: str) -> None:
    """A new token for the analyses `whose` names, inside the writing transaction, except on
    rows another transaction holds locked: a service locks its own analysis before it writes,
    so two people saving two analyses of one municipality (last round's, sent back, and this
    round's) would each wait for the other's row and deadlock. Those rows get their new
    token right after the commit, when nothing is held any more (and once per transaction,
    however many rows it wrote); a process that dies in that instant leaves them out of date
    for at most CACHE_SECONDS. Without contention every row changes inside the transaction.
    Once a block: a later write in the same transaction or savepoint finds it done."""
    from analysis.models import Analysis

    connection = transaction.get_connection(using)
    in_transaction = connection.in_atomic_block
    if not in_transaction:
        # A write in autocommit holds no lock of its own, so waiting cannot deadlock; a row
        # skipped here would have no commit after which to get its token.
        _replace_every_row(whose, using)
        return
    done_here = _ReplacedInBlock(whose, using)
    if _registered(connection, done_here, in_this_block=True):
        return
    free = (
        _analyses(whose).order_by().select_for_update(skip_locked=True, of=("self",)).values("pk")
    )
    Analysis.objects.using(using).filter(pk__in=free).update(content_token=new_token())
    if _block_of_its_own(connection):
        transaction.on_commit(done_here, using=using)
    after = _AfterCommit(whose, using)
    if not _registered(connection, after):
        transaction.on_commit(after, using=using, robust=True)


def _registered(connection, callback, *, in_this_block: bool = False) -> bool:
    """Whether `callback` waits for this transaction's commit (registered in this atomic
    block, when `in_this_block`; Django forgets what a block registered when the block is
    rolled back)."""
    block = set(connection.savepoint_ids)
    return any(
        registered == callback and (not in_this_block or ids == block)
        for ids, registered, _robust in connection.run_on_commit
    )


def _written_in_open_block(connection) -> bool:
    """Whether a block still open on this connection has replaced a token (`_replace`)."""
    if not connection.in_atomic_block:
        return False
    open_blocks = set(connection.savepoint_ids)
    return any(
        isinstance(callback, _ReplacedInBlock) and ids <= open_blocks
        for ids, callback, _robust in connection.run_on_commit
    )


def _block_of_its_own(connection) -> bool:
    """Whether the innermost atomic block can be told from the blocks before it: a
    transaction, or a savepoint (whose id is new). A nested block without a savepoint (as
    Django's many-to-many writes open) shares its ids with every such block before it in the
    same parent, between which a page may have been read; and the block a test runs in
    (Django's TestCase) stands for autocommit. In those, every write replaces the token."""
    if getattr(connection.atomic_blocks[-1], "_from_testcase", False):
        return False
    return not connection.savepoint_ids or connection.savepoint_ids[-1] is not None


def _replace_every_row(whose: tuple[str, int | None], using: str) -> None:
    """A new token for every analysis `whose` names, waiting for rows another transaction
    holds. Only where this connection holds no locks of its own (autocommit, or after its
    commit), so it cannot deadlock with a writer; the rows are locked in primary-key order,
    so two of these over overlapping scopes never wait on each other either."""
    from analysis.models import Analysis

    with transaction.atomic(using=using):
        rows = list(
            _analyses(whose)
            .using(using)
            .order_by("pk")
            .select_for_update(of=("self",))
            .values_list("pk", flat=True)
        )
        Analysis.objects.using(using).filter(pk__in=rows).update(content_token=new_token())


@dataclass(frozen=True)
class _ReplacedInBlock:
    """Marks that a write in an atomic block has replaced the token of the analyses `whose`
    names: the block's later writes need not do it again (a service saving a page of rows
    did it once a row). It does nothing at the commit. Django drops it with the block if
    the block is rolled back, and with the rest at the end of the transaction; a savepoint
    id is never used twice, so a later block never takes it for its own. While its block is
    open, `cached` keeps nothing (`_written_in_open_block`): a page read between two writes
    would otherwise be kept under the token the second write did not replace."""

    whose: tuple[str, int | None]
    using: str

    def __call__(self) -> None:
        pass


@dataclass(frozen=True)
class _AfterCommit:
    """The token replaced again once the transaction has committed (see `_replace`)."""

    whose: tuple[str, int | None]
    using: str

    def __call__(self) -> None:
        _replace_every_row(self.whose, self.using)


def cached[T](analysis: Analysis, name: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept under the analysis's token as it was read with the analysis, the
    language and the day (what is overdue or not yet open changes at midnight). Inside an
    atomic block that has written what the pages read, computed and not kept: the block's
    later writes leave its token as it is (`_replace`)."""
    if _written_in_open_block(transaction.get_connection()):
        return compute()
    key = ":".join(
        str(part)
        for part in (
            "analysis",
            FORMAT,
            code_version(),
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


def _changed(sender, instance, using=DEFAULT_DB_ALIAS, **_signal) -> None:
    belongs_to = _WATCHED.get(sender)
    if belongs_to is None:
        changed_everywhere(using)
        return
    kind, pk = belongs_to(instance)
    if kind == "municipality":
        changed_for_municipality(pk, using)
    else:
        changed_for_analysis(pk, using)


def _saved(sender, instance, update_fields=None, **signal) -> None:
    # A login records only the time of the login: nothing any page keeps.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    _changed(sender, instance, **signal)


def _m2m_changed(sender, instance, action, using=DEFAULT_DB_ALIAS, **signal) -> None:
    if action.startswith("post_"):
        _changed(type(instance), instance, using=using)
