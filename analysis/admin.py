from django.contrib import admin

from analysis import models


@admin.register(models.Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "questionnaire", "opens_on", "closes_on"]
