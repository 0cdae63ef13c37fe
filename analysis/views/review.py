"""Review: the analysis read-only with comments, the adviser's decision, the municipality's
replies; rounds (opening one, starting from the previous)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit
from analysis import access
from analysis.forms.review import CommentForm, DecisionForm, InternalNoteForm, RoundForm
from analysis.models import AnalysisStatus, ReviewComment, Round
from analysis.selectors.review import internal_notes, review_page
from analysis.services import review, rounds, workflow
from boligsosial.parsing import parse_natural
from reference.models import Question, Section


@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    audit.record_adviser_opened(
        request.user, analysis.municipality, target=str(analysis), page="review"
    )
    return _review_page(request, analysis)


def _review_page(
    request: HttpRequest,
    analysis,
    *,
    decision_message: str = "",
    decision_form: DecisionForm | None = None,
    pending_comment: CommentForm | None = None,
    note_form: InternalNoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    # The office's own notes: read only for those who may keep them, so nobody else's page
    # even asks for them.
    keeps_notes = access.can_keep_internal_notes(request.user, analysis)
    return render(
        request,
        "analysis/review/detail.html",
        {
            "analysis": analysis,
            "can_review": access.can_review_analysis(request.user, analysis),
            "can_reply": access.can_edit_municipality(request.user, analysis.municipality_id),
            "comment_form": CommentForm(),
            "decision_message": decision_message,
            "decision_form": decision_form,
            "pending_comment": pending_comment,
            "keeps_notes": keeps_notes,
            "internal_notes": internal_notes(analysis) if keeps_notes else [],
            "note_form": note_form or InternalNoteForm(),
            **review_page(analysis),
        },
        status=status,
    )


@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    can_review = access.can_review_analysis(request.user, analysis)
    can_reply = access.can_edit_municipality(request.user, analysis.municipality_id)
    if not (can_review or can_reply):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if not form.is_valid():
        if form.privacy_hits:
            # The privacy guard warns: the comment comes back as typed, with the box to tick.
            return _review_page(request, analysis, pending_comment=form)
        messages.error(request, _("Write a comment before sending it."))
        return redirect("analysis:review", pk=analysis.pk)
    kind, _sep, target_text = form.cleaned_data["target"].partition(":")
    target_id = parse_natural(target_text)
    if target_id is None:
        return HttpResponseBadRequest(_("The form was not sent as expected."))
    target = {}
    questionnaire = analysis.round.questionnaire_id
    if kind == "reply":
        target["parent"] = get_object_or_404(ReviewComment, pk=target_id, analysis=analysis)
    elif kind == "section" and can_review:
        target["section"] = get_object_or_404(Section, pk=target_id, questionnaire_id=questionnaire)
    elif kind == "question" and can_review:
        target["question"] = get_object_or_404(
            Question, pk=target_id, section__questionnaire_id=questionnaire
        )
    else:
        raise PermissionDenied
    resolve = form.cleaned_data["resolve"] and "parent" in target
    review.add_comment(
        analysis=analysis,
        author=request.user,
        body=form.cleaned_data["body"],
        resolve=resolve,
        **target,
    )
    if resolve:
        messages.success(request, _("The reply was saved and the comment marked as resolved."))
    else:
        messages.success(request, _("The comment was saved."))
    return redirect("analysis:review", pk=analysis.pk)


@require_POST
def add_internal_note(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    if not access.can_keep_internal_notes(request.user, analysis):
        raise PermissionDenied
    form = InternalNoteForm(request.POST)
    if not form.is_valid():
        return _review_page(request, analysis, note_form=form, status=400)
    review.add_internal_note(analysis=analysis, author=request.user, body=form.cleaned_data["body"])
    messages.success(request, _("The internal note was saved. Only the office sees it."))
    return redirect(f"{reverse('analysis:review', args=[analysis.pk])}#internal-notes")


@require_POST
def resolve_comment(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """The adviser closes a comment; the municipality closes one by replying "løst"."""
    analysis = access.get_analysis_for_user(request.user, pk, review=True)
    comment = get_object_or_404(
        ReviewComment, pk=comment_pk, analysis=analysis, parent__isnull=True
    )
    if review.resolve_comment(comment=comment):
        messages.success(request, _("The comment was marked as resolved."))
    else:
        messages.info(request, _("The comment was already resolved."))
    return redirect(f"{reverse('analysis:review', args=[analysis.pk])}#comment-{comment.pk}")


@require_POST
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk, review=True)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        if form.privacy_hits:
            # The privacy guard warns: the message comes back as typed, with the box to tick.
            # The message field is drawn by hand (analysis/review/detail.html).
            form.summary_ids = {
                "message": "decision-message"
                if analysis.status == AnalysisStatus.SUBMITTED
                else "reopen-message"
            }
            return _review_page(
                request, analysis, decision_message=form.data.get("message", ""), decision_form=form
            )
        messages.error(request, _("The form was not sent as expected."))
        return redirect("analysis:review", pk=analysis.pk)
    try:
        if form.cleaned_data["decision"] == "approve":
            workflow.approve_analysis(
                analysis=analysis,
                by=request.user,
                message=form.cleaned_data["message"],
                despite_open_comments=form.cleaned_data["despite_open_comments"],
            )
            messages.success(request, _("The analysis was approved."))
        else:
            workflow.send_back_analysis(
                analysis=analysis, by=request.user, message=form.cleaned_data["message"]
            )
            messages.success(request, _("The analysis was sent back to the municipality."))
    except ValidationError as error:
        if error.code == "open_comments":
            # The page again, with the message as typed and the box to tick, which the error
            # summary links to.
            message = form.cleaned_data["message"]
            form.add_error("despite_open_comments", error.messages[0])
            form.summary_ids = {"despite_open_comments": "despite-open-comments"}
            return _review_page(
                request, analysis, decision_message=message, decision_form=form, status=400
            )
        messages.error(request, error.messages[0])
    return redirect("analysis:review", pk=analysis.pk)


@require_POST
def start_from_previous(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    try:
        rounds.start_from_previous_round(analysis=analysis, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The answers from the previous round were copied in. Check and update them."),
        )
    return redirect(analysis)


@require_http_methods(["GET", "POST"])
def round_list(request: HttpRequest) -> HttpResponse:
    access.require_administrator(request.user)
    form = RoundForm(request.POST or None, initial=rounds.next_round_suggestion())
    if request.method == "POST" and form.is_valid():
        try:
            round_ = rounds.open_round(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(title)s is open for every municipality.") % {"title": round_.title}
            )
            return redirect("analysis:rounds")
    return render(
        request,
        "analysis/review/rounds.html",
        {
            "form": form,
            "rounds": Round.objects.select_related("questionnaire"),
            "today": timezone.localdate(),
        },
    )


urlpatterns = [
    path("<int:pk>/vurdering/", review_detail, name="review"),
    path("<int:pk>/vurdering/kommentar/", comment, name="comment"),
    path(
        "<int:pk>/vurdering/kommentar/<int:comment_pk>/lost/",
        resolve_comment,
        name="resolve_comment",
    ),
    path("<int:pk>/vurdering/internt-notat/", add_internal_note, name="internal_note"),
    path("<int:pk>/vurdering/beslutning/", decision, name="decision"),
    path("<int:pk>/start-fra-forrige-runde/", start_from_previous, name="start_from_previous"),
    path("runder/", round_list, name="rounds"),
]
