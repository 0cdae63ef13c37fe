"""The audit log: administrators search all of it, an office's advisers their region's."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import access, audit
from accounts.forms import AuditSearchForm


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    if not (access.is_administrator(request.user) or access.is_adviser(request.user)):
        raise Http404
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit.search(
        audit.events_visible_to(request.user),
        text=filters.get("q", ""),
        action=filters.get("action", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(events, 50).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "accounts/audit_log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "regions": list(access.regions_visible_to(request.user)),
            "is_admin": access.is_administrator(request.user),
        },
    )
