"""Landing, health check, and the first screens: a municipality's analysis and a region."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import audit
from analysis import access
from analysis.models import Round
from analysis.selectors.core import current_round, landing_analysis
from analysis.selectors.review import latest_send_back
from analysis.selectors.sections import analysis_page
from keyfigures.selectors import key_figures
from outbox.models import MessageStatus, OutgoingMessage

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Planners land on their municipality's analysis, advisers on their region."""
    round_ = current_round()
    regions = list(access.regions_visible_to(request.user)[:2])
    if round_ is not None:
        analysis = landing_analysis(request.user, round_)
        if analysis is not None:
            return redirect(analysis)
    if len(regions) == 1 and not access.is_administrator(request.user):
        return redirect("overview:region", pk=regions[0].pk)
    return render(
        request,
        "analysis/home.html",
        {
            "round": round_,
            "regions": list(access.regions_visible_to(request.user)),
            "rounds": list(Round.objects.all()),
            "today": timezone.localdate(),
            "is_admin": access.is_administrator(request.user),
            # Administrators see what the outbox could not deliver (outbox/sender.py).
            "failed_emails": OutgoingMessage.objects.filter(status=MessageStatus.FAILED).count()
            if access.is_administrator(request.user)
            else 0,
        },
    )


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers; 503 when it does not, so a load balancer takes the
    instance out, with the reason in the log and nothing of it in the response."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check: the database cannot be reached: %s", error)
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def analysis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    audit.record_adviser_opened(
        request.user, analysis.municipality, target=str(analysis), page="analysis"
    )
    figures = key_figures(analysis.municipality)
    page = analysis_page(analysis)
    return render(
        request,
        "analysis/detail.html",
        {
            "analysis": analysis,
            "can_edit": access.can_edit_municipality(request.user, analysis.municipality_id),
            "can_manage_people": access.can_manage_municipality(
                request.user, analysis.municipality_id
            ),
            **page,
            # The sections this person is to answer, with their due dates (issue 15, item 9).
            "my_assignments": [
                row
                for row in page["section_rows"]
                if row.assignment is not None and row.assignment.assignee_id == request.user.pk
            ],
            "today": timezone.localdate(),
            "figures": figures,
            "has_figures": any(f.year for f in figures),
            "send_back": latest_send_back(analysis),
        },
    )
