from django.contrib import admin
from django.utils.translation import gettext as _

from analysis import models
from analysis.services.questionnaire import (
    copy_questionnaire_edition,
    publish_questionnaire_edition,
)


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_number"]
    search_fields = ["name"]


@admin.register(models.County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "region"]
    list_filter = ["region"]


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county", "language_form", "population", "valid_to"]
    list_filter = ["county__region", "county", "language_form"]
    search_fields = ["number", "name", "other_language_names"]
    list_select_related = ["county"]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "municipality", "region"]
    list_filter = ["role", "region"]
    autocomplete_fields = ["municipality"]
    list_select_related = ["user", "municipality", "region"]


class QuestionInline(admin.StackedInline):
    model = models.Question
    extra = 0


@admin.register(models.Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title_nb", "questionnaire", "order", "kind"]
    list_filter = ["questionnaire"]
    inlines = [QuestionInline]


class SectionInline(admin.TabularInline):
    model = models.Section
    extra = 0
    fields = ["order", "key", "kind", "title_nb", "title_nn", "title_en"]
    show_change_link = True


@admin.register(models.Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["edition", "title", "published_at"]
    inlines = [SectionInline]
    actions = ["copy_as_new_edition", "publish"]

    @admin.action(description=_("Copy as a new draft edition"))
    def copy_as_new_edition(self, request, queryset):
        for questionnaire in queryset:
            draft = copy_questionnaire_edition(source=questionnaire)
            self.message_user(
                request, _("Draft edition %(edition)s created.") % {"edition": draft.edition}
            )

    @admin.action(description=_("Publish the selected editions"))
    def publish(self, request, queryset):
        for questionnaire in queryset:
            publish_questionnaire_edition(questionnaire=questionnaire)
        self.message_user(request, _("Published."))


@admin.register(models.Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "questionnaire", "opens_on", "closes_on"]


for model in [models.TaskArea, models.Instrument, models.TargetGroup, models.FundingSource]:
    admin.site.register(
        model, list_display=["key", "order", "name_nb", "name_nn", "name_en"], ordering=["order"]
    )


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nb", "unit", "theme", "source_table"]
    list_filter = ["theme", "unit"]
    search_fields = ["code", "name_nb"]
