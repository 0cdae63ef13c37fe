"""The fast field template (boligsosial/templatetags/fast_fields.py) writes what
crispy-bootstrap5's field template writes, character for character: every kind of widget,
with and without errors and help text, under every option of the helper that the template
reads; and the self-assessment's own fields."""

from __future__ import annotations

from pathlib import Path

import crispy_bootstrap5
import pytest
from django import forms
from django.template import engines

from boligsosial.benchmark import BareForm
from boligsosial.forms import FAST_FIELD_TEMPLATE
from boligsosial.templatetags.fast_fields import render_field
from factors.forms import AssessmentForm
from reference.models import SuccessFactor

ORIGINAL = engines["django"].from_string(
    (Path(crispy_bootstrap5.__file__).parent / "templates/bootstrap5/field.html").read_text()
)


class EveryWidget(forms.Form):
    name = forms.CharField(
        label="Kommunens «navn» & 'kortnavn'", help_text="Hjelp <b>med</b> HTML", max_length=5
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    choice = forms.ChoiceField(
        choices=[(1, "En"), (2, "To's")], widget=forms.RadioSelect, help_text="Velg én."
    )
    grouped = forms.ChoiceField(
        choices=[("Gruppe", [("a", "A"), ("b", "B")]), ("c", "C")], widget=forms.RadioSelect
    )
    many = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
    )
    select = forms.ChoiceField(choices=[("", "---"), (1234, "Tusen")])
    check = forms.BooleanField(help_text="Kryss av.")
    number = forms.IntegerField(min_value=0, initial=12345)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    file = forms.FileField(required=False)
    date = forms.DateField(required=False)


INVALID = {"name": "for langt", "number": "-5", "choice": "9", "select": "x", "date": "ugyldig"}
OPTIONS = {
    "label_class": ["", "col-lg-2"],
    "field_class": ["", "col-lg-8"],
    "form_class": ["", "form-horizontal"],
    "help_text_inline": [False, True],
    "error_text_inline": [True, False],
    "form_show_labels": [True, False],
    "tag": ["", "td"],
    "wrapper_class": ["", "extra"],
}


def variants():
    """Every option alone (the others at crispy's defaults), with and without errors."""
    for data in (None, INVALID):
        yield data, {}
        for name, values in OPTIONS.items():
            yield data, {name: values[1]}
    yield INVALID, {"label_class": "col-lg-2", "form_class": "form-horizontal"}
    yield INVALID, {"form_show_errors": False}
    yield None, {"bootstrap_checkbox_offsets": ["col-lg-offset-2"], "label_class": "col-lg-2"}


def fields_of(data):
    form = EveryWidget(data)
    if data is not None:
        form.is_valid()
    return {name: form[name] for name in form.fields}


def context(field, options):
    return {
        "field": field,
        "form_show_errors": True,
        "form_show_labels": True,
        "label_class": "",
        "field_class": "",
        **options,
    }


@pytest.mark.parametrize("data, options", list(variants()))
def test_every_widget_is_written_as_crispy_bootstrap5_writes_it(data, options):
    # Rendering adds classes to the widget: each template gets a form of its own.
    mine, theirs = fields_of(data), fields_of(data)
    for name in mine:
        expected = ORIGINAL.render(context(theirs[name], options))
        assert render_field(context(mine[name], options)) == expected, name


@pytest.mark.django_db
def test_the_self_assessments_fields_are_written_as_before(reference_data):
    factor = SuccessFactor.objects.get(number=1)
    for data in (None, {"f1-score": "9", "f1-status": "x" * 6000}):
        forms_ = [AssessmentForm(data, factor=factor, assessment=None) for _ in range(2)]
        for form in forms_:
            if data is not None:
                form.is_valid()
        mine, theirs = forms_
        for name in ("score", "status", "challenges", "evidence", "version"):
            expected = ORIGINAL.render(context(theirs[name], {}))
            assert render_field(context(mine[name], {})) == expected, name


def test_the_self_assessment_opts_in_and_the_benchmarks_bare_form_does_not():
    assert AssessmentForm.helper.field_template == FAST_FIELD_TEMPLATE
    assert BareForm().helper.field_template is None
