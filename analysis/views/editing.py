"""The one flow every editing page follows (STYLE.md, "One flow for every editing form").

A page's forms carry fingerprints of the values they were loaded with (analysis/merge.py).
The view loads the analysis through `access`, binds the forms and hands them to `edit`, with
the one `save_*` service to call. Every service merges a save with what others saved
meanwhile; where a person's change meets another person's change to the same field, it
writes nothing and raises `StaleEdit`, which carries, row by row, each field in conflict as
(saved, mine). `edit` turns that into the page again, status 409: the forms show what is
saved now with this person's own changes on top, and the fields in conflict show both
versions side by side. Saving again from there is a deliberate choice, never an accident.

A page's forms answer the same few questions whether they are one form or several
(`FormGroup`): are they valid, were they forged, which conflict rows do they show, and what
do they look like rebuilt on what is saved now.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from analysis import merge
from analysis.merge import StaleEdit
from analysis.models import Analysis
from analysis.services.workflow import ensure_editable


class EditForms(Protocol):
    """What `edit` asks of a page's forms (one form, or a FormGroup of several)."""

    def is_valid(self) -> bool: ...
    def is_forged(self) -> bool: ...
    def conflict_groups(self, error: StaleEdit) -> list[merge.ConflictGroup]: ...
    def add_error(self, field: str | None, error: ValidationError) -> None: ...


@dataclass
class FormGroup:
    """Several forms on one page, keyed as the service keys its rows (factor number,
    instrument id, section id)."""

    forms: dict[Hashable, Any]
    # What the page shows beside the forms, read while building them (once, not twice).
    context: dict[str, Any] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.forms.values())

    def items(self):
        return self.forms.items()

    def is_valid(self) -> bool:
        # Every form validated, so each shows its own errors.
        return all([form.is_valid() for form in self.forms.values()])

    def is_forged(self) -> bool:
        return any(form.is_forged() for form in self.forms.values())

    @property
    def has_errors(self) -> bool:
        return any(form.is_bound and form.errors for form in self.forms.values())

    def conflict_groups(self, error: StaleEdit) -> list[merge.ConflictGroup]:
        conflicts = error.by_key()
        return [
            group
            for key, form in self.forms.items()
            if key in conflicts
            for group in form.conflict_groups(merge.StaleEdit([conflicts[key]]))
        ]

    def add_error(self, field: str | None, error: ValidationError) -> None:
        next(iter(self.forms.values())).add_error(field, error)


def forged(request: HttpRequest | None = None) -> HttpResponseBadRequest:
    """A request no page in a browser sends (a choice never offered, a tampered hidden
    field): 400, with nothing written."""
    return HttpResponseBadRequest(_("The form was not sent as expected."))


def refuse(request: HttpRequest, error: ValidationError, to: str) -> HttpResponse:
    """A change the analysis cannot take now (it is submitted or approved): back to the
    page, with the reason."""
    messages.error(request, " ".join(error.messages))
    return redirect(to)


def edit(
    request: HttpRequest,
    analysis: Analysis,
    *,
    forms: EditForms,
    save: Callable[[], Any],
    rebuild: Callable[[StaleEdit], EditForms],
    page: Callable[[EditForms, list[merge.ConflictGroup], int], HttpResponse],
    done_url: str,
    done_message: Callable[[Any], str] | str | None = None,
    refused_url: str | None = None,
) -> HttpResponse:
    """Run one editing page: GET shows `forms`; a valid POST calls `save()`, which calls one
    `save_*` service with the forms' values, then redirects to `done_url` with
    `done_message` (a text, or a function of what `save()` returned).

    - `StaleEdit`: `page(rebuild(error), conflicts, 409)`: what is saved now with this
      person's changes on top, and both versions of each field in conflict.
    - a read-only analysis (submitted or approved; checked first, and again by the service):
      back to `refused_url` (else `done_url`) with the reason, nothing written.
    - a forged form (a choice never offered, a tampered hidden field): the page, status 400.
    - any other `ValidationError` from the service (a row removed meanwhile, a rule of the
      model): shown on the form, which keeps what was typed.
    - invalid forms: the page again with the errors, status 200.
    """
    if request.method != "POST":
        return page(forms, [], 200)
    # Checked again by the service under the analysis's row lock.
    try:
        ensure_editable(analysis)
    except ValidationError as error:
        return refuse(request, error, refused_url or done_url)
    if not forms.is_valid():
        # A forged form (an error no browser produces) is a bad request; the page shows why.
        return page(forms, [], 400 if forms.is_forged() else 200)
    try:
        result = save()
    except StaleEdit as error:
        return page(rebuild(error), forms.conflict_groups(error), 409)
    except ValidationError as error:
        if getattr(error, "code", None) == "read_only":
            return refuse(request, error, refused_url or done_url)
        if getattr(error, "code", None) == "forged":
            return forged(request)
        forms.add_error(None, error)
        return page(forms, [], 200)
    return _done(request, result, done_message, done_url)


def _done(request: HttpRequest, result: Any, message, url: str) -> HttpResponse:
    """After a change: the message (a text, or a function of what the service returned) and
    back to the page."""
    text = message(result) if callable(message) else message
    if text:
        messages.success(request, text)
    return redirect(url)


def saved_or_unchanged(changed: int) -> str:
    """The usual message after a save that reports how many rows it changed."""
    return _("Saved.") if changed else _("Nothing was changed.")


def act(
    request: HttpRequest,
    *,
    do: Callable[[], Any],
    done_url: str,
    done_message: Callable[[Any], str] | str | None = None,
    refused_url: str | None = None,
) -> HttpResponse:
    """A POST that changes something without a form of its own (restore an earlier value,
    remove a row, end a project): call `do()`, which calls one service, and go to `done_url`
    with `done_message`. A `ValidationError` (a submitted analysis, a rule of the model) goes
    to `refused_url` (else `done_url`) with the reason, nothing written."""
    try:
        result = do()
    except ValidationError as error:
        return refuse(request, error, refused_url or done_url)
    return _done(request, result, done_message, done_url)
