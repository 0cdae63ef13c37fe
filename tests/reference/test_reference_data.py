import datetime
import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from keyfigures.models import Indicator
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
from reference.services.loading import (
    CLASSIFICATION_VALID_FROM,
    REFERENCE_DIR,
    ReferenceDataError,
    load_reference_data,
)

pytestmark = pytest.mark.django_db

NEWER = datetime.date(2026, 1, 1)
BUNDLED = (REFERENCE_DIR / "kommuner-2024.csv").read_text(encoding="utf-8")


def municipality_file(tmp_path, *, without=(), extra=(), name="kommuner-ny.csv"):
    """The bundled file with some numbers taken out and some rows added."""
    lines = [line for line in BUNDLED.splitlines() if line[:4] not in without]
    path = tmp_path / name
    path.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    return path


NEW_ROW = "1899,Nykommune,18,Nordland,Statsforvalteren i Nordland,bokmål,1000,2026,Nykommune,"


def run_command(*args) -> str:
    out = StringIO()
    with translation.override("nb"):
        call_command("load_reference_data", *args, stdout=out)
    return out.getvalue()


def test_all_357_municipalities_15_counties_and_10_regions_are_loaded():
    assert Municipality.objects.count() == 357
    assert County.objects.count() == 15
    assert Region.objects.count() == 10


def test_the_bundled_classification_is_recorded_as_valid_from_1_january_2024():
    assert list(MunicipalityClassification.objects.values_list("valid_from", "source")) == [
        (datetime.date(2024, 1, 1), "kommuner-2024.csv")
    ]
    assert set(Municipality.objects.values_list("valid_from", flat=True)) == {
        CLASSIFICATION_VALID_FROM
    }


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
    assert "ingenting ble endret" in run_command()


def test_the_first_load_reports_what_it_created_and_no_spurious_updates():
    # Shares point at their count indicator in a second pass; that is part of creating them.
    Indicator.objects.all().delete()
    report = load_reference_data()
    assert report.created == {"keyfigures.indicator": Indicator.objects.count()}
    assert report.updated == {}
    assert Indicator.objects.filter(count_indicator__isnull=False).exists()


def test_loading_after_a_rename_updates_the_municipality():
    Municipality.objects.filter(number="1841").update(name="Gammelt navn")
    report = load_reference_data()
    assert report.updated == {"reference.municipality": 1}
    assert Municipality.objects.get(number="1841").name == "Fauske"


def test_a_newer_classification_ends_gone_numbers_the_day_before_and_starts_new_ones(tmp_path):
    newer = municipality_file(tmp_path, without={"1841"}, extra=[NEW_ROW])

    report = load_reference_data(municipalities_file=newer, valid_from=NEWER)

    fauske = Municipality.objects.get(number="1841")
    assert fauske.valid_to == datetime.date(2025, 12, 31)
    assert report.ended == [str(fauske)]
    new = Municipality.objects.get(number="1899")
    assert (new.valid_from, new.valid_to) == (NEWER, None)
    assert Municipality.objects.get(number="1804").valid_from == CLASSIFICATION_VALID_FROM
    assert Municipality.objects.count() == 358  # ended, never deleted
    assert MunicipalityClassification.objects.filter(valid_from=NEWER, source=newer.name).exists()


def test_a_plain_load_after_a_newer_classification_keeps_the_newer_structure(tmp_path):
    newer = municipality_file(tmp_path, without={"1841"}, extra=[NEW_ROW])
    load_reference_data(municipalities_file=newer, valid_from=NEWER)

    output = run_command()  # what `make run` does every time

    assert Municipality.objects.get(number="1841").valid_to == datetime.date(2025, 12, 31)
    assert Municipality.objects.get(number="1899").valid_to is None
    assert "eldre enn den nyeste" in output
    assert "kommunene er ikke endret" in output


def test_an_older_classification_than_the_newest_stored_is_refused(tmp_path):
    load_reference_data(
        municipalities_file=municipality_file(tmp_path, without={"1841"}), valid_from=NEWER
    )
    older = municipality_file(tmp_path, without={"1824"}, name="kommuner-2025.csv")

    output = run_command("--municipalities", str(older), "--valid-from", "2025-01-01")

    assert Municipality.objects.get(number="1824").valid_to is None
    assert Municipality.objects.get(number="1841").valid_to is not None
    assert not MunicipalityClassification.objects.filter(valid_from="2025-01-01").exists()
    assert "1. januar 2025" in output and "1. januar 2026" in output


def test_loading_the_same_classification_twice_changes_nothing(tmp_path):
    newer = municipality_file(tmp_path, without={"1841"}, extra=[NEW_ROW])
    load_reference_data(municipalities_file=newer, valid_from=NEWER)

    report = load_reference_data(municipalities_file=newer, valid_from=NEWER)

    assert not report.changed_anything
    assert MunicipalityClassification.objects.count() == 2


def test_a_reappearing_number_is_valid_again(tmp_path):
    load_reference_data(
        municipalities_file=municipality_file(tmp_path, without={"1841"}),
        valid_from=datetime.date(2025, 1, 1),
    )
    load_reference_data(municipalities_file=municipality_file(tmp_path), valid_from=NEWER)
    assert Municipality.objects.get(number="1841").valid_to is None


def test_an_unknown_county_number_is_a_clear_error_and_writes_nothing(tmp_path):
    bad = municipality_file(
        tmp_path,
        without={"1841"},
        extra=[NEW_ROW, "9901,Ingensteds,99,Ingen,Ingen,bokmål,10,2026,Ingensteds,"],
    )

    with pytest.raises(CommandError, match="fylkesnummer «99»") as error:
        run_command("--municipalities", str(bad), "--valid-from", "2026-01-01")

    assert "linje 359" in str(error.value)  # header, 356 rows, the new one, then this
    assert "Ingenting ble lastet" in str(error.value)
    assert not Municipality.objects.filter(number__in=["1899", "9901"]).exists()
    assert Municipality.objects.get(number="1841").valid_to is None
    assert MunicipalityClassification.objects.count() == 1


