from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from leitwerk.core.admin import register_remaining

from .models import (
    BalanceSettings,
    Ballot,
    BallotEntry,
    CompensationMeasure,
    CostShare,
    Decision,
    ListVersion,
    MemberSignOff,
    PriorityChange,
    PriorityItem,
    PriorityRound,
    RoundParticipant,
)


class PriorityItemInline(admin.TabularInline):
    model = PriorityItem
    extra = 0
    fields = ["rank", "initiative", "shared_rank", "score", "spread"]
    autocomplete_fields = ["initiative"]


class RoundParticipantInline(admin.TabularInline):
    model = RoundParticipant
    extra = 0
    fields = ["body", "unit"]


@admin.register(PriorityRound)
class PriorityRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "status", "method", "adopted_on", "adopted_by", "municipality"]
    list_filter = ["municipality", "status", "year"]
    search_fields = ["title", "decision_reference"]
    autocomplete_fields = ["municipality", "adopted_by"]
    filter_horizontal = ["candidates"]
    inlines = [RoundParticipantInline, PriorityItemInline]


@admin.register(PriorityItem)
class PriorityItemAdmin(SimpleHistoryAdmin):
    list_display = ["rank", "initiative", "round", "municipality"]
    list_filter = ["municipality", "round"]
    search_fields = ["initiative__title"]
    autocomplete_fields = ["municipality", "round", "initiative"]


class BallotEntryInline(admin.TabularInline):
    model = BallotEntry
    extra = 0
    fields = ["initiative", "rank", "benefit", "urgency", "effort"]
    autocomplete_fields = ["initiative"]


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = ["round", "participant", "submitted_by", "submitted_at", "municipality"]
    list_filter = ["municipality", "round"]
    inlines = [BallotEntryInline]


@admin.register(ListVersion)
class ListVersionAdmin(admin.ModelAdmin):
    list_display = ["round", "number", "note", "created_at", "municipality"]
    list_filter = ["municipality", "round"]


@admin.register(PriorityChange)
class PriorityChangeAdmin(admin.ModelAdmin):
    list_display = ["round", "initiative", "old_rank", "new_rank", "changed_on", "municipality"]
    list_filter = ["municipality", "round"]
    search_fields = ["justification", "initiative__title"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "decided_on", "body", "initiative", "public", "municipality"]
    list_filter = ["municipality", "kind", "public", "body"]
    search_fields = ["title", "justification", "reference"]
    autocomplete_fields = ["municipality", "initiative", "body"]
    date_hierarchy = "decided_on"


@admin.register(BalanceSettings)
class BalanceSettingsAdmin(admin.ModelAdmin):
    list_display = ["municipality", "threshold_points"]


@admin.register(CompensationMeasure)
class CompensationMeasureAdmin(admin.ModelAdmin):
    list_display = ["title", "member", "amount_eur", "decided_on", "municipality"]
    list_filter = ["municipality"]


@admin.register(CostShare)
class CostShareAdmin(admin.ModelAdmin):
    list_display = ["initiative", "member", "share_percent", "municipality"]
    list_filter = ["municipality"]


@admin.register(MemberSignOff)
class MemberSignOffAdmin(admin.ModelAdmin):
    list_display = ["round", "member", "council", "signed_on", "municipality"]
    list_filter = ["municipality"]


register_remaining("priorities")
