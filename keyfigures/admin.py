from django.contrib import admin

from keyfigures import models


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nb", "unit", "theme", "source_table"]
    list_filter = ["theme", "unit"]
    search_fields = ["code", "name_nb"]
