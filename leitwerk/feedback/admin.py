from django.contrib import admin

from leitwerk.core.admin import register_remaining

from .models import Location, Service, Suggestion, Survey


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "leika_key", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "leika_key"]
    autocomplete_fields = ["municipality"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name"]
    autocomplete_fields = ["municipality"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "opens_on", "closes_on", "municipality"]
    list_filter = ["municipality", "kind", "status"]
    search_fields = ["title"]
    autocomplete_fields = ["municipality", "service", "guideline"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "status", "due_on", "unit", "municipality"]
    list_filter = ["municipality", "status", "category"]
    search_fields = ["text", "answer"]
    autocomplete_fields = ["municipality", "unit"]
    date_hierarchy = "due_on"


# Raw answers and codes are evidence of anonymous surveys: visible to superusers for
# support, never editable, so the admin cannot be used to alter or trace a response.
register_remaining("feedback", read_only=("Response", "Answer", "AnswerAggregate", "SurveyCode"))
