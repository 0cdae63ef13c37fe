"""Importing key figures: all or nothing. A file with one bad row writes nothing, and the
report names the row, the column and the reason. A re-import of the same file changes
nothing (values are compared before anything is written).

Municipality rows become `IndicatorValue`s; the file's own county and country rows (`18
Nordland`, `0 Hele landet`, KOSTRA's `EKA18` and `EAK`) become `IndicatorAggregateValue`s,
the official figures the comparisons prefer over a sum of whichever municipalities happen to
be imported."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditAction
from keyfigures.importers import (
    COUNTY,
    KOSTRA_GROUP,
    MUNICIPALITY,
    ImportError_,
    read_indicator_file,
)
from keyfigures.models import Indicator, IndicatorAggregateValue, IndicatorValue, KostraGroup
from reference.models import County, Municipality

logger = logging.getLogger(__name__)

BATCH = 5000
# progress(stage, done, total): stage is "read", "compare" or "write".
Progress = Callable[[str, int, int], None]


@dataclass
class ImportReport:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # The file's official county and country figures.
    aggregates_created: int = 0
    aggregates_updated: int = 0
    aggregates_unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return {
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "aggregates_created": self.aggregates_created,
            "aggregates_updated": self.aggregates_updated,
            "aggregates_unchanged": self.aggregates_unchanged,
            "skipped": dict(self.skipped),
            "warnings": list(self.warnings),
            "dry_run": self.dry_run,
        }


def size_error(size: int) -> ImportError_ | None:
    """The refusal of a file by its size alone, before a byte of it is read."""
    limit = settings.INDICATOR_FILE_MAX_BYTES
    if size <= limit:
        return None
    return ImportError_(
        [
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1e6, 1), "limit": round(limit / 1e6)}
        ]
    )


def _names_of(indicator: Indicator) -> set[str]:
    names = [
        indicator.code,
        indicator.name_nb,
        indicator.name_nn,
        indicator.name_en,
        *indicator.aliases,
    ]
    return {name.strip().lower() for name in names if name}


def _match_indicators(labels: set[str], code: str | None) -> tuple[dict[str, Indicator], set[str]]:
    """Each label in the file → its indicator, and the labels left out on purpose."""
    if code:
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            raise ImportError_(
                [_("There is no indicator with the code “%(code)s”.") % {"code": code}]
            )
        named = labels - {""}
        if len(named) <= 1:
            return dict.fromkeys(labels, indicator), set()
        matching = {label for label in named if label.strip().lower() in _names_of(indicator)}
        if len(matching) == 1:
            # A download with several variables: take the one that is the chosen indicator.
            return dict.fromkeys(matching, indicator), labels - matching
        raise ImportError_(
            [
                _(
                    "The file holds %(n)s indicators (%(labels)s). A chosen indicator can only "
                    "be used for a file with one, or where exactly one of them is the chosen "
                    "indicator's name or alias. Import without choosing an indicator, or "
                    "download one indicator at a time."
                )
                % {"n": len(named), "labels": "; ".join(sorted(named)[:10])}
            ]
        )
    names: dict[str, Indicator] = {}
    for indicator in Indicator.objects.all():
        for name in _names_of(indicator):
            names[name] = indicator
    unknown = sorted(label for label in labels if label.strip().lower() not in names)
    if unknown:
        raise ImportError_(
            [
                _(
                    "Unknown indicator “%(label)s”. Choose the indicator (--indicator CODE) or "
                    "add the label as an alias of an indicator."
                )
                % {"label": label or "–"}
                for label in unknown
            ]
        )
    return {label: names[label.strip().lower()] for label in labels}, set()


def _listed(numbers: list[str]) -> str:
    return ", ".join(numbers[:20]) + (" …" if len(numbers) > 20 else "")


def import_indicator_file(
    *,
    data: bytes,
    filename: str,
    indicator_code: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    def tell(stage: str, done: int, total: int) -> None:
        if progress:
            progress(stage, done, total)

    if error := size_error(len(data)):
        raise error
    tell("read", 0, len(data))
    parsed = read_indicator_file(data, filename, indicator_label=indicator_code)
    tell("read", len(data), len(data))
    frame = parsed.frame
    report = ImportReport(
        rows_read=parsed.rows_read,
        warnings=parsed.warnings,
        skipped=dict(parsed.skipped),
        dry_run=dry_run,
    )
    indicators, left_out = _match_indicators(set(frame["label"]), indicator_code)
    if left_out:
        report.skipped[_("values of other indicators in the file")] = int(
            frame["label"].isin(left_out).sum()
        )
        frame = frame[~frame["label"].isin(left_out)]

    return store_figures(
        frame=frame, indicators=indicators, source=filename[:200], report=report, tell=tell
    )


@dataclass(frozen=True)
class Provenance:
    """Where fetched values came from: SSB's table, its "updated" time, when fetched."""

    table: str
    updated: datetime.datetime | None
    fetched_at: datetime.datetime


