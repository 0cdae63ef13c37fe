"""Review comments: advisers comment on a section or a single answer; the municipality
replies where the comment applies."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import signals
from analysis.models import Analysis, InternalNote, ReviewComment
from reference.models import Question, Section


@transaction.atomic
def add_comment(
    *,
    analysis: Analysis,
    author: User,
    body: str,
    section: Section | None = None,
    question: Question | None = None,
    parent: ReviewComment | None = None,
    resolve: bool = False,
) -> ReviewComment:
    """A comment or a reply. The section and question must belong to this analysis's
    questionnaire edition, and a reply to a comment on this analysis. A reply may resolve
    the comment it answers ("løst")."""
    questionnaire_id = analysis.round.questionnaire_id
    if parent is not None:
        if parent.analysis_id != analysis.pk:
            raise ValidationError(_("You can only reply to comments on this analysis."))
        section, question = parent.section, parent.question
        parent = parent.parent or parent  # replies hang on the first comment
    if question is not None:
        if question.section.questionnaire_id != questionnaire_id:
            raise ValidationError(_("The question is not part of this analysis."))
        section = question.section
    if section is not None and section.questionnaire_id != questionnaire_id:
        raise ValidationError(_("The section is not part of this analysis."))
    comment = ReviewComment(
        analysis=analysis,
        section=section,
        question=question,
        parent=parent,
        author=author,
        body=body.strip(),
    )
    comment.full_clean()
    comment.save()
    if resolve and parent is not None:
        resolve_comment(comment=parent)
    signals.comment_added.send(sender=ReviewComment, comment=comment)
    return comment


def resolve_comment(*, comment: ReviewComment) -> bool:
    """Mark a comment (with its replies) resolved: it no longer counts as open and shows
    folded away. Resolving twice changes nothing; returns whether anything changed."""
    thread = comment.parent or comment
    updated = ReviewComment.objects.filter(pk=thread.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    thread.refresh_from_db(fields=["resolved_at"])
    return bool(updated)


def add_internal_note(*, analysis: Analysis, author: User, body: str) -> InternalNote:
    """A note for the region's office only. No signal: nothing about it is ever e-mailed,
    and the municipality's pages, the report and the exports never read these rows."""
    note = InternalNote(analysis=analysis, author=author, body=body.strip())
    note.full_clean()
    note.save()
    return note
