import inspect

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from reports import models
from reports.recommendations import RULES


@admin.register(models.RecommendationRule)
class RecommendationRuleAdmin(admin.ModelAdmin):
    list_display = ["order", "key", "title_nb", "source", "is_active"]
    list_editable = ["is_active"]
    readonly_fields = ["key", "rule_in_code"]

    @admin.display(description=_("rule in the code"))
    def rule_in_code(self, obj) -> str:
        """The condition as the code states it, beside the text the administrator edits."""
        func = RULES.get(obj.key)
        if func is None:
            return _("No rule function: this recommendation never appears.")
        return f"reports.recommendations.{func.__name__}: {inspect.getdoc(func)}"


@admin.register(models.ArchivedReport)
class ArchivedReportAdmin(admin.ModelAdmin):
    """Read-only, even for superusers: the archive is the record of what political leadership
    received, so no file is added, changed or deleted here (one by one or in bulk)."""

    list_display = ["analysis", "created_at", "created_by", "analysis_version", "sha256"]
    readonly_fields = [f.name for f in models.ArchivedReport._meta.fields]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
