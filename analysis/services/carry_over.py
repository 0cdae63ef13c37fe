"""Confirming what was carried over from the previous round.

A new round starts from a copy of the previous answers and every part's rows (assessments, map
cells, cooperation entries, allocation rows), each marked `carried_over`
(analysis/services/rounds.py). They count as answered, so progress does not drop, but the
pages mark them until the planner either edits them (every save clears the mark) or confirms
they still hold. A confirmation is recorded in the history like any change, with the note
"Confirmed unchanged".
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from analysis import parts
from analysis.models import Analysis, Answer, Revision
from analysis.services.structures import lock_for_writing, record
from analysis.services.workflow import touch_analysis
from reference.models import Section

# Answers are confirmed per section; every part names its own kinds (analysis/parts.py).
ANSWER = "answer"


def confirmable_kinds() -> set[str]:
    return {ANSWER, *(kind for part in parts.all_parts() for kind in part.confirmable)}


def _rows(analysis: Analysis, kind: str, section: Section | None) -> QuerySet:
    if kind == ANSWER:
        qs = Answer.objects.filter(analysis=analysis).select_related("question")
        return qs.filter(question__section=section) if section is not None else qs
    confirmable = parts.confirmable(kind)
    if confirmable is None:
        raise ValidationError(_("The form was not sent as expected."), code="forged")
    return confirmable.rows(analysis)


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
        if kind == ANSWER:
            Revision.objects.create(
                analysis=analysis,
                answer=row,
                old_value=row.value,
                new_value=row.value,
                changed_by=by,
                note=note,
            )
        else:
            revision_kind, object_id, label, value = parts.confirmable(kind).revision(row)
            record(
                analysis=analysis,
                kind=revision_kind,
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
