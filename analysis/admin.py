from django.contrib import admin

from analysis import models


@admin.register(models.Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "questionnaire", "opens_on", "closes_on"]

    def has_add_permission(self, request) -> bool:
        # Rounds are opened on the Rounds page (analysis.services.rounds.open_round), which
        # checks the year and the dates under its lock and gives every municipality its
        # analysis; a round added here would skip all of that.
        return False