def store_figures(
    *,
    frame,
    indicators: dict[str, Indicator],
    source: str,
    report: ImportReport,
    tell: Progress,
    provenance: dict[str, Provenance] | None = None,
    audit_action: str = AuditAction.KEY_FIGURES_IMPORTED,
) -> ImportReport:
    """Tidy rows (importers.TIDY_COLUMNS; `label` a key of `indicators`) compared with what
    is stored and written in one transaction, or not at all. The file import and the fetch
    from SSB both end here. With `provenance` (a fetch) a value whose table SSB has updated
    since is updated even if the figure is the same, so that its source stays true."""
    municipalities = dict(Municipality.objects.current().values_list("number", "pk"))
    counties = dict(County.objects.values_list("number", "pk"))
    is_municipality = frame["kind"] == MUNICIPALITY
    is_county = frame["kind"] == COUNTY
    gone = sorted(set(frame.loc[is_municipality, "region"]) - set(municipalities))
    if gone:
        # Merged or split municipalities: reported, never guessed.
        key = _("municipality numbers that do not exist now: %(numbers)s") % {
            "numbers": _listed(gone)
        }
        report.skipped[key] = int((is_municipality & frame["region"].isin(gone)).sum())
    gone_counties = sorted(set(frame.loc[is_county, "region"]) - set(counties))
    if gone_counties:
        key = _("county numbers that do not exist now: %(numbers)s") % {
            "numbers": _listed(gone_counties)
        }
        report.skipped[key] = int((is_county & frame["region"].isin(gone_counties)).sum())
    frame = frame[
        ~(is_municipality & frame["region"].isin(gone))
        & ~(is_county & frame["region"].isin(gone_counties))
    ]
    own = frame[frame["kind"] == MUNICIPALITY]
    official = frame[frame["kind"] != MUNICIPALITY]
    indicator_ids = {i.pk for i in indicators.values()}
    years = {int(y) for y in frame["year"]}
    now = timezone.now()
    origin = {label: (p.table, p.updated, p.fetched_at) for label, p in (provenance or {}).items()}
    no_origin = ("", None, None)

    existing = {
        (v.indicator_id, v.municipality_id, v.year): v
        for v in IndicatorValue.objects.filter(
            indicator__in=indicator_ids,
            municipality__in=[municipalities[n] for n in set(own["region"])],
            year__in=years,
        ).only(
            "pk",
            "indicator_id",
            "municipality_id",
            "year",
            "value",
            "missing_reason",
            "source_table",
            "source_updated",
        )
    }
    to_create: list[IndicatorValue] = []
    to_update: list[IndicatorValue] = []
    total = len(frame)
    done = 0
    for number, year, label, value, reason in own[
        ["region", "year", "label", "value", "missing_reason"]
    ].itertuples(index=False, name=None):
        key = (indicators[label].pk, municipalities[number], int(year))
        stored = _queue(
            current=existing.get(key),
            new=partial(IndicatorValue, indicator_id=key[0], municipality_id=key[1], year=key[2]),
            figure=(*_stored(value, reason), now, source, *origin.get(label, no_origin)),
            created=to_create,
            updated=to_update,
            compare_origin=provenance is not None,
        )
        report.unchanged += stored
        done += 1
        if done % BATCH == 0:
            tell("compare", done, total)

    existing_official = {
        (v.indicator_id, v.county_id, v.kostra_group_id, v.year): v
        for v in IndicatorAggregateValue.objects.filter(indicator__in=indicator_ids, year__in=years)
    }
    groups = dict(KostraGroup.objects.values_list("code", "pk"))
    # A group SSB publishes figures for before its members were loaded (load_kostra_groups)
    # is created with the figures, under SSB's own name for it.
    new_groups = sorted(set(official.loc[official["kind"] == KOSTRA_GROUP, "region"]) - set(groups))
    official_create: list[IndicatorAggregateValue] = []
    official_update: list[IndicatorAggregateValue] = []
    for kind, number, year, label, value, reason in official[
        ["kind", "region", "year", "label", "value", "missing_reason"]
    ].itertuples(index=False, name=None):
        county_id = counties[number] if kind == COUNTY else None
        group_id = groups.get(number) if kind == KOSTRA_GROUP else None
        key = (indicators[label].pk, county_id, group_id, int(year))
        new = partial(
            IndicatorAggregateValue,
            indicator_id=key[0],
            county_id=county_id,
            kostra_group_id=group_id,
            year=key[3],
        )
        if kind == KOSTRA_GROUP and group_id is None:
            new = partial(_with_group_code, new, number)
        stored = _queue(
            current=existing_official.get(key) if kind != KOSTRA_GROUP or group_id else None,
            new=new,
            figure=(*_stored(value, reason), now, source, *origin.get(label, no_origin)),
            created=official_create,
            updated=official_update,
            compare_origin=provenance is not None,
        )
        report.aggregates_unchanged += stored
        done += 1
    tell("compare", total, total)

    report.created, report.updated = len(to_create), len(to_update)
    report.aggregates_created = len(official_create)
    report.aggregates_updated = len(official_update)
    if not report.dry_run:
        _write(to_create, to_update, official_create, official_update, tell, new_groups)
        audit.record(
            audit_action,
            target=source,
            details={
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "aggregates_created": report.aggregates_created,
                "aggregates_updated": report.aggregates_updated,
            },
        )
    return report


