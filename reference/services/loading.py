"""Loading reference data: regions, counties, municipalities, the six success factors,
the questionnaire's first edition and the small vocabularies.

Idempotent: loading the same files twice changes nothing.

Municipalities follow SSB's classification 131, one version at a time. Each version that has
been loaded is kept as a `MunicipalityClassification` (its valid-from date and file), and a
load never goes back to an older version than the newest stored: a plain
`load_reference_data` (the bundled 2024 file, which `make run` repeats every time) after a
newer file has been loaded leaves the newer structure alone and says so. A newer version
creates the municipalities that are new (valid from its date), updates names and counties,
and ends the numbers that are gone (valid to the day before; never deleted, since earlier
analyses point at them). A file with a problem (an unknown county, a malformed number)
writes nothing at all.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reference.models import (
    County,
    Criterion,
    FundingSource,
    Instrument,
    MaturityLevel,
    Municipality,
    MunicipalityClassification,
    Question,
    Questionnaire,
    Region,
    Section,
    SuccessFactor,
    TargetGroup,
    TaskArea,
)
from reference.signals import loading

REFERENCE_DIR = Path(settings.BASE_DIR) / "fixtures" / "reference"
BUNDLED_MUNICIPALITIES = "kommuner-2024.csv"
# The classification the bundled municipality file follows (SSB 131, codes valid from
# 2024-01-01).
CLASSIFICATION_VALID_FROM = datetime.date(2024, 1, 1)
LANGUAGES = ("nb", "nn", "en")
MUNICIPALITY_COLUMNS = (
    "kommunenummer",
    "navn",
    "navn_ssb",
    "navn_andre_sprak",
    "fylkesnummer",
    "malform",
    "innbyggere",
    "innbyggere_aar",
)


class ReferenceDataError(Exception):
    """A reference file that cannot be loaded as it is. The message says what to fix, in the
    language of the person running the load; nothing has been written."""


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    ended: list[str] = field(default_factory=list)
    # Set when the municipality file was older than the newest classification stored.
    kept_classification: datetime.date | None = None
    refused_classification: datetime.date | None = None

    def count(self, kind: str, created: bool, changed: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1
        elif changed:
            self.updated[kind] = self.updated.get(kind, 0) + 1

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.ended)


def _read_csv(path: Path) -> list[dict[str, str]]:
    # Everything is read as text: kommunenummer "0301" must keep its leading zero.
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except FileNotFoundError as error:
        raise ReferenceDataError(_("The file %(path)s does not exist.") % {"path": path}) from error
    except UnicodeDecodeError as error:
        raise ReferenceDataError(
            _("The file %(path)s is not UTF-8 text.") % {"path": path}
        ) from error


def upsert(model, lookup: dict, values: dict, report: LoadReport, on_create=None):
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
    *,
    directory: Path = REFERENCE_DIR,
    municipalities_file: Path | None = None,
    valid_from: datetime.date | None = None,
) -> LoadReport:
    """Load every reference file. `municipalities_file` with `valid_from` loads a newer
    version of the municipality classification instead of the bundled 2024 one."""
    if municipalities_file is not None and valid_from is None:
        raise ReferenceDataError(
            _(
                "Give the date the municipality file is valid from (--valid-from YYYY-MM-DD), "
                "so the load knows whether it is newer than the structure already stored."
            )
        )
    if municipalities_file is None:
        if valid_from is not None and valid_from != CLASSIFICATION_VALID_FROM:
            raise ReferenceDataError(
                _("--valid-from needs a municipality file (--municipalities FILE).")
            )
        municipalities_file = directory / BUNDLED_MUNICIPALITIES
        valid_from = CLASSIFICATION_VALID_FROM
    report = LoadReport()
    regions = _load_regions(directory, report)
    counties = _load_counties(directory, regions, report)
    _load_municipalities(municipalities_file, valid_from, counties, report)
    _load_vocabularies(directory, report)
    _load_success_factors(directory, report)
    _load_questionnaire(directory, report)
    # Apps that keep catalogues of their own beside the reference data (the key-figure
    # indicators) load them here, in the same transaction: all or nothing.
    loading.send(sender=LoadReport, directory=directory, report=report)
    return report


def _load_regions(directory: Path, report: LoadReport) -> dict[str, Region]:
    regions = {}
    for row in _read_csv(directory / "statsforvaltere-2024.csv"):
        regions[row["statsforvalter"]] = upsert(
            Region,
            {"name": row["statsforvalter"]},
            {"organisation_number": row["organisasjonsnummer"]},
            report,
        )
    return regions


def _load_counties(directory: Path, regions: dict[str, Region], report) -> dict[str, County]:
    counties = {}
    for row in _read_csv(directory / "fylker-2024.csv"):
        counties[row["fylkesnummer"]] = upsert(
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


def _municipality_rows(path: Path, counties: dict[str, County]) -> list[dict]:
    """The file's rows as model values, every row checked before anything is written."""
    rows = _read_csv(path)
    if not rows:
        raise ReferenceDataError(_("The file %(path)s has no municipalities.") % {"path": path})
    missing = [c for c in MUNICIPALITY_COLUMNS if c not in rows[0]]
    if missing:
        raise ReferenceDataError(
            _("The file %(path)s lacks the column(s) %(columns)s.")
            % {"path": path, "columns": ", ".join(missing)}
        )
    values, seen = [], set()
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        number = (row["kommunenummer"] or "").strip()
        where = {"path": path.name, "line": line, "number": number}
        if not re.fullmatch(r"[0-9]{4}", number):
            raise ReferenceDataError(
                _(
                    "%(path)s line %(line)s: the municipality number «%(number)s» is not four "
                    "digits. Nothing was loaded."
                )
                % where
            )
        if number in seen:
            raise ReferenceDataError(
                _(
                    "%(path)s line %(line)s: the municipality number %(number)s occurs twice. "
                    "Nothing was loaded."
                )
                % where
            )
        seen.add(number)
        county_number = (row["fylkesnummer"] or "").strip()
        if county_number not in counties:
            raise ReferenceDataError(
                _(
                    "%(path)s line %(line)s: municipality %(number)s has the county number "
                    "«%(county)s», which is not one of the known counties (%(known)s). Nothing "
                    "was loaded."
                )
                % {**where, "county": county_number, "known": ", ".join(sorted(counties))}
            )
        try:
            population, year = int(row["innbyggere"]), int(row["innbyggere_aar"])
        except (TypeError, ValueError) as error:
            raise ReferenceDataError(
                _(
                    "%(path)s line %(line)s: the population and its year must be whole "
                    "numbers. Nothing was loaded."
                )
                % where
            ) from error
        values.append(
            {
                "number": number,
                "name": row["navn"].strip(),
                "ssb_name": row["navn_ssb"].strip(),
                "other_language_names": row["navn_andre_sprak"].strip(),
                "county": counties[county_number],
                "language_form": row["malform"].strip(),
                "population": population,
                "population_year": year,
                "line": line,
            }
        )
    return values


