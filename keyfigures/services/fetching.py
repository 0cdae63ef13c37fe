"""Fetching key figures from SSB's PxWebApi 2, written through the same store step as the file
import: every indicator of a fetch lands in one transaction, or none does; a re-fetch of
tables SSB has not changed changes nothing and says so. Each value keeps its table, the
table's "updated" time from SSB's answer and when it was fetched; every run is recorded
(FetchRun) for the administrators.

Nothing is written until every table has been fetched and read: a network failure, a
malformed answer or a refusal halfway leaves the database as it was."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from keyfigures.importers import TIDY_COLUMNS, ImportError_
from keyfigures.jsonstat import read_dataset
from keyfigures.models import FetchOutcome, FetchRun, Indicator
from keyfigures.services.imports import ImportReport, Provenance, store_figures
from keyfigures.ssb import SSBClient, SSBUnavailable

logger = logging.getLogger(__name__)

# progress(done, total, message): queries made of the queries planned.
FetchProgress = Callable[[int, int, str], None]


class FetchFailed(Exception):
    """The fetch wrote nothing; `errors` say why (in the active language)."""

    def __init__(self, errors: list[str], run: FetchRun | None = None):
        super().__init__("; ".join(errors))
        self.errors = errors
        self.run = run


@dataclass
class FetchReport:
    run: FetchRun
    report: ImportReport
    indicators: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    queries: int = 0

    @property
    def changed(self) -> bool:
        r = self.report
        return bool(r.created or r.updated or r.aggregates_created or r.aggregates_updated)


def _plan(indicator_code: str | None) -> tuple[list[Indicator], list[str]]:
    """The indicators to fetch, and a message for each that cannot be."""
    indicators = Indicator.objects.order_by("order", "code")
    if indicator_code:
        indicators = indicators.filter(code=indicator_code)
        if not indicators:
            raise FetchFailed(
                [_("There is no indicator with the code “%(code)s”.") % {"code": indicator_code}]
            )
    fetchable, messages = [], []
    for indicator in indicators:
        if indicator.can_be_fetched:
            fetchable.append(indicator)
        else:
            messages.append(
                _("Skipped %(indicator)s (%(code)s): %(reason)s")
                % {
                    "indicator": indicator.name,
                    "code": indicator.code,
                    "reason": indicator.why_not_fetched,
                }
            )
    if indicator_code and not fetchable:
        raise FetchFailed(messages)
    return fetchable, messages


def fetch_indicators(
    *,
    indicator_code: str | None = None,
    from_year: int | None = None,
    dry_run: bool = False,
    started_by: User | None = None,
    via: str = "command",
    progress: FetchProgress | None = None,
    client: SSBClient | None = None,
) -> FetchReport:
    """Fetch every verified catalogue indicator (or one) for all regions SSB publishes and the
    years from `from_year` (all years when None). Raises FetchFailed, with the run recorded
    as failed, when anything goes wrong; nothing is then written."""
    run = FetchRun.objects.create(
        started_by=started_by,
        via=via,
        parameters={"indicator": indicator_code, "from_year": from_year, "dry_run": dry_run},
    )
    try:
        result = _fetch(
            run=run,
            indicator_code=indicator_code,
            from_year=from_year,
            dry_run=dry_run,
            progress=progress,
            client=client or SSBClient(),
        )
    except (FetchFailed, ImportError_, SSBUnavailable) as error:
        errors = getattr(error, "errors", None) or [str(error)]
        _finish(run, FetchOutcome.FAILED, error="\n".join(errors))
        raise FetchFailed(errors, run) from None
    except Exception as error:
        logger.exception("Fetch from SSB failed")
        _finish(run, FetchOutcome.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
        raise
    return result


def _finish(run: FetchRun, outcome: str, **fields) -> None:
    run.outcome = outcome
    run.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(run, name, value)
    run.save()


def _fetch(
    *,
    run: FetchRun,
    indicator_code: str | None,
    from_year: int | None,
    dry_run: bool,
    progress: FetchProgress | None,
    client: SSBClient,
) -> FetchReport:
    indicators, messages = _plan(indicator_code)
    tell = progress or (lambda done, total, message: None)
    metadata = {}
    for indicator in indicators:
        table = indicator.ssb_table_id
        if table not in metadata:
            tell(len(metadata), len(indicators), _("Reading table %(table)s") % {"table": table})
            metadata[table] = client.table_metadata(table)
    plans = []
    for indicator in indicators:
        meta = metadata[indicator.ssb_table_id]
        contents = meta.codes[meta.contents_dimension]
        if indicator.ssb_contents_code not in contents:
            raise FetchFailed(
                [
                    _(
                        "Table %(table)s has no contents code “%(code)s” (indicator %(indicator)s)"
                        "; the catalogue must be corrected. Nothing was written."
                    )
                    % {
                        "table": meta.table,
                        "code": indicator.ssb_contents_code,
                        "indicator": indicator.code,
                    }
                ]
            )
        years = [
            y for y in meta.codes[meta.time_dimension] if not from_year or int(y[:4]) >= from_year
        ]
        if not years:
            messages.append(
                _("Table %(table)s has no years from %(year)s (indicator %(indicator)s).")
                % {"table": meta.table, "year": from_year, "indicator": indicator.code}
            )
            continue
        selection = {
            meta.contents_dimension: [indicator.ssb_contents_code],
            meta.time_dimension: years,
            **{dim: list(codes) for dim, codes in (indicator.ssb_dimensions or {}).items()},
        }
        plans.append((indicator, meta, selection))

    total = sum(client.parts(meta, selection) for _i, meta, selection in plans)
    done = 0
    frames, provenance = [], {}
    skipped: dict[str, int] = {}
    fetched_at = timezone.now()
    for indicator, meta, selection in plans:
        updated = meta.updated
        queries = list(client.data_queries(meta, selection))
        for part, (url, _part) in enumerate(queries, start=1):
            tell(done, total, _("Fetching %(indicator)s") % {"indicator": indicator.name})
            body = client.table_data(url, table=meta.table, part=part, parts=len(queries))
            table = read_dataset(
                body,
                table=meta.table,
                label=indicator.code,
                contents=indicator.ssb_contents_code,
            )
            frames.append(table.frame)
            updated = table.updated or updated
            for reason, n in table.skipped.items():
                skipped[reason] = skipped.get(reason, 0) + n
            done += 1
        provenance[indicator.code] = Provenance(meta.table, updated, fetched_at)
    tell(done, total, _("Comparing with the figures already stored"))

    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TIDY_COLUMNS)
    report = ImportReport(rows_read=len(frame), skipped=skipped, dry_run=dry_run)
    fetched = {i.code: i for i, _meta, _selection in plans}
    tables = sorted({p.table for p in provenance.values()})
    with transaction.atomic():
        store_figures(
            frame=frame,
            indicators=fetched,
            source=(_("SSB API, table %(tables)s") % {"tables": ", ".join(tables)})[:200],
            report=report,
            tell=lambda stage, d, t: None,
            provenance=provenance,
            audit_action=AuditAction.KEY_FIGURES_FETCHED,
        )
        if not dry_run:
            for code, origin in provenance.items():
                Indicator.objects.filter(code=code).update(
                    ssb_fetched_at=fetched_at, ssb_updated=origin.updated
                )
    result = FetchReport(
        run=run,
        report=report,
        indicators=list(fetched),
        messages=messages,
        queries=client.queries,
    )
    if dry_run:
        outcome = FetchOutcome.DRY_RUN
    elif result.changed:
        outcome = FetchOutcome.CHANGED
    else:
        outcome = FetchOutcome.NOTHING_NEW
        result.messages.append(
            _("Nothing new from SSB: all %(n)s values are stored as fetched already.")
            % {"n": report.unchanged + report.aggregates_unchanged}
        )
    _finish(
        run,
        outcome,
        counts={**report.as_dict(), "indicators": list(fetched), "queries": client.queries},
        messages=result.messages,
    )
    tell(total, total, _("Done"))
    return result


def start_fetch(*, by: User | None, from_year: int | None = None):
    """The fetch as a background job (keyfigures/tasks.py) for the administrators' button."""
    from jobs import services as jobs
    from keyfigures import tasks

    return jobs.start_job(
        kind="ssb_fetch",
        owner=by,
        title=_("Key figures from SSB"),
        task=tasks.fetch_key_figures,
        args=[from_year],
        params={"from_year": from_year},
    )
