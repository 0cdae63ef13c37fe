"""The structural sections: who does what (with its units), cooperation, allocation, and the
municipality's project inventory."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from analysis import access, merge
from analysis.models import (
    Analysis,
    CooperationBody,
    ExternalActor,
    Instrument,
    Project,
    ResponsibilityRole,
    Revision,
    RevisionKind,
    Section,
    Unit,
)
from analysis.selectors import history
from analysis.selectors.review import section_comments
from analysis.selectors.sections import assignments_by_section
from analysis.selectors.structures import responsibility_matrix
from analysis.services import structures as services
from analysis.services.workflow import ensure_editable
from analysis.structure_forms import (
    AllocationRowForm,
    CooperationBodyForm,
    ExternalActorForm,
    ProjectFilterForm,
    ProjectForm,
    UnitForm,
)
from analysis.views.sections import render_history


def _analysis(request: HttpRequest, pk: int) -> Analysis:
    return access.get_analysis_for_user(request.user, pk, write=request.method == "POST")


def _can_edit(request: HttpRequest, analysis: Analysis) -> bool:
    return analysis.is_editable and access.can_edit_municipality(
        request.user, analysis.municipality_id
    )


def _context(request: HttpRequest, analysis: Analysis, section_kind: str, **extra) -> dict:
    section = Section.objects.filter(
        questionnaire_id=analysis.round.questionnaire_id, kind=section_kind
    ).first()
    return {
        "analysis": analysis,
        "section": section,
        **section_comments(analysis, section),
        "assignment": assignments_by_section(analysis).get(getattr(section, "pk", None)),
        "has_questions": bool(section and section.questions.exists()),
        "can_edit": _can_edit(request, analysis),
        **extra,
    }


def _read_only(request: HttpRequest, analysis: Analysis, to: str) -> HttpResponse | None:
    """A POST to a submitted or approved analysis changes nothing (the services check again
    under a row lock); the person is sent back with the reason."""
    if request.method == "POST" and not analysis.is_editable:
        try:
            ensure_editable(analysis)
        except ValidationError as error:
            return _refused(request, analysis, error, to)
    return None


def _refused(request: HttpRequest, analysis: Analysis, error: ValidationError, to: str):
    messages.error(request, " ".join(error.messages))
    return redirect(to, pk=analysis.pk)


# --- Who does what ---------------------------------------------------------------------------


def _forged() -> HttpResponseBadRequest:
    return HttpResponseBadRequest(_("The form was not sent as expected."))


def _posted_cells(request: HttpRequest) -> dict[tuple[int, int], str] | None:
    """The map's cells as posted, or None when they are not what the form sends."""
    cells = {}
    for key, role in request.POST.items():
        if not key.startswith("cell-"):
            continue
        try:
            _prefix, area_id, unit_id = key.split("-")
            cells[(int(area_id), int(unit_id))] = role
        except ValueError:
            return None
    if any(r not in {"", *ResponsibilityRole.values} for r in cells.values()):
        return None
    return cells


@require_http_methods(["GET", "POST"])
def responsibility_map(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    if refused := _read_only(request, analysis, "analysis:responsibility_map"):
        return refused
    if request.method != "POST":
        return _render_map(request, analysis)
    cells = _posted_cells(request)
    base = merge.decode_base(request.POST.get("base"))
    if cells is None or base is None:
        return _forged()
    try:
        changed = services.save_responsibility_map(
            analysis=analysis, cells=cells, base=base, by=request.user
        )
    except services.StaleEdit as error:
        messages.error(request, error.messages[0])
        return _render_map(
            request, analysis, posted=cells, base=base, conflicts=error.conflicts, status=409
        )
    except ValidationError as error:
        if error.code == "forged":
            return _forged()
        return _refused(request, analysis, error, "analysis:responsibility_map")
    messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
    return redirect("analysis:responsibility_map", pk=analysis.pk)


def _render_map(
    request: HttpRequest,
    analysis: Analysis,
    *,
    posted: dict | None = None,
    base: dict | None = None,
    conflicts: dict | None = None,
    status: int = 200,
    **extra,
) -> HttpResponse:
    """The map as saved; after a conflict with this person's own changes on top, and the
    cells both people changed shown side by side."""
    matrix = responsibility_matrix(analysis)
    saved_base = services.map_base(matrix)
    role_labels = dict(ResponsibilityRole.choices)
    areas = {row.task_area.pk: row for row in matrix.rows}
    units = {unit.pk: unit for unit in matrix.units}
    for (area_id, unit_id), role in (posted or {}).items():
        key = services.cell_key(area_id, unit_id)
        if area_id in areas and merge.fingerprint(role) != (base or {}).get(key):
            if role:
                areas[area_id].roles[unit_id] = role
            else:
                areas[area_id].roles.pop(unit_id, None)
    groups = [
        merge.ConflictGroup(
            title=f"{areas[area_id].task_area.name} – {units[unit_id].name}",
            fields=[
                merge.FieldConflict(
                    label="",
                    saved=str(role_labels.get(saved, "–")),
                    mine=str(role_labels.get(mine, "–")),
                )
            ],
        )
        for (area_id, unit_id), (saved, mine) in (conflicts or {}).items()
        if area_id in areas and unit_id in units
    ]
    return render(
        request,
        "analysis/structures/responsibility_map.html",
        _context(
            request,
            analysis,
            "responsibility_map",
            matrix=matrix,
            base=saved_base,
            conflicts=groups,
            unit_form=extra.pop("unit_form", None) or UnitForm(),
            all_units=Unit.objects.filter(municipality=analysis.municipality),
            roles=ResponsibilityRole.choices,
            **extra,
        ),
        status=status,
    )


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for errors in error.message_dict.values() for m in errors]
    return list(error.messages)


