from io import StringIO

import pytest
from django.core.management import call_command

from analysis.models import County, Municipality, Question, Region, TaskArea
from analysis.services.reference import REFERENCE_DIR, load_reference_data
from factors.models import Criterion, MaturityLevel, SuccessFactor

pytestmark = pytest.mark.django_db


def test_all_357_municipalities_15_counties_and_10_regions_are_loaded():
    assert Municipality.objects.count() == 357
    assert County.objects.count() == 15
    assert Region.objects.count() == 10


def test_municipality_numbers_keep_their_leading_zero():
    oslo = Municipality.objects.get(name="Oslo")
    assert oslo.number == "0301"
    assert oslo.county.number == "03"


def test_municipalities_carry_county_region_language_form_and_sami_names():
    kautokeino = Municipality.objects.get(number="5612")
    assert kautokeino.other_language_names == "Guovdageaidnu"
    assert kautokeino.county.name == "Finnmark"
    assert kautokeino.county.region.name == "Statsforvalteren i Troms og Finnmark"
    assert Municipality.objects.get(number="1120").language_form == "nynorsk"  # Klepp
    assert Municipality.objects.get(number="1508").language_form == ""  # sources disagree


def test_population_sums_to_the_national_total_of_1_january_2024():
    assert sum(Municipality.objects.values_list("population", flat=True)) == 5_550_203


def test_six_success_factors_with_two_criteria_and_five_levels_each():
    assert SuccessFactor.objects.count() == 6
    for factor in SuccessFactor.objects.all():
        assert Criterion.objects.filter(factor=factor).count() == 2
        assert MaturityLevel.objects.filter(factor=factor).count() == 5
    assert SuccessFactor.objects.get(number=6).name_nn == "Brukarmedverknad"


def test_questionnaire_has_every_section_of_the_design():
    from analysis.models import Questionnaire

    questionnaire = Questionnaire.objects.get(edition=1)
    kinds = list(questionnaire.sections.values_list("kind", flat=True))
    assert kinds == [
        "questions",
        "questions",
        "responsibility_map",
        "cooperation",
        "allocation",
        "factors",
        "projects",
    ]
    assert Question.objects.filter(section__questionnaire=questionnaire).count() >= 15
    assert TaskArea.objects.count() == 9


def test_loading_twice_changes_nothing():
    report = load_reference_data()
    assert not report.changed_anything
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "nothing was changed" in out.getvalue() or "ingenting ble endret" in out.getvalue()


def test_loading_after_a_rename_updates_the_municipality(tmp_path):
    Municipality.objects.filter(number="1841").update(name="Gammelt navn")
    report = load_reference_data()
    assert report.updated == {"analysis.municipality": 1}
    assert Municipality.objects.get(number="1841").name == "Fauske"


def test_a_municipality_gone_from_a_newer_file_is_ended_not_deleted(tmp_path):
    source = (REFERENCE_DIR / "kommuner-2024.csv").read_text(encoding="utf-8")
    lines = [line for line in source.splitlines() if not line.startswith("1841,")]
    newer = tmp_path / "kommuner-ny.csv"
    newer.write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = load_reference_data(municipalities_file=newer)

    fauske = Municipality.objects.get(number="1841")
    assert fauske.valid_to is not None
    assert report.ended == [str(fauske)]
    assert Municipality.objects.count() == 357
