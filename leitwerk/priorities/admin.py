from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
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
    RoundStatus,
)

ITEM_FIELDS = ["rank", "initiative", "shared_rank", "score", "spread"]


def _is_adopted(round: PriorityRound | None) -> bool:
    return round is not None and round.status == RoundStatus.ADOPTED


class PriorityItemInline(admin.TabularInline):
    """Once the list is adopted, its places change only through `priority_change`.

    That service demands a justification, writes a new version and counts the change as an
    "ad-hoc-Richtungsänderung"; an edit here would bypass all three.
    """

    model = PriorityItem
    extra = 0
    fields = tuple(ITEM_FIELDS)
    autocomplete_fields = ["initiative"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Any = None
    ) -> list[str] | tuple[str, ...]:
        return ITEM_FIELDS if _is_adopted(obj) else super().get_readonly_fields(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_adopted(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_adopted(obj) and super().has_delete_permission(request, obj)


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

    def get_readonly_fields(
        self, request: HttpRequest, obj: Any = None
    ) -> list[str] | tuple[str, ...]:
        # The same reason as in the inline: adopted places move only with a justification.
        if obj is not None and _is_adopted(obj.round):
            return ["municipality", "round", *ITEM_FIELDS]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _is_adopted(obj.round):
            return False
        return super().has_delete_permission(request, obj)


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
