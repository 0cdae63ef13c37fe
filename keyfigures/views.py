"""The administrators' import of statistics files: upload, dry run, progress."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access
from keyfigures.forms import IndicatorUploadForm, LimitedUploadHandler
from keyfigures.importers import ImportError_
from keyfigures.models import Indicator
from keyfigures.selectors import fetch_overview, import_progress
from keyfigures.services.fetching import start_fetch
from keyfigures.services.imports import (
    ImportReport,
    discard_checked_file,
    finish_progress,
    import_indicator_file,
    keep_checked_file,
    progress_recorder,
    read_checked_file,
    size_error,
)

logger = logging.getLogger(__name__)

# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD_BYTES = 64 * 1024
# The session remembers the one file its last dry run checked; the page posts its token back.
CHECKED_SESSION_KEY = "indicator_checked_file"
CHECKED_FIELD = "checked_file"


@csrf_exempt  # checked in _upload, after the size checks: the CSRF check reads the body
@require_http_methods(["GET", "POST"])
def indicator_upload(request: HttpRequest) -> HttpResponse:
    access.require_administrator(request.user)
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # Refused by its declared size before a byte of the body is read or stored.
        if error := size_error(max(length - FORM_OVERHEAD_BYTES, 0)):
            return _upload_page(request, IndicatorUploadForm(), errors=error.errors, status=413)
        handler = LimitedUploadHandler(settings.INDICATOR_FILE_MAX_BYTES, request)
        request.upload_handlers.insert(0, handler)
        request.indicator_upload_limit = handler
    return _upload(request)


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and CHECKED_FIELD in request.POST:
        return _import_checked(request)
    form = IndicatorUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _upload_page(request, form)
    handler = getattr(request, "indicator_upload_limit", None)
    if handler is not None and handler.exceeded:
        error = size_error(handler.received)
        return _upload_page(request, IndicatorUploadForm(), errors=error.errors, status=413)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    indicator = form.cleaned_data["indicator"]
    dry_run = form.cleaned_data["dry_run"]
    data = b""
    if not size_error(upload.size):
        data = upload.read()
    report, errors = _run_import(
        request,
        data=data,
        size=upload.size,
        filename=upload.name,
        indicator_code=indicator.code if indicator else None,
        dry_run=dry_run,
        import_id=str(form.cleaned_data["import_id"] or ""),
    )
    checked = None
    if report is not None and dry_run:
        # The file passed its check: keep it, so the real import needs no second upload.
        previous = request.session.get(CHECKED_SESSION_KEY) or {}
        checked = keep_checked_file(
            data=data,
            filename=upload.name,
            indicator_code=indicator.code if indicator else None,
            replacing=previous.get("token", ""),
        )
        request.session[CHECKED_SESSION_KEY] = checked.as_session()
    # A fresh form (and import id) for the next file, keeping the choices just made.
    again = IndicatorUploadForm(initial={"indicator": indicator, "dry_run": dry_run})
    return _upload_page(
        request,
        again,
        report=report,
        errors=errors,
        checked=checked,
        status=400 if errors else 200,
    )


def _import_checked(request: HttpRequest) -> HttpResponse:
    """The real import of the file the last dry run checked, without a second upload."""
    kept = request.session.get(CHECKED_SESSION_KEY) or {}
    token = request.POST.get(CHECKED_FIELD, "")
    data = read_checked_file(token) if token and kept.get("token") == token else None
    if data is None:
        message = _(
            "The checked file is no longer kept on the server (it is kept for a day, for the "
            "person who checked it). Choose the file again."
        )
        return _upload_page(request, IndicatorUploadForm(), errors=[message], status=400)
    try:
        import_id = str(uuid.UUID(request.POST.get("import_id", "")))
    except ValueError:
        import_id = ""
    report, errors = _run_import(
        request,
        data=data,
        size=len(data),
        filename=kept["filename"],
        indicator_code=kept["indicator_code"],
        dry_run=False,
        import_id=import_id,
    )
    discard_checked_file(token)
    request.session.pop(CHECKED_SESSION_KEY, None)
    indicator = Indicator.objects.filter(code=kept["indicator_code"]).first()
    again = IndicatorUploadForm(initial={"indicator": indicator})
    return _upload_page(
        request,
        again,
        report=report,
        errors=errors,
        imported_name=kept["filename"],
        status=400 if errors else 200,
    )


def _run_import(
    request: HttpRequest,
    *,
    data: bytes,
    size: int,
    filename: str,
    indicator_code: str | None,
    dry_run: bool,
    import_id: str,
) -> tuple[ImportReport | None, list[str]]:
    progress = (
        progress_recorder(user_id=request.user.pk, import_id=import_id) if import_id else None
    )
    report, errors = None, []
    try:
        if error := size_error(size):
            raise error
        report = import_indicator_file(
            data=data,
            filename=filename,
            indicator_code=indicator_code,
            dry_run=dry_run,
            progress=progress,
        )
    except ImportError_ as error:
        errors = error.errors
    except Exception:
        # Whatever went wrong, the import ran in one transaction: nothing was kept.
        logger.exception("Indicator upload failed")
        errors = [
            _(
                "The import failed for a reason the application did not foresee. Nothing was "
                "written. The error has been logged; please tell the administrators of the "
                "service which file it was."
            )
        ]
    if import_id:
        finish_progress(user_id=request.user.pk, import_id=import_id, report=report, errors=errors)
    return report, errors


def _upload_page(
    request, form, *, report=None, errors=(), checked=None, imported_name="", status=200
) -> HttpResponse:
    return render(
        request,
        "analysis/indicators/upload.html",
        {
            "form": form,
            "report": report,
            "errors": list(errors),
            "checked": checked,
            "checked_field": CHECKED_FIELD,
            "checked_import_id": uuid.uuid4(),
            "imported_name": imported_name,
            "limit_mb": round(settings.INDICATOR_FILE_MAX_BYTES / 1e6),
            "fetch": fetch_overview(),
        },
        status=status,
    )


@never_cache
@require_GET
def indicator_import_progress(request: HttpRequest, import_id) -> JsonResponse:
    access.require_administrator(request.user)
    return JsonResponse(import_progress(user_id=request.user.pk, import_id=str(import_id)))


@require_POST
def indicator_fetch(request: HttpRequest) -> HttpResponse:
    """Start the fetch from SSB in the background; its page shows the progress."""
    access.require_administrator(request.user)
    job = start_fetch(by=request.user)
    return redirect(job)
