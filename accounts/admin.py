from django.contrib import admin

from accounts import models


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "municipality", "region"]
    list_filter = ["role", "region"]
    autocomplete_fields = ["municipality"]
    list_select_related = ["user", "municipality", "region"]
