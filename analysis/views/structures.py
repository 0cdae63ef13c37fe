"""The structural sections: who does what (with its units), cooperation, allocation, and the
municipality's project inventory. Every editing page runs the one flow of
analysis/views/editing.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from analysis import access
from analysis.forms.structures import (
    AllocationRowForm,
    CooperationBodyForm,
    ExternalActorForm,
    ProjectFilterForm,
    ProjectForm,
    ResponsibilityMapForm,
    UnitForm,
)
from analysis.models import (
    Analysis,
    CooperationBody,
    ExternalActor,
    Gap,
    Project,
    ResponsibilityRole,
    Revision,
    RevisionKind,
    Unit,
)
from analysis.selectors import history
from analysis.selectors.review import section_comments
from analysis.selectors.sections import assignments_by_section, sections_of
from analysis.selectors.structures import projects_of, responsibility_matrix
from analysis.services import structures as services
from analysis.services import workflow
from analysis.views import editing
from analysis.views.history import render_history
from reference.models import Instrument


def _analysis(request: HttpRequest, pk: int) -> Analysis:
    return access.get_analysis_for_user(request.user, pk, write=request.method == "POST")


def _url(name: str, analysis: Analysis) -> str:
    return reverse(name, args=[analysis.pk])


def _refuse_new_row(request: HttpRequest, analysis: Analysis, back: str) -> HttpResponse | None:
    """A form for a new entry is offered only to someone who can save it (issue 15): readers
    and advisers never see it (403, as for any write), and an editor of a submitted or
    approved analysis goes back to the list with the reason, instead of a disabled form."""
    if not access.can_answer_for(request.user, analysis):
        raise PermissionDenied
    try:
        workflow.ensure_editable(analysis)
    except ValidationError as error:
        return editing.refuse(request, error, back)
    return None


def _context(request: HttpRequest, analysis: Analysis, section_kind: str, **extra) -> dict:
    sections = sections_of(analysis)
    section = next((s for s in sections if s.kind == section_kind), None)
    return {
        "analysis": analysis,
        "section": section,
        # For the links to the previous and next part, without reading them again.
        "sections": sections,
        **section_comments(analysis, section),
        "assignment": assignments_by_section(analysis).get(getattr(section, "pk", None)),
        "has_questions": bool(section and section.has_questions),
        "can_edit": access.can_edit_analysis(request.user, analysis),
        **extra,
    }


# --- Who does what ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def responsibility_map(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    form = ResponsibilityMapForm(request.POST or None, matrix=responsibility_matrix(analysis))
    here = _url("analysis:responsibility_map", analysis)
    return editing.edit(
        request,
        analysis,
        forms=form,
        save=lambda: services.save_responsibility_map(
            analysis=analysis, cells=form.cells, gaps=form.gaps, base=form.base, by=request.user
        ),
        rebuild=lambda error: form.rebased(responsibility_matrix(analysis)),
        page=lambda form, conflicts, status: _render_map(
            request, analysis, form, conflicts=conflicts, status=status
        ),
        done_url=here,
        done_message=editing.saved_or_unchanged,
    )


def _render_map(
    request: HttpRequest,
    analysis: Analysis,
    form: ResponsibilityMapForm | None = None,
    *,
    conflicts: list = (),
    status: int = 200,
    unit_form: UnitForm | None = None,
    rename: dict | None = None,
) -> HttpResponse:
    form = form or ResponsibilityMapForm(matrix=responsibility_matrix(analysis))
    return render(
        request,
        "analysis/structures/responsibility_map.html",
        _context(
            request,
            analysis,
            "responsibility_map",
            matrix=form.matrix,
            base=form.shown_base,
            map_errors=form.errors,
            conflicts=conflicts,
            unit_form=unit_form or UnitForm(),
            rename=rename,
            all_units=Unit.objects.filter(municipality=analysis.municipality),
            roles=ResponsibilityRole.choices,
            gaps=Gap.choices,
        ),
        status=status,
    )


@require_POST
def unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    form = UnitForm(request.POST)
    return editing.edit(
        request,
        analysis,
        forms=form,
        save=lambda: services.add_unit(
            analysis=analysis, name=form.cleaned_data["name"], by=request.user
        ),
        rebuild=lambda error: form,
        # What was typed comes back in the field, with the reason next to it.
        page=lambda form, conflicts, status: _render_map(request, analysis, unit_form=form),
        done_url=_url("analysis:responsibility_map", analysis),
        done_message=_("The unit was added."),
    )


@require_POST
def unit_change(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    unit = get_object_or_404(Unit, pk=unit_pk, municipality=analysis.municipality)
    back = _url("analysis:responsibility_map", analysis)
    action = request.POST.get("action")
    if action == "rename":
        form = UnitForm(request.POST)
        try:
            workflow.ensure_editable(analysis)
            if form.is_valid():
                services.rename_unit(
                    analysis=analysis, unit=unit, name=form.cleaned_data["name"], by=request.user
                )
                messages.success(request, _("The unit was renamed."))
                return redirect(back)
        except ValidationError as error:
            if getattr(error, "code", None) == "read_only":
                return editing.refuse(request, error, back)
            form.add_error("name", error.messages)
        form.summary_ids = {"name": f"unit-name-{unit.pk}"}
        form.summary_title = unit.name
        # What was typed stays in the field, with the reason next to it.
        rename = {
            "unit": unit.pk,
            "name": request.POST.get("name", ""),
            # The privacy guard's warning comes with its box to tick (analysis/_privacy.html).
            "errors": [
                m
                for name, errors in form.errors.items()
                if name != "privacy_checked"
                for m in errors
            ],
            "form": form,
        }
        return _render_map(request, analysis, rename=rename)
    if action in {"retire", "reactivate"}:
        return editing.act(
            request,
            do=lambda: services.set_unit_active(
                analysis=analysis, unit=unit, active=action == "reactivate", by=request.user
            ),
            done_url=back,
            done_message=_("Saved."),
        )
    if action == "delete":
        return editing.act(
            request,
            do=lambda: services.remove_unit(analysis=analysis, unit=unit, by=request.user),
            done_url=back,
            done_message=_("The unit was deleted."),
        )
    return editing.forged(request)


# --- Cooperation -----------------------------------------------------------------------------

ROWS = {
    "organ": (CooperationBody, CooperationBodyForm, "cooperation_bodies"),
    "aktor": (ExternalActor, ExternalActorForm, "external_actors"),
}


@require_http_methods(["GET"])
def cooperation(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    bodies = list(analysis.cooperation_bodies.all())
    actors = list(analysis.external_actors.all())
    return render(
        request,
        "analysis/structures/cooperation.html",
        _context(
            request,
            analysis,
            "cooperation",
            bodies=bodies,
            actors=actors,
            carried_bodies=sum(b.carried_over for b in bodies),
            carried_actors=sum(a.carried_over for a in actors),
        ),
    )


@require_http_methods(["GET", "POST"])
def cooperation_row(request: HttpRequest, pk: int, kind: str, row_pk: int | None = None):
    if kind not in ROWS:
        return editing.forged(request)
    analysis = _analysis(request, pk)
    model, form_class, related = ROWS[kind]
    if row_pk is None and (
        refused := _refuse_new_row(request, analysis, _url("analysis:cooperation", analysis))
    ):
        return refused
    instance = get_object_or_404(getattr(analysis, related), pk=row_pk) if row_pk else model()
    can_edit = access.can_edit_analysis(request.user, analysis)
    form = form_class(request.POST or None, instance=instance, disabled=not can_edit)

    def rebuild(error) -> CooperationBodyForm | ExternalActorForm:
        saved = model.objects.get(pk=instance.pk)
        return form_class(
            instance=saved,
            initial=form.rebased_initial({f: getattr(saved, f) for f in model.EDITABLE}),
        )

    return editing.edit(
        request,
        analysis,
        forms=form,
        save=lambda: services.save_row(
            analysis=analysis,
            instance=form.save(commit=False),
            base=form.loaded_base(),
            by=request.user,
        ),
        rebuild=rebuild,
        page=lambda form, conflicts, status: render(
            request,
            "analysis/structures/cooperation_form.html",
            _context(
                request,
                analysis,
                "cooperation",
                form=form,
                kind=kind,
                row_pk=row_pk,
                conflicts=conflicts,
            ),
            status=status,
        ),
        done_url=_url("analysis:cooperation", analysis),
        done_message=_("Saved."),
    )


@require_POST
def cooperation_row_delete(request: HttpRequest, pk: int, kind: str, row_pk: int):
    if kind not in ROWS:
        return editing.forged(request)
    analysis = _analysis(request, pk)
    _model, _form, related = ROWS[kind]
    instance = get_object_or_404(getattr(analysis, related), pk=row_pk)
    return editing.act(
        request,
        do=lambda: services.delete_row(analysis=analysis, instance=instance, by=request.user),
        done_url=_url("analysis:cooperation", analysis),
        done_message=_("Removed."),
    )


# --- Allocation ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def allocation(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    instruments = list(Instrument.objects.all())
    can_edit = access.can_edit_analysis(request.user, analysis)

    def forms_for(data, rebase_from: editing.FormGroup | None = None) -> editing.FormGroup:
        practices = {p.instrument_id: p for p in analysis.allocation_practices.all()}
        forms = {}
        for instrument in instruments:
            saved = services.allocation_values(practices.get(instrument.pk))
            if rebase_from is None:
                written = {True: "yes", False: "no"}.get(saved["criteria_written"], "")
                initial = {**saved, "criteria_written": written}
            else:
                initial = rebase_from.forms[instrument.pk].rebased_initial(saved)
            forms[instrument.pk] = AllocationRowForm(
                data, prefix=f"i{instrument.pk}", initial=initial, disabled=not can_edit
            )
        return editing.FormGroup(
            forms, context={"carried": {i: p.pk for i, p in practices.items() if p.carried_over}}
        )

    forms = forms_for(request.POST or None)
    return editing.edit(
        request,
        analysis,
        forms=forms,
        save=lambda: services.save_allocation(
            analysis=analysis,
            rows={key: form.values() for key, form in forms.items()},
            bases={key: form.loaded_base() for key, form in forms.items()},
            by=request.user,
        ),
        rebuild=lambda error: forms_for(None, rebase_from=forms),
        page=lambda forms, conflicts, status: render(
            request,
            "analysis/structures/allocation.html",
            _context(
                request,
                analysis,
                "allocation",
                forms=list(zip(instruments, forms, strict=True)),
                conflicts=conflicts,
                has_errors=forms.has_errors,
                **forms.context,
            ),
            status=status,
        ),
        done_url=_url("analysis:allocation", analysis),
        done_message=_("Saved."),
    )


# --- Projects --------------------------------------------------------------------------------


@require_http_methods(["GET"])
def projects(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    filters = ProjectFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    projects = projects_of(
        analysis, status=chosen.get("status", ""), target_group=chosen.get("target_group")
    )
    return render(
        request,
        "analysis/structures/projects.html",
        _context(request, analysis, "projects", projects=projects, filters=filters),
    )


@require_http_methods(["GET", "POST"])
def project_form(request: HttpRequest, pk: int, project_pk: int | None = None):
    analysis = _analysis(request, pk)
    if project_pk is None and (
        refused := _refuse_new_row(request, analysis, _url("analysis:projects", analysis))
    ):
        return refused
    project = (
        get_object_or_404(analysis.municipality.projects, pk=project_pk)
        if project_pk
        else Project(municipality=analysis.municipality)
    )
    form = ProjectForm(
        request.POST or None,
        instance=project,
        municipality=analysis.municipality,
        disabled=not access.can_edit_analysis(request.user, analysis),
    )

    def rebuild(error) -> ProjectForm:
        saved = Project.objects.get(pk=project.pk)
        return ProjectForm(
            instance=saved,
            municipality=analysis.municipality,
            initial={
                **form.rebased_initial(services.project_values(saved)),
                "version": saved.version,
            },
        )

    return editing.edit(
        request,
        analysis,
        forms=form,
        save=lambda: services.save_project(
            analysis=analysis,
            project=project if project.pk else None,
            values=form.values(),
            version=form.cleaned_data.get("version"),
            base=form.loaded_base(),
            by=request.user,
        ),
        rebuild=rebuild,
        page=lambda form, conflicts, status: render(
            request,
            "analysis/structures/project_form.html",
            _context(
                request, analysis, "projects", form=form, project=form.instance, conflicts=conflicts
            ),
            status=status,
        ),
        done_url=_url("analysis:projects", analysis),
        done_message=_("The project was saved."),
    )


@require_POST
def project_end(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    project = get_object_or_404(analysis.municipality.projects, pk=project_pk)
    return editing.act(
        request,
        do=lambda: services.end_project(analysis=analysis, project=project, by=request.user),
        done_url=_url("analysis:projects", analysis),
        done_message=_("The project was ended."),
    )


# --- History ---------------------------------------------------------------------------------

COOPERATION_KINDS = {"organ": RevisionKind.COOPERATION_BODY, "aktor": RevisionKind.EXTERNAL_ACTOR}


def _history(
    request: HttpRequest,
    analysis: Analysis,
    kinds: list[str],
    *,
    title: str,
    back_url: str,
    back_title: str,
    object_id: int | None = None,
    restore_url=None,
    intro: str = "",
) -> HttpResponse:
    revisions = list(history.revisions_of(analysis, kinds, object_id))
    return render_history(
        request,
        analysis,
        title=title,
        back_url=back_url,
        back_title=back_title,
        rows=history.history_rows(
            revisions, history.load_lookups(kinds, analysis, revisions), restore_url
        ),
        show_label=True,
        restore_offered=restore_url is not None,
        intro=intro,
    )


@require_http_methods(["GET"])
def responsibility_map_history(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    return _history(
        request,
        analysis,
        [RevisionKind.RESPONSIBILITY_MAP, RevisionKind.UNIT],
        title=_("Who does what"),
        back_url=_url("analysis:responsibility_map", analysis),
        back_title=_("Who does what"),
        intro=_("Changes to the map in this analysis, and to the municipality's units."),
    )


@require_http_methods(["GET"])
def cooperation_history(request: HttpRequest, pk: int, kind: str | None = None, row_pk=None):
    analysis = _analysis(request, pk)
    if kind is not None and kind not in COOPERATION_KINDS:
        return editing.forged(request)
    kinds = [COOPERATION_KINDS[kind]] if kind else list(COOPERATION_KINDS.values())
    slugs = {v: k for k, v in COOPERATION_KINDS.items()}
    title = _("Cooperation")
    if row_pk is not None:
        model = ROWS[kind][0]
        row = model.objects.filter(pk=row_pk, analysis=analysis).first()
        latest = history.revisions_of(analysis, kinds, row_pk).first()
        if row is None and latest is None:
            raise Http404
        title = row.name if row else latest.label
    return _history(
        request,
        analysis,
        kinds,
        title=title,
        back_url=_url("analysis:cooperation", analysis),
        back_title=_("Cooperation"),
        object_id=row_pk,
        restore_url=lambda r: reverse(
            "analysis:cooperation_restore", args=[analysis.pk, slugs[r.kind], r.object_id, r.pk]
        ),
    )


@require_POST
def cooperation_restore(request: HttpRequest, pk: int, kind: str, row_pk: int, revision_pk: int):
    analysis = _analysis(request, pk)
    if kind not in COOPERATION_KINDS:
        return editing.forged(request)
    revision = get_object_or_404(
        Revision,
        pk=revision_pk,
        analysis=analysis,
        kind=COOPERATION_KINDS[kind],
        object_id=row_pk,
    )
    return editing.act(
        request,
        do=lambda: services.restore_row(analysis=analysis, revision=revision, by=request.user),
        done_url=reverse("analysis:cooperation_row_history", args=[analysis.pk, kind, row_pk]),
        done_message=_("The earlier value was restored."),
        refused_url=_url("analysis:cooperation", analysis),
    )


@require_http_methods(["GET"])
def allocation_history(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    return _history(
        request,
        analysis,
        [RevisionKind.ALLOCATION],
        title=_("Allocation"),
        back_url=_url("analysis:allocation", analysis),
        back_title=_("Allocation"),
    )


@require_http_methods(["GET"])
def project_history(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    project = get_object_or_404(analysis.municipality.projects, pk=project_pk)
    return _history(
        request,
        analysis,
        [RevisionKind.PROJECT],
        title=project.name,
        back_url=_url("analysis:projects", analysis),
        back_title=_("Projects"),
        object_id=project.pk,
        restore_url=lambda r: reverse(
            "analysis:project_restore", args=[analysis.pk, project.pk, r.pk]
        ),
        intro=_("Projects belong to the municipality: this is their history in every round."),
    )


@require_POST
def project_restore(request: HttpRequest, pk: int, project_pk: int, revision_pk: int):
    analysis = _analysis(request, pk)
    project = get_object_or_404(analysis.municipality.projects, pk=project_pk)
    revision = get_object_or_404(
        Revision,
        pk=revision_pk,
        kind=RevisionKind.PROJECT,
        object_id=project.pk,
        analysis__municipality_id=analysis.municipality_id,
    )
    here = reverse("analysis:project_history", args=[analysis.pk, project.pk])
    return editing.act(
        request,
        do=lambda: services.restore_project(analysis=analysis, revision=revision, by=request.user),
        done_url=here,
        done_message=_("The earlier value was restored."),
        refused_url=here,
    )


urlpatterns = [
    path("<int:pk>/hvem-gjor-hva/", responsibility_map, name="responsibility_map"),
    path("<int:pk>/enheter/ny/", unit_add, name="unit_add"),
    path("<int:pk>/enheter/<int:unit_pk>/", unit_change, name="unit_change"),
    path("<int:pk>/samarbeid/", cooperation, name="cooperation"),
    path("<int:pk>/samarbeid/<slug:kind>/ny/", cooperation_row, name="cooperation_add"),
    path("<int:pk>/samarbeid/<slug:kind>/<int:row_pk>/", cooperation_row, name="cooperation_edit"),
    path(
        "<int:pk>/samarbeid/<slug:kind>/<int:row_pk>/slett/",
        cooperation_row_delete,
        name="cooperation_delete",
    ),
    path("<int:pk>/hvem-gjor-hva/historikk/", responsibility_map_history, name="map_history"),
    path("<int:pk>/samarbeid/historikk/", cooperation_history, name="cooperation_history"),
    path(
        "<int:pk>/samarbeid/<slug:kind>/<int:row_pk>/historikk/",
        cooperation_history,
        name="cooperation_row_history",
    ),
    path(
        "<int:pk>/samarbeid/<slug:kind>/<int:row_pk>/gjenopprett/<int:revision_pk>/",
        cooperation_restore,
        name="cooperation_restore",
    ),
    path("<int:pk>/tildeling/historikk/", allocation_history, name="allocation_history"),
    path(
        "<int:pk>/prosjekter/<int:project_pk>/historikk/", project_history, name="project_history"
    ),
    path(
        "<int:pk>/prosjekter/<int:project_pk>/gjenopprett/<int:revision_pk>/",
        project_restore,
        name="project_restore",
    ),
    path("<int:pk>/tildeling/", allocation, name="allocation"),
    path("<int:pk>/prosjekter/", projects, name="projects"),
    path("<int:pk>/prosjekter/nytt/", project_form, name="project_create"),
    path("<int:pk>/prosjekter/<int:project_pk>/", project_form, name="project_edit"),
    path("<int:pk>/prosjekter/<int:project_pk>/avslutt/", project_end, name="project_end"),
]
