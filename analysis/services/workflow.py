"""Status changes of an analysis: not started → in progress → submitted → approved, or sent
back with a message. Every change is recorded (who, when, why)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import audit
from accounts.models import AuditAction
from analysis import parts, signals, versions
from analysis.models import Analysis, AnalysisStatus, ReviewComment, StatusChange
from analysis.selectors.core import in_current_round
from analysis.selectors.progress import (
    round_not_open,
    section_progress,
    submission_blockers,
    unconfirmed_sections,
)


def _change_status(analysis: Analysis, to: str, by: User, message: str = "") -> None:
    StatusChange.objects.create(
        analysis=analysis, from_status=analysis.status, to_status=to, changed_by=by, message=message
    )
    audit.record(
        AuditAction.STATUS_CHANGED,
        actor=by,
        municipality=analysis.municipality,
        target=str(analysis),
        details={"analysis": analysis.pk, "from": analysis.status, "to": to},
    )
    analysis.status = to


def touch_analysis(*, analysis: Analysis, by: User) -> None:
    """Record activity after a saved change: a new version number, last activity, and
    "in progress" the first time anything is saved."""
    now = timezone.now()
    if analysis.status == AnalysisStatus.NOT_STARTED:
        _change_status(analysis, AnalysisStatus.IN_PROGRESS, by)
    Analysis.objects.filter(pk=analysis.pk).update(
        version=F("version") + 1,
        last_activity_at=now,
        last_activity_by=by,
        status=analysis.status,
    )
    # What the pages keep of the municipality's analyses is out of date, whatever the service
    # wrote (bulk writes too: carrying a round over) (analysis/versions.py).
    versions.changed_for_municipality(analysis.municipality_id)
    analysis.refresh_from_db(
        fields=["version", "last_activity_at", "last_activity_by", "status", "content_token"]
    )


def ensure_editable(analysis: Analysis) -> None:
    if not analysis.is_editable:
        raise ValidationError(
            _("The analysis is %(status)s and cannot be changed until it is sent back.")
            % {"status": analysis.get_status_display().lower()},
            code="read_only",
        )


@transaction.atomic
def submit_analysis(*, analysis: Analysis, by: User) -> None:
    analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
    if analysis.status not in {AnalysisStatus.IN_PROGRESS, AnalysisStatus.SENT_BACK}:
        raise ValidationError(_("Only an analysis in progress or sent back can be submitted."))
    progress = section_progress(analysis)
    refusals = []
    if round_not_open(analysis):
        refusals.append(
            ValidationError(
                _("The round opens on %(date)s; the analysis can be submitted from that day.")
                % {"date": formats.date_format(analysis.round.opens_on, "j. F Y")},
                code="round_not_open",
            )
        )
    if blockers := submission_blockers(progress):
        refusals.append(
            ValidationError(
                _("The analysis cannot be submitted yet. Incomplete sections: %(sections)s")
                % {"sections": ", ".join(p.section.title for p in blockers)},
                code="incomplete",
            )
        )
    if unconfirmed := unconfirmed_sections(progress):
        refusals.append(
            ValidationError(
                _(
                    "Entries carried over from the previous round are not confirmed yet. "
                    "Confirm or update them in: %(sections)s"
                )
                % {"sections": ", ".join(p.section.title for p in unconfirmed)},
                code="unconfirmed",
            )
        )
    for part in parts.all_parts():
        refusals.extend(
            ValidationError(reason, code="part") for reason in part.submission_refusals(analysis)
        )
    if refusals:
        raise ValidationError(refusals)
    _change_status(analysis, AnalysisStatus.SUBMITTED, by)
    analysis.submitted_at = timezone.now()
    analysis.last_activity_at = analysis.submitted_at
    analysis.last_activity_by = by
    analysis.save(update_fields=["status", "submitted_at", "last_activity_at", "last_activity_by"])
    signals.analysis_submitted.send(sender=Analysis, analysis=analysis, by=by, message="")


@transaction.atomic
def send_back_analysis(*, analysis: Analysis, by: User, message: str) -> None:
    analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
    if analysis.status not in {AnalysisStatus.SUBMITTED, AnalysisStatus.APPROVED}:
        raise ValidationError(_("Only a submitted or approved analysis can be sent back."))
    if not in_current_round(analysis):
        # Reopened, last year's answers could change under "change since the previous
        # round" (issue 11).
        raise ValidationError(
            _(
                "Only analyses of the current round can be sent back. %(round)s is an earlier "
                "round: its answers are the baseline for the change since then."
            )
            % {"round": analysis.round.title},
            code="earlier_round",
        )
    if not message.strip():
        raise ValidationError(_("Write a message saying what the municipality should look at."))
    _change_status(analysis, AnalysisStatus.SENT_BACK, by, message)
    analysis.approved_at = None
    _record_decision(analysis, by, ["approved_at"])
    signals.analysis_sent_back.send(sender=Analysis, analysis=analysis, by=by, message=message)


def _record_decision(analysis: Analysis, by: User, fields: list[str]) -> None:
    """A decision is activity too: the overview's "last activity by whom" names the adviser."""
    analysis.last_activity_at = timezone.now()
    analysis.last_activity_by = by
    analysis.save(update_fields=["status", "last_activity_at", "last_activity_by", *fields])


def open_comment_count(analysis: Analysis) -> int:
    """Comments (not replies) that nobody has marked as resolved."""
    return ReviewComment.objects.filter(
        analysis=analysis, parent__isnull=True, resolved_at__isnull=True
    ).count()


@transaction.atomic
def approve_analysis(
    *, analysis: Analysis, by: User, message: str = "", despite_open_comments: bool = False
) -> None:
    """Approve a submitted analysis. While comments are still open, the adviser must say
    that they approve it anyway, so no comment is left behind by a slip of the mouse."""
    analysis = Analysis.objects.select_for_update().get(pk=analysis.pk)
    if analysis.status == AnalysisStatus.APPROVED:
        raise ValidationError(
            _("The analysis is already approved. Nothing was changed."), code="already_approved"
        )
    if analysis.status != AnalysisStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted analysis can be approved."))
    if not despite_open_comments and (count := open_comment_count(analysis)):
        raise ValidationError(
            ngettext(
                "The analysis was not approved: %(count)s comment is still open. Tick "
                "“Approve even though comments are open” if you want to approve it anyway, "
                "or mark the comment as resolved first.",
                "The analysis was not approved: %(count)s comments are still open. Tick "
                "“Approve even though comments are open” if you want to approve it anyway, "
                "or mark the comments as resolved first.",
                count,
            )
            % {"count": count},
            code="open_comments",
        )
    _change_status(analysis, AnalysisStatus.APPROVED, by, message)
    analysis.approved_at = timezone.now()
    _record_decision(analysis, by, ["approved_at"])
    signals.analysis_approved.send(sender=Analysis, analysis=analysis, by=by, message=message)
