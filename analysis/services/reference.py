"""Loading reference data: regions, counties, municipalities, the six success factors,
the questionnaire's first edition and the small vocabularies.

Idempotent: loading the same files twice changes nothing, and loading a newer municipality
file updates names and counties, and ends (never deletes) numbers that are gone.
"""

from __future__ import annotations

import csv
import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from analysis.models import (
    County,
    FundingSource,
    Indicator,
    Instrument,
    Municipality,
    Question,
    Questionnaire,
    Region,
    Section,
    TargetGroup,
    TaskArea,
)
from factors.models import Criterion, MaturityLevel, SuccessFactor

REFERENCE_DIR = Path(settings.BASE_DIR) / "fixtures" / "reference"
# The classification the municipality file follows (SSB 131, codes valid from 2024-01-01).
CLASSIFICATION_VALID_FROM = datetime.date(2024, 1, 1)


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    ended: list[str] = field(default_factory=list)

    def count(self, kind: str, created: bool, changed: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1
        elif changed:
            self.updated[kind] = self.updated.get(kind, 0) + 1

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.ended)


def _read_csv(path: Path) -> list[dict[str, str]]:
    # dtype is text throughout: kommunenummer "0301" must keep its leading zero.
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _upsert(model, lookup: dict, values: dict, report: LoadReport, on_create=None):
    """update_or_create that only writes when a value really differs, so a second load
    leaves every row (and its history) untouched."""
    kind = model._meta.label_lower
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(on_create or {}))
        obj.full_clean()
        obj.save()
        report.count(kind, created=True, changed=True)
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.full_clean()
        obj.save(update_fields=changed)
        report.count(kind, created=False, changed=True)
    return obj


@transaction.atomic
def load_reference_data(
    *, directory: Path = REFERENCE_DIR, municipalities_file: Path | None = None
) -> LoadReport:
    report = LoadReport()
    regions = _load_regions(directory, report)
    counties = _load_counties(directory, regions, report)
    _load_municipalities(municipalities_file or directory / "kommuner-2024.csv", counties, report)
    _load_vocabularies(directory, report)
    _load_success_factors(directory, report)
    _load_questionnaire(directory, report)
    _load_indicators(directory, report)
    return report


def _load_regions(directory: Path, report: LoadReport) -> dict[str, Region]:
    regions = {}
    for row in _read_csv(directory / "statsforvaltere-2024.csv"):
        regions[row["statsforvalter"]] = _upsert(
            Region,
            {"name": row["statsforvalter"]},
            {"organisation_number": row["organisasjonsnummer"]},
            report,
        )
    return regions


def _load_counties(directory: Path, regions: dict[str, Region], report) -> dict[str, County]:
    counties = {}
    for row in _read_csv(directory / "fylker-2024.csv"):
        counties[row["fylkesnummer"]] = _upsert(
            County,
            {"number": row["fylkesnummer"]},
            {
                "name": row["fylkesnavn"],
                "official_name": row["fylkesnavn_offisielt"],
                "region": regions[row["statsforvalter"]],
            },
            report,
        )
    return counties


def _load_municipalities(path: Path, counties: dict[str, County], report: LoadReport) -> None:
    seen = set()
    for row in _read_csv(path):
        number = row["kommunenummer"].strip()
        seen.add(number)
        _upsert(
            Municipality,
            {"number": number},
            {
                "name": row["navn"],
                "ssb_name": row["navn_ssb"],
                "other_language_names": row["navn_andre_sprak"],
                "county": counties[row["fylkesnummer"]],
                "language_form": row["malform"],
                "population": int(row["innbyggere"]),
                "population_year": int(row["innbyggere_aar"]),
                "valid_to": None,
            },
            report,
            on_create={"valid_from": CLASSIFICATION_VALID_FROM},
        )
    # Numbers no longer in the classification (merged or split) are ended, not deleted:
    # analyses from earlier rounds keep pointing at them.
    today = timezone.localdate()
    for gone in Municipality.objects.exclude(number__in=seen).filter(valid_to__isnull=True):
        gone.valid_to = today
        gone.save(update_fields=["valid_to"])
        report.ended.append(str(gone))


