"""System checks of the project itself.

Compiled catalogues: with DEBUG off, a missing or out-of-date .mo is an error, so `manage.py
check --deploy` (the release step: make serve, the container's migrate service), migrate, and
the report commands refuse to run rather than show English. gunicorn runs no checks of its
own; the release step runs them before it starts. A catalogue whose recorded source digest
matches its .po is current without further reading (a few milliseconds: render_report runs
this check on every call); any other is compared text by text.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from boligsosial import catalogues

HINT = "Run `python manage.py compile_translations` (make serve and the image build do)."


@register(Tags.translation)
def check_compiled_catalogues(app_configs=None, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    errors = []
    fallback = None
    for po_path in catalogues.catalogue_paths():
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            errors.append(
                Error(f"{mo_path} is missing.", hint=HINT, obj=str(po_path), id="boligsosial.E001")
            )
            continue
        if catalogues.compiled_from(mo_path) == catalogues.source_digest(po_path):
            continue  # compiled by compile_translations from exactly this .po: current
        # Compiled from another .po, or by another tool: compare the texts themselves.
        if fallback is None:
            fallback = catalogues.fallback_texts()
        stale = catalogues.stale_entries(catalogues.compiled_form(po_path, fallback), mo_path)
        if stale:
            errors.append(
                Error(
                    f"{mo_path} is out of date: {len(stale)} entries differ from "
                    f"{po_path.name} (e.g. {stale[0]!r}).",
                    hint=HINT,
                    obj=str(po_path),
                    id="boligsosial.E002",
                )
            )
    return errors
