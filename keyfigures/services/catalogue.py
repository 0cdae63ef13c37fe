"""The indicator catalogue (fixtures/reference/indicators.json): definitions, units and source
tables, no values. Loaded with the reference data (`load_reference_data`), in its transaction:
this app answers the reference loader's `loading` signal (keyfigures/apps.py)."""

from __future__ import annotations

import json
from pathlib import Path

from keyfigures.models import Indicator
from reference.services.loading import LoadReport, translated_fields, upsert


def load_indicator_catalogue(*, directory: Path, report: LoadReport, **_signal) -> None:
    """The indicator catalogue (definitions and source tables, no values)."""
    data = json.loads((directory / "indicators.json").read_text(encoding="utf-8"))
    indicators, changed = {}, set()
    for order, item in enumerate(data["indicators"], start=1):
        counts = (sum(report.created.values()), sum(report.updated.values()))
        indicators[item["code"]] = upsert(
            Indicator,
            {"code": item["code"]},
            {
                "order": order,
                "theme": item["theme"],
                "unit": item["unit"],
                "better": item["better"],
                "source_publisher": item["source_publisher"],
                "source_table": item["source_table"],
                "source_table_until": (item.get("ssb") or {}).get("until"),
                "aliases": item["aliases"],
                **_ssb_fields(item.get("ssb") or {}),
                **translated_fields(item, "name", "definition"),
            },
            report,
        )
        if counts != (sum(report.created.values()), sum(report.updated.values())):
            changed.add(item["code"])
    # A share points at its count indicator, which may come later in the file: link in a
    # second pass. An indicator created or updated above is counted once, not again here.
    for item in data["indicators"]:
        indicator = indicators[item["code"]]
        target = indicators[item["count"]] if item.get("count") else None
        if indicator.count_indicator_id != (target.pk if target else None):
            indicator.count_indicator = target
            indicator.save(update_fields=["count_indicator"])
            if item["code"] not in changed:
                report.count(Indicator._meta.label_lower, created=False, changed=True)


def _ssb_fields(ssb: dict) -> dict:
    """What the fetch asks SSB for; verified only where the catalogue says it was checked."""
    return {
        "ssb_table_id": ssb.get("table", ""),
        "ssb_contents_code": ssb.get("contents", ""),
        "ssb_dimensions": ssb.get("dimensions") or {},
        "ssb_verified": bool(ssb.get("verified")),
        "ssb_note": ssb.get("note", ""),
    }
