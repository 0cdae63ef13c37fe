"""Who belongs where: a user is an editor or reader in a municipality, or an adviser for a
Statsforvalter office (region). The rules built on it are in `accounts/access.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reference.models import Municipality, Region


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    READER = "reader", _("Reader")
    ADVISER = "adviser", _("Adviser")


class Membership(models.Model):
    """Ties a user to a municipality (editor or reader) or to a region (adviser)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    unit_name = models.CharField(_("unit"), max_length=200, blank=True)

    class Meta:
        db_table = "analysis_membership"
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="adviser", region__isnull=False, municipality__isnull=True)
                    | Q(
                        role__in=["editor", "reader"],
                        municipality__isnull=False,
                        region__isnull=True,
                    )
                ),
                name="membership_role_matches_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=Q(municipality__isnull=False),
                name="one_membership_per_user_and_municipality",
            ),
            models.UniqueConstraint(
                fields=["user", "region"],
                condition=Q(region__isnull=False),
                name="one_membership_per_user_and_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.municipality or self.region}"
