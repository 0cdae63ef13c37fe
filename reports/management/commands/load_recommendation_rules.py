"""Load the recommendation rules' texts (fixtures/reference/recommendations.json).

Idempotent: rows are matched by key and updated; an administrator's is_active choice is kept.
Each rule names its sources by key in the file's `sources` table (with an optional place in
the source, `at`); the full citations are written into RecommendationRule.source, so a source
is spelt the same way under every recommendation that rests on it.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from reports.models import RecommendationRule

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "reference" / "recommendations.json"
TEXT_FIELDS = [
    f"{name}_{lang}" for name in ("title", "body", "condition") for lang in ("nb", "nn", "en")
]


def cite(sources: dict, refs: list[dict], language: str = "nb") -> str:
    """The citations of one rule in one language, in the order given: "Title, at; Other
    title". A source or a place in it is one text for every language, or {"nb", "nn", "en"};
    a language it lacks takes the bokmål."""

    def text(value) -> str:
        return value if isinstance(value, str) else value.get(language) or value.get("nb", "")

    parts = []
    for ref in refs:
        if ref["ref"] not in sources:
            raise CommandError(_("Unknown source “%(ref)s”.") % {"ref": ref["ref"]})
        title, at = text(sources[ref["ref"]]), text(ref.get("at", ""))
        parts.append(f"{title}, {at}" if at else title)
    return "; ".join(parts)


@transaction.atomic
def load_recommendation_rules(path: Path = FIXTURE) -> tuple[int, int]:
    """Create or update every rule in the file; returns (created, updated)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    created = updated = 0
    for item in data["rules"]:
        defaults = {field: item.get(field, "") for field in TEXT_FIELDS}
        defaults.update(
            order=item["order"],
            source=cite(data["sources"], item["sources"]),
            source_nn=cite(data["sources"], item["sources"], "nn"),
            source_en=cite(data["sources"], item["sources"], "en"),
        )
        rule = RecommendationRule.objects.filter(key=item["key"]).first()
        if rule is None:
            rule = RecommendationRule(key=item["key"], **defaults)
            created += 1
        else:
            for name, value in defaults.items():
                setattr(rule, name, value)
            updated += 1
        rule.full_clean()
        rule.save()
    return created, updated


class Command(BaseCommand):
    help = "Load or update the recommendation rules' texts from the reference fixture."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=FIXTURE)

    def handle(self, *args, **options):
        created, updated = load_recommendation_rules(options["file"])
        self.stdout.write(
            _("Recommendation rules: %(created)s created, %(updated)s updated.")
            % {"created": created, "updated": updated}
        )
