"""The forms tell before anyone types: optional questions say "(valgfritt)", and every free-text
field the privacy guard checks says not to write personal information."""

import re

import pytest
from django.urls import reverse

from analysis.forms.sections import answer_field_name
from analysis.forms.structures import (
    AllocationRowForm,
    CooperationBodyForm,
    ExternalActorForm,
    ProjectForm,
)
from analysis.models import CooperationBody, Project
from factors.forms import AssessmentForm
from reference.models import Question, QuestionKind, SuccessFactor

pytestmark = pytest.mark.django_db

NO_PERSONAL_DATA = "Ikke skriv personopplysninger"


def label_text(html: str, field_id: str) -> str:
    match = re.search(rf'<label[^>]*for="{field_id}"[^>]*>(.*?)</label>', html, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()


def help_text(html: str, field_id: str) -> str:
    match = re.search(rf'id="{field_id}_helptext"[^>]*>(.*?)</div>', html, re.S)
    return match.group(1).strip() if match else ""


def test_only_optional_questions_are_marked_optional(client_for, analysis):
    response = client_for("planner").get(
        reverse("analysis:section", args=[analysis.pk, "forarbeid"])
    )
    fields = response.context["form"].fields
    for question in Question.objects.filter(section__key="forarbeid"):
        label = str(fields[answer_field_name(question)].label)
        assert label.endswith("(valgfritt)") == (not question.required), label
        assert label in response.text


def test_a_question_made_optional_is_marked_in_its_form(client_for, analysis):
    question = Question.objects.get(section__key="forarbeid", key="eksisterende-planer")
    Question.objects.filter(pk=question.pk).update(required=False)
    html = (
        client_for("planner").get(reverse("analysis:section", args=[analysis.pk, "forarbeid"])).text
    )
    assert label_text(html, "id_q-eksisterende-planer") == f"{question.text} (valgfritt)"


def test_free_text_questions_say_not_to_write_personal_information(client_for, analysis):
    html = (
        client_for("planner")
        .get(reverse("analysis:section", args=[analysis.pk, "refleksjon"]))
        .text
    )
    for question in Question.objects.filter(section__key="refleksjon"):
        said = NO_PERSONAL_DATA in help_text(html, f"id_{answer_field_name(question)}")
        assert said == (question.kind == QuestionKind.TEXT), question.key


def test_the_self_assessment_marks_what_may_stay_empty_and_warns_about_personal_data(
    client_for, analysis
):
    html = client_for("planner").get(reverse("factors:assessments", args=[analysis.pk])).text
    assert label_text(html, "id_f1-challenges") == "Utfordringer (valgfritt)"
    assert "valgfritt" not in label_text(html, "id_f1-status")
    for field in ("status", "challenges", "evidence"):
        assert NO_PERSONAL_DATA in help_text(html, f"id_f1-{field}"), field
    # An existing help text keeps its own words before the notice.
    assert help_text(html, "id_f1-evidence").startswith("For eksempel")


@pytest.mark.parametrize(
    "make_form",
    [
        lambda a: CooperationBodyForm(instance=CooperationBody(analysis=a)),
        lambda a: ExternalActorForm(),
        lambda a: AllocationRowForm(),
        lambda a: ProjectForm(
            instance=Project(municipality=a.municipality), municipality=a.municipality
        ),
        lambda a: AssessmentForm(factor=SuccessFactor.objects.get(number=1), assessment=None),
    ],
    ids=["cooperation body", "external actor", "allocation", "project", "assessment"],
)
def test_every_field_the_privacy_guard_checks_says_so_and_no_other(analysis, make_form):
    form = make_form(analysis)
    for name, field in form.fields.items():
        said = NO_PERSONAL_DATA in str(field.help_text)
        assert said == (name in form.privacy_fields), name
