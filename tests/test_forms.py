"""Every form of the apps bounds its numbers (boligsosial/forms.py, issue 11, defect 13)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms
from django.contrib.auth.models import Group

from boligsosial.forms import INTEGER_MAX, BoundedNumbersMixin

OUR_APPS = {
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
    for app in OUR_APPS:
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
        {c for c in subclasses(forms.BaseForm) if c.__module__.split(".")[0] in OUR_APPS}
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
