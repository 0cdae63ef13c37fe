from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boligsosial.forms import CleanTextMixin
from reference import models
from reference.services.editions import (
    copy_questionnaire_edition,
    edition_is_frozen,
    publish_questionnaire_edition,
)

FROZEN_EDITION = gettext_lazy(
    "This edition is published or used by a round, so its sections and questions can no "
    "longer change: answers were given to these texts. To change them, copy the edition "
    "(the action “Copy as a new draft edition” in the list of editions), edit the draft and "
    "publish it."
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


@admin.register(models.MunicipalityClassification)
class MunicipalityClassificationAdmin(admin.ModelAdmin):
    """The classifications loaded so far; a new one comes with
    `load_reference_data --municipalities FILE --valid-from DATE`, which also ends and starts
    municipalities, so the admin only shows them."""

    list_display = ["valid_from", "source", "loaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FrozenEditionMixin:
    """Sections and questions of a published edition (or one a round uses) are read-only:
    the admin shows them but offers no way to change, add or delete."""

    def _questionnaire_of(self, obj) -> models.Questionnaire | None:
        return obj

    def _frozen(self, obj) -> bool:
        questionnaire = self._questionnaire_of(obj) if obj is not None else None
        return questionnaire is not None and edition_is_frozen(questionnaire)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if request.method == "GET" and self._frozen(obj):
            self.message_user(request, FROZEN_EDITION, messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)


class QuestionInline(admin.StackedInline):
    model = models.Question
    extra = 0

    def _frozen(self, section) -> bool:
        return section is not None and edition_is_frozen(section.questionnaire)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._frozen(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)


class SectionForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = models.Section
        fields = [
            "questionnaire",
            "key",
            "order",
            "kind",
            "title_nb",
            "title_nn",
            "title_en",
            "intro_nb",
            "intro_nn",
            "intro_en",
        ]

    def clean_questionnaire(self):
        questionnaire = self.cleaned_data["questionnaire"]
        if questionnaire is not None and edition_is_frozen(questionnaire):
            raise forms.ValidationError(FROZEN_EDITION)
        return questionnaire


@admin.register(models.Section)
class SectionAdmin(FrozenEditionMixin, admin.ModelAdmin):
    form = SectionForm
    list_display = ["title_nb", "questionnaire", "order", "kind"]
    list_filter = ["questionnaire"]
    list_select_related = ["questionnaire"]
    inlines = [QuestionInline]

    def _questionnaire_of(self, obj):
        return obj.questionnaire


class SectionInline(admin.TabularInline):
    model = models.Section
    extra = 0
    fields = ["order", "key", "kind", "title_nb", "title_nn", "title_en"]
    show_change_link = True

    def _frozen(self, questionnaire) -> bool:
        return questionnaire is not None and edition_is_frozen(questionnaire)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._frozen(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)


@admin.register(models.Questionnaire)
class QuestionnaireAdmin(FrozenEditionMixin, admin.ModelAdmin):
    list_display = ["edition", "title", "published_at"]
    inlines = [SectionInline]
    actions = ["copy_as_new_edition", "publish"]

    @admin.action(description=gettext_lazy("Copy as a new draft edition"))
    def copy_as_new_edition(self, request, queryset):
        for questionnaire in queryset:
            draft = copy_questionnaire_edition(source=questionnaire)
            self.message_user(
                request, _("Draft edition %(edition)s created.") % {"edition": draft.edition}
            )

    @admin.action(description=gettext_lazy("Publish the selected editions"))
    def publish(self, request, queryset):
        for questionnaire in queryset:
            publish_questionnaire_edition(questionnaire=questionnaire)
        self.message_user(request, _("Published."))


for model in [models.TaskArea, models.Instrument, models.TargetGroup, models.FundingSource]:
    admin.site.register(
        model, list_display=["key", "order", "name_nb", "name_nn", "name_en"], ordering=["order"]
    )


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
