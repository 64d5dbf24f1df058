from django.contrib import admin

from leitwerk.core.admin import register_remaining

from .models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only: an import run records what happened and is kept for audit."""

    list_display = ["created_at", "kind", "source_name", "dry_run", "created_by", "municipality"]
    list_filter = ["municipality", "kind", "dry_run"]
    search_fields = ["source_name", "source_hash"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


register_remaining("imports")
