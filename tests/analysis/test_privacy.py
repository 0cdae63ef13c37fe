import html

import pytest
from django.urls import reverse

from analysis.models import AllocationPractice, Answer, ExternalActor, SectionAssignment
from boligsosial.privacy import (
    _W1,
    _W2,
    find_identity_numbers,
    find_named_cases,
    privacy_warnings,
)
from factors.models import FactorAssessment
from tests.form_data import error_summary, form_data


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
        "body name": (
            reverse("analysis:cooperation_edit", args=[a, "organ", body.pk]),
            "name",
            lambda: CooperationBody.objects.get(pk=body.pk).name,
        ),
        "body meeting frequency": (
            reverse("analysis:cooperation_edit", args=[a, "organ", body.pk]),
            "meeting_frequency",
            lambda: CooperationBody.objects.get(pk=body.pk).meeting_frequency,
        ),
        "project name": (
            reverse("analysis:project_edit", args=[a, project.pk]),
            "name",
            lambda: Project.objects.get(pk=project.pk).name,
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
    "body name",
    "body meeting frequency",
    "project name",
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
    # Each field gets another of the ways people write a number or a named case.
    text = HOSTILE[CASES.index(case) % len(HOSTILE)]
    data = _load(client, url) | {field: text}
    if case == "external actor":
        data |= {"kind": "nav", "name": "NAV"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Sjekk for personopplysninger" in response.text
    assert saved() in (None, "", "Boligforum", "Bo trygt")
    # The error summary and the warning name the question and link to its field (issue 15,
    # item 3), not only to the box that confirms it.
    label = next(
        str(getattr(f.fields[n], "plain_label", f.fields[n].label))
        for f in _page_forms(response)
        for n in f.fields
        if f.add_prefix(n) == field
    )
    summary = error_summary(response.text)
    assert f'href="#id_{field}"' in summary
    assert html.escape(label) in summary
    assert f'<a href="#id_{field}" class="alert-link">{html.escape(label)}</a>' in response.text

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


# --- The forms people really write (issue 11, defect 4) -----------------------------------------

# A synthetic number with both check digits right (not a real person's).
TEST_NUMBER = "15038510190"

WRITTEN_NUMBERS = [
    "15038510190",
    "150385 10190",
    "150385-10190",
    "15.03.85 10190",
    "15.03.85-10190",
    "15 03 85 101 90",
    "15 03 85 10190",
    "150385/10190",
    "15/03/85 10190",
    "150385\u200b10190",
    "15\u200b03\u200b85\u200b10190",
    "150385\u00a010190",
    "150385\u2011" + "10190",
    "１５０３８５１０１９０",  # full-width digits, as some phones type them
    "15 03 85  10190",
]


@pytest.mark.parametrize("written", WRITTEN_NUMBERS)
def test_an_identity_number_is_found_however_it_is_written(written):
    assert find_identity_numbers(f"Gjelder {written} i saken.") != []
    assert privacy_warnings(f"Bruker med nr {written}.") != []


@pytest.mark.parametrize(
    "text",
    [
        "Kontonummer 1503.85.10191 og 1503.85.10192.",
        "Telefon 75 50 40 00, org.nr. 972 418 013.",
        "Budsjett 2024-2025: 1 503 851 019 kroner.",
        "Saksnummer 2026/1234 og 2025/987.",
    ],
)
def test_numbers_that_are_no_identity_number_give_no_warning(text):
    assert find_identity_numbers(text) == []


NAMED_CASES = [
    # lower case, as typed in a hurry
    "kari nordmann har fått begjæring om utkastelse.",
    # all capitals
    "KARI NORDMANN HAR FÅTT BEGJÆRING OM UTKASTELSE.",
    # name in one sentence, the case detail in the next
    "Kari Nordmann bor i kommunal bolig. Hun har husleierestanse og fikk vedtak i mai.",
    "ola hansen bor i storgata. han er innlagt.",
    # a name with an address
    "Kari Nordmann, Storgata 12, 8200 Fauske.",
    "Ola Hansen bor i Sjøgata 3B.",
    "kari nordmann, fjellveien 4",
]


@pytest.mark.parametrize("text", NAMED_CASES)
def test_a_named_case_is_found_in_any_case_and_across_two_sentences(text):
    assert privacy_warnings(text) != []


@pytest.mark.parametrize(
    "text",
    [
        "Møtet ledes av Per Hansen fra eiendom.",
        "NAV Fauske og Husbanken Bodø gir startlån etter vedtak.",
        "Boligkontoret holder til i Storgata 12.",
        "Vi har 14 husstander i midlertidig bolig. Vedtak fattes av NAV.",
        "per måned betaler leietakeren husleie; bo trygt gir vedtak om tilskudd.",
        "KOMMUNEN HAR VEDTATT EN BOLIGSOSIAL PLAN.",
    ],
)
def test_service_facts_in_any_case_give_no_warning(text):
    assert privacy_warnings(text) == []


HOSTILE = [f"Gjelder {written}." for written in WRITTEN_NUMBERS] + NAMED_CASES


# --- Fields outside the editing flow: units, invitations, review comments -----------------------


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["Kari Nordmann, Storgata 12", "15.03.85 10190"])
def test_a_unit_name_warns_and_is_added_only_after_confirmation(client_for, analysis, text):
    from analysis.models import Unit

    client = client_for("planner")
    url = reverse("analysis:unit_add", args=[analysis.pk])
    response = client.post(url, {"name": text})
    assert response.status_code == 200
    assert "Sjekk for personopplysninger" in response.text
    assert not Unit.objects.filter(name=text).exists()
    response = client.post(url, {"name": text, "privacy_checked": "on"})
    assert response.status_code == 302
    assert Unit.objects.filter(name=text).exists()


@pytest.mark.django_db
def test_renaming_a_unit_warns_and_renames_only_after_confirmation(client_for, analysis):
    from analysis.models import Unit
    from tests.factories import make_unit

    unit = make_unit(analysis)
    client = client_for("planner")
    url = reverse("analysis:unit_change", args=[analysis.pk, unit.pk])
    text = "ola hansen, fjellveien 4"
    response = client.post(url, {"action": "rename", "name": text})
    assert response.status_code == 200
    assert "Sjekk for personopplysninger" in response.text
    assert Unit.objects.get(pk=unit.pk).name == "Eiendom"
    response = client.post(url, {"action": "rename", "name": text, "privacy_checked": "on"})
    assert response.status_code == 302
    assert Unit.objects.get(pk=unit.pk).name == text


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["KARI NORDMANN, STORGATA 12", "150385/10190"])
def test_an_invitation_to_a_named_person_warns_and_is_created_only_after_confirmation(
    client_for, analysis, text
):
    from factors.models import Invitation

    client = client_for("planner")
    url = reverse("factors:invitations", args=[analysis.pk])
    response = client.post(url, {"organisation_name": text, "valid_days": "30"})
    assert response.status_code == 200
    assert "Sjekk for personopplysninger" in response.text
    assert not Invitation.objects.exists()
    data = {"organisation_name": text, "valid_days": "30", "privacy_checked": "on"}
    assert client.post(url, data).status_code == 302
    assert Invitation.objects.get().organisation_name == text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "target", "text"),
    [
        ("adviser", "section", "Kari Nordmann bor i kommunal bolig. Hun har husleierestanse."),
        ("adviser", "question", "Gjelder 15 03 85 101 90."),
        ("planner", "reply", "kari nordmann er innlagt."),
        ("adviser", "reply", "Gjelder 15\u200b03\u200b85\u200b10190."),
    ],
)
def test_a_review_comment_or_reply_warns_and_is_saved_only_after_confirmation(
    client_for, analysis, adviser, persona, target, text
):
    from analysis.models import ReviewComment
    from analysis.services.review import add_comment

    section = analysis.round.questionnaire.sections.first()
    first = add_comment(analysis=analysis, author=adviser, body="Utdyp gjerne.", section=section)
    target_id = {
        "section": section.pk,
        "question": section.questions.first().pk,
        "reply": first.pk,
    }[target]
    client = client_for(persona)
    url = reverse("analysis:comment", args=[analysis.pk])
    data = {"target": f"{target}:{target_id}", "body": text}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Sjekk for personopplysninger" in response.text
    assert text.replace("\u200b", "") in response.text.replace("\u200b", "")
    # The field is drawn by hand on the review page: the summary links to its own id.
    assert 'href="#pending-comment"' in error_summary(response.text)
    assert not ReviewComment.objects.filter(body=text).exists()
    assert client.post(url, data | {"privacy_checked": "on"}).status_code == 302
    assert ReviewComment.objects.filter(body=text).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["comment", "comment_1", "comment_6"])
