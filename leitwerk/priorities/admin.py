from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from leitwerk.core.admin import register_remaining

from .models import Decision, PriorityItem, PriorityRound


class PriorityItemInline(admin.TabularInline):
    model = PriorityItem
    extra = 0
    fields = ["rank", "initiative"]
    autocomplete_fields = ["initiative"]


@admin.register(PriorityRound)
class PriorityRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "status", "adopted_on", "adopted_by", "municipality"]
    list_filter = ["municipality", "status", "year"]
    search_fields = ["title", "decision_reference"]
    autocomplete_fields = ["municipality", "adopted_by"]
    inlines = [PriorityItemInline]


@admin.register(PriorityItem)
class PriorityItemAdmin(SimpleHistoryAdmin):
    list_display = ["rank", "initiative", "round", "municipality"]
    list_filter = ["municipality", "round"]
    search_fields = ["initiative__title"]
    autocomplete_fields = ["municipality", "round", "initiative"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "decided_on", "body", "initiative", "public", "municipality"]
    list_filter = ["municipality", "kind", "public", "body"]
    search_fields = ["title", "justification", "reference"]
    autocomplete_fields = ["municipality", "initiative", "body"]
    date_hierarchy = "decided_on"


register_remaining("priorities")
