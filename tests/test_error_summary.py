"""The error summary every form page shows at its top (boligsosial/error_summary.py; issue 15,
item 3): each error a link to its field, errors of the whole form listed too."""

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from boligsosial.error_summary import SummaryItem, summary_items
from boligsosial.forms import CleanTextMixin


class PlanForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label="Tittel")
    kind = forms.ChoiceField(
        label="Type", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if self.data.get("whole"):
            raise forms.ValidationError("Skjemaet henger ikke sammen.")
        if self.data.get("late"):
            self.add_error("title", "Tittelen passer ikke til typen.")
        return cleaned


def test_each_field_in_error_links_to_its_widget():
    form = PlanForm(data={"p3-version": "1"}, prefix="p3")
    assert not form.is_valid()
    items = summary_items(form)
    assert [i.href for i in items] == ["#id_p3-title", "#id_p3-kind_0"]
    assert items[0].message.startswith("Tittel: ")


def test_errors_of_the_whole_form_and_of_hidden_fields_are_listed_without_a_link():
    form = PlanForm(data={"title": "x", "kind": "a", "version": "x", "whole": "1"})
    assert not form.is_valid()
    items = summary_items(form)
    assert SummaryItem("Skjemaet henger ikke sammen.") in items
    # The hidden version field is no field a person can go to: its error has no link.
    assert [i.href for i in items] == ["", ""]


def test_forms_of_a_page_are_named_by_what_they_belong_to():
    form = PlanForm(data={"s1-kind": "a", "s1-version": "1"}, prefix="s1")
    (item,) = summary_items([("Forarbeid", form)])
    assert item == SummaryItem(
        "Forarbeid – Tittel: " + str(form.errors["title"][0]), "#id_s1-title"
    )


def test_a_formset_links_to_the_field_of_its_row():
    formset = forms.formset_factory(PlanForm, extra=0)(
        data={
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-title": "Rad en",
            "form-0-kind": "a",
            "form-0-version": "1",
            "form-1-kind": "b",
            "form-1-version": "1",
        }
    )
    with translation.override("nb"):
        assert not formset.is_valid()
        (item,) = summary_items(formset)
    assert item.href == "#id_form-1-title"
    assert item.message.startswith("Rad 2 – Tittel: ")


def test_a_valid_or_unbound_form_gives_no_summary():
    assert (
        summary_items(PlanForm(), PlanForm(data={"title": "x", "kind": "a", "version": "1"})) == []
    )
    html = Template("{% load error_summary %}{% error_summary form %}").render(
        Context({"form": PlanForm()})
    )
    assert html.strip() == ""


@pytest.mark.parametrize("nothing_saved", [True, False])
def test_the_summary_is_a_focusable_section_with_a_heading_and_links(nothing_saved):
    form = PlanForm(data={"version": "1"})
    form.is_valid()
    with translation.override("nb"):
        html = Template(
            "{% load error_summary %}{% error_summary form nothing_saved=nothing_saved %}"
        ).render(Context({"form": form, "nothing_saved": nothing_saved}))
    assert 'tabindex="-1"' in html and "data-error-summary" in html
    assert "Skjemaet har feil" in html
    assert 'href="#id_title"' in html and 'href="#id_kind_0"' in html
    assert ("Ingenting ble lagret" in html) is nothing_saved


def test_the_summary_lists_errors_in_the_order_of_the_fields_on_the_page():
    # The title's error comes last from clean(), after the type's; the page shows the title
    # first, and so does the summary.
    form = PlanForm(data={"title": "x", "version": "1", "late": "1"})
    assert not form.is_valid()
    assert list(form.errors) == ["kind", "title"]
    assert [i.href for i in summary_items(form)] == ["#id_title", "#id_kind_0"]


def test_a_question_keeps_its_own_mark_before_the_message():
    form = PlanForm(data={"kind": "a", "version": "1"})
    form.fields["title"].label = "Hvilke planer har kommunen?"
    form.is_valid()
    (item,) = summary_items(form)
    assert item.message == f"Hvilke planer har kommunen? {form.errors['title'][0]}"
