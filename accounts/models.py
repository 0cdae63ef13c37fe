"""Who belongs where: a user is an editor or reader in a municipality, or an adviser for a
Statsforvalter office (region). The rules built on it are in `accounts/access.py`.

Also the people around it: invitations to colleagues (single-use links that expire), a
person's own settings (the language of their e-mail), identities at single sign-on
providers, and the audit log (hendelseslogg)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
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
    # An editor who also manages the municipality's people: invites colleagues, changes
    # their roles and removes them.
    is_municipality_admin = models.BooleanField(
        _("administrator for the municipality"), default=False
    )

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
            models.CheckConstraint(
                condition=Q(is_municipality_admin=False) | Q(role="editor"),
                name="only_editors_administer_the_municipality",
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


LANGUAGE_CHOICES = [("nb", _("Bokmål")), ("nn", _("Nynorsk")), ("en", _("English"))]


class Profile(models.Model):
    """A person's own settings. E-mail goes out in `language`, or, left empty, in their
    municipality's målform (språklova § 15)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language of e-mail"), max_length=2, choices=LANGUAGE_CHOICES, blank=True
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")


class UserInvitation(models.Model):
    """An invitation to a colleague: a single-use link, valid until `expires_at`, that gives
    the person at `email` one role in one municipality or region. Only a hash of the link's
    token is kept, so the table alone opens nothing."""

    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    make_municipality_admin = models.BooleanField(
        _("administrator for the municipality"), default=False
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation to a colleague")
        verbose_name_plural = _("invitations to colleagues")
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
                name="user_invitation_role_matches_scope",
            ),
            models.CheckConstraint(
                condition=Q(make_municipality_admin=False) | Q(role="editor"),
                name="user_invitation_admin_only_for_editors",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="user_invitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} – {self.municipality or self.region}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now

    @property
    def scope(self):
        return self.municipality or self.region


class OIDCIdentity(models.Model):
    """A person's identity at a single sign-on provider: (issuer, subject) never changes,
    unlike an e-mail address, so a returning login is matched on it alone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities"
    )
    provider = models.CharField(_("provider"), max_length=50)
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("linked"), default=timezone.now)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_user_per_identity")
        ]


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logged out")
    PASSWORD_RESET_REQUESTED = "password_reset", _("Asked to reset a password")
    PASSWORD_SET = "password_set", _("Set a new password")
    USER_INVITED = "user_invited", _("Invited a colleague")
    INVITATION_REVOKED = "invitation_revoked", _("Revoked an invitation")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_CHANGED = "role_changed", _("Role changed")
    ROLE_REMOVED = "role_removed", _("Role removed")
    ANALYSIS_OPENED = "analysis_opened", _("Opened a municipality's analysis")
    STATUS_CHANGED = "status_changed", _("Changed an analysis's status")
    ROUND_OPENED = "round_opened", _("Opened a round")
    EXPORT = "export", _("Exported data")
    PDF_DOWNLOADED = "pdf_downloaded", _("Downloaded a PDF")
    REPORT_ARCHIVED = "report_archived", _("Archived a PDF")
    KEY_FIGURES_IMPORTED = "key_figures_imported", _("Imported key figures")
    KEY_FIGURES_FETCHED = "key_figures_fetched", _("Fetched key figures")


class AuditEvent(models.Model):
    """One event in the audit log (hendelseslogg): who, when, what, from where. Kept for
    AUDIT_LOG_KEEP_DAYS (`manage.py prune_audit_log`)."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("what"), max_length=30, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The name as it was: the log outlives renamed and deleted users, and a failed login
    # names a user who may not exist.
    actor_name = models.CharField(_("who"), max_length=254, blank=True)
    address = models.GenericIPAddressField(_("from where"), null=True, blank=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The region the event belongs to: its advisers see it.
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.CharField(_("concerning"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AuditAction.values), name="audit_action_valid"
            )
        ]
        indexes = [models.Index(fields=["region", "-at"]), models.Index(fields=["action", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"
