from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from leitwerk.core.admin import register_remaining

from .models import (
    ActionField,
    ActionPlan,
    Indicator,
    Initiative,
    Measurement,
    Milestone,
    Resolution,
    StatusReport,
    SubInitiative,
    TransferCity,
)


class ActionFieldInline(admin.TabularInline):
    model = ActionField
    extra = 0
    fields = ["order", "code", "title"]
    show_change_link = True


class ResolutionInline(admin.TabularInline):
    model = Resolution
    extra = 0
    fields = ["order", "text", "initiative"]
    autocomplete_fields = ["initiative"]


class InitiativeInline(admin.TabularInline):
    model = Initiative
    extra = 0
    fields = ["order", "number", "title", "status", "lead_unit"]
    autocomplete_fields = ["lead_unit"]
    show_change_link = True


class SubInitiativeInline(admin.TabularInline):
    model = SubInitiative
    extra = 0
    fields = ["order", "kind", "text"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["order", "title", "due_date", "done_on", "is_success_factor", "weight"]


class IndicatorInline(admin.StackedInline):
    model = Indicator
    fk_name = "initiative"
    extra = 0
    fields = [
        "order",
        "title",
        "kind",
        "unit",
        ("baseline", "baseline_date"),
        ("target", "target_date"),
        "direction",
        "weight",
        "public",
    ]
    show_change_link = True


class TransferCityInline(admin.TabularInline):
    model = TransferCity
    extra = 0
    fields = ["order", "name", "ags"]


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "period_start", "period_end", "public", "municipality"]
    list_filter = ["municipality", "status", "public"]
    search_fields = ["title", "description", "adoption_reference"]
    autocomplete_fields = ["municipality", "adopted_by"]
    inlines = [ActionFieldInline, ResolutionInline]


@admin.register(ActionField)
class ActionFieldAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "order", "municipality"]
    list_filter = ["municipality", "plan"]
    search_fields = ["code", "title", "description"]
    autocomplete_fields = ["municipality", "plan"]
    inlines = [InitiativeInline]


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "action_field", "status", "lead_unit", "public", "municipality"]
    list_filter = ["municipality", "status", "public", "action_field__plan", "lead_unit"]
    search_fields = ["number", "title", "objective", "description"]
    autocomplete_fields = [
        "municipality",
        "action_field",
        "lead_unit",
        "responsible_people",
        "affected_municipalities",
        "statements",
        "goals",
    ]
    inlines = [SubInitiativeInline, MilestoneInline, IndicatorInline, TransferCityInline]


@admin.register(SubInitiative)
class SubInitiativeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "initiative", "municipality"]
    list_filter = ["municipality", "kind"]
    search_fields = ["text"]
    autocomplete_fields = ["municipality", "initiative", "parent"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "initiative",
        "due_date",
        "done_on",
        "is_success_factor",
        "municipality",
    ]
    list_filter = ["municipality", "is_success_factor", "due_date"]
    search_fields = ["title", "initiative__title"]
    autocomplete_fields = ["municipality", "initiative"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "kind",
        "unit",
        "baseline",
        "target",
        "initiative",
        "goal",
        "municipality",
    ]
    list_filter = ["municipality", "kind", "direction", "public"]
    search_fields = ["title", "initiative__title", "goal__title"]
    autocomplete_fields = ["municipality", "initiative", "goal"]


@admin.register(TransferCity)
class TransferCityAdmin(admin.ModelAdmin):
    list_display = ["name", "ags", "initiative", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "ags", "initiative__title"]
    autocomplete_fields = ["municipality", "initiative"]


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "initiative", "municipality"]
    list_filter = ["municipality", "plan"]
    search_fields = ["text"]
    autocomplete_fields = ["municipality", "plan", "initiative"]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "measured_on", "period_label", "value", "source", "municipality"]
    list_filter = ["municipality", "source", "measured_on"]
    search_fields = ["indicator__title", "note", "period_label"]
    autocomplete_fields = ["municipality", "indicator", "recorded_by"]
    date_hierarchy = "measured_on"


@admin.register(StatusReport)
class StatusReportAdmin(admin.ModelAdmin):
    list_display = ["initiative", "period_label", "reported_on", "health", "author", "municipality"]
    list_filter = ["municipality", "health", "reported_on"]
    search_fields = ["initiative__title", "text", "off_track_note"]
    autocomplete_fields = ["municipality", "initiative", "author"]
    date_hierarchy = "reported_on"


register_remaining("plans")
