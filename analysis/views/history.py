"""History pages: who changed what when, before and after, in words; and restoring an
earlier answer. Every part's history page renders through `render_history`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from analysis import access
from analysis.models import Analysis, Answer, Revision
from analysis.selectors import history
from analysis.services import answers as answer_services
from analysis.views.editing import act
from reference.models import Question


def render_history(
    request: HttpRequest,
    analysis: Analysis,
    *,
    title: str,
    back_url: str,
    back_title: str,
    rows: list,
    show_label: bool,
    restore_offered: bool,
    intro: str = "",
) -> HttpResponse:
    """A history page: who changed what when, before and after, in words."""
    can_restore = restore_offered and access.can_edit_analysis(request.user, analysis)
    return render(
        request,
        "analysis/sections/history.html",
        {
            "analysis": analysis,
            "title": title,
            "intro": intro,
            "back_url": back_url,
            "back_title": back_title,
            "rows": rows,
            "show_label": show_label,
            "can_restore": can_restore,
            "restore_offered": restore_offered,
            "columns": 4 + int(show_label) + int(can_restore),
        },
    )


@require_http_methods(["GET"])
def answer_history(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    question = get_object_or_404(
        Question.objects.select_related("section"),
        pk=question_id,
        section__questionnaire_id=analysis.round.questionnaire_id,
    )
    revisions = Revision.objects.filter(
        analysis=analysis, answer__question=question
    ).select_related("changed_by")
    return render_history(
        request,
        analysis,
        title=question.text,
        back_url=reverse("analysis:section", args=[analysis.pk, question.section.key]),
        back_title=question.section.title,
        rows=history.history_rows(
            revisions,
            history.Lookups(question=question),
            lambda r: reverse("analysis:answer_restore", args=[analysis.pk, question.pk, r.pk]),
        ),
        show_label=False,
        restore_offered=True,
    )


@require_POST
def answer_restore(request: HttpRequest, pk: int, question_id: int, revision_pk: int):
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    answer = get_object_or_404(Answer, analysis=analysis, question_id=question_id)
    revision = get_object_or_404(Revision, pk=revision_pk, answer=answer)
    return act(
        request,
        do=lambda: answer_services.restore_answer(
            answer=answer, revision=revision, by=request.user
        ),
        done_url=reverse("analysis:answer_history", args=[analysis.pk, question_id]),
        done_message=_("The earlier value was restored."),
        refused_url=analysis.get_absolute_url(),
    )


urlpatterns = [
    path("<int:pk>/svar/<int:question_id>/historikk/", answer_history, name="answer_history"),
    path(
        "<int:pk>/svar/<int:question_id>/gjenopprett/<int:revision_pk>/",
        answer_restore,
        name="answer_restore",
    ),
]