def _load_municipalities(
    path: Path, valid_from: datetime.date, counties: dict[str, County], report: LoadReport
) -> None:
    rows = _municipality_rows(path, counties)
    newest = MunicipalityClassification.objects.order_by("-valid_from").first()
    if newest is not None and valid_from < newest.valid_from:
        # An older version would bring back ended municipalities and end new ones.
        report.kept_classification = newest.valid_from
        report.refused_classification = valid_from
        return
    seen = set()
    for row in rows:
        line = row.pop("line")
        seen.add(row["number"])
        try:
            upsert(
                Municipality,
                {"number": row.pop("number")},
                {**row, "valid_to": None},
                report,
                on_create={"valid_from": valid_from},
            )
        except ValidationError as error:
            raise ReferenceDataError(
                _("%(path)s line %(line)s: %(errors)s Nothing was loaded.")
                % {"path": path.name, "line": line, "errors": " ".join(error.messages)}
            ) from error
    # Numbers no longer in the classification (merged or split) are ended the day before the
    # new version starts, not deleted: analyses from earlier rounds keep pointing at them.
    ends_on = valid_from - datetime.timedelta(days=1)
    for gone in Municipality.objects.current().exclude(number__in=seen):
        if gone.valid_from > ends_on:
            raise ReferenceDataError(
                _(
                    "%(municipality)s came with the classification valid from %(date)s and is "
                    "missing from a file with the same date. Give a corrected classification a "
                    "later --valid-from date. Nothing was loaded."
                )
                % {"municipality": gone, "date": date_format(gone.valid_from)}
            )
        gone.valid_to = ends_on
        gone.save(update_fields=["valid_to"])
        report.ended.append(str(gone))
    if newest is None or valid_from > newest.valid_from:
        MunicipalityClassification.objects.create(valid_from=valid_from, source=path.name)
        report.count(MunicipalityClassification._meta.label_lower, created=True, changed=True)


