from django.contrib import admin

from .models import AuditLogEntry


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is evidence and must not be edited by hand."""

    list_display = ["created_at", "municipality", "actor", "action", "target_type", "target_repr"]
    list_filter = ["municipality", "action", "target_type"]
    search_fields = ["action", "target_repr", "actor__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
