import pytest
from django.urls import reverse

from analysis.models import AllocationPractice, Answer, ExternalActor, SectionAssignment
from analysis.privacy import (
    _W1,
    _W2,
    find_identity_numbers,
    find_named_cases,
    privacy_warnings,
)
from factors.models import FactorAssessment
from tests.form_data import form_data


def _with_check_digits(first_nine: str) -> str | None:
    """A synthetic number (not a real person) with correct check digits, if one exists."""
    n = [int(d) for d in first_nine]
    for weights in (_W1, _W2):
        k = (11 - sum(w * x for w, x in zip(weights, n, strict=True)) % 11) % 11
        if k == 10:
            return None
        n.append(k)
    return "".join(map(str, n))


@pytest.fixture
def fnr():
    return next(
        number
        for tail in range(100, 1000)
        if (number := _with_check_digits(f"010190{tail}")) is not None
    )


def test_a_number_passing_both_check_digits_is_found(fnr):
    assert find_identity_numbers(f"Gjelder {fnr} i saken") == [fnr]


def test_a_number_with_a_space_after_the_date_is_found(fnr):
    spaced = f"{fnr[:6]} {fnr[6:]}"
    assert find_identity_numbers(f"nr. {spaced}.") == [spaced]


def test_eleven_digits_with_a_wrong_check_digit_are_not_flagged(fnr):
    wrong = fnr[:10] + str((int(fnr[10]) + 1) % 10)
    assert find_identity_numbers(wrong) == []


def test_longer_digit_runs_such_as_account_numbers_are_not_flagged(fnr):
    assert find_identity_numbers(fnr + "7") == []


def test_a_full_name_with_a_case_detail_is_flagged():
    text = "Kari Nordmann har fått begjæring om utkastelse. Andre saker går fint."
    assert find_named_cases(text) == ["Kari Nordmann"]


def test_a_name_without_a_case_detail_is_not_flagged():
    assert find_named_cases("Møtet ledes av Per Hansen fra eiendom.") == []


def test_units_and_agencies_are_not_taken_for_people():
    assert find_named_cases("NAV Fauske og Husbanken Bodø gir startlån etter vedtak.") == []


def test_plain_service_facts_give_no_warning():
    text = "Kommunen har 120 kommunale boliger og 14 husstander i midlertidig bolig."
    assert privacy_warnings(text) == []


def test_a_number_with_a_hyphen_after_the_date_is_found(fnr):
    hyphened = f"{fnr[:6]}-{fnr[6:]}"
    assert find_identity_numbers(f"Saken gjelder {hyphened}.") == [hyphened]


def test_a_spaced_or_hyphened_number_with_a_wrong_check_digit_is_not_flagged(fnr):
    wrong = fnr[:10] + str((int(fnr[10]) + 1) % 10)
    assert find_identity_numbers(f"{wrong[:6]} {wrong[6:]} og {wrong[:6]}-{wrong[6:]}") == []


# --- The guard on every free-text field of the planner's forms --------------------------------


def _page_forms(response):
    # Check the lists first: templates loop over them with `form` as the loop variable.
    context = response.context
    if context.get("forms") is not None:
        return [form for _x, form in context["forms"]]
    if context.get("rows") is not None:
        return [form for form, _projects in context["rows"]]
    return [context["form"]]


def _load(client, url):
    data = {}
    for form in _page_forms(client.get(url)):
        data |= form_data(form)
    return data


