"""Confirming what was carried over from the previous round.

A new round starts from a copy of the previous answers, assessments, map cells, cooperation
entries and allocation rows, each marked `carried_over` (analysis/services/rounds.py). They
count as answered, so progress does not drop, but the pages mark them until the planner
either edits them (every save clears the mark) or confirms they still hold. A confirmation
is recorded in the history like any change, with the note "Confirmed unchanged".
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from analysis.models import (
    AllocationPractice,
    Analysis,
    Answer,
    CooperationBody,
    ExternalActor,
    Responsibility,
    Revision,
    RevisionKind,
    Section,
)
from analysis.services.structures import (
    ACTOR_FIELDS,
    ALLOCATION_FIELDS,
    BODY_FIELDS,
    lock_for_writing,
    record,
    snapshot,
)
from analysis.services.workflow import touch_analysis
from factors.models import FactorAssessment
from factors.services import snapshot as assessment_snapshot

# The kinds of carried-over rows, as the confirmation form names them.
KINDS = (
    "answer",
    "assessment",
    "responsibility",
    "cooperation_body",
    "external_actor",
    "allocation",
)


def _rows(analysis: Analysis, kind: str, section: Section | None):
    if kind == "answer":
        qs = Answer.objects.filter(analysis=analysis).select_related("question")
        return qs.filter(question__section=section) if section is not None else qs
    if kind == "assessment":
        return FactorAssessment.objects.filter(analysis=analysis)
    if kind == "responsibility":
        return Responsibility.objects.filter(analysis=analysis).select_related("task_area", "unit")
    if kind == "cooperation_body":
        return CooperationBody.objects.filter(analysis=analysis)
    if kind == "external_actor":
        return ExternalActor.objects.filter(analysis=analysis)
    if kind == "allocation":
        return AllocationPractice.objects.filter(analysis=analysis).select_related("instrument")
    raise ValidationError(_("The form was not sent as expected."), code="forged")


@transaction.atomic
def confirm_carried_over(
    *,
    analysis: Analysis,
    kind: str,
    ids: list[int] | None = None,
    section: Section | None = None,
    by: User,
) -> int:
    """Clear the carried-over mark of the given rows (all of the kind, or of the section's
    answers, when ids is None) and record each confirmation. Returns how many were confirmed;
    rows that were not carried over are left alone."""
    # The analysis row lock serialises this with every other write to the analysis.
    analysis = lock_for_writing(analysis)
    rows = _rows(analysis, kind, section).filter(carried_over=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    note = _("Confirmed unchanged")
    confirmed = 0
    for row in rows:
        row.carried_over = False
        row.save(update_fields=["carried_over"])
        if kind == "answer":
            Revision.objects.create(
                analysis=analysis,
                answer=row,
                old_value=row.value,
                new_value=row.value,
                changed_by=by,
                note=note,
            )
        elif kind == "assessment":
            value = assessment_snapshot(row)
            Revision.objects.create(
                analysis=analysis,
                kind=RevisionKind.ASSESSMENT,
                assessment=row,
                old_value=value,
                new_value=value,
                changed_by=by,
                note=note,
            )
        else:
            kind_, object_id, label, value = _structure_revision(kind, row)
            record(
                analysis=analysis,
                kind=kind_,
                object_id=object_id,
                label=label,
                old=value,
                new=value,
                by=by,
                note=note,
            )
        confirmed += 1
    if confirmed:
        touch_analysis(analysis=analysis, by=by)
    return confirmed


def _structure_revision(kind: str, row) -> tuple[str, int, str, dict]:
    if kind == "responsibility":
        value = {"task_area": row.task_area_id, "unit": row.unit_id, "role": row.role}
        label = f"{row.task_area.name} – {row.unit.name}"
        return RevisionKind.RESPONSIBILITY_MAP, row.task_area_id, label, value
    if kind == "cooperation_body":
        return RevisionKind.COOPERATION_BODY, row.pk, row.name, snapshot(row, BODY_FIELDS)
    if kind == "external_actor":
        return RevisionKind.EXTERNAL_ACTOR, row.pk, row.name, snapshot(row, ACTOR_FIELDS)
    value = snapshot(row, ALLOCATION_FIELDS)
    return RevisionKind.ALLOCATION, row.instrument_id, row.instrument.name, value
