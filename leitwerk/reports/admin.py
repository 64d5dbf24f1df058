from django.contrib import admin

from leitwerk.core.admin import register_remaining

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "format", "as_of", "status", "created_by", "municipality"]
    list_filter = ["municipality", "format", "status"]
    search_fields = ["title", "plan__title"]
    autocomplete_fields = ["municipality", "plan", "created_by"]
    date_hierarchy = "as_of"


register_remaining("reports")
