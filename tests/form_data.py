"""A form as the browser would send it, for tests that post forms they first loaded."""

from __future__ import annotations

import re

from django import forms


def form_data(form: forms.BaseForm, **overrides) -> dict:
    """Every enabled field with the value the page shows (the posted value of a bound form,
    else its initial value), under its prefixed name; `overrides` on top (by plain name when
    the form has a prefix, so f"{prefix}-score" and "score" both work)."""
    data: dict = {}
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.value()
        if isinstance(bound.field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
            continue
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = str(value)
    for name, value in overrides.items():
        key = name if name in data or not form.prefix else form.add_prefix(name)
        data[key] = value
    return data


def error_summary(html: str) -> str:
    """The page's error summary (templates/_error_summary.html), or "" without one."""
    found = re.search(r"<section[^>]*data-error-summary.*?</section>", html, re.S)
    return found.group(0) if found else ""
