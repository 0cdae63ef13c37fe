"""Importing key figures: all or nothing. A file with one bad row writes nothing, and the
report names the row, the column and the reason. A re-import of the same file changes
nothing (values are compared before anything is written)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.importers import ImportError_, read_indicator_file
from analysis.models import Indicator, IndicatorValue, Municipality

BATCH = 5000


@dataclass
class ImportReport:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False


def _match_indicators(labels: set[str], code: str | None) -> dict[str, Indicator]:
    if code:
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            raise ImportError_(
                [_("There is no indicator with the code “%(code)s”.") % {"code": code}]
            )
        return dict.fromkeys(labels, indicator)
    names: dict[str, Indicator] = {}
    for indicator in Indicator.objects.all():
        for name in [
            indicator.code,
            indicator.name_nb,
            indicator.name_nn,
            indicator.name_en,
            *indicator.aliases,
        ]:
            if name:
                names[name.strip().lower()] = indicator
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
    return {label: names[label.strip().lower()] for label in labels}


def import_indicator_file(
    *,
    data: bytes,
    filename: str,
    indicator_code: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    if len(data) > settings.INDICATOR_FILE_MAX_BYTES:
        raise ImportError_(
            [
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": round(len(data) / 1e6, 1),
                    "limit": round(settings.INDICATOR_FILE_MAX_BYTES / 1e6),
                }
            ]
        )
    parsed = read_indicator_file(data, filename, indicator_label=indicator_code)
    frame = parsed.frame
    report = ImportReport(
        rows_read=parsed.rows_read,
        warnings=parsed.warnings,
        skipped=dict(parsed.skipped),
        dry_run=dry_run,
    )
    indicators = _match_indicators(set(frame["label"]), indicator_code)
    municipalities = dict(
        Municipality.objects.filter(valid_to__isnull=True).values_list("number", "pk")
    )
    unknown = sorted(set(frame["municipality"]) - set(municipalities))
    if unknown:
        # Merged or split municipalities: reported, never guessed.
        key = _("municipality numbers that do not exist now: %(numbers)s") % {
            "numbers": ", ".join(unknown[:20]) + (" …" if len(unknown) > 20 else "")
        }
        report.skipped[key] = int(frame["municipality"].isin(unknown).sum())
        frame = frame[~frame["municipality"].isin(unknown)]

    existing = {
        (v.indicator_id, v.municipality_id, v.year): v
        for v in IndicatorValue.objects.filter(
            indicator__in={i.pk for i in indicators.values()},
            municipality__in=[municipalities[n] for n in set(frame["municipality"])],
            year__in=set(int(y) for y in frame["year"]),
        ).only("pk", "indicator_id", "municipality_id", "year", "value", "missing_reason")
    }
    now = timezone.now()
    to_create, to_update = [], []
    total = len(frame)
    for done, (number, year, label, value, reason) in enumerate(
        frame[["municipality", "year", "label", "value", "missing_reason"]].itertuples(
            index=False, name=None
        ),
        start=1,
    ):
        indicator = indicators[label]
        decimal = None if value is None or value != value else Decimal(str(round(value, 4)))
        key = (indicator.pk, municipalities[number], int(year))
        current = existing.get(key)
        if current is None:
            to_create.append(
                IndicatorValue(
                    indicator_id=key[0],
                    municipality_id=key[1],
                    year=key[2],
                    value=decimal,
                    missing_reason=reason if decimal is None else "",
                    imported_at=now,
                    source_file=filename[:200],
                )
            )
        elif current.value != decimal or current.missing_reason != (
            reason if decimal is None else ""
        ):
            current.value = decimal
            current.missing_reason = reason if decimal is None else ""
            current.imported_at = now
            current.source_file = filename[:200]
            to_update.append(current)
        else:
            report.unchanged += 1
        if progress and (done % BATCH == 0 or done == total):
            progress(done, total)
    report.created, report.updated = len(to_create), len(to_update)
    if not dry_run:
        with transaction.atomic():
            IndicatorValue.objects.bulk_create(to_create, batch_size=BATCH)
            IndicatorValue.objects.bulk_update(
                to_update,
                ["value", "missing_reason", "imported_at", "source_file"],
                batch_size=BATCH,
            )
    return report
