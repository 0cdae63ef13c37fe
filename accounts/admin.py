from django.contrib import admin

from accounts import audit, models
from accounts.models import AuditAction


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Role changes made here go to the audit log like those made in the app."""

    list_display = ["user", "role", "is_municipality_admin", "municipality", "region"]
    list_filter = ["role", "is_municipality_admin", "region"]
    autocomplete_fields = ["municipality"]
    list_select_related = ["user", "municipality", "region"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            AuditAction.ROLE_CHANGED if change else AuditAction.ROLE_GRANTED,
            actor=request.user,
            target=obj.user.get_username(),
            municipality=obj.municipality,
            region=obj.region,
            details={
                "role": obj.role,
                "municipality_admin": obj.is_municipality_admin,
                "via": "admin",
            },
        )

    def delete_model(self, request, obj):
        self._record_removal(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("user", "municipality__county", "region"):
            self._record_removal(request, obj)
        super().delete_queryset(request, queryset)

    def _record_removal(self, request, obj) -> None:
        audit.record(
            AuditAction.ROLE_REMOVED,
            actor=request.user,
            target=obj.user.get_username(),
            municipality=obj.municipality,
            region=obj.region,
            details={"role": obj.role, "via": "admin"},
        )


@admin.register(models.UserInvitation)
class UserInvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "role",
        "municipality",
        "region",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    search_fields = ["email"]
    list_select_related = ["municipality", "region"]
    exclude = ["token_hash"]

    def has_add_permission(self, request) -> bool:
        return False  # invitations are sent from the app's People pages, with their e-mail


@admin.register(models.OIDCIdentity)
class OIDCIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "issuer", "subject", "created_at", "last_login_at"]
    search_fields = ["user__username", "user__email", "subject"]
    list_select_related = ["user"]


@admin.register(models.AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the log is written by the application, never edited."""

    list_display = ["at", "actor_name", "action", "target", "municipality", "address"]
    list_filter = ["action", "region"]
    search_fields = ["actor_name", "target", "address"]
    date_hierarchy = "at"
    list_select_related = ["municipality"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
