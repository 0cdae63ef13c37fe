"""The six-factor self-assessment page, its history and restore."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from analysis import access
from analysis.selectors import history
from analysis.selectors.review import section_comments
from analysis.selectors.sections import assignments_by_section, section_of_kind
from analysis.views import editing
from analysis.views.history import render_history
from factors import selectors
from factors.forms import AssessmentForm
from factors.models import FactorAssessment
from factors.services import assessments as services
from reference.models import SectionKind, SuccessFactor


@require_http_methods(["GET", "POST"])
def assessments(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk, write=request.method == "POST")
    can_edit = access.can_edit_analysis(request.user, analysis)
    factors = list(SuccessFactor.objects.prefetch_related("criteria", "levels"))

    def forms_for(data, rebase_from: editing.FormGroup | None = None) -> editing.FormGroup:
        saved = {
            a.factor_id: a
            for a in FactorAssessment.objects.filter(analysis=analysis).select_related("updated_by")
        }
        forms = {}
        for factor in factors:
            assessment = saved.get(factor.pk)
            initial = None
            if rebase_from is not None:
                # What is saved now, with this person's own changes on top.
                initial = {
                    **rebase_from.forms[factor.number].rebased_initial(
                        services.snapshot(assessment)
                    ),
                    "version": getattr(assessment, "version", 0),
                }
            forms[factor.number] = AssessmentForm(
                data,
                factor=factor,
                assessment=assessment,
                initial=initial,
                disabled=not can_edit,
            )
        return editing.FormGroup(forms)

    forms = forms_for(request.POST or None)
    projects = selectors.projects_by_factor(analysis)

    def page(forms: editing.FormGroup, conflicts: list, status: int) -> HttpResponse:
        section = section_of_kind(analysis, SectionKind.FACTORS)
        return render(
            request,
            "factors/assessments.html",
            {
                "analysis": analysis,
                "section": section,
                **section_comments(analysis, section),
                "assignment": assignments_by_section(analysis).get(getattr(section, "pk", None)),
                "rows": [(form, projects.get(form.factor.pk, [])) for form in forms],
                "has_errors": forms.has_errors,
                "carried_count": sum(
                    bool(form.assessment and form.assessment.carried_over) for form in forms
                ),
                "conflicts": conflicts,
                "can_edit": can_edit,
            },
            status=status,
        )

    return editing.edit(
        request,
        analysis,
        forms=forms,
        save=lambda: services.save_assessments(
            analysis=analysis,
            values={number: form.values() for number, form in forms.items()},
            versions={number: form.cleaned_data["version"] or 0 for number, form in forms.items()},
            bases={number: form.loaded_base() for number, form in forms.items()},
            by=request.user,
        ),
        rebuild=lambda error: forms_for(None, rebase_from=forms),
        page=page,
        done_url=request.path,
        done_message=_("Saved."),
        refused_url=analysis.get_absolute_url(),
    )


@require_http_methods(["GET"])
def assessment_history(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk)
    factor = get_object_or_404(SuccessFactor, number=number)
    revisions = selectors.assessment_revisions(analysis, factor)
    return render_history(
        request,
        analysis,
        title=f"{factor.number}. {factor.name}",
        back_url=reverse("factors:assessments", args=[analysis.pk]),
        back_title=_("The six success factors"),
        rows=history.history_rows(
            revisions,
            history.Lookups(),
            lambda r: reverse("factors:assessment_restore", args=[analysis.pk, number, r.pk]),
        ),
        show_label=False,
        restore_offered=True,
    )


@require_POST
def assessment_restore(request: HttpRequest, pk: int, number: int, revision_pk: int):
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    assessment = get_object_or_404(FactorAssessment, analysis=analysis, factor__number=number)
    revision = get_object_or_404(assessment.revisions, pk=revision_pk)
    return editing.act(
        request,
        do=lambda: services.restore_assessment(
            assessment=assessment, revision=revision, by=request.user
        ),
        done_url=reverse("factors:assessment_history", args=[analysis.pk, number]),
        done_message=_("The earlier value was restored."),
        refused_url=analysis.get_absolute_url(),
    )


urlpatterns = [
    path("analyse/<int:pk>/suksessfaktorer/", assessments, name="assessments"),
    path(
        "analyse/<int:pk>/suksessfaktorer/<int:number>/historikk/",
        assessment_history,
        name="assessment_history",
    ),
    path(
        "analyse/<int:pk>/suksessfaktorer/<int:number>/gjenopprett/<int:revision_pk>/",
        assessment_restore,
        name="assessment_restore",
    ),
]