@pytest.mark.parametrize("text", ["Kari Nordmann, Storgata 12", "15 03 85 101 90"])
def test_an_anonymous_answer_that_identifies_someone_is_refused(
    client, analysis, planner, field, text
):
    from factors.models import UserOrganisationInput
    from factors.services import invitations

    invitation = invitations.create_invitation(
        analysis=analysis, organisation_name="Leieboerforeningen", by=planner
    )
    url = reverse("factors:invitation_answer", args=[invitation.token])
    data = {f"score_{n}": "3" for n in range(1, 7)} | {field: text, "privacy_checked": "on"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "kan identifisere" in response.text
    assert not UserOrganisationInput.objects.exists()
    assert client.post(url, data | {field: "Bra samarbeid."}).status_code == 200
    assert UserOrganisationInput.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["send_back", "approve"])
def test_a_decision_message_that_names_someone_warns_and_is_sent_only_after_confirmation(
    client_for, analysis, decision
):
    from analysis.models import AnalysisStatus, StatusChange

    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    client = client_for("adviser")
    url = reverse("analysis:decision", args=[analysis.pk])
    data = {"decision": decision, "message": "Kari Nordmann bor i Storgata 12."}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Sjekk for personopplysninger" in response.text
    assert "Kari Nordmann bor i Storgata 12." in response.text
    summary = error_summary(response.text)
    assert 'href="#decision-message"' in summary
    assert "Melding til kommunen" in summary
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SUBMITTED
    assert client.post(url, data | {"privacy_checked": "on"}).status_code == 302
    assert StatusChange.objects.get(analysis=analysis).message == data["message"]
