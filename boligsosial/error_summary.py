"""One error summary at the top of every form page (issue 15, item 3; the Designsystemet
error-summary pattern): every error the page holds, each a link to its field, so every error is
one click from where it is corrected.

`summary_items(*sources)` reads forms as they are after validation. A source is a form, a
formset (its rows are named "Row n"), a string (an error of the page with no field of its own)
or a list of any of these, where a form may come in a tuple with what it belongs to: its
title is the first thing in the tuple that is not a form (a section, an instrument) unless the
form names itself with `summary_title`. A form whose fields are drawn by hand (not by crispy,
whose ids are the widgets' own) says where each field is with `summary_ids`.

The privacy guard's error (analysis/forms/mixins.py) is listed under the question whose text
warned, linking to that text, not under the box that confirms it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet
from django.utils.functional import Promise
from django.utils.translation import gettext as _

# The privacy guard's box (analysis/forms/mixins.py, PrivacyGuardMixin).
PRIVACY_FIELD = "privacy_checked"


@dataclass(frozen=True)
class SummaryItem:
    message: str
    href: str = ""  # "#id" of the field; empty for an error of the whole form


def field_anchor(bound: forms.BoundField) -> str:
    """The id of the control a link to the field should land on: the widget's own, or for
    radio buttons and check boxes the first of them (Django gives their label no `for`)."""
    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0" if bound.auto_id else ""
    return bound.id_for_label or bound.auto_id or ""


def field_label(form: forms.BaseForm, name: str) -> str:
    field = form.fields.get(name)
    if field is None:
        return ""
    return str(getattr(field, "plain_label", None) or field.label or name)


def _titled(title: str, label: str) -> str:
    return f"{title} – {label}" if title and label else title or label


def _prefixed(title: str, message: Any) -> str:
    return f"{title}: {message}" if title else str(message)


def _labelled(label: str, message: Any) -> str:
    """ "Label: message", or after a question's own mark just a space ("Which plans? The
    text is too long")."""
    return f"{label} {message}" if label.endswith(("?", "!", ".", ":")) else f"{label}: {message}"


def form_items(form: forms.BaseForm, title: str = "") -> list[SummaryItem]:
    """The form's errors in the order its fields come on the page (Designsystemet: the
    summary reads like the form), those of the whole form first."""
    if not form.is_bound or not form.errors:
        return []
    title = str(getattr(form, "summary_title", "") or title or "")
    ids: dict[str, str] = getattr(form, "summary_ids", {}) or {}
    first = [SummaryItem(_prefixed(title, m)) for m in form.non_field_errors()]
    by_field: dict[str, list[SummaryItem]] = {}
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS:
            continue
        if name == PRIVACY_FIELD:
            for at, item in privacy_items(form, title, errors):
                by_field.setdefault(at, []).append(item)
            continue
        field = form.fields.get(name)
        if field is None or field.widget.is_hidden:
            # A hidden field (a merge base, a version) is no field a person can go to.
            first += [SummaryItem(_prefixed(title, m)) for m in errors]
            continue
        href = "#" + (ids.get(name) or field_anchor(form[name]))
        label = _titled(title, field_label(form, name))
        by_field.setdefault(name, []).extend(SummaryItem(_labelled(label, m), href) for m in errors)
    order = {name: n for n, name in enumerate(form.fields)}
    fields = sorted(by_field, key=lambda name: order.get(name, len(order)))
    return first + [item for name in fields for item in by_field[name]]


def privacy_items(
    form: forms.BaseForm, title: str, errors: Iterable[Any]
) -> list[tuple[str, SummaryItem]]:
    """The privacy guard's error, once for each text that warned, named by its question and
    placed with it (as (field name, item))."""
    hit_fields = getattr(form, "privacy_hit_fields", None) or []
    ids: dict[str, str] = getattr(form, "summary_ids", {}) or {}
    if not hit_fields:
        anchor = field_anchor(form[PRIVACY_FIELD])
        return [(PRIVACY_FIELD, SummaryItem(str(m), "#" + anchor)) for m in errors]
    message = _(
        "The text looks like it may identify a person. Remove it, or tick the box in the "
        "warning below to confirm that you have checked it."
    )
    return [
        (
            name,
            SummaryItem(
                _labelled(_titled(title, field_label(form, name)), message),
                "#" + (ids.get(name) or field_anchor(form[name])),
            ),
        )
        for name in hit_fields
    ]


def summary_items(*sources: Any) -> list[SummaryItem]:
    items: list[SummaryItem] = []
    for source in sources:
        items += _items_of(source)
    return items


def _items_of(source: Any, title: str = "") -> list[SummaryItem]:
    if source is None or source == "":
        return []
    if isinstance(source, SummaryItem):
        return [source]
    if isinstance(source, str | Promise):
        return [SummaryItem(str(source))]
    if isinstance(source, forms.BaseForm):
        return form_items(source, title)
    if isinstance(source, BaseFormSet):
        if not source.is_bound:
            return []
        items = [SummaryItem(str(m)) for m in source.non_form_errors()]
        for n, form in enumerate(source.forms, start=1):
            items += form_items(form, title or _("Row %(n)s") % {"n": n})
        return items
    if isinstance(source, tuple):
        form = next((s for s in source if isinstance(s, forms.BaseForm | BaseFormSet)), None)
        if form is not None:
            named = next(
                (s for s in source if not isinstance(s, forms.BaseForm | BaseFormSet | list)),
                None,
            )
            return _items_of(form, str(named) if named is not None else title)
    if isinstance(source, Iterable) and not isinstance(source, dict):
        items = []
        for element in source:
            items += _items_of(element, title)
        return items
    return [SummaryItem(str(source))]
