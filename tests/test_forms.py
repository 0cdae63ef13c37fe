"""Free text comes in clean and bounded: every form of the project strips control characters
from its text fields (a text area keeps tabs and line breaks) and caps their length
(boligsosial/forms.py), so nothing pasted from Word can break an export later.

Every form of the apps bounds its numbers (boligsosial/forms.py, issue 11, defect 13).
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import Group

from analysis.forms.structures import CooperationBodyForm, ExternalActorForm
from boligsosial.forms import INTEGER_MAX, LONG_TEXT, BoundedNumbersMixin, CleanTextMixin
from boligsosial.text import clean_text
from factors.forms import InvitationForm, UserInputForm
from reference.models import SuccessFactor

OUR_APPS = [app for app in settings.INSTALLED_APPS if "." not in app] + ["boligsosial"]


def our_form_classes() -> list[type]:
    """Every form class defined in our code (every module of every app imported first)."""
    for app in OUR_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if any(part in module.name for part in (".migrations", ".management", "sgi")):
                continue
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.split(".")[0] in OUR_APPS:
            found.append(cls)
    return found


def test_every_form_of_the_project_cleans_its_text():
    classes = our_form_classes()
    assert len(classes) > 20
    assert [c.__qualname__ for c in classes if not issubclass(c, CleanTextMixin)] == []


@pytest.mark.parametrize(
    ("raw", "multiline", "clean"),
    [
        ("Koordinerings\x0bgruppe", False, "Koordinerings gruppe"),
        ("Koordinerings\x0bgruppe", True, "Koordinerings\ngruppe"),
        ("a\tb\r\nc", True, "a\tb\r\nc"),
        ("a\tb\r\nc", False, "a b c"),
        ("N\x00A\x07V\x1b\x7f", False, "NAV"),
        ("N\x00A\x07V\x1b\x7f", True, "NAV"),
        ("side\x0cto", True, "side\nto"),
    ],
)
def test_control_characters_are_dropped_and_line_breaks_kept_only_in_text_areas(
    raw, multiline, clean
):
    assert clean_text(raw, multiline=multiline) == clean


@pytest.mark.django_db
def test_a_cooperation_body_pasted_from_word_is_saved_without_its_vertical_tab(analysis):
    form = CooperationBodyForm(
        data={
            "name": "Koordinerings\x0bgruppe",
            "members": "NAV\x0bEiendom\x00",
            "mandate": "Samordne\r\ntildeling\x1b",
            "meeting_frequency": "Hver\tmåned",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Koordinerings gruppe"
    assert form.cleaned_data["members"] == "NAV\nEiendom"
    assert form.cleaned_data["mandate"] == "Samordne\r\ntildeling"
    assert form.cleaned_data["meeting_frequency"] == "Hver måned"


@pytest.mark.django_db
def test_an_anonymous_answer_is_cleaned_too(reference_data):
    factors = list(SuccessFactor.objects.order_by("number"))
    form = UserInputForm(
        data={"comment": "Bra\x0barbeid\x08", "comment_1": "\x00ok"}, factors=factors
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["comment"] == "Bra\narbeid"
    assert form.cleaned_data["comment_1"] == "ok"
    invitation = InvitationForm(
        data={"organisation_name": "Leietaker\x0bforeningen", "valid_days": 30}
    )
    assert invitation.is_valid(), invitation.errors
    assert invitation.cleaned_data["organisation_name"] == "Leietaker foreningen"


# --- Length caps: a megabyte in a text area reached the revision history (issue 11) ------------

# The planner's free-text fields, each with its page and how to read what was saved.
from tests.analysis.test_privacy import CASES, _cases, _load  # noqa: E402


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_a_megabyte_in_any_free_text_field_is_refused_with_a_clear_message(
    client_for, analysis, case
):
    from analysis.models import Revision

    url, field, saved = _cases(analysis)[case]
    client = client_for("planner")
    before = (saved(), Revision.objects.count())
    data = _load(client, url) | {field: "Tekst " * 200_000}
    if case == "external actor":
        data |= {"kind": "nav", "name": "NAV"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Teksten er for lang" in response.text
    assert (saved(), Revision.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [CooperationBodyForm, ExternalActorForm])
def test_the_text_areas_of_a_model_without_a_length_say_their_cap(form_class):
    form = form_class(data={"name": "x", "kind": "nav"})
    form.is_valid()
    capped = {n: f.max_length for n, f in form.fields.items() if isinstance(f, forms.CharField)}
    assert all(
        limit is not None and limit <= LONG_TEXT
        for n, limit in capped.items()
        if n not in {"base", "privacy_confirmed"}
    ), capped


# --- Numbers (issue 11, defect 13) ----------------------------------------------------------

APPS_WITH_FORMS = {
    "jobs",
    "outbox",
    "reference",
    "accounts",
    "keyfigures",
    "analysis",
    "factors",
    "notifications",
    "overview",
    "reports",
    "demo",
}


def app_form_classes() -> list[type]:
    for app in APPS_WITH_FORMS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for sub in pkgutil.iter_modules(getattr(module, "__path__", [])):
            importlib.import_module(f"{module.__name__}.{sub.name}")

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return sorted(
        {c for c in subclasses(forms.BaseForm) if c.__module__.split(".")[0] in APPS_WITH_FORMS}
        - {BoundedNumbersMixin},
        key=lambda c: f"{c.__module__}.{c.__name__}",
    )


# Forms whose numbers come from the model only: the model's validation (ModelForm) checks
# the column's range before anything is written.
MODEL_VALIDATED = {"reference.admin.SectionForm"}


def test_every_form_with_a_number_or_a_choice_of_rows_bounds_them():
    unbounded = []
    for cls in app_form_classes():
        name = f"{cls.__module__}.{cls.__name__}"
        risky = [
            n
            for n, f in cls.base_fields.items()
            if isinstance(f, forms.IntegerField | forms.ModelMultipleChoiceField)
        ]
        if risky and not issubclass(cls, BoundedNumbersMixin) and name not in MODEL_VALIDATED:
            unbounded.append(f"{name}: {risky}")
    assert unbounded == []


class Numbers(BoundedNumbersMixin, forms.Form):
    count = forms.IntegerField()
    groups = forms.ModelMultipleChoiceField(queryset=Group.objects.all(), required=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"count": str(INTEGER_MAX + 1)}, "count", "mindre enn eller lik 2147483647"),
        ({"count": "1", "groups": ["9" * 20]}, "groups", "er ikke en gyldig verdi"),
        ({"count": "1", "groups": ["²"]}, "groups", "er ikke en gyldig verdi"),
    ],
)
def test_a_number_beyond_its_column_is_the_fields_error_in_norwegian(data, field, message):
    form = Numbers(data)
    assert not form.is_valid()
    assert message in form.errors[field][0]


@pytest.mark.django_db
def test_numbers_within_their_columns_pass():
    group = Group.objects.create(name="g")
    form = Numbers({"count": str(INTEGER_MAX), "groups": [str(group.pk)]})
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["groups"]) == [group]
