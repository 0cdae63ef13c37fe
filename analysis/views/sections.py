"""The planner's question sections, section assignments, confirming what a new round carried
over, and submission."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from analysis import access, parts
from analysis.forms.sections import AssignmentChoices, AssignmentForm, SectionAnswersForm
from analysis.models import Analysis, RevisionKind, SectionAssignment
from analysis.selectors import history
from analysis.selectors.review import comments_by_section
from analysis.selectors.sections import (
    answers_by_question,
    assignments_by_section,
    previous_answers,
    section_url,
    sections_of,
)
from analysis.services import answers as answer_services
from analysis.services import carry_over, workflow
from analysis.services import structures as structure_services
from analysis.views import editing
from analysis.views.history import render_history
from boligsosial.parsing import parse_natural
from reference.models import Section, SectionKind


def _section(analysis: Analysis, key: str) -> Section:
    return get_object_or_404(
        Section.objects.filter(questionnaire_id=analysis.round.questionnaire_id), key=key
    )


@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk, write=request.method == "POST")
    # Every section, for the links to the previous and next part too (part_nav).
    sections = sections_of(analysis)
    section = next((s for s in sections if s.key == key), None)
    if section is None:
        raise Http404
    questions = list(section.questions.all())
    can_edit = access.can_edit_analysis(request.user, analysis)
    form = SectionAnswersForm(
        request.POST or None,
        questions=questions,
        answers=answers_by_question(analysis, section),
        disabled=not can_edit,
    )

    def rebuild(error) -> SectionAnswersForm:
        fresh = answers_by_question(analysis, section)
        return SectionAnswersForm(
            questions=questions,
            answers=fresh,
            initial=form.rebased_initial(form.saved_values(fresh)),
        )

    def page(form: SectionAnswersForm, conflicts: list, status: int) -> HttpResponse:
        comments = comments_by_section(analysis).get(section.pk, [])
        return render(
            request,
            "analysis/sections/questions.html",
            {
                "analysis": analysis,
                "section": section,
                "sections": sections,
                "section_comments": [c for c in comments if c.question_id is None],
                "question_rows": form.question_rows(
                    comments, previous_answers(analysis, section), form.answers
                ),
                "carried_count": sum(a.carried_over for a in form.answers.values()),
                "can_reply": access.can_answer_for(request.user, analysis),
                "form": form,
                "answers": form.answers,
                "conflicts": conflicts,
                "can_edit": can_edit,
                "assignment": assignments_by_section(analysis).get(section.pk),
                "structure_url": section_url(analysis, section)
                if section.kind != SectionKind.QUESTIONS
                else None,
            },
            status=status,
        )

    return editing.edit(
        request,
        analysis,
        forms=form,
        save=lambda: answer_services.save_section_answers(
            analysis=analysis,
            section=section,
            values=form.values(),
            versions=form.versions(),
            base=form.bases(),
            by=request.user,
        ),
        rebuild=rebuild,
        page=page,
        done_url=request.path,
        done_message=editing.saved_or_unchanged,
        refused_url=analysis.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk, write=request.method == "POST")
    can_edit = access.can_edit_analysis(request.user, analysis)
    sections = list(analysis.round.questionnaire.sections.all())
    choices = AssignmentChoices.of(analysis)

    def forms_for(data, rebase_from: editing.FormGroup | None = None) -> editing.FormGroup:
        existing = assignments_by_section(analysis)
        return editing.FormGroup(
            {
                s.pk: AssignmentForm(
                    data,
                    instance=existing.get(s.pk) or SectionAssignment(analysis=analysis, section=s),
                    initial=None
                    if rebase_from is None
                    else rebase_from.forms[s.pk].rebased_initial(
                        structure_services.assignment_values(existing.get(s.pk))
                    ),
                    analysis=analysis,
                    prefix=f"s{s.pk}",
                    disabled=not can_edit,
                    choices=choices,
                )
                for s in sections
            }
        )

    forms = forms_for(request.POST or None)

    def page(forms: editing.FormGroup, conflicts: list, status: int) -> HttpResponse:
        return render(
            request,
            "analysis/sections/assignments.html",
            {
                "analysis": analysis,
                "forms": list(zip(sections, forms, strict=True)),
                "can_edit": can_edit,
                "conflicts": conflicts,
                "has_errors": forms.has_errors,
            },
            status=status,
        )

    return editing.edit(
        request,
        analysis,
        forms=forms,
        save=lambda: structure_services.save_assignments(
            analysis=analysis,
            rows={key: form.values() for key, form in forms.items()},
            bases={key: form.loaded_base() for key, form in forms.items()},
            by=request.user,
        ),
        rebuild=lambda error: forms_for(None, rebase_from=forms),
        page=page,
        done_url=analysis.get_absolute_url(),
        done_message=editing.saved_or_unchanged,
    )


@require_http_methods(["GET"])
def assignment_history(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    revisions = list(history.revisions_of(analysis, [RevisionKind.ASSIGNMENT]))
    return render_history(
        request,
        analysis,
        title=_("Who answers which section"),
        back_url=reverse("analysis:assignments", args=[analysis.pk]),
        back_title=_("Who answers which section"),
        rows=history.history_rows(
            revisions, history.load_lookups([RevisionKind.ASSIGNMENT], analysis, revisions)
        ),
        show_label=True,
        restore_offered=False,
    )


@require_POST
def confirm_carried(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm carried-over rows unchanged: one (`id`), several, or all of a part (`all`)."""
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    kind = request.POST.get("kind", "")
    if kind not in carry_over.confirmable_kinds():
        return editing.forged(request)
    section = (
        _section(analysis, request.POST.get("section", "")) if kind == carry_over.ANSWER else None
    )
    ids = (
        None if request.POST.get("all") else [parse_natural(i) for i in request.POST.getlist("id")]
    )
    if ids == [] or (ids and None in ids):
        return editing.forged(request)
    back = (
        reverse("analysis:section", args=[analysis.pk, section.key])
        if section is not None
        else reverse(parts.confirmable(kind).page, args=[analysis.pk])
    )
    return editing.act(
        request,
        do=lambda: carry_over.confirm_carried_over(
            analysis=analysis, kind=kind, ids=ids, section=section, by=request.user
        ),
        done_url=back,
        done_message=lambda confirmed: (
            ngettext(
                "%(count)s carried-over entry was confirmed unchanged.",
                "%(count)s carried-over entries were confirmed unchanged.",
                confirmed,
            )
            % {"count": confirmed}
        ),
    )


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    try:
        workflow.submit_analysis(analysis=analysis, by=request.user)
    except ValidationError as error:
        # Every reason at once, so the planner does not fix one only to meet the next, on the
        # page that lists what is missing.
        messages.error(request, " ".join(error.messages))
        return redirect("analysis:check_answers", pk=analysis.pk)
    messages.success(request, _("The analysis was submitted for review."))
    return redirect("analysis:receipt", pk=analysis.pk)


urlpatterns = [
    path("<int:pk>/del/<slug:key>/", section, name="section"),
    path("<int:pk>/ansvar/", assignments, name="assignments"),
    path("<int:pk>/ansvar/historikk/", assignment_history, name="assignment_history"),
    path("<int:pk>/send-inn/", submit, name="submit"),
    path("<int:pk>/bekreft-videreforte/", confirm_carried, name="confirm_carried"),
]