@require_POST
def unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    if refused := _read_only(request, analysis, "analysis:responsibility_map"):
        return refused
    form = UnitForm(request.POST)
    if form.is_valid():
        try:
            services.add_unit(analysis=analysis, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as error:
            for message in _messages_of(error):
                form.add_error("name", message)
        else:
            messages.success(request, _("The unit was added."))
            return redirect("analysis:responsibility_map", pk=analysis.pk)
    # What was typed comes back in the field, with the reason next to it.
    return _render_map(request, analysis, unit_form=form)


@require_POST
def unit_change(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    if refused := _read_only(request, analysis, "analysis:responsibility_map"):
        return refused
    unit = get_object_or_404(Unit, pk=unit_pk, municipality=analysis.municipality)
    action = request.POST.get("action")
    try:
        if action == "rename":
            form = UnitForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["name"])
            services.rename_unit(
                analysis=analysis, unit=unit, name=form.cleaned_data["name"], by=request.user
            )
            messages.success(request, _("The unit was renamed."))
        elif action in {"retire", "reactivate"}:
            services.set_unit_active(
                analysis=analysis, unit=unit, active=action == "reactivate", by=request.user
            )
            messages.success(request, _("Saved."))
        elif action == "delete":
            services.remove_unit(analysis=analysis, unit=unit, by=request.user)
            messages.success(request, _("The unit was deleted."))
        else:
            return HttpResponseBadRequest(_("The form was not sent as expected."))
    except ValidationError as error:
        if action != "rename":
            return _refused(request, analysis, error, "analysis:responsibility_map")
        typed = request.POST.get("name", "")
        rename = {"unit": unit.pk, "name": typed, "errors": _messages_of(error)}
        return _render_map(request, analysis, rename=rename)
    return redirect("analysis:responsibility_map", pk=analysis.pk)


# --- Cooperation -----------------------------------------------------------------------------

ROWS = {
    "organ": (CooperationBody, CooperationBodyForm, services.BODY_FIELDS, "cooperation_bodies"),
    "aktor": (ExternalActor, ExternalActorForm, services.ACTOR_FIELDS, "external_actors"),
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
        return HttpResponseBadRequest()
    analysis = _analysis(request, pk)
    if refused := _read_only(request, analysis, "analysis:cooperation"):
        return refused
    model, form_class, fields, related = ROWS[kind]
    instance = get_object_or_404(getattr(analysis, related), pk=row_pk) if row_pk else model()
    can_edit = _can_edit(request, analysis)
    form = form_class(request.POST or None, instance=instance, disabled=not can_edit)
    conflicts, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_row(
                    analysis=analysis,
                    instance=form.save(commit=False),
                    base=form.loaded_base(),
                    by=request.user,
                )
            except services.StaleEdit as error:
                saved = model.objects.get(pk=instance.pk)
                conflicts = [
                    merge.ConflictGroup(
                        title=saved.name, fields=form.conflict_rows(error.conflicts)
                    )
                ]
                form = form_class(
                    instance=saved,
                    initial=form.rebased_initial({f: getattr(saved, f) for f in fields}),
                )
                status = 409
            except ValidationError as error:
                if error.code == "read_only":
                    return _refused(request, analysis, error, "analysis:cooperation")
                # Removed by someone else meanwhile, or invalid: the typed text stays.
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("analysis:cooperation", pk=analysis.pk)
        elif form.is_forged():
            return _forged()
    return render(
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
    )


@require_POST
def cooperation_row_delete(request: HttpRequest, pk: int, kind: str, row_pk: int):
    if kind not in ROWS:
        return HttpResponseBadRequest()
    analysis = _analysis(request, pk)
    if refused := _read_only(request, analysis, "analysis:cooperation"):
        return refused
    _model, _form, _fields, related = ROWS[kind]
    instance = get_object_or_404(getattr(analysis, related), pk=row_pk)
    try:
        services.delete_row(analysis=analysis, instance=instance, by=request.user)
    except ValidationError as error:
        return _refused(request, analysis, error, "analysis:cooperation")
    messages.success(request, _("Removed."))
    return redirect("analysis:cooperation", pk=analysis.pk)


# --- Allocation ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def allocation(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    if refused := _read_only(request, analysis, "analysis:allocation"):
        return refused
    instruments = list(Instrument.objects.all())
    practices = {p.instrument_id: p for p in analysis.allocation_practices.all()}
    can_edit = _can_edit(request, analysis)

    def forms_for(data, practices, rebase_from=None):
        result = []
        for instrument in instruments:
            saved = services.allocation_values(practices.get(instrument.pk))
            if rebase_from is None:
                written = {True: "yes", False: "no"}.get(saved["criteria_written"], "")
                initial = {**saved, "criteria_written": written}
            else:
                initial = rebase_from[instrument.pk].rebased_initial(saved)
            result.append(
                (
                    instrument,
                    AllocationRowForm(
                        data, prefix=f"i{instrument.pk}", initial=initial, disabled=not can_edit
                    ),
                )
            )
        return result

    data = request.POST if request.method == "POST" else None
    forms = forms_for(data, practices)
    conflicts, status = [], 200
    if data is not None:
        if all(form.is_valid() for _i, form in forms):
            try:
                services.save_allocation(
                    analysis=analysis,
                    rows={i.pk: form.values() for i, form in forms},
                    bases={i.pk: form.loaded_base() for i, form in forms},
                    by=request.user,
                )
            except services.StaleEdit as error:
                messages.error(request, error.messages[0])
                by_instrument = {i.pk: form for i, form in forms}
                conflicts = [
                    merge.ConflictGroup(
                        title=i.name,
                        fields=by_instrument[i.pk].conflict_rows(error.conflicts[i.pk]),
                    )
                    for i in instruments
                    if i.pk in error.conflicts
                ]
                fresh = {p.instrument_id: p for p in analysis.allocation_practices.all()}
                forms = forms_for(None, fresh, rebase_from=by_instrument)
                status = 409
            except ValidationError as error:
                return _refused(request, analysis, error, "analysis:allocation")
            else:
                messages.success(request, _("Saved."))
                return redirect("analysis:allocation", pk=analysis.pk)
        elif any(form.is_forged() for _i, form in forms):
            return _forged()
    return render(
        request,
        "analysis/structures/allocation.html",
        _context(
            request,
            analysis,
            "allocation",
            forms=forms,
            conflicts=conflicts,
            has_errors=any(form.is_bound and form.errors for _i, form in forms),
            carried={i: p.pk for i, p in practices.items() if p.carried_over},
        ),
        status=status,
    )


# --- Projects --------------------------------------------------------------------------------


@require_http_methods(["GET"])
def projects(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    filters = ProjectFilterForm(request.GET or None)
    qs = (
        analysis.municipality.projects.select_related("responsible_unit")
        .prefetch_related("target_groups", "funding_sources", "factors")
        .order_by("name")
    )
    if filters.is_valid():
        if filters.cleaned_data["status"]:
            qs = qs.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["target_group"]:
            qs = qs.filter(target_groups=filters.cleaned_data["target_group"])
    return render(
        request,
        "analysis/structures/projects.html",
        _context(request, analysis, "projects", projects=qs, filters=filters),
    )


@require_http_methods(["GET", "POST"])
def project_form(request: HttpRequest, pk: int, project_pk: int | None = None):
    analysis = _analysis(request, pk)
    if refused := _read_only(request, analysis, "analysis:projects"):
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
        disabled=not _can_edit(request, analysis),
    )
    conflicts, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_project(
                    analysis=analysis,
                    project=project if project.pk else None,
                    values=form.values(),
                    version=form.cleaned_data.get("version"),
                    base=form.loaded_base(),
                    by=request.user,
                )
            except services.StaleEdit as error:
                saved = Project.objects.select_related("updated_by").get(pk=project.pk)
                conflicts = [
                    merge.ConflictGroup(
                        title=saved.name,
                        fields=form.conflict_rows(error.conflicts),
                        saved_by=saved.updated_by,
                        saved_at=saved.updated_at,
                    )
                ]
                form = ProjectForm(
                    instance=saved,
                    municipality=analysis.municipality,
                    initial={
                        **form.rebased_initial(services.project_values(saved)),
                        "version": saved.version,
                    },
                )
                project, status = saved, 409
            except ValidationError as error:
                if error.code == "read_only":
                    return _refused(request, analysis, error, "analysis:projects")
                form.add_error(None, error)
            else:
                messages.success(request, _("The project was saved."))
                return redirect("analysis:projects", pk=analysis.pk)
        elif form.is_forged():
            return _forged()
    return render(
        request,
        "analysis/structures/project_form.html",
        _context(request, analysis, "projects", form=form, project=project, conflicts=conflicts),
        status=status,
    )


@require_POST
def project_end(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    if refused := _read_only(request, analysis, "analysis:projects"):
        return refused
    project = get_object_or_404(analysis.municipality.projects, pk=project_pk)
    try:
        services.end_project(analysis=analysis, project=project, by=request.user)
    except ValidationError as error:
        return _refused(request, analysis, error, "analysis:projects")
    messages.success(request, _("The project was ended."))
    return redirect("analysis:projects", pk=analysis.pk)


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
    back = reverse("analysis:responsibility_map", args=[analysis.pk])
    return _history(
        request,
        analysis,
        [RevisionKind.RESPONSIBILITY_MAP, RevisionKind.UNIT],
        title=_("Who does what"),
        back_url=back,
        back_title=_("Who does what"),
        intro=_("Changes to the map in this analysis, and to the municipality's units."),
    )


@require_http_methods(["GET"])
def cooperation_history(request: HttpRequest, pk: int, kind: str | None = None, row_pk=None):
    analysis = _analysis(request, pk)
    if kind is not None and kind not in COOPERATION_KINDS:
        return HttpResponseBadRequest()
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
        back_url=reverse("analysis:cooperation", args=[analysis.pk]),
        back_title=_("Cooperation"),
        object_id=row_pk,
        restore_url=lambda r: reverse(
            "analysis:cooperation_restore", args=[analysis.pk, slugs[r.kind], r.object_id, r.pk]
        ),
    )


@require_POST
def cooperation_restore(request: HttpRequest, pk: int, kind: str, row_pk: int, revision_pk: int):
    analysis = _analysis(request, pk)
    if refused := _read_only(request, analysis, "analysis:cooperation"):
        return refused
    if kind not in COOPERATION_KINDS:
        return HttpResponseBadRequest()
    revision = get_object_or_404(
        Revision,
        pk=revision_pk,
        analysis=analysis,
        kind=COOPERATION_KINDS[kind],
        object_id=row_pk,
    )
    try:
        services.restore_row(analysis=analysis, revision=revision, by=request.user)
    except ValidationError as error:
        return _refused(request, analysis, error, "analysis:cooperation")
    messages.success(request, _("The earlier value was restored."))
    return redirect("analysis:cooperation_row_history", pk=analysis.pk, kind=kind, row_pk=row_pk)


@require_http_methods(["GET"])
def allocation_history(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = _analysis(request, pk)
    return _history(
        request,
        analysis,
        [RevisionKind.ALLOCATION],
        title=_("Allocation"),
        back_url=reverse("analysis:allocation", args=[analysis.pk]),
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
        back_url=reverse("analysis:projects", args=[analysis.pk]),
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
    if refused := _read_only(request, analysis, "analysis:projects"):
        return refused
    project = get_object_or_404(analysis.municipality.projects, pk=project_pk)
    revision = get_object_or_404(
        Revision,
        pk=revision_pk,
        kind=RevisionKind.PROJECT,
        object_id=project.pk,
        analysis__municipality_id=analysis.municipality_id,
    )
    try:
        services.restore_project(analysis=analysis, revision=revision, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The earlier value was restored."))
    return redirect("analysis:project_history", pk=analysis.pk, project_pk=project.pk)


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
