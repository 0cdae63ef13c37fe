"""Each municipality's KOSTRA group per year, from SSB's classification API (KLASS): the
correspondence between classification 112 (KOSTRA groups of municipalities) and 131 (the
municipalities) at 1 January of the year, or the same answer kept in a file when KLASS cannot
be reached (its source and date named by whoever kept it). One transaction: a year's
memberships are replaced as a whole, or not at all.

KLASS answer (`classifications/112/correspondsAt?targetClassificationId=131&date=Y-01-01`):
    {"correspondenceItems": [{"sourceCode": "EKG13", "sourceName": "Kostragruppe 13",
                              "targetCode": "0301", "targetName": "Oslo"}, …]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keyfigures.importers import KOSTRA_GROUP, ImportError_, classify_region
from keyfigures.models import KostraGroup, KostraGroupMembership
from keyfigures.services.imports import kostra_group_name
from keyfigures.ssb import SSBClient
from reference.models import Municipality

CLASSIFICATION, MUNICIPALITIES = 112, 131


@dataclass
class GroupsReport:
    year: int
    source: str
    groups: int = 0
    memberships: int = 0
    unchanged: bool = False
    skipped: dict[str, int] = field(default_factory=dict)


def klass_path(year: int) -> str:
    return (
        f"classifications/{CLASSIFICATION}/correspondsAt"
        f"?targetClassificationId={MUNICIPALITIES}&date={year}-01-01"
    )


def read_correspondence(data: bytes) -> list[tuple[str, str, str]]:
    """(group code, group name, municipality number) for each item of a KLASS answer."""
    try:
        document = json.loads(data)
        items = document["correspondenceItems"]
        rows = []
        for item in items:
            code = str(item["sourceCode"]).strip()
            if code.isdigit():
                code = f"EKG{int(code):02d}"
            kind = classify_region(code)
            if not kind or kind[0] != KOSTRA_GROUP:
                raise ValueError(code)
            rows.append((kind[1], str(item.get("sourceName") or ""), str(item["targetCode"])))
    except (ValueError, KeyError, TypeError) as error:
        raise ImportError_(
            [
                _("The KOSTRA groups from KLASS could not be read: %(error)s")
                % {"error": str(error)[:200]}
            ]
        ) from None
    if not rows:
        raise ImportError_([_("KLASS gave no KOSTRA groups for that date.")])
    return rows


def load_kostra_groups(
    *, year: int, data: bytes | None = None, source: str = "", client: SSBClient | None = None
) -> GroupsReport:
    """The year's groups from KLASS, or from `data` (a KLASS answer kept in a file; `source`
    then names where and when it was retrieved)."""
    if data is None:
        client = client or SSBClient()
        data = client.klass(
            klass_path(year),
            what=_("The KOSTRA groups for %(year)s from KLASS") % {"year": year},
        )
        source = _("SSB KLASS, classification %(c)s → %(m)s at %(date)s, retrieved %(now)s") % {
            "c": CLASSIFICATION,
            "m": MUNICIPALITIES,
            "date": f"{year}-01-01",
            "now": timezone.localdate().isoformat(),
        }
    rows = read_correspondence(data)
    report = GroupsReport(year=year, source=source[:300])
    municipalities = dict(Municipality.objects.current().values_list("number", "pk"))
    unknown = sorted({number for _c, _n, number in rows if number not in municipalities})
    if unknown:
        report.skipped[
            _("municipality numbers that do not exist now: %(numbers)s")
            % {"numbers": ", ".join(unknown[:20])}
        ] = len(unknown)
    wanted = {municipalities[number]: code for code, _n, number in rows if number in municipalities}
    names = {code: name or kostra_group_name(code) for code, name, _m in rows}
    current = dict(
        KostraGroupMembership.objects.filter(year=year).values_list(
            "municipality_id", "group__code"
        )
    )
    stored_names = dict(KostraGroup.objects.values_list("code", "name"))
    if current == wanted and all(stored_names.get(c) == n for c, n in names.items()):
        report.unchanged = True
        report.groups, report.memberships = len(names), len(wanted)
        return report
    with transaction.atomic():
        groups = {}
        for code, name in names.items():
            group, _created = KostraGroup.objects.update_or_create(
                code=code, defaults={"name": name}
            )
            groups[code] = group.pk
        KostraGroupMembership.objects.filter(year=year).delete()
        KostraGroupMembership.objects.bulk_create(
            KostraGroupMembership(
                municipality_id=municipality_id,
                year=year,
                group_id=groups[code],
                source=report.source,
            )
            for municipality_id, code in wanted.items()
        )
    report.groups, report.memberships = len(names), len(wanted)
    return report
