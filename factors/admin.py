from django.contrib import admin

from factors import models


class CriterionInline(admin.TabularInline):
    model = models.Criterion
    extra = 0


class MaturityLevelInline(admin.TabularInline):
    model = models.MaturityLevel
    extra = 0


@admin.register(models.SuccessFactor)
class SuccessFactorAdmin(admin.ModelAdmin):
    list_display = ["number", "name_nb", "name_nn", "name_en"]
    inlines = [CriterionInline, MaturityLevelInline]