def test_administrators_see_the_loaded_classifications_but_change_them_only_by_loading(
    client_for,
):
    client = client_for("administrator")
    listing = client.get("/admin/reference/municipalityclassification/")
    assert listing.status_code == 200
    assert "kommuner-2024.csv" in listing.text
    assert client.get("/admin/reference/municipalityclassification/add/").status_code == 403


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("184,Kort,18,Nordland,x,bokmål,10,2026,Kort,", "ikke fire sifre"),
        ("1804,Bodø igjen,18,Nordland,x,bokmål,10,2026,Bodø,", "forekommer to ganger"),
        ("1898,Tall,18,Nordland,x,bokmål,mange,2026,Tall,", "hele tall"),
        ("1898,Målform,18,Nordland,x,latin,10,2026,Målform,", "latin"),
    ],
)
def test_a_malformed_row_is_a_clear_error_and_writes_nothing(tmp_path, row, message):
    bad = municipality_file(tmp_path, extra=[NEW_ROW, row])
    with translation.override("nb"), pytest.raises(ReferenceDataError, match=message):
        load_reference_data(municipalities_file=bad, valid_from=NEWER)
    assert not Municipality.objects.filter(number="1899").exists()


def test_a_municipality_file_needs_its_valid_from_date(tmp_path):
    with pytest.raises(CommandError, match="--valid-from"):
        run_command("--municipalities", str(municipality_file(tmp_path)))
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD|YYYY-MM-DD"):
        run_command("--municipalities", str(municipality_file(tmp_path)), "--valid-from", "1.1")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="finnes ikke"):
        run_command("--municipalities", str(tmp_path / "nei.csv"), "--valid-from", "2026-01-01")


# --- Success factors: the file is the source of their texts --------------------------------


def reference_copy(tmp_path, edit_factors):
    directory = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, directory)
    path = directory / "success_factors.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit_factors(data["factors"][0])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return directory


def test_a_criterion_removed_from_the_file_is_deleted(tmp_path):
    directory = reference_copy(tmp_path, lambda f: f["criteria"].pop())

    report = load_reference_data(directory=directory)

    assert Criterion.objects.filter(factor__number=1).count() == 1
    assert report.deleted == {"reference.criterion": 1}


def test_a_factor_without_all_five_levels_is_refused_and_writes_nothing(tmp_path):
    def drop_a_level(factor):
        factor["levels"].pop()
        factor["name_nb"] = "Endret navn"

    with translation.override("nb"), pytest.raises(ReferenceDataError, match="alle fem"):
        load_reference_data(directory=reference_copy(tmp_path, drop_a_level))
    assert SuccessFactor.objects.get(number=1).name_nb == "Forankring og eierskap"
    assert MaturityLevel.objects.filter(factor__number=1).count() == 5


# --- Every reference text in bokmål, nynorsk and English -----------------------------------

TRANSLATED = [
    (SuccessFactor, ["name", "summary"]),
    (Criterion, ["text"]),
    (MaturityLevel, ["description"]),
    (Section, ["title", "intro"]),
    (Question, ["text"]),
    (TaskArea, ["name", "description"]),
    (Instrument, ["name"]),
    (TargetGroup, ["name"]),
    (FundingSource, ["name"]),
    (Indicator, ["name", "definition"]),
]


@pytest.mark.parametrize(("model", "fields"), TRANSLATED, ids=lambda v: getattr(v, "__name__", ""))
def test_every_reference_text_has_bokmaal_nynorsk_and_english(model, fields):
    rows = list(model.objects.all())
    assert rows
    for row in rows:
        for name in fields:
            empty = [lang for lang in ("nb", "nn", "en") if not getattr(row, f"{name}_{lang}")]
            assert not empty, f"{model.__name__} {row.pk} {name} lacks {empty}"


def test_every_help_text_and_choice_label_has_all_three_languages():
    for question in Question.objects.all():
        helps = [question.help_nb, question.help_nn, question.help_en]
        assert all(helps) or not any(helps), question.key
        for choice in question.choices:
            assert all(choice.get(f"label_{lang}") for lang in ("nb", "nn", "en")), choice


def test_nynorsk_texts_are_not_the_bokmaal_text_again():
    # A few are the same word in both forms (Tildeling, Kompetanse); whole sentences never are.
    for question in Question.objects.all():
        assert question.text_nn != question.text_nb, question.key
    for factor in SuccessFactor.objects.all():
        assert factor.summary_nn != factor.summary_nb


def test_questions_from_the_sources_name_them():
    sources = dict(
        Question.objects.filter(section__questionnaire__edition=1).values_list("key", "source")
    )
    assert "Boligsosial oversikt" in sources["oppgaver"]
    for key in ["boligpolitisk-plan", "operative-mal", "strategisk-ansvar", "budsjett"]:
        assert "Organisering og planlegging" in sources[key], key
    assert all(sources.values())


def test_a_reload_fills_missing_translations_and_keeps_administrators_edits():
    questions = Question.objects.filter(section__questionnaire__edition=1)
    questions.update(text_nn="", help_en="")
    questions.filter(key="oppgaver").update(text_nn="Redigert av ein administrator")

    load_reference_data()

    assert questions.get(key="oppgaver").text_nn == "Redigert av ein administrator"
    assert questions.get(key="tildeling").text_nn.startswith("Korleis")
    assert questions.get(key="planstrategi").help_en.startswith("Under the Act")
