"""The six-factor self-assessment page, its history and restore."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
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
    """All six factors on one page, with a list of them at the top to jump to."""
    return _assessments(request, pk, number=None)


@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One factor at a time (issue 15, item 4): the criteria, four fields and Save, then on to
    the next factor. With the keyboard, Save is a few steps away instead of a long page's
    worth (tests/browser/test_factor_steps.py counts them)."""
    return _assessments(request, pk, number=number)


def _assessments(request: HttpRequest, pk: int, *, number: int | None) -> HttpResponse:
    analysis = access.get_analysis_for_user(request.user, pk, write=request.method == "POST")
    can_edit = access.can_edit_analysis(request.user, analysis)
    all_factors = selectors.factors_with_criteria(analysis)

    def saved_now() -> dict:
        return {
            a.factor_id: a
            for a in FactorAssessment.objects.filter(analysis=analysis).select_related("updated_by")
        }

    loaded = saved_now()
    steps = factor_steps(
        analysis, all_factors, number, scored={f for f, a in loaded.items() if a.score is not None}
    )
    if number is not None and steps.current is None:
        raise Http404
    factors = [steps.current] if number is not None else all_factors

    def forms_for(
        data, rebase_from: editing.FormGroup | None = None, saved: dict | None = None
    ) -> editing.FormGroup:
        saved = saved_now() if saved is None else saved
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

    forms = forms_for(request.POST or None, saved=loaded)
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
                "steps": steps,
            },
            status=status,
        )

    if number is None:
        done_url, done_message = request.path, _("Saved.")
    elif steps.next is not None:
        done_url = reverse("factors:assessment", args=[analysis.pk, steps.next.number])
        done_message = _("Saved. Next: %(factor)s.") % {"factor": steps.next.name}
    else:
        done_url = reverse("factors:assessments", args=[analysis.pk])
        done_message = _("Saved. That was the last factor; here are all six.")

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
        done_url=done_url,
        done_message=done_message,
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


@dataclass(frozen=True)
class FactorSteps:
    """Where a person is among the six factors: each with whether it has a score, the one on
    this page (None on the page of all six), and the one before and after it."""

    analysis_pk: int
    factors: list[tuple[SuccessFactor, bool]]
    current: SuccessFactor | None
    previous: SuccessFactor | None
    next: SuccessFactor | None

    @property
    def position(self) -> int:
        return [f for f, _ in self.factors].index(self.current) + 1 if self.current else 0


def factor_steps(
    analysis, factors: list[SuccessFactor], number: int | None, *, scored: set[int]
) -> FactorSteps:
    """scored: the ids of the factors with a score."""
    at = next((i for i, f in enumerate(factors) if f.number == number), None)
    return FactorSteps(
        analysis_pk=analysis.pk,
        factors=[(f, f.pk in scored) for f in factors],
        current=factors[at] if at is not None else None,
        previous=factors[at - 1] if at else None,
        next=factors[at + 1] if at is not None and at + 1 < len(factors) else None,
    )


urlpatterns = [
    path("analyse/<int:pk>/suksessfaktorer/", assessments, name="assessments"),
    path("analyse/<int:pk>/suksessfaktorer/<int:number>/", assessment, name="assessment"),
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
