"""Each person's choices about e-mail (all on until they turn one off), and the reminders
already sent, so that each goes out once however often `send_reminders` runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analysis.models import Round
from plans.models import Measure


class Kind(models.TextChoices):
    ASSIGNED = "assigned", _("A section is assigned to me")
    SUBMITTED = "submitted", _("A municipality in my region submits its analysis")
    SENT_BACK = "sent_back", _("Our analysis is sent back")
    APPROVED = "approved", _("Our analysis is approved")
    COMMENT = "comment", _("New comments and replies")
    ROUND_OPENED = "round_opened", _("A new round opens")
    REMINDER = "reminder", _("Reminders before a round closes")
    MEASURE_OVERDUE = "measure_overdue", _("A measure I answer for is past its deadline")


# Which messages concern whom (the settings page offers these).
EDITOR_KINDS = [
    Kind.ASSIGNED,
    Kind.SENT_BACK,
    Kind.APPROVED,
    Kind.COMMENT,
    Kind.ROUND_OPENED,
    Kind.REMINDER,
    Kind.MEASURE_OVERDUE,
]
ADVISER_KINDS = [Kind.SUBMITTED, Kind.COMMENT, Kind.REMINDER]


class OptOut(models.Model):
    """A kind of message the person turned off, on the settings page or from a message's
    own link. No row: the message is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_opt_outs"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("turned off"), default=timezone.now)

    class Meta:
        verbose_name = _("turned-off notification")
        verbose_name_plural = _("turned-off notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="opt_out_kind_valid"),
        ]


class Reminder(models.Model):
    """A reminder sent to one person for one round at one stage (days before it closes)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField(_("days before closing"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user", "days_before"], name="one_reminder_per_stage"
            )
        ]


class OverdueNotice(models.Model):
    """A measure's deadline passed and its owner (or, without one, the municipality's editors)
    was told: once per deadline, however often send_reminders runs. A new deadline that passes
    is told again."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    deadline = models.DateField(_("deadline"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("overdue notice")
        verbose_name_plural = _("overdue notices")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "deadline"], name="one_overdue_notice_per_deadline"
            )
        ]
