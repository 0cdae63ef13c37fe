"""What the reports app does when something happens to an analysis (analysis/signals.py)."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from analysis import signals


@receiver(signals.analysis_submitted, dispatch_uid="archive_the_submitted_report")
def archive_the_submitted_report(sender, *, analysis, by, **kwargs) -> None:
    """Keep a PDF of what was sent in the archive. Rendering takes a second or two, so a
    background task makes it once the submission is committed; the receipt says so."""
    from reports.tasks import archive_submitted_report

    transaction.on_commit(
        partial(
            archive_submitted_report.enqueue,
            analysis.pk,
            by.pk if by else None,
            analysis.version,
        )
    )
