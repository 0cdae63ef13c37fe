"""Who hears about what happens to an analysis. Each receiver runs inside the transaction of
the change (analysis/signals.py) and only records messages in the outbox."""

from __future__ import annotations

from django.dispatch import receiver

from accounts.access import editors_of
from accounts.models import Membership, Role
from analysis import signals
from analysis.models import Analysis
from analysis.selectors.sections import section_url
from notifications.models import Kind
from notifications.services import link, notify, submission_audience
from outbox.services import absolute_url


@receiver(signals.section_assigned, dispatch_uid="notify_section_assigned")
def section_assigned(sender, analysis: Analysis, section, assignee, by, due_date=None, **kwargs):
    notify(
        kind=Kind.ASSIGNED,
        users=[assignee],
        exclude=by,
        template="emails/section_assigned",
        context={
            "analysis": analysis,
            "section": section,
            "by": by,
            "due_date": due_date,
            "url": absolute_url(section_url(analysis, section) or analysis.get_absolute_url()),
        },
    )


@receiver(signals.analysis_submitted, dispatch_uid="notify_analysis_submitted")
def analysis_submitted(sender, analysis: Analysis, by, **kwargs):
    notify(
        kind=Kind.SUBMITTED,
        users=submission_audience(analysis),
        exclude=by,
        template="emails/analysis_submitted",
        context={"analysis": analysis, "by": by, "url": link("analysis:review", analysis.pk)},
    )


@receiver(signals.analysis_sent_back, dispatch_uid="notify_analysis_sent_back")
def analysis_sent_back(sender, analysis: Analysis, by, message: str, **kwargs):
    notify(
        kind=Kind.SENT_BACK,
        users=editors_of(analysis.municipality),
        exclude=by,
        template="emails/analysis_sent_back",
        context={
            "analysis": analysis,
            "by": by,
            "message": message,
            "url": link("analysis:review", analysis.pk),
        },
    )


@receiver(signals.analysis_approved, dispatch_uid="notify_analysis_approved")
def analysis_approved(sender, analysis: Analysis, by, message: str, **kwargs):
    notify(
        kind=Kind.APPROVED,
        users=editors_of(analysis.municipality),
        exclude=by,
        template="emails/analysis_approved",
        context={
            "analysis": analysis,
            "by": by,
            "message": message,
            "url": link("analysis:detail", analysis.pk),
        },
    )


@receiver(signals.comment_added, dispatch_uid="notify_comment_added")
def comment_added(sender, comment, **kwargs):
    """A comment or a reply: the municipality's editors hear of it, and, for a reply, the
    one who wrote the comment it answers (usually the adviser)."""
    analysis = comment.analysis
    users = list(editors_of(analysis.municipality))
    thread = comment.parent
    if thread is not None and thread.author is not None:
        users.append(thread.author)
    notify(
        kind=Kind.COMMENT,
        users=users,
        exclude=comment.author,
        template="emails/comment_added",
        context={
            "analysis": analysis,
            "comment": comment,
            "is_reply": thread is not None,
            "url": link(
                "analysis:review", analysis.pk, fragment=f"comment-{(thread or comment).pk}"
            ),
        },
    )


@receiver(signals.round_opened, dispatch_uid="notify_round_opened")
def round_opened(sender, round, **kwargs):
    """Every municipality's editors, each with a link to their own analysis in the round."""
    analyses = dict(Analysis.objects.filter(round=round).values_list("municipality_id", "pk"))
    own: dict[int, list[tuple]] = {}
    users = {}
    for membership in (
        Membership.objects.filter(
            role=Role.EDITOR,
            municipality__valid_to__isnull=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "municipality")
        .order_by("municipality__number")
    ):
        users[membership.user_id] = membership.user
        if membership.municipality_id in analyses:
            own.setdefault(membership.user_id, []).append(
                (
                    membership.municipality,
                    link("analysis:detail", analyses[membership.municipality_id]),
                )
            )
    notify(
        kind=Kind.ROUND_OPENED,
        users=users.values(),
        template="emails/round_opened",
        context={"round": round},
        per_user=lambda user: {"municipalities": own.get(user.pk, [])},
    )
