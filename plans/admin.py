from django.contrib import admin

from plans.models import Measure, MeasureStatusChange


class StatusChangeInline(admin.TabularInline):
    model = MeasureStatusChange
    extra = 0
    readonly_fields = ("round", "from_status", "to_status", "note", "changed_at", "changed_by")
    can_delete = False


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("title", "municipality", "status", "priority", "deadline")
    list_filter = ("status", "priority")
    search_fields = ("title", "municipality__name")
    raw_id_fields = ("municipality", "responsible_unit", "owner_user")
    inlines = [StatusChangeInline]
