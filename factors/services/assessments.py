"""Saving the self-assessment on the six factors, with the same promises as answers: a save is
merged field by field with what others saved meanwhile (analysis/merge.py); a field both
people changed differently is a conflict that writes nothing; every change is a revision;
restore is a change."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import merge
from analysis.models import Analysis, Revision, RevisionKind
from analysis.services.workflow import ensure_editable, touch_analysis
from factors.models import FactorAssessment
from reference.models import SuccessFactor

FIELDS = ("score", "status", "challenges", "evidence")


def snapshot(assessment: FactorAssessment | None) -> dict:
    if assessment is None:
        return {"score": None, "status": "", "challenges": "", "evidence": ""}
    return {f: getattr(assessment, f) for f in FIELDS}


@transaction.atomic
def save_assessments(
    *,
    analysis: Analysis,
    values: dict[int, dict],
    versions: dict[int, int],
    by: User,
    bases: dict[int, dict[str, str] | None] | None = None,
) -> int:
    """values: factor number → {score, status, challenges, evidence}; versions and bases
    (fingerprints of the values as loaded) by factor number. Returns how many factors
    changed; raises StaleEdit, keyed by factor number, when a field this person changed was
    changed by someone else too (then nothing was written)."""
    analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
    ensure_editable(analysis)
    factors = {f.number: f for f in SuccessFactor.objects.all()}
    existing = {
        a.factor.number: a
        for a in FactorAssessment.objects.filter(analysis=analysis).select_related(
            "factor", "updated_by"
        )
    }
    conflicts, changes = [], []
    for number, mine in values.items():
        current = existing.get(number)
        old = snapshot(current)
        result = merge.merge(
            mine=mine,
            saved=old,
            base=(bases or {}).get(number),
            loaded_fresh=versions.get(number, 0) == (current.version if current else 0),
        )
        if result.conflicts:
            conflicts.append(
                merge.RowConflict(
                    key=number,
                    title=str(factors[number]),
                    fields=result.conflicts,
                    saved_by=current.updated_by if current else None,
                    saved_at=current.updated_at if current else None,
                )
            )
            continue
        if result.changes:
            changes.append((factors[number], current, old, old | result.changes))
    if conflicts:
        raise merge.StaleEdit(conflicts)
    for factor, current, old, new in changes:
        _write(analysis=analysis, factor=factor, current=current, old=old, new=new, by=by)
    if changes:
        touch_analysis(analysis=analysis, by=by)
    return len(changes)


def _write(*, analysis, factor, current, old, new, by, note="") -> FactorAssessment:
    assessment = current or FactorAssessment(analysis=analysis, factor=factor, version=0)
    for field, value in new.items():
        setattr(assessment, field, value)
    assessment.version += 1
    assessment.carried_over = False
    assessment.updated_at = timezone.now()
    assessment.updated_by = by
    assessment.full_clean(exclude=["analysis", "factor"])
    assessment.save()
    Revision.objects.create(
        analysis=analysis,
        kind=RevisionKind.ASSESSMENT,
        object_id=assessment.pk,
        old_value=old,
        new_value=new,
        changed_by=by,
        note=note,
    )
    return assessment


@transaction.atomic
def restore_assessment(
    *, assessment: FactorAssessment, revision: Revision, by: User
) -> FactorAssessment:
    analysis = Analysis.objects.select_for_update().get(pk=assessment.analysis_id)
    ensure_editable(analysis)
    if revision.kind != RevisionKind.ASSESSMENT or revision.object_id != assessment.pk:
        raise ValueError("revision belongs to another assessment")
    assessment.refresh_from_db()
    old = snapshot(assessment)
    new = {f: revision.new_value.get(f, old[f]) for f in FIELDS}
    if new == old:
        return assessment
    note = _("Restored the value from %(when)s") % {
        "when": timezone.localtime(revision.changed_at).strftime("%d.%m.%Y %H:%M")
    }
    assessment = _write(
        analysis=analysis,
        factor=assessment.factor,
        current=assessment,
        old=old,
        new=new,
        by=by,
        note=note,
    )
    touch_analysis(analysis=analysis, by=by)
    return assessment
