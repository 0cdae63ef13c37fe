"""Who hears of a submission, for the receipt page (issue 15, item 2).

The rule belongs to `notifications` (who gets which e-mail), which builds on this app; it
registers it here when Django starts (notifications/apps.py), as `factors` registers its part
(analysis/parts.py), so the receipt names exactly the people the e-mail goes to without this
app importing the one above it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from analysis.models import Analysis

_submission_recipients: Callable[[Analysis, User | None], list[User]] | None = None


def register_submission_recipients(rule: Callable[[Analysis, User | None], list[User]]) -> None:
    global _submission_recipients
    _submission_recipients = rule


def submission_recipients(analysis: Analysis, by: User | None) -> list[User]:
    """The people told by e-mail that the analysis was submitted (none without the rule)."""
    return _submission_recipients(analysis, by) if _submission_recipients else []
