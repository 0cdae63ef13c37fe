"""`plain_fields` (boligsosial/templatetags/plain_fields.py) draws a plain field and a list of
radio buttons or checkboxes as crispy's field.html draws them, faster: the same markup but for
blank lines, with and without a form helper, with help text and errors; every other field goes
to crispy itself."""

import re

import pytest
from crispy_forms.helper import FormHelper
from django import forms
from django.template import Context, Template

from boligsosial.forms import CleanTextMixin, write_options_out

CHOICES = [("", "---------"), ("yes", "Ja"), ("no", "Nei")]


class EveryKindForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label="Navn", help_text="Slik den står i vedtaket.")
    text = forms.CharField(label="Svar", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    choice = forms.ChoiceField(label="Valg", choices=CHOICES, required=False)
    due = forms.DateField(
        label="Frist",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Valgfri.",
    )
    checked = forms.BooleanField(label="Sjekket", required=False)
    radio = forms.ChoiceField(
        label="Radio", choices=CHOICES[1:], widget=forms.RadioSelect, help_text="Velg én."
    )
    several = forms.MultipleChoiceField(
        label="Flere", choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple, required=False
    )
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_text(self):
        raise forms.ValidationError("Skriv mer.")


class WithHelperForm(EveryKindForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def drawn(form: forms.Form, name: str, *, plain: bool) -> str:
    libraries = "crispy_forms_tags plain_fields" if plain else "crispy_forms_tags"
    html = Template(f"{{% load {libraries} %}}{{{{ form.{name}|as_crispy_field }}}}").render(
        Context({"form": form})
    )
    return html


def without_blank_lines(html: str) -> str:
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("form_class", [EveryKindForm, WithHelperForm])
@pytest.mark.parametrize("bound", [False, True])
@pytest.mark.parametrize("name", ["name", "text", "choice", "due", "radio", "several"])
def test_a_plain_field_is_drawn_as_crispy_draws_it(form_class, bound, name):
    data = (
        {"name": "", "text": "kort", "choice": "maybe", "due": "i går", "several": ["x"]}
        if bound
        else None
    )
    form, again = form_class(data), form_class(data)
    if bound:
        assert not form.is_valid() and not again.is_valid()
        assert name in form.errors
    theirs, ours = drawn(form, name, plain=False), drawn(again, name, plain=True)
    assert without_blank_lines(ours) == without_blank_lines(theirs)
    assert f'id="div_id_{name}"' in ours


@pytest.mark.parametrize("name", ["checked", "hidden"])
def test_other_fields_are_left_to_crispy(name):
    assert drawn(EveryKindForm(), name, plain=True) == drawn(EveryKindForm(), name, plain=False)


class SelectsForm(CleanTextMixin, forms.Form):
    flat = forms.ChoiceField(choices=[("", "–"), ("a", "A & B"), ("b", 'Sier "nei"')])
    grouped = forms.ChoiceField(
        choices=[("Fylke", [("1", "Nordland"), ("2", "Troms <og> Finnmark")]), ("3", "Annet")],
        required=False,
        disabled=True,
    )


@pytest.mark.parametrize("data", [None, {"flat": "a", "grouped": "2"}, {"flat": "x"}])
def test_a_select_with_its_options_written_out_is_drawn_as_django_draws_it(data):
    theirs, ours = SelectsForm(data), SelectsForm(data)
    write_options_out(*ours.fields.values())
    assert ours.fields["flat"].widget.template_name != theirs.fields["flat"].widget.template_name
    for name in ("flat", "grouped"):
        assert str(ours[name]) == str(theirs[name])
