"""Saving answers without losing work.

Every question field arrives with a fingerprint of the value it had when the form was loaded
(and the answer's version, the fallback for a form without fingerprints). A save is merged
three ways (analysis/merge.py): an answer this person did not touch keeps what is saved now,
an answer only this person changed is written, and an answer both people changed differently
is a conflict: nothing in the section is written, and the person sees both versions and
chooses. Every real change writes a Revision (who, when, old and new value), and restoring an
earlier value is itself a new revision.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import merge
from analysis.models import Analysis, Answer, Revision
from analysis.selectors.sections import answers_by_question
from analysis.services.workflow import ensure_editable, touch_analysis
from reference.models import Question, Section


@transaction.atomic
def save_section_answers(
    *,
    analysis: Analysis,
    section: Section,
    values: dict[str, str],
    versions: dict[str, int],
    by: User,
    base: dict[str, str] | None = None,
) -> int:
    """values, versions and base (fingerprints of the values as loaded) are keyed by question
    key; version 0 means "no answer yet". Returns how many answers changed; raises StaleEdit
    (nothing written) when an answer this person changed was changed by someone else too."""
    # Lock the analysis row so two saves of the same section run one after the other.
    analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
    ensure_editable(analysis)
    questions = {q.key: q for q in section.questions.all()}
    existing = answers_by_question(analysis, section)
    conflicts, changes = [], []
    for key, value in values.items():
        question = questions[key]
        answer = existing.get(question.id)
        saved_value = answer.value if answer else ""
        saved_version = answer.version if answer else 0
        outcome = merge.decide(
            mine=value,
            saved=saved_value,
            base=(base or {}).get(key),
            loaded_fresh=versions.get(key, 0) == saved_version,
        )
        if outcome == merge.KEEP:
            continue
        if outcome == merge.CONFLICT:
            conflicts.append(
                merge.RowConflict(
                    key=key,
                    title=question.text,
                    fields={"value": (saved_value, value)},
                    saved_by=answer.updated_by if answer else None,
                    saved_at=answer.updated_at if answer else None,
                )
            )
            continue
        changes.append((question, answer, value))
    if conflicts:
        raise merge.StaleEdit(conflicts)
    for question, answer, value in changes:
        _write(analysis=analysis, question=question, answer=answer, value=value, by=by)
    if changes:
        touch_analysis(analysis=analysis, by=by)
    return len(changes)


def _write(
    *,
    analysis: Analysis,
    question: Question,
    answer: Answer | None,
    value: str,
    by: User,
    note: str = "",
) -> Answer:
    old = answer.value if answer else None
    if answer is None:
        answer = Answer(analysis=analysis, question=question)
    answer.value = value
    answer.version = (answer.version + 1) if answer.pk else 1
    answer.carried_over = False
    answer.updated_at = timezone.now()
    answer.updated_by = by
    answer.full_clean(exclude=["analysis", "question"])
    answer.save()
    Revision.objects.create(
        analysis=analysis,
        answer=answer,
        old_value=old,
        new_value=value,
        changed_by=by,
        note=note,
    )
    return answer


@transaction.atomic
def restore_answer(*, answer: Answer, revision: Revision, by: User) -> Answer:
    """Set the answer back to the value it had after `revision`; recorded as a new change."""
    analysis = Analysis.objects.select_for_update().get(pk=answer.analysis_id)
    ensure_editable(analysis)
    if revision.answer_id != answer.pk:
        raise ValueError("revision belongs to another answer")
    value = revision.new_value or ""
    answer.refresh_from_db()
    if answer.value == value:
        return answer
    note = _("Restored the value from %(when)s") % {
        "when": timezone.localtime(revision.changed_at).strftime("%d.%m.%Y %H:%M")
    }
    answer = _write(
        analysis=analysis, question=answer.question, answer=answer, value=value, by=by, note=note
    )
    touch_analysis(analysis=analysis, by=by)
    return answer
