"""Check your answers, then a receipt (issue 15, item 2): the planner sees every part before
sending, submits from there, and is told what was sent, when, and who was notified. Whether
an analysis can be submitted is decided by the submit service alone
(analysis/services/workflow.py); these pages only show its reasons beforehand."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from analysis import access
from analysis.selectors.submission import check_answers_page, receipt


@require_GET
def check_answers(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    return render(
        request,
        "analysis/check_answers.html",
        {
            "analysis": analysis,
            "can_edit": access.can_edit_analysis(request.user, analysis),
            **check_answers_page(analysis),
        },
    )


@require_GET
def submission_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    return render(
        request,
        "analysis/receipt.html",
        {"analysis": analysis, "receipt": receipt(analysis)},
    )


urlpatterns = [
    path("<int:pk>/se-over/", check_answers, name="check_answers"),
    path("<int:pk>/kvittering/", submission_receipt, name="receipt"),
]
