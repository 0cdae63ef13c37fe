from django import forms
from django.contrib import admin

from analysis import models
from analysis.services import rounds
from boligsosial.forms import CleanTextMixin


class RoundAdminForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = models.Round
        fields = ["title", "opens_on", "closes_on"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            # The same rule as opening a round: one round open at a time (checked again
            # under the lock when it is saved).
            rounds.check_round_dates(data["opens_on"], data["closes_on"], other_than=self.instance)
        return data


@admin.register(models.Round)
class RoundAdmin(admin.ModelAdmin):
    form = RoundAdminForm
    list_display = ["year", "title", "questionnaire", "opens_on", "closes_on"]
    # The year and the questionnaire give every analysis of the round its shape: fixed.
    readonly_fields = ["year", "questionnaire"]

    def save_model(self, request, obj, form, change):
        rounds.change_round(
            obj,
            title=form.cleaned_data["title"],
            opens_on=form.cleaned_data["opens_on"],
            closes_on=form.cleaned_data["closes_on"],
        )

    def has_add_permission(self, request) -> bool:
        # Rounds are opened on the Rounds page (analysis.services.rounds.open_round), which
        # checks the year and the dates under its lock and gives every municipality its
        # analysis; a round added here would skip all of that.
        return False