def _queue(
    *, current, new, figure: tuple, created: list, updated: list, compare_origin: bool = False
) -> bool:
    """Queue one figure (value, missing reason, import time, file, SSB table, its update time,
    fetch time) for creating or updating; True when it is stored exactly so already (a
    re-import, or a re-fetch of a table SSB has not updated, changes nothing)."""
    value, reason, now, source, table, table_updated, fetched_at = figure
    if current is None:
        row = new()
        (
            row.value,
            row.missing_reason,
            row.imported_at,
            row.source_file,
            row.source_table,
            row.source_updated,
            row.fetched_at,
        ) = figure
        created.append(row)
        return False
    same = current.value == value and current.missing_reason == reason
    if same and (
        not compare_origin
        or (current.source_table == table and current.source_updated == table_updated)
    ):
        return True
    current.value, current.missing_reason = value, reason
    current.imported_at, current.source_file = now, source
    current.source_table, current.source_updated, current.fetched_at = (
        table,
        table_updated,
        fetched_at,
    )
    updated.append(current)
    return False


def _stored(value: Decimal | None, reason: str) -> tuple[Decimal | None, str]:
    """A value with no reason, or no value with one (the database insists on exactly that)."""
    if value is None or value != value:
        return None, reason or "not_available"
    return value, ""


def _with_group_code(new, code: str) -> IndicatorAggregateValue:
    row = new()
    row.group_code = code  # its group is created in the write's transaction
    return row


def kostra_group_name(code: str) -> str:
    """SSB's own name for a KOSTRA group, as its tables label it: EKG13 → Kostragruppe 13."""
    return f"KOSTRA-gruppe {int(code[3:])}" if code[3:].isdigit() else code


def _write(
    to_create, to_update, official_create, official_update, tell: Progress, new_groups=()
) -> None:
    """Everything in one transaction: a failure anywhere leaves the database as it was."""
    fields = [
        "value",
        "missing_reason",
        "imported_at",
        "source_file",
        "source_table",
        "source_updated",
        "fetched_at",
    ]
    total = len(to_create) + len(to_update) + len(official_create) + len(official_update)
    written = 0
    try:
        with transaction.atomic():
            for start in range(0, len(to_create), BATCH):
                chunk = to_create[start : start + BATCH]
                IndicatorValue.objects.bulk_create(chunk, batch_size=BATCH)
                written += len(chunk)
                tell("write", written, total)
            for start in range(0, len(to_update), BATCH):
                chunk = to_update[start : start + BATCH]
                IndicatorValue.objects.bulk_update(chunk, fields, batch_size=BATCH)
                written += len(chunk)
                tell("write", written, total)
            if new_groups:
                created = {
                    g.code: g.pk
                    for g in KostraGroup.objects.bulk_create(
                        [KostraGroup(code=c, name=kostra_group_name(c)) for c in new_groups]
                    )
                }
                if None in created.values():  # backends that return no ids (none used here)
                    created = dict(
                        KostraGroup.objects.filter(code__in=new_groups).values_list("code", "pk")
                    )
                for row in official_create:
                    if code := getattr(row, "group_code", None):
                        row.kostra_group_id = created[code]
            IndicatorAggregateValue.objects.bulk_create(official_create, batch_size=BATCH)
            IndicatorAggregateValue.objects.bulk_update(official_update, fields, batch_size=BATCH)
            tell("write", total, total)
    except DatabaseError as error:
        logger.exception("Indicator import refused by the database")
        raise ImportError_(
            [
                _("The database refused the figures (%(error)s). Nothing was written.")
                % {
                    "error": str(error).splitlines()[0][:200]
                    if str(error)
                    else type(error).__name__
                }
            ]
        ) from None


