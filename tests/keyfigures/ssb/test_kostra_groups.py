"""Each municipality's KOSTRA group per year, from KLASS (the local stand-in) or from a KLASS
answer kept in a file with its source named; the group's own figures kept like the county's."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from keyfigures.models import KostraGroup, KostraGroupMembership
from tests.keyfigures.ssb.server import KLASS

pytestmark = pytest.mark.django_db

ANSWER = {
    "correspondenceItems": [
        {
            "sourceCode": "EKG13",
            "sourceName": "Kostragruppe 13",
            "targetCode": "0301",
            "targetName": "Oslo",
        },
        {
            "sourceCode": "EKG07",
            "sourceName": "Kostragruppe 07",
            "targetCode": "1841",
            "targetName": "Fauske",
        },
        {
            "sourceCode": "EKG07",
            "sourceName": "Kostragruppe 07",
            "targetCode": "1824",
            "targetName": "Vefsn",
        },
        {
            "sourceCode": "EKG01",
            "sourceName": "Kostragruppe 01",
            "targetCode": "1850",
            "targetName": "Tysfjord",
        },
    ]
}


def groups(year: int) -> dict:
    return dict(
        KostraGroupMembership.objects.filter(year=year).values_list(
            "municipality__number", "group__code"
        )
    )


def load(*args) -> str:
    out = StringIO()
    call_command("load_kostra_groups", *args, stdout=out)
    return out.getvalue()


def test_groups_are_loaded_from_klass_with_their_names_and_source(ssb_server):
    ssb_server.klass["classifications/112/correspondsAt"] = ANSWER

    output = load("--year", "2024")

    assert groups(2024) == {"0301": "EKG13", "1841": "EKG07", "1824": "EKG07"}
    assert KostraGroup.objects.get(code="EKG07").name == "Kostragruppe 07"
    [(_t, path)] = ssb_server.requests
    assert path.startswith(f"{KLASS}/classifications/112/correspondsAt?")
    assert "targetClassificationId=131" in path and "date=2024-01-01" in path
    membership = KostraGroupMembership.objects.get(municipality__number="1841", year=2024)
    assert "KLASS" in membership.source and "112" in membership.source
    assert "1850" in output  # a municipality that does not exist now: named, left out


def test_loading_the_same_groups_again_changes_nothing_and_says_so(ssb_server):
    ssb_server.klass["classifications/112/correspondsAt"] = ANSWER
    load("--year", "2024")
    before = list(KostraGroupMembership.objects.values_list("pk", flat=True))

    output = load("--year", "2024")

    assert list(KostraGroupMembership.objects.values_list("pk", flat=True)) == before
    assert "uendret" in output


def test_a_kept_klass_answer_can_be_loaded_with_its_source_named(tmp_path):
    path = tmp_path / "kostragrupper-2024.json"
    path.write_text(json.dumps(ANSWER), encoding="utf-8")

    with pytest.raises(CommandError, match="--source"):
        load("--year", "2024", "--file", str(path))
    load("--year", "2024", "--file", str(path), "--source", "SSB KLASS 112→131, hentet 2025-10-15")

    membership = KostraGroupMembership.objects.get(municipality__number="0301", year=2024)
    assert membership.source == "SSB KLASS 112→131, hentet 2025-10-15"


def test_klass_out_of_reach_loads_nothing_and_says_so():
    with pytest.raises(CommandError, match="KLASS"):
        load("--year", "2024")
    assert not KostraGroupMembership.objects.exists()


def test_a_malformed_klass_answer_loads_nothing(ssb_server):
    ssb_server.klass["classifications/112/correspondsAt"] = {"items": []}

    with pytest.raises(CommandError, match="kunne ikke leses"):
        load("--year", "2024")
    assert not KostraGroupMembership.objects.exists()
