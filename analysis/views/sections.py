"""The planner's question sections, the six-factor self-assessment, history and restore,
section assignments and submission."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from analysis import access, merge
from analysis.forms import AssignmentForm, SectionAnswersForm
from analysis.models import (
    Analysis,
    Answer,
    Question,
    Revision,
    RevisionKind,
    Section,
    SectionAssignment,
)
from analysis.selectors import history
from analysis.selectors.review import comments_by_section, section_comments
from analysis.selectors.sections import assignments_by_section, section_url
from analysis.services import answers as answer_services
from analysis.services import carry_over, workflow
from analysis.services import structures as structure_services
from factors import services as factor_services
from factors.forms import AssessmentForm
from factors.models import FactorAssessment, SuccessFactor


def _section(analysis: Analysis, key: str) -> Section:
    return get_object_or_404(
        Section.objects.filter(questionnaire_id=analysis.round.questionnaire_id), key=key
    )


def _can_edit(request: HttpRequest, analysis: Analysis) -> bool:
    return analysis.is_editable and access.can_edit_municipality(
        request.user, analysis.municipality_id
    )


def _refuse_read_only(request: HttpRequest, analysis: Analysis) -> HttpResponse | None:
    try:
        workflow.ensure_editable(analysis)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(analysis)
    return None


@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    write = request.method == "POST"
    analysis = access.get_analysis_for_user(request.user, pk, write=write)
    section = _section(analysis, key)
    if write and (refused := _refuse_read_only(request, analysis)):
        return refused
    questions = list(section.questions.all())
    answers = answer_services.answers_by_question(analysis, section)
    can_edit = _can_edit(request, analysis)
    form = SectionAnswersForm(
        request.POST if write else None,
        questions=questions,
        answers=answers,
        disabled=not can_edit,
    )
    conflicts = []
    status = 200
    if write:
        if form.is_valid():
            result = answer_services.save_section_answers(
                analysis=analysis,
                section=section,
                values=form.values(),
                versions=form.versions(),
                base=form.bases(),
                by=request.user,
            )
            if result.ok:
                if result.changed:
                    messages.success(request, _("Saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect(request.path)
            conflicts = form.conflict_groups(result.conflicts)
            # Show what is saved now with this person's own changes on top; saving again from
            # there is a deliberate choice for the fields in conflict, never an accident.
            answers = answer_services.answers_by_question(analysis, section)
            form = SectionAnswersForm(
                questions=questions,
                answers=answers,
                initial=form.rebased_initial(form.saved_values(answers)),
            )
            status = 409
        elif form.is_forged():
            status = 400
    comments = comments_by_section(analysis).get(section.pk, [])
    previous_answers = (
        dict(
            Answer.objects.filter(
                analysis_id=analysis.previous_id, question__section__key=section.key
            ).values_list("question__key", "value")
        )
        if analysis.previous_id
        else {}
    )
    return render(
        request,
        "analysis/sections/questions.html",
        {
            "analysis": analysis,
            "section": section,
            "section_comments": [c for c in comments if c.question_id is None],
            "question_rows": form.question_rows(comments, previous_answers, answers),
            "carried_count": sum(a.carried_over for a in answers.values()),
            "can_reply": access.can_edit_municipality(request.user, analysis.municipality_id),
            "form": form,
            "answers": answers,
            "conflicts": conflicts,
            "can_edit": can_edit,
            "assignment": assignments_by_section(analysis).get(section.pk),
            "structure_url": section_url(analysis, section)
            if section.kind != "questions"
            else None,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def factors(request: HttpRequest, pk: int) -> HttpResponse:
    write = request.method == "POST"
    analysis = access.get_analysis_for_user(request.user, pk, write=write)
    if write and (refused := _refuse_read_only(request, analysis)):
        return refused
    can_edit = _can_edit(request, analysis)
    all_factors = list(SuccessFactor.objects.prefetch_related("criteria", "levels"))
    assessments = {
        a.factor_id: a
        for a in FactorAssessment.objects.filter(analysis=analysis).select_related("updated_by")
    }
    projects_by_factor: dict[int, list] = {}
    for project in analysis.municipality.projects.prefetch_related("factors"):
        for factor in project.factors.all():
            projects_by_factor.setdefault(factor.pk, []).append(project)
    forms = [
        AssessmentForm(
            request.POST if write else None,
            factor=f,
            assessment=assessments.get(f.pk),
            disabled=not can_edit,
        )
        for f in all_factors
    ]
    conflicts, status = [], 200
    if write:
        if all(form.is_valid() for form in forms):
            found = factor_services.save_assessments(
                analysis=analysis,
                values={form.factor.number: form.values() for form in forms},
                versions={form.factor.number: form.cleaned_data["version"] or 0 for form in forms},
                bases={form.factor.number: form.loaded_base() for form in forms},
                by=request.user,
            )
            if not found:
                messages.success(request, _("Saved."))
                return redirect(request.path)
            by_number = {form.factor.number: form for form in forms}
            conflicts = [
                merge.ConflictGroup(
                    title=f"{c.factor.number}. {c.factor.name}",
                    fields=by_number[c.factor.number].conflict_rows(c.fields),
                    saved_by=c.saved_by,
                    saved_at=c.saved_at,
                )
                for c in found
            ]
            # What is saved now, with this person's own changes on top (see `section`).
            assessments = {
                a.factor_id: a for a in FactorAssessment.objects.filter(analysis=analysis)
            }
            forms = [
                AssessmentForm(
                    factor=form.factor,
                    assessment=assessments.get(form.factor.pk),
                    initial={
                        **form.rebased_initial(
                            factor_services.snapshot(assessments.get(form.factor.pk))
                        ),
                        "version": getattr(assessments.get(form.factor.pk), "version", 0),
                    },
                )
                for form in forms
            ]
            status = 409
        elif any(form.is_forged() for form in forms):
            status = 400
    factor_section = analysis.round.questionnaire.sections.filter(kind="factors").first()
    return render(
        request,
        "factors/assessments.html",
        {
            "analysis": analysis,
            "section": factor_section,
            **section_comments(analysis, factor_section),
            "assignment": assignments_by_section(analysis).get(getattr(factor_section, "pk", None)),
            "rows": [(form, projects_by_factor.get(form.factor.pk, [])) for form in forms],
            "has_errors": any(form.is_bound and form.errors for form in forms),
            "carried_count": sum(bool(a.carried_over) for a in assessments.values()),
            "conflicts": conflicts,
            "can_edit": can_edit,
        },
        status=status,
    )


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
    can_restore = restore_offered and _can_edit(request, analysis)
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
    if refused := _refuse_read_only(request, analysis):
        return refused
    answer_services.restore_answer(answer=answer, revision=revision, by=request.user)
    messages.success(request, _("The earlier value was restored."))
    return redirect("analysis:answer_history", pk=analysis.pk, question_id=question_id)


@require_http_methods(["GET"])
def assessment_history(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    factor = get_object_or_404(SuccessFactor, number=number)
    revisions = Revision.objects.filter(
        analysis=analysis, assessment__factor=factor
    ).select_related("changed_by")
    return render_history(
        request,
        analysis,
        title=f"{factor.number}. {factor.name}",
        back_url=reverse("analysis:factors", args=[analysis.pk]),
        back_title=_("The six success factors"),
        rows=history.history_rows(
            revisions,
            history.Lookups(),
            lambda r: reverse("analysis:assessment_restore", args=[analysis.pk, number, r.pk]),
        ),
        show_label=False,
        restore_offered=True,
    )


@require_POST
def assessment_restore(request: HttpRequest, pk: int, number: int, revision_pk: int):
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    assessment = get_object_or_404(FactorAssessment, analysis=analysis, factor__number=number)
    revision = get_object_or_404(Revision, pk=revision_pk, assessment=assessment)
    if refused := _refuse_read_only(request, analysis):
        return refused
    factor_services.restore_assessment(assessment=assessment, revision=revision, by=request.user)
    messages.success(request, _("The earlier value was restored."))
    return redirect("analysis:assessment_history", pk=analysis.pk, number=number)


@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest, pk: int) -> HttpResponse:
    write = request.method == "POST"
    analysis = access.get_analysis_for_user(request.user, pk, write=write)
    if write and (refused := _refuse_read_only(request, analysis)):
        return refused
    can_edit = _can_edit(request, analysis)
    sections = list(analysis.round.questionnaire.sections.all())

    def forms_for(data, existing, rebase_from=None):
        return [
            (
                s,
                AssignmentForm(
                    data,
                    instance=existing.get(s.pk) or SectionAssignment(analysis=analysis, section=s),
                    initial=(
                        None
                        if rebase_from is None
                        else rebase_from[s.pk].rebased_initial(
                            structure_services.assignment_values(existing.get(s.pk))
                        )
                    ),
                    analysis=analysis,
                    prefix=f"s{s.pk}",
                    disabled=not can_edit,
                ),
            )
            for s in sections
        ]

    forms = forms_for(request.POST if write else None, assignments_by_section(analysis))
    conflicts, status = [], 200
    if write:
        if all(form.is_valid() for _s, form in forms):
            try:
                changed = structure_services.save_assignments(
                    analysis=analysis,
                    rows={s.pk: form.values() for s, form in forms},
                    bases={s.pk: form.loaded_base() for s, form in forms},
                    by=request.user,
                )
            except structure_services.StaleEdit as error:
                messages.error(request, error.messages[0])
                by_section = {s.pk: form for s, form in forms}
                conflicts = [
                    merge.ConflictGroup(
                        title=s.title, fields=by_section[s.pk].conflict_rows(error.conflicts[s.pk])
                    )
                    for s in sections
                    if s.pk in error.conflicts
                ]
                forms = forms_for(None, assignments_by_section(analysis), rebase_from=by_section)
                status = 409
            except ValidationError as error:
                if error.code == "forged":
                    return HttpResponseBadRequest(_("The form was not sent as expected."))
                messages.error(request, error.messages[0])
                return redirect(analysis)
            else:
                messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
                return redirect(analysis)
        elif any(form.is_forged() for _s, form in forms):
            return HttpResponseBadRequest(_("The form was not sent as expected."))
    return render(
        request,
        "analysis/sections/assignments.html",
        {
            "analysis": analysis,
            "forms": forms,
            "can_edit": can_edit,
            "conflicts": conflicts,
            "has_errors": any(form.is_bound and form.errors for _s, form in forms),
        },
        status=status,
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


# Where each kind of carried-over row is shown, to go back after confirming.
CARRIED_PAGES = {
    "assessment": "analysis:factors",
    "responsibility": "analysis:responsibility_map",
    "cooperation_body": "analysis:cooperation",
    "external_actor": "analysis:cooperation",
    "allocation": "analysis:allocation",
}


@require_POST
def confirm_carried(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm carried-over rows unchanged: one (`id`), several, or all of a part (`all`)."""
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    kind = request.POST.get("kind", "")
    if kind not in carry_over.KINDS:
        return HttpResponseBadRequest(_("The form was not sent as expected."))
    section = _section(analysis, request.POST.get("section", "")) if kind == "answer" else None
    try:
        ids = None if request.POST.get("all") else [int(i) for i in request.POST.getlist("id")]
    except ValueError:
        return HttpResponseBadRequest(_("The form was not sent as expected."))
    if ids == []:
        return HttpResponseBadRequest(_("The form was not sent as expected."))
    back = (
        reverse("analysis:section", args=[analysis.pk, section.key])
        if section is not None
        else reverse(CARRIED_PAGES[kind], args=[analysis.pk])
    )
    try:
        confirmed = carry_over.confirm_carried_over(
            analysis=analysis, kind=kind, ids=ids, section=section, by=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(back)
    messages.success(
        request,
        ngettext(
            "%(count)s carried-over entry was confirmed unchanged.",
            "%(count)s carried-over entries were confirmed unchanged.",
            confirmed,
        )
        % {"count": confirmed},
    )
    return redirect(back)


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    try:
        workflow.submit_analysis(analysis=analysis, by=request.user)
    except ValidationError as error:
        # Every reason at once, so the planner does not fix one only to meet the next.
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The analysis was submitted for review."))
    return redirect(analysis)


urlpatterns = [
    path("<int:pk>/del/<slug:key>/", section, name="section"),
    path("<int:pk>/suksessfaktorer/", factors, name="factors"),
    path("<int:pk>/svar/<int:question_id>/historikk/", answer_history, name="answer_history"),
    path(
        "<int:pk>/svar/<int:question_id>/gjenopprett/<int:revision_pk>/",
        answer_restore,
        name="answer_restore",
    ),
    path(
        "<int:pk>/suksessfaktorer/<int:number>/historikk/",
        assessment_history,
        name="assessment_history",
    ),
    path(
        "<int:pk>/suksessfaktorer/<int:number>/gjenopprett/<int:revision_pk>/",
        assessment_restore,
        name="assessment_restore",
    ),
    path("<int:pk>/ansvar/", assignments, name="assignments"),
    path("<int:pk>/ansvar/historikk/", assignment_history, name="assignment_history"),
    path("<int:pk>/send-inn/", submit, name="submit"),
    path("<int:pk>/bekreft-videreforte/", confirm_carried, name="confirm_carried"),
]
