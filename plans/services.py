"""Writes to the action plan: a measure saved (merged with what others saved meanwhile, like
every save_* service), created from a recommendation, and its status changed with a note; the
proposed decision (forslag til vedtak) the report puts before the council.

Measures belong to the municipality; the analysis is where the planner works on them, so a
change needs an analysis that may be changed now (analysis/services/structures.py,
`lock_for_writing`) and counts as activity on it.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import merge
from analysis.models import Analysis, RevisionKind
from analysis.services.structures import lock_for_writing, record
from analysis.services.workflow import touch_analysis
from plans.models import DecisionProposal, Measure, MeasureStatus, MeasureStatusChange
from reference.models import SuccessFactor

MEASURE_FIELDS = (
    "title",
    "description",
    "responsible_unit",
    "owner_name",
    "owner_role",
    "owner_user",
    "deadline",
    "priority",
    "estimated_cost",
    "funding_source",
    "indicator",
    "target_value",
    "target_year",
)
MEASURE_M2M = ("factors",)
FOREIGN_KEYS = {"responsible_unit", "owner_user", "funding_source", "indicator"}


def measure_values(measure: Measure) -> dict:
    """A measure's editable values, related rows by primary key."""
    values = {
        name: getattr(measure, f"{name}_id" if name in FOREIGN_KEYS else name)
        for name in MEASURE_FIELDS
    }
    values["factors"] = sorted(measure.factors.values_list("pk", flat=True)) if measure.pk else []
    return values


def _save(measure: Measure, by: User) -> None:
    measure.updated_at = timezone.now()
    measure.updated_by = by
    measure.full_clean()
    measure.save()


@transaction.atomic
def save_measure(
    *,
    analysis: Analysis,
    measure: Measure | None,
    values: dict,
    version: int | None,
    base: dict[str, str] | None,
    by: User,
) -> Measure:
    """Create a measure (measure=None; planned in the analysis's round) or update one, merged
    with what others saved meanwhile; values are the form's cleaned values for MEASURE_FIELDS
    and MEASURE_M2M. A change to the same field as someone else's raises merge.StaleEdit."""
    analysis = lock_for_writing(analysis)
    if measure is not None and measure.pk:
        measure = Measure.objects.select_for_update().get(
            pk=measure.pk, municipality_id=analysis.municipality_id
        )
        saved = measure_values(measure)
        result = merge.merge(
            mine=values,
            saved=saved,
            base=base,
            loaded_fresh=version == measure.version,
        )
        if result.conflicts:
            raise merge.StaleEdit(
                [
                    merge.RowConflict(
                        key=measure.pk,
                        title=measure.title,
                        fields=result.conflicts,
                        saved_by=measure.updated_by,
                        saved_at=measure.updated_at,
                    )
                ]
            )
        if not result.changes:
            return measure
        changes = result.changes
        before = {k: merge.canonical(v) for k, v in saved.items()}
        measure.version += 1
        created = False
    else:
        measure = Measure(municipality=analysis.municipality, planned_in=analysis.round)
        changes = values
        created = True
    for name, value in changes.items():
        if name not in MEASURE_M2M:
            setattr(measure, name, value)
    _save(measure, by)
    for name, value in changes.items():
        if name in MEASURE_M2M:
            getattr(measure, name).set(value)
    if created:
        _record_status(measure, analysis, "", MeasureStatus.PLANNED, "", by)
    else:
        # Field edits go into the history every other row uses (analysis.Revision); the
        # status has its own rows with a note (MeasureStatusChange).
        record(
            analysis=analysis,
            kind=RevisionKind.MEASURE,
            object_id=measure.pk,
            label=measure.title,
            old=before,
            new=before | {k: merge.canonical(v) for k, v in changes.items()},
            by=by,
        )
    touch_analysis(analysis=analysis, by=by)
    return measure


@transaction.atomic
def create_measure_from_recommendation(
    *,
    analysis: Analysis,
    key: str,
    title: str,
    description: str,
    factor_numbers: list[int],
    by: User,
) -> Measure:
    """One step from a recommendation to a measure: its title and text, the recommendation it
    answers and the success factors it concerns; owner, unit and deadline are set after."""
    factors = list(SuccessFactor.objects.filter(number__in=factor_numbers))
    measure = save_measure(
        analysis=analysis,
        measure=None,
        values={
            "title": title[:200],
            "description": description,
            "factors": factors,
        },
        version=None,
        base=None,
        by=by,
    )
    measure.recommendation_keys = [key]
    measure.save(update_fields=["recommendation_keys"])
    return measure


@transaction.atomic
def change_measure_status(
    *,
    analysis: Analysis,
    measure: Measure,
    status: str,
    note: str,
    version: int | None,
    by: User,
) -> MeasureStatusChange:
    """Set a measure's status with a note on what happened; the same status again is an
    update too ("still under way"). Stopping needs a reason, which the note gives. A status
    someone else changed since the form was loaded is a conflict, not overwritten."""
    analysis = lock_for_writing(analysis)
    measure = Measure.objects.select_for_update().get(
        pk=measure.pk, municipality_id=analysis.municipality_id
    )
    if status not in MeasureStatus.values:
        raise ValidationError(_("Choose a status."), code="forged")
    note = note.strip()
    if status == MeasureStatus.STOPPED and not note:
        raise ValidationError({"note": _("Say why the measure was stopped.")})
    if version is not None and version != measure.version:
        raise merge.StaleEdit(
            [
                merge.RowConflict(
                    key=measure.pk,
                    title=measure.title,
                    fields={"status": (measure.status, status)},
                    saved_by=measure.updated_by,
                    saved_at=measure.updated_at,
                )
            ]
        )
    old = measure.status
    measure.status = status
    if status == MeasureStatus.STOPPED:
        measure.stop_reason = note
    measure.version += 1
    _save(measure, by)
    change = _record_status(measure, analysis, old, status, note, by)
    touch_analysis(analysis=analysis, by=by)
    return change


def _record_status(measure, analysis, old, new, note, by) -> MeasureStatusChange:
    return MeasureStatusChange.objects.create(
        measure=measure,
        round=analysis.round,
        from_status=old,
        to_status=new,
        note=note,
        changed_by=by,
    )


@transaction.atomic
def save_decision_proposal(
    *, analysis: Analysis, text: str, version: int, by: User
) -> DecisionProposal:
    """Save the proposed decision the editor wrote or accepted. `version` is the version the
    editor's form was loaded with (0: none was saved then); if someone saved another text
    since, merge.StaleEdit is raised with both texts and nothing is written. The same text
    again changes nothing. A locked analysis (submitted or approved) refuses, as every edit."""
    analysis = lock_for_writing(analysis)
    proposal = DecisionProposal.objects.select_for_update().filter(analysis=analysis).first()
    text = text.strip()
    if proposal is not None and proposal.text == text:
        return proposal
    saved_version = proposal.version if proposal is not None else 0
    if version != saved_version:
        raise merge.StaleEdit(
            [
                merge.RowConflict(
                    key="decision",
                    title=_("Proposed decision"),
                    fields={"text": (proposal.text if proposal is not None else "", text)},
                    saved_by=proposal.updated_by if proposal is not None else None,
                    saved_at=proposal.updated_at if proposal is not None else None,
                )
            ]
        )
    if proposal is None:
        proposal = DecisionProposal(analysis=analysis)
    else:
        proposal.version += 1
    proposal.text = text
    proposal.updated_at = timezone.now()
    proposal.updated_by = by
    proposal.full_clean()
    proposal.save()
    touch_analysis(analysis=analysis, by=by)
    return proposal
