"""Three-way merge of a form save against what is saved now (DESIGN.md: two people editing the
same answer must never silently overwrite each other).

A form carries a fingerprint of every value as it was loaded (the base). On save, each field
is one of:

- untouched by this person (posted value = base): the saved value stays, whatever it is now;
- changed only by this person (saved value = base): the posted value is written;
- changed by both, differently: a conflict; nothing is written and both versions are shown;
- changed by both to the same value: nothing to do.

So two colleagues who change different fields of the same section from the same copy both keep
their changes. Pure functions, no database; `StaleEdit` is how every save_* service reports a
conflict (analysis/views/editing.py shows it).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

KEEP: Literal["keep"] = "keep"
WRITE: Literal["write"] = "write"
CONFLICT: Literal["conflict"] = "conflict"


def canonical(value: Any) -> Any:
    """A value in one comparable, JSON-able form, whatever the source: model instances by
    primary key, collections as sorted lists, dates as ISO text, text with the browser's
    CRLF line ends read as LF, and empty text the same as no value."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value.replace("\r\n", "\n") or None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return sorted((canonical(v) for v in value), key=lambda v: (str(type(v)), str(v)))
    return str(value)


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict | None:
    """The values of a row's `fields` as JSON (related rows by primary key), as the history
    records them; None for no row."""
    if obj is None:
        return None
    return {f: canonical(getattr(obj, f)) for f in fields}


def fingerprint(value: Any) -> str:
    data = json.dumps(canonical(value), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def fingerprints(values: Mapping[str, Any]) -> dict[str, str]:
    return {str(k): fingerprint(v) for k, v in values.items()}


def encode_base(values: Mapping[str, Any]) -> str:
    """The hidden form value: fingerprints of the values the form shows."""
    return json.dumps(fingerprints(values), sort_keys=True)


def decode_base(raw: str | None) -> dict[str, str] | None:
    """The fingerprints a form sent back, or None when missing or not what a form sends."""
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        return None
    return data


def same(a: Any, b: Any) -> bool:
    return canonical(a) == canonical(b)


def decide(
    *, mine: Any, saved: Any, base: str | None, loaded_fresh: bool = False
) -> Literal["keep", "write", "conflict"]:
    """What to do with one field. `base` is the fingerprint the form was loaded with; without
    one (an old or hand-made form), `loaded_fresh` says whether the record is unchanged since
    the form was loaded (from a version number), so any difference is this person's change."""
    if same(mine, saved):
        return KEEP
    if base is not None:
        if fingerprint(mine) == base:
            return KEEP
        return WRITE if fingerprint(saved) == base else CONFLICT
    return WRITE if loaded_fresh else CONFLICT


@dataclass(frozen=True)
class Merge:
    """The outcome for one record: the fields to write, and the fields in conflict as
    name → (saved, mine)."""

    changes: dict[str, Any] = field(default_factory=dict)
    conflicts: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def merge(
    *,
    mine: Mapping[str, Any],
    saved: Mapping[str, Any],
    base: Mapping[str, str] | None,
    loaded_fresh: bool = False,
) -> Merge:
    result = Merge()
    for name, value in mine.items():
        current = saved.get(name)
        outcome = decide(
            mine=value,
            saved=current,
            base=None if base is None else base.get(name),
            loaded_fresh=loaded_fresh,
        )
        if outcome == WRITE:
            result.changes[name] = value
        elif outcome == CONFLICT:
            result.conflicts[name] = (current, value)
    return result


@dataclass(frozen=True)
class FieldConflict:
    """One field both people changed, as a person reads it."""

    label: str
    saved: str
    mine: str


@dataclass(frozen=True)
class ConflictGroup:
    """The fields in conflict in one record (an answer, a factor, a project), shown side by
    side: what the other person saved and what this person typed."""

    title: str
    fields: list[FieldConflict]
    saved_by: Any = None
    saved_at: Any = None


def rebase(
    *, mine: Mapping[str, Any], saved: Mapping[str, Any], base: Mapping[str, str] | None
) -> dict[str, Any]:
    """What a form shows after a conflict: the saved record with this person's own changes on
    top. Saving that form again (with the saved values as its new base) is a deliberate
    choice: fields in conflict then take this person's value, the rest merge as usual."""
    shown = {}
    for name, value in mine.items():
        untouched = base is not None and name in base and fingerprint(value) == base[name]
        shown[name] = saved.get(name) if untouched else value
    return shown


# --- Conflicts, as every save_* service reports them -------------------------------------


@dataclass(frozen=True)
class RowConflict:
    """One row both people changed: an answer, a factor, a map cell, a project. `key` names
    the row as the page's forms do, `title` as a person reads it (as the history labels it);
    `fields`: field → (saved, mine)."""

    key: Hashable
    title: str
    fields: dict[str, tuple[Any, Any]]
    saved_by: Any = None  # the User who saved last, where the row records it
    saved_at: datetime.datetime | None = None


class StaleEdit(ValidationError):
    """Someone else changed the same fields meanwhile; nothing was written."""

    message = gettext_lazy(
        "Someone else changed this while you were editing. Nothing was saved; the form shows "
        "the saved version with your changes on top. Check it and save again."
    )

    def __init__(self, rows: Iterable[RowConflict]):
        super().__init__(self.message, code="stale")
        self.rows = list(rows)

    def by_key(self) -> dict[Hashable, RowConflict]:
        return {row.key: row for row in self.rows}
