from django.contrib import admin

from keyfigures import models


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nb", "unit", "theme", "source_table", "ssb_verified"]
    list_filter = ["theme", "unit"]
    search_fields = ["code", "name_nb"]


@admin.register(models.FetchRun)
class FetchRunAdmin(admin.ModelAdmin):
    """The fetches from SSB, for the administrators: read only, the record of what happened."""

    list_display = ["started_at", "outcome", "via", "started_by", "finished_at"]
    list_filter = ["outcome", "via"]
    readonly_fields = [f.name for f in models.FetchRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
