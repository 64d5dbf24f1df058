from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from leitwerk.core.admin import register_remaining

from .models import FrameworkConcept, Goal, GoalField


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ["order", "code", "title", "target_date", "public"]
    show_change_link = True


@admin.register(GoalField)
class GoalFieldAdmin(admin.ModelAdmin):
    list_display = ["__str__", "order", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["code", "title", "description"]
    autocomplete_fields = ["municipality"]
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "goal_field", "target_date", "public", "municipality"]
    list_filter = ["municipality", "public", "goal_field"]
    search_fields = ["code", "title", "description"]
    autocomplete_fields = ["municipality", "goal_field", "statements"]


@admin.register(FrameworkConcept)
class FrameworkConceptAdmin(admin.ModelAdmin):
    list_display = ["title", "valid_from", "valid_to", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["goal_fields"]


register_remaining("goals")