def _cases(analysis):
    from analysis.models import CooperationBody, Project
    from reference.models import Instrument

    body = CooperationBody.objects.create(analysis=analysis, name="Boligforum")
    project = Project.objects.create(municipality=analysis.municipality, name="Bo trygt")
    startlan = Instrument.objects.get(key="startlan")
    section = analysis.round.questionnaire.sections.get(key="refleksjon")
    a = analysis.pk
    return {
        # name: (url, field, how to read what was saved)
        "answer": (
            reverse("analysis:section", args=[a, "forarbeid"]),
            "q-eksisterende-planer",
            lambda: (
                Answer.objects.filter(question__key="eksisterende-planer")
                .values_list("value", flat=True)
                .first()
            ),
        ),
        "assessment status": (
            reverse("factors:assessments", args=[a]),
            "f2-status",
            lambda: (
                FactorAssessment.objects.filter(factor__number=2)
                .values_list("status", flat=True)
                .first()
            ),
        ),
        "assessment challenges": (
            reverse("factors:assessments", args=[a]),
            "f3-challenges",
            lambda: (
                FactorAssessment.objects.filter(factor__number=3)
                .values_list("challenges", flat=True)
                .first()
            ),
        ),
        "assessment evidence": (
            reverse("factors:assessments", args=[a]),
            "f4-evidence",
            lambda: (
                FactorAssessment.objects.filter(factor__number=4)
                .values_list("evidence", flat=True)
                .first()
            ),
        ),
        "body members": (
            reverse("analysis:cooperation_edit", args=[a, "organ", body.pk]),
            "members",
            lambda: CooperationBody.objects.get(pk=body.pk).members,
        ),
        "body mandate": (
            reverse("analysis:cooperation_edit", args=[a, "organ", body.pk]),
            "mandate",
            lambda: CooperationBody.objects.get(pk=body.pk).mandate,
        ),
        "external actor": (
            reverse("analysis:cooperation_add", args=[a, "aktor"]),
            "cooperation_about",
            lambda: ExternalActor.objects.values_list("cooperation_about", flat=True).first(),
        ),
        "project description": (
            reverse("analysis:project_edit", args=[a, project.pk]),
            "description",
            lambda: Project.objects.get(pk=project.pk).description,
        ),
        "project partners": (
            reverse("analysis:project_edit", args=[a, project.pk]),
            "partners",
            lambda: Project.objects.get(pk=project.pk).partners,
        ),
        "project results": (
            reverse("analysis:project_edit", args=[a, project.pk]),
            "results",
            lambda: Project.objects.get(pk=project.pk).results,
        ),
        "allocation criteria": (
            reverse("analysis:allocation", args=[a]),
            f"i{startlan.pk}-criteria",
            lambda: AllocationPractice.objects.values_list("criteria", flat=True).first(),
        ),
        "assignment note": (
            reverse("analysis:assignments", args=[a]),
            f"s{section.pk}-note",
            lambda: SectionAssignment.objects.values_list("note", flat=True).first(),
        ),
    }


CASES = [
    "answer",
    "assessment status",
    "assessment challenges",
    "assessment evidence",
    "body members",
    "body mandate",
    "external actor",
    "project description",
    "project partners",
    "project results",
    "allocation criteria",
    "assignment note",
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_every_free_text_field_warns_and_saves_only_after_confirmation(
    client_for, analysis, fnr, case
):
    url, field, saved = _cases(analysis)[case]
    client = client_for("planner")
    text = f"Gjelder {fnr[:6]}-{fnr[6:]}."
    data = _load(client, url) | {field: text}
    if case == "external actor":
        data |= {"kind": "nav", "name": "NAV"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Sjekk for personopplysninger" in response.text
    assert saved() in (None, "")

    prefix = field.rsplit("-", 1)[0] + "-" if "-" in field and not field.startswith("q-") else ""
    data[f"{prefix}privacy_checked"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.errors for f in _page_forms(response)
    ]
    assert saved() == text


@pytest.mark.django_db
def test_a_confirmed_text_is_not_warned_about_again(client_for, analysis, fnr):
    url = reverse("analysis:section", args=[analysis.pk, "forarbeid"])
    client = client_for("planner")
    text = f"Gjelder {fnr}."
    data = _load(client, url) | {"q-eksisterende-planer": text, "privacy_checked": "on"}
    # Confirmed, but another answer is too long: the page comes back without a new warning.
    data["q-kunnskapsgrunnlag"] = "x" * 5001
    response = client.post(url, data)
    assert response.status_code == 200
    retry = form_data(response.context["form"]) | {"q-kunnskapsgrunnlag": "Kartlegging"}
    retry.pop("privacy_checked", None)
    assert client.post(url, retry).status_code == 302
    # Saved: editing another answer later does not warn about the saved text again.
    again = _load(client, url) | {"q-kunnskapsgrunnlag": "Ny kartlegging"}
    assert client.post(url, again).status_code == 302
    assert Answer.objects.get(question__key="eksisterende-planer").value == text