def translated_fields(item: dict, *names: str) -> dict:
    return {
        f"{name}_{lang}": item.get(f"{name}_{lang}", "") for name in names for lang in LANGUAGES
    }


def _load_vocabularies(directory: Path, report: LoadReport) -> None:
    """Entries removed from the file are kept: projects, responsibilities and allocation
    practices of earlier rounds point at them (on_delete=PROTECT)."""
    data = json.loads((directory / "vocabularies.json").read_text(encoding="utf-8"))
    for order, item in enumerate(data["task_areas"], start=1):
        upsert(
            TaskArea,
            {"key": item["key"]},
            {"order": order, **translated_fields(item, "name", "description")},
            report,
        )
    for model, items in [
        (Instrument, data["instruments"]),
        (TargetGroup, data["target_groups"]),
        (FundingSource, data["funding_sources"]),
    ]:
        for order, item in enumerate(items, start=1):
            upsert(
                model,
                {"key": item["key"]},
                {"order": order, **translated_fields(item, "name")},
                report,
            )


def _load_success_factors(directory: Path, report: LoadReport) -> None:
    """The file is the source of the factors' texts. A criterion removed from the file is
    deleted (nothing points at criteria; they are read beside the assessment), so the
    planners never assess against a criterion the source no longer has. Every factor must
    describe all five maturity levels: a score of 1–5 without a description is meaningless."""
    data = json.loads((directory / "success_factors.json").read_text(encoding="utf-8"))
    for item in data["factors"]:
        if len(item["levels"]) != 5:
            raise ReferenceDataError(
                _(
                    "Success factor %(number)s describes %(count)s maturity levels; it must "
                    "describe all five. Nothing was loaded."
                )
                % {"number": item["number"], "count": len(item["levels"])}
            )
        factor = upsert(
            SuccessFactor,
            {"number": item["number"]},
            {
                "key": item["key"],
                **cited(data["source"]),
                **translated_fields(item, "name", "summary"),
            },
            report,
        )
        for order, criterion in enumerate(item["criteria"], start=1):
            upsert(
                Criterion,
                {"factor": factor, "order": order},
                translated_fields(criterion, "text"),
                report,
            )
        removed = Criterion.objects.filter(factor=factor, order__gt=len(item["criteria"]))
        if n := removed.count():
            removed.delete()
            report.deleted[Criterion._meta.label_lower] = (
                report.deleted.get(Criterion._meta.label_lower, 0) + n
            )
        for level, description in enumerate(item["levels"], start=1):
            upsert(
                MaturityLevel,
                {"factor": factor, "level": level},
                translated_fields(description, "description"),
                report,
            )