# --- Progress of an import, for the upload page ---------------------------------------------
# The upload is an ordinary POST that runs the whole import (all or nothing) before it
# answers. While it runs, each stage is written to the cache under an id the form carried, and
# the page's script (static/js/indicator-import.js) reads it from the progress endpoint.
# With several server processes the cache must be shared (REDIS_URL); with the local-memory
# default a poll that reaches another process finds nothing and the bar just keeps waiting.

PROGRESS_SECONDS = 60 * 60
# Shares of the bar: reading has no measure of its own (indeterminate), comparing takes the
# first 40 %, writing the rest.
COMPARE_SHARE = 40


def progress_key(user_id: int, import_id: str) -> str:
    return f"indicator-import:{user_id}:{import_id}"


def progress_recorder(*, user_id: int, import_id: str) -> Progress:
    from django.core.cache import cache

    key = progress_key(user_id, import_id)

    def record(stage: str, done: int, total: int) -> None:
        percent = None
        if stage == "read":
            text = _("Reading and checking the file …")
        elif stage == "compare":
            percent = round(COMPARE_SHARE * done / total) if total else COMPARE_SHARE
            text = _("Comparing with the figures already stored: %(done)s of %(total)s") % {
                "done": done,
                "total": total,
            }
        else:
            share = 100 - COMPARE_SHARE
            percent = COMPARE_SHARE + (round(share * done / total) if total else share)
            text = _("Writing: %(done)s of %(total)s values") % {"done": done, "total": total}
        cache.set(
            key,
            {"stage": stage, "done": done, "total": total, "percent": percent, "text": text},
            PROGRESS_SECONDS,
        )

    return record


def finish_progress(
    *, user_id: int, import_id: str, report: ImportReport | None, errors: list[str]
) -> None:
    from django.core.cache import cache

    if report is not None:
        payload = {
            "stage": "done",
            "percent": 100,
            "text": _("Import finished.") if not report.dry_run else _("Check finished."),
            "report": report.as_dict(),
        }
    else:
        payload = {
            "stage": "failed",
            "percent": None,
            "text": _("Nothing was imported."),
            "errors": errors[:50],
        }
    cache.set(progress_key(user_id, import_id), payload, PROGRESS_SECONDS)


# --- A checked file kept for the real import ---------------------------------------------------
# After a dry run the administrator can import the same file without choosing it again: its
# bytes wait on the server under a random token that only their session knows. One file per
# session (the next check replaces it); files older than a day are removed on the next check.

CHECKED_FOLDER = "indicator-checks"
CHECKED_KEEP_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class CheckedFile:
    token: str
    filename: str
    indicator_code: str | None
    size: int

    def as_session(self) -> dict:
        return {
            "token": self.token,
            "filename": self.filename,
            "indicator_code": self.indicator_code,
            "size": self.size,
        }


def _checked_name(token: str) -> str | None:
    # The token names a file: only the hex form uuid4().hex writes is accepted.
    if len(token) != 32 or any(c not in "0123456789abcdef" for c in token):
        return None
    return f"{CHECKED_FOLDER}/{token}"


def _is_stale(name: str) -> bool:
    stale_before = timezone.now() - datetime.timedelta(seconds=CHECKED_KEEP_SECONDS)
    return default_storage.get_modified_time(name) < stale_before


def keep_checked_file(
    *, data: bytes, filename: str, indicator_code: str | None, replacing: str = ""
) -> CheckedFile:
    """Keep a checked file for its import; the same size limit as any upload. Kept through
    STORAGES, so the import may reach another app server than the check did."""
    if error := size_error(len(data)):
        raise error
    if replacing:
        discard_checked_file(replacing)
    try:
        _folders, names = default_storage.listdir(CHECKED_FOLDER)
    except FileNotFoundError:
        names = []
    for old in names:
        if _is_stale(f"{CHECKED_FOLDER}/{old}"):
            default_storage.delete(f"{CHECKED_FOLDER}/{old}")
    token = uuid.uuid4().hex
    default_storage.save(f"{CHECKED_FOLDER}/{token}", ContentFile(data))
    return CheckedFile(token, filename, indicator_code, len(data))


def read_checked_file(token: str) -> bytes | None:
    name = _checked_name(token)
    if name is None or not default_storage.exists(name):
        return None
    if _is_stale(name):
        default_storage.delete(name)
        return None
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def discard_checked_file(token: str) -> None:
    name = _checked_name(token)
    if name is not None:
        default_storage.delete(name)
