from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from leitwerk.core.admin import register_remaining

from .models import GuidelineDocument, GuidelineSection, Statement


class GuidelineSectionInline(admin.TabularInline):
    model = GuidelineSection
    extra = 0
    fields = ["order", "number", "title"]
    show_change_link = True


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0
    fields = ["order", "kind", "text", "needs_review", "review_note"]


@admin.register(GuidelineDocument)
class GuidelineDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "version_label", "valid_from", "municipality"]
    list_filter = ["municipality", "kind", "status"]
    search_fields = ["title", "preamble"]
    autocomplete_fields = ["municipality"]
    inlines = [GuidelineSectionInline]


@admin.register(GuidelineSection)
class GuidelineSectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "document", "order", "municipality"]
    list_filter = ["municipality", "document"]
    search_fields = ["title", "number", "intro"]
    autocomplete_fields = ["municipality", "document"]
    inlines = [StatementInline]


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "section", "needs_review", "municipality"]
    list_filter = ["municipality", "kind", "needs_review", "section__document"]
    search_fields = ["text", "review_note"]
    autocomplete_fields = ["municipality", "section", "parent"]


register_remaining("guidelines")
