"""The action plan's pages: the list, a measure's form, its status update, and the proposed
decision for the council. Every editing page runs the one flow of analysis/views/editing.py;
readers and the region's advisers read, editors write, and a measure is always fetched through
its municipality, so no page reaches another municipality's plan. The proposed decision is an
editor's page only: readers and advisers read it in the report."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from analysis import access
from analysis.models import Analysis
from analysis.views import editing
from plans import selectors, services
from plans.forms import DecisionProposalForm, MeasureFilterForm, MeasureForm, MeasureStatusForm
from plans.models import Measure


def _analysis(request: HttpRequest, pk: int) -> Analysis:
    return access.get_analysis_for_user(request.user, pk, write=request.method == "POST")


def _measure(analysis: Analysis, measure_pk: int) -> Measure:
    return get_object_or_404(
        Measure.objects.select_related("planned_in", "responsible_unit"),
        pk=measure_pk,
        municipality_id=analysis.municipality_id,
    )


def _list_url(analysis: Analysis) -> str:
    return reverse("plans:measures", args=[analysis.pk])


def _context(request: HttpRequest, analysis: Analysis, **extra) -> dict:
    return {
        "analysis": analysis,
        "can_edit": access.can_edit_analysis(request.user, analysis),
        **extra,
    }


@require_http_methods(["GET"])
def measures(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    filters = MeasureFilterForm(request.GET or None)
    overdue_only = bool(filters.is_valid() and filters.cleaned_data["overdue"])
    rows = selectors.measures_of(analysis, overdue_only=overdue_only)
    return render(
        request,
        "plans/measures.html",
        _context(request, analysis, rows=rows, filters=filters, overdue_only=overdue_only),
    )


@require_http_methods(["GET", "POST"])
def measure_form(request: HttpRequest, pk: int, measure_pk: int | None = None) -> HttpResponse:
    analysis = _analysis(request, pk)
    measure = (
        _measure(analysis, measure_pk)
        if measure_pk
        else Measure(municipality=analysis.municipality, planned_in=analysis.round)
    )
    form = MeasureForm(
        request.POST or None,
        instance=measure,
        municipality=analysis.municipality,
        disabled=not access.can_edit_analysis(request.user, analysis),
    )

    def rebuild(error) -> MeasureForm:
        saved = Measure.objects.get(pk=measure.pk)
        return MeasureForm(
            instance=saved,
            municipality=analysis.municipality,
            initial={
                **form.rebased_initial(services.measure_values(saved)),
                "version": saved.version,
            },
        )

    return editing.edit(
        request,
        analysis,
        forms=form,
        save=lambda: services.save_measure(
            analysis=analysis,
            measure=measure if measure.pk else None,
            values=form.values(),
            version=form.cleaned_data.get("version"),
            base=form.loaded_base(),
            by=request.user,
        ),
        rebuild=rebuild,
        page=lambda form, conflicts, status: render(
            request,
            "plans/measure_form.html",
            _context(request, analysis, form=form, measure=form.instance, conflicts=conflicts),
            status=status,
        ),
        done_url=_list_url(analysis),
        done_message=_("The measure was saved."),
    )


@require_http_methods(["GET", "POST"])
def measure_status(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    measure = _measure(analysis, measure_pk)
    form = MeasureStatusForm(
        request.POST or None, initial={"status": measure.status, "version": measure.version}
    )

    def rebuild(error) -> MeasureStatusForm:
        saved = Measure.objects.get(pk=measure.pk)
        return MeasureStatusForm(
            initial={
                "status": form.cleaned_data["status"],
                "note": form.cleaned_data["note"],
                "version": saved.version,
            }
        )

    return editing.edit(
        request,
        analysis,
        forms=form,
        save=lambda: services.change_measure_status(
            analysis=analysis,
            measure=measure,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            version=form.cleaned_data.get("version"),
            by=request.user,
        ),
        rebuild=rebuild,
        page=lambda form, conflicts, status: render(
            request,
            "plans/measure_status.html",
            _context(
                request,
                analysis,
                form=form,
                measure=measure,
                history=selectors.measure_timeline(analysis, measure),
                conflicts=conflicts,
            ),
            status=status,
        ),
        done_url=_list_url(analysis),
        done_message=_("The status was recorded."),
    )


@require_http_methods(["GET", "POST"])
def decision_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposed decision (forslag til vedtak): the saved text, or while none is saved, the
    draft generated from the plan, for the editor to rewrite or accept. "Use the generated
    draft" saves the draft as it is generated now."""
    analysis = access.get_analysis_for_user(request.user, pk, write=True)
    proposal = selectors.decision_proposal_of(analysis)
    draft = selectors.decision_draft(analysis)
    saved_text = proposal.text if proposal is not None else ""
    saved_version = proposal.version if proposal is not None else 0
    use_draft = request.method == "POST" and "use_draft" in request.POST
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        if use_draft:
            data["text"] = draft
    # The text the page showed: the privacy guard does not ask again about it, nor about the
    # draft, which is made of the plan's own titles.
    shown = draft if use_draft or proposal is None else saved_text
    form = DecisionProposalForm(data, initial={"text": shown, "version": saved_version})
    form.fields["text"].disabled = not analysis.is_editable

    def rebuild(error) -> DecisionProposalForm:
        saved = selectors.decision_proposal_of(analysis)
        return DecisionProposalForm(
            initial={
                "text": form.cleaned_data["text"],
                "version": saved.version if saved is not None else 0,
                **form.privacy_initial(),
            }
        )

    return editing.edit(
        request,
        analysis,
        forms=form,
        save=lambda: services.save_decision_proposal(
            analysis=analysis,
            text=form.cleaned_data["text"],
            version=form.cleaned_data["version"],
            by=request.user,
        ),
        rebuild=rebuild,
        page=lambda form, conflicts, status: render(
            request,
            "plans/decision_proposal.html",
            _context(
                request,
                analysis,
                form=form,
                proposal=proposal,
                draft=draft,
                showing_draft=proposal is None,
                conflicts=conflicts,
            ),
            status=status,
        ),
        done_url=reverse("reports:report", args=[analysis.pk]) + "#decision",
        done_message=_("The proposed decision was saved."),
        refused_url=analysis.get_absolute_url(),
    )