def cited(value: str | dict) -> dict[str, str]:
    """A citation from the files: one text for every language, or {"nb", "nn", "en"} where
    the words around the titles differ. The model fields: source (bokmål), source_nn,
    source_en."""
    if isinstance(value, str):
        value = {"nb": value}
    return {
        "source": value.get("nb", ""),
        "source_nn": value.get("nn", ""),
        "source_en": value.get("en", ""),
    }


def _question_source(data: dict, section: dict, question: dict) -> dict[str, str]:
    key = question.get("source", section.get("source"))
    return cited(data["sources"][key] if key else "")


def _load_questionnaire(directory: Path, report: LoadReport) -> None:
    """The first edition is created once; after that its texts belong to the administrators,
    who edit them or publish a new edition, so a reload never overwrites their work. It only
    fills translations that are still empty (an edition loaded before the file had nynorsk
    and English), which changes no question's meaning."""
    data = json.loads((directory / "questionnaire.json").read_text(encoding="utf-8"))
    existing = Questionnaire.objects.filter(edition=data["edition"]).first()
    if existing is not None:
        _fill_missing_translations(existing, data, report)
        return
    questionnaire = Questionnaire.objects.create(
        edition=data["edition"],
        title_nb=data["title"],
        title_nn=data.get("title_nn", ""),
        title_en=data.get("title_en", ""),
        source=data["source"],
        published_at=timezone.now(),
    )
    report.count(Questionnaire._meta.label_lower, created=True, changed=True)
    for order, s in enumerate(data["sections"], start=1):
        section = Section.objects.create(
            questionnaire=questionnaire,
            key=s["key"],
            order=order,
            kind=s["kind"],
            **translated_fields(s, "title", "intro"),
        )
        for q_order, q in enumerate(s["questions"], start=1):
            question = Question(
                section=section,
                key=q["key"],
                order=q_order,
                kind=q["kind"],
                required=q.get("required", True),
                choices=q.get("choices", []),
                **_question_source(data, s, q),
                **translated_fields(q, "text", "help"),
            )
            question.full_clean()
            question.save()
            report.count(Question._meta.label_lower, created=True, changed=True)


def _fill_blanks(obj, item: dict, names: tuple[str, ...]) -> list[str]:
    filled = []
    for name in names:
        for lang in ("nn", "en"):
            attr = f"{name}_{lang}"
            if not getattr(obj, attr) and item.get(attr):
                setattr(obj, attr, item[attr])
                filled.append(attr)
    return filled


def _fill_missing_translations(questionnaire: Questionnaire, data: dict, report: LoadReport):
    if filled := _fill_blanks(questionnaire, data, ("title",)):
        questionnaire.save(update_fields=filled)
        report.count(Questionnaire._meta.label_lower, created=False, changed=True)
    sections = {s.key: s for s in questionnaire.sections.prefetch_related("questions")}
    for s in data["sections"]:
        section = sections.get(s["key"])
        if section is None:
            continue
        if filled := _fill_blanks(section, s, ("title", "intro")):
            section.save(update_fields=filled)
            report.count(Section._meta.label_lower, created=False, changed=True)
        questions = {q.key: q for q in section.questions.all()}
        for q in s["questions"]:
            question = questions.get(q["key"])
            if question is None:
                continue
            filled = _fill_blanks(question, q, ("text", "help"))
            for attr, text in _question_source(data, s, q).items():
                if attr != "source" and text and not getattr(question, attr):
                    setattr(question, attr, text)
                    filled.append(attr)
            from_file = {c["value"]: c for c in q.get("choices", [])}
            choices = []
            for choice in question.choices:
                choice = dict(choice)
                for label in ("label_nn", "label_en"):
                    text = from_file.get(choice.get("value"), {}).get(label)
                    if text and not choice.get(label):
                        choice[label] = text
                choices.append(choice)
            if choices != question.choices:
                question.choices = choices
                filled.append("choices")
            if filled:
                question.save(update_fields=filled)
                report.count(Question._meta.label_lower, created=False, changed=True)