def _translated(item: dict, *names: str) -> dict:
    return {
        f"{name}_{lang}": item.get(f"{name}_{lang}", "")
        for name in names
        for lang in ("nb", "nn", "en")
    }


def _load_vocabularies(directory: Path, report: LoadReport) -> None:
    data = json.loads((directory / "vocabularies.json").read_text(encoding="utf-8"))
    for order, item in enumerate(data["task_areas"], start=1):
        _upsert(
            TaskArea,
            {"key": item["key"]},
            {"order": order, **_translated(item, "name", "description")},
            report,
        )
    for model, items in [
        (Instrument, data["instruments"]),
        (TargetGroup, data["target_groups"]),
        (FundingSource, data["funding_sources"]),
    ]:
        for order, item in enumerate(items, start=1):
            _upsert(
                model, {"key": item["key"]}, {"order": order, **_translated(item, "name")}, report
            )


def _load_success_factors(directory: Path, report: LoadReport) -> None:
    data = json.loads((directory / "success_factors.json").read_text(encoding="utf-8"))
    for item in data["factors"]:
        factor = _upsert(
            SuccessFactor,
            {"number": item["number"]},
            {"key": item["key"], "source": data["source"], **_translated(item, "name", "summary")},
            report,
        )
        for order, text in enumerate(item["criteria_nb"], start=1):
            _upsert(
                Criterion,
                {"factor": factor, "order": order},
                {"text_nb": text},
                report,
            )
        for level, text in enumerate(item["levels_nb"], start=1):
            _upsert(
                MaturityLevel,
                {"factor": factor, "level": level},
                {"description_nb": text},
                report,
            )


def _load_questionnaire(directory: Path, report: LoadReport) -> None:
    """The first edition is created once; after that its texts belong to the administrators,
    who edit them or publish a new edition, so a reload never overwrites their work."""
    data = json.loads((directory / "questionnaire.json").read_text(encoding="utf-8"))
    if Questionnaire.objects.filter(edition=data["edition"]).exists():
        return
    questionnaire = Questionnaire.objects.create(
        edition=data["edition"],
        title=data["title"],
        source=data["source"],
        published_at=timezone.now(),
    )
    report.count("analysis.questionnaire", created=True, changed=True)
    for order, s in enumerate(data["sections"], start=1):
        section = Section.objects.create(
            questionnaire=questionnaire,
            key=s["key"],
            order=order,
            kind=s["kind"],
            **_translated(s, "title", "intro"),
        )
        for q_order, q in enumerate(s["questions"], start=1):
            question = Question(
                section=section,
                key=q["key"],
                order=q_order,
                kind=q["kind"],
                required=q.get("required", True),
                choices=q.get("choices", []),
                source=data["source"] if s["key"] == "refleksjon" else "",
                **_translated(q, "text", "help"),
            )
            question.full_clean()
            question.save()
            report.count("analysis.question", created=True, changed=True)


def _load_indicators(directory: Path, report: LoadReport) -> None:
    """The indicator catalogue (definitions and source tables, no values)."""
    data = json.loads((directory / "indicators.json").read_text(encoding="utf-8"))
    indicators = {}
    for order, item in enumerate(data["indicators"], start=1):
        indicators[item["code"]] = _upsert(
            Indicator,
            {"code": item["code"]},
            {
                "order": order,
                "theme": item["theme"],
                "unit": item["unit"],
                "better": item["better"],
                "source_publisher": item["source_publisher"],
                "source_table": item["source_table"],
                "aliases": item["aliases"],
                **_translated(item, "name", "definition"),
            },
            report,
        )
    for item in data["indicators"]:
        if item.get("count"):
            _upsert(
                Indicator,
                {"code": item["code"]},
                {"count_indicator": indicators[item["count"]]},
                report,
            )
