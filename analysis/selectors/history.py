"""History pages: every saved change (Revision) as a person reads it, with field names and
values in words (choice labels, unit names, yes/no, dates), never raw keys or numbers.

A fixed number of queries per page: the revisions with who made them, and the reference rows
the page's kinds refer to (units, target groups, funding sources, factors, colleagues)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analysis import merge
from analysis.models import (
    ActorKind,
    AllocationPractice,
    Analysis,
    CooperationBody,
    ExternalActor,
    Gap,
    Project,
    ProjectStatus,
    ResponsibilityRole,
    Revision,
    RevisionKind,
    Unit,
)
from reference.models import FundingSource, Question, SuccessFactor, TargetGroup


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    revision: Revision
    changes: list[Change]
    restore_url: str | None = None


@dataclass
class Lookups:
    units: dict[int, str] = field(default_factory=dict)
    target_groups: dict[int, str] = field(default_factory=dict)
    funding_sources: dict[int, str] = field(default_factory=dict)
    factors: dict[int, str] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)
    indicators: dict[int, str] = field(default_factory=dict)
    question: Question | None = None


def _text(value: Any, _lookups: Lookups) -> str:
    return "–" if value in (None, "") else str(value)


def _yes_no(value: Any, _lookups: Lookups) -> str:
    if value is None:
        return _("Unknown")
    return _("Yes") if value else _("No")


def _choice(choices: type) -> Callable[[Any, Lookups], str]:
    def show(value: Any, _lookups: Lookups) -> str:
        return str(dict(choices.choices).get(value, value)) if value else "–"

    return show


def _one(name: str) -> Callable[[Any, Lookups], str]:
    def show(value: Any, lookups: Lookups) -> str:
        if value in (None, ""):
            return "–"
        return getattr(lookups, name).get(value) or _("(deleted)")

    return show


def _many(name: str) -> Callable[[Any, Lookups], str]:
    def show(value: Any, lookups: Lookups) -> str:
        names = [getattr(lookups, name).get(v) or _("(deleted)") for v in value or []]
        return ", ".join(names) or "–"

    return show


def _date(value: Any, _lookups: Lookups) -> str:
    if not value:
        return "–"
    return formats.date_format(datetime.date.fromisoformat(value), "j.n.Y")


def _answer(value: Any, lookups: Lookups) -> str:
    if value in (None, ""):
        return "–"
    if lookups.question is None:
        return str(value)
    return lookups.question.display_answer(str(value))


def _verbose(model, name: str) -> str:
    return model._meta.get_field(name).verbose_name


# kind → [(field, label, how to show a value)]
FIELDS: dict[str, list[tuple[str, Any, Callable[[Any, Lookups], str]]]] = {
    RevisionKind.ANSWER: [("value", "", _answer)],
    RevisionKind.ASSESSMENT: [
        ("score", gettext_lazy("Score"), _text),
        ("status", gettext_lazy("Where we are"), _text),
        ("challenges", gettext_lazy("Challenges"), _text),
        ("evidence", gettext_lazy("What the score rests on"), _text),
    ],
    RevisionKind.RESPONSIBILITY_MAP: [
        ("role", gettext_lazy("Role"), _choice(ResponsibilityRole)),
        ("gap", gettext_lazy("Without a unit"), _choice(Gap)),
    ],
    RevisionKind.UNIT: [
        ("name", gettext_lazy("Name"), _text),
        ("is_active", gettext_lazy("In use"), _yes_no),
    ],
    RevisionKind.COOPERATION_BODY: [
        (f, _verbose(CooperationBody, f), _yes_no if f == "is_formal" else _text)
        for f in ("name", "members", "mandate", "meeting_frequency", "is_formal")
    ],
    RevisionKind.EXTERNAL_ACTOR: [
        ("kind", _verbose(ExternalActor, "kind"), _choice(ActorKind)),
        ("name", _verbose(ExternalActor, "name"), _text),
        ("cooperation_about", _verbose(ExternalActor, "cooperation_about"), _text),
        ("is_state_level", _verbose(ExternalActor, "is_state_level"), _yes_no),
    ],
    RevisionKind.ALLOCATION: [
        ("decided_by", _verbose(AllocationPractice, "decided_by"), _text),
        ("gap", _verbose(AllocationPractice, "gap"), _choice(Gap)),
        ("criteria", _verbose(AllocationPractice, "criteria"), _text),
        ("criteria_written", _verbose(AllocationPractice, "criteria_written"), _yes_no),
    ],
    RevisionKind.PROJECT: [
        ("name", _verbose(Project, "name"), _text),
        ("description", _verbose(Project, "description"), _text),
        ("responsible_unit", _verbose(Project, "responsible_unit"), _one("units")),
        ("partners", _verbose(Project, "partners"), _text),
        ("target_groups", _verbose(Project, "target_groups"), _many("target_groups")),
        ("funding_sources", _verbose(Project, "funding_sources"), _many("funding_sources")),
        ("funding_note", _verbose(Project, "funding_note"), _text),
        ("starts_on", _verbose(Project, "starts_on"), _date),
        ("ends_on", _verbose(Project, "ends_on"), _date),
        ("status", _verbose(Project, "status"), _choice(ProjectStatus)),
        ("factors", _verbose(Project, "factors"), _many("factors")),
        ("results", _verbose(Project, "results"), _text),
    ],
    RevisionKind.ASSIGNMENT: [
        ("unit", gettext_lazy("Responsible unit"), _one("units")),
        ("assignee", gettext_lazy("Responsible colleague"), _one("users")),
        ("note", gettext_lazy("Note"), _text),
        ("due_date", gettext_lazy("Due date"), _date),
    ],
}


def _values(value: Any, kind: str) -> dict | None:
    if kind == RevisionKind.ANSWER:
        return None if value is None else {"value": value}
    return value


def describe(
    revision: Revision, lookups: Lookups, fields: list[tuple[str, Any, Callable]] | None = None
) -> list[Change]:
    """The fields a revision changed (every filled field for a new or removed row). `fields`
    for a kind whose rows live in an app built on this one (a measure, in plans)."""
    old = _values(revision.old_value, revision.kind)
    new = _values(revision.new_value, revision.kind)
    changes = []
    for name, label, show in fields if fields is not None else FIELDS[revision.kind]:
        before = (old or {}).get(name)
        after = (new or {}).get(name)
        if old is not None and new is not None and merge.same(before, after):
            continue
        if old is None and merge.canonical(after) in (None, [], False):
            continue
        if new is None and merge.canonical(before) in (None, [], False):
            continue
        changes.append(
            Change(
                label=capfirst(str(label)),
                old=show(before, lookups) if old is not None else "–",
                new=show(after, lookups) if new is not None else _("(removed)"),
            )
        )
    return changes


def load_lookups(
    kinds: Iterable[str], analysis: Analysis, revisions: list[Revision], question=None
) -> Lookups:
    """The reference rows the kinds refer to: one query each, whatever the number of rows."""
    kinds = set(kinds)
    lookups = Lookups(question=question)
    if kinds & {RevisionKind.PROJECT, RevisionKind.ASSIGNMENT}:
        lookups.units = dict(
            Unit.objects.filter(municipality_id=analysis.municipality_id).values_list("pk", "name")
        )
    if RevisionKind.PROJECT in kinds:
        lookups.target_groups = {t.pk: str(t) for t in TargetGroup.objects.all()}
        lookups.funding_sources = {f.pk: str(f) for f in FundingSource.objects.all()}
        lookups.factors = {f.pk: f"{f.number}. {f.name}" for f in SuccessFactor.objects.all()}
    if RevisionKind.ASSIGNMENT in kinds:
        ids = {(r.new_value or {}).get("assignee") for r in revisions if r.new_value} | {
            (r.old_value or {}).get("assignee") for r in revisions if r.old_value
        }
        lookups.users = {
            u.pk: u.get_full_name() or u.username
            for u in User.objects.filter(pk__in=[i for i in ids if i])
        }
    return lookups


def revisions_of(
    analysis: Analysis, kinds: Iterable[str], object_id: int | None = None
) -> QuerySet[Revision]:
    """Revisions of the given kinds in this analysis, newest first. Units and projects belong
    to the municipality (and so do measures), so their history spans every analysis of the
    municipality."""
    kinds = list(kinds)
    shared = [
        k for k in kinds if k in {RevisionKind.UNIT, RevisionKind.PROJECT, RevisionKind.MEASURE}
    ]
    own = [k for k in kinds if k not in shared]
    scope = Q(analysis=analysis, kind__in=own) | Q(
        analysis__municipality_id=analysis.municipality_id, kind__in=shared
    )
    qs = Revision.objects.filter(scope).select_related("changed_by")
    if object_id is not None:
        qs = qs.filter(object_id=object_id)
    return qs.order_by("-changed_at", "-pk")


def history_rows(
    revisions: Iterable[Revision],
    lookups: Lookups,
    restore_url: Callable[[Revision], str] | None = None,
) -> list[HistoryRow]:
    """Each revision with its changes in words. An earlier value of the same row can be
    restored (not the newest, which is the current value, and not a removal)."""
    rows, seen = [], set()
    for revision in revisions:
        target = (revision.kind, revision.object_id, revision.answer_id)
        newest = target not in seen
        seen.add(target)
        url = None
        if restore_url is not None and not newest and revision.new_value is not None:
            url = restore_url(revision)
        rows.append(
            HistoryRow(revision=revision, changes=describe(revision, lookups), restore_url=url)
        )
    return rows
